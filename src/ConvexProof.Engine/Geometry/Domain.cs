using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>The input set on which convexity is decided: all of R^d, or a box with lo &lt; hi per coordinate.</summary>
public sealed class Domain
{
    private Domain(int dimension, Rational[]? lower, Rational[]? upper)
    {
        Dimension = dimension;
        Lower = lower;
        Upper = upper;
    }

    public int Dimension { get; }
    public Rational[]? Lower { get; }
    public Rational[]? Upper { get; }
    public bool IsBox => Lower is not null;

    /// <summary>Number of box-face constraints (2d on a box, else 0).</summary>
    public int FaceCount => IsBox ? 2 * Dimension : 0;

    public static Domain Everywhere(int dimension) => new(dimension, null, null);

    public static Domain Box(Rational[] lower, Rational[] upper)
    {
        if (lower.Length != upper.Length || lower.Length == 0) throw new ArgumentException("box bounds must have one entry per coordinate");
        for (int i = 0; i < lower.Length; i++)
            if (lower[i] >= upper[i]) throw new ArgumentException($"box coordinate {i + 1}: lower bound {lower[i]} is not below upper bound {upper[i]}");
        return new(lower.Length, [.. lower], [.. upper]);
    }

    /// <summary>True when x is in the domain (closed box).</summary>
    public bool Contains(IReadOnlyList<Rational> x)
    {
        if (!IsBox) return true;
        for (int i = 0; i < Dimension; i++) if (x[i] < Lower![i] || x[i] > Upper![i]) return false;
        return true;
    }

    public override string ToString() => IsBox
        ? string.Join(" × ", Enumerable.Range(0, Dimension).Select(i => $"[{Lower![i]}, {Upper![i]}]"))
        : $"R^{Dimension}";
}
