using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// A unit-sign split: the part of a box where ReLU unit <see cref="Neuron"/> (global index) has
/// pre-activation ≥ 0 (<see cref="NonNegative"/>) or ≤ 0. The two sides of a split cover the box
/// whatever the unit does, so coverage never depends on bounds.
/// </summary>
public readonly record struct SignSplit(int Neuron, bool NonNegative);

/// <summary>One node's domain in the split tree: a box [Lower, Upper] and the unit-sign splits above it.</summary>
public sealed record LeafDomain(Rational[] Lower, Rational[] Upper, IReadOnlyList<SignSplit> Splits)
{
    public int Dimension => Lower.Length;

    public Rational Width(int coordinate) => Upper[coordinate] - Lower[coordinate];

    /// <summary>The two halves of the box at the midpoint of a coordinate (splits kept).</summary>
    public (LeafDomain Low, LeafDomain High, Rational At) Bisect(int coordinate)
    {
        var at = (Lower[coordinate] + Upper[coordinate]) / 2;
        Rational[] upper = [.. Upper], lower = [.. Lower];
        upper[coordinate] = at;
        lower[coordinate] = at;
        return (this with { Upper = upper }, this with { Lower = lower }, at);
    }

    /// <summary>The two sides of a unit-sign split (same box).</summary>
    public (LeafDomain NonNegative, LeafDomain NonPositive) SplitSign(int neuron) =>
        (this with { Splits = [.. Splits, new SignSplit(neuron, true)] },
         this with { Splits = [.. Splits, new SignSplit(neuron, false)] });

    public bool IsSplitOn(int neuron)
    {
        foreach (var s in Splits) if (s.Neuron == neuron) return true;
        return false;
    }

    /// <summary>The centre of the box.</summary>
    public Rational[] Centre() => [.. Lower.Zip(Upper, (lo, hi) => (lo + hi) / 2)];
}
