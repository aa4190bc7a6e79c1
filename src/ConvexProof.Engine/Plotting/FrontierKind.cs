using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Plotting;

/// <summary>What a frontier between two pieces (or a piece and the domain's edge) is, for colouring.</summary>
public enum FrontierKind
{
    /// <summary>One unit switches and its condition c &gt; 0: a strictly convex kink.</summary>
    ConvexKink,

    /// <summary>One unit switches and c = 0: f does not bend there.</summary>
    FlatKink,

    /// <summary>One unit switches and c &lt; 0: a concave kink, so f is not convex.</summary>
    NonConvexKink,

    /// <summary>Several units switch together; the gradient jump along the outward normal is ≥ 0.</summary>
    Degenerate,

    /// <summary>Several units switch together and the gradient jump is negative: not convex.</summary>
    DegenerateNonConvex,

    /// <summary>The facet lies on the domain's boundary (a box face).</summary>
    Boundary,
}

/// <summary>Classifies an explored facet by the exact quantity that decides convexity across it.</summary>
public static class FrontierClassifier
{
    /// <summary>
    /// The kind of a facet of the region with <paramref name="pattern"/> and its deciding value (c of
    /// the switching unit, or the degenerate gradient jump; null on the boundary).
    /// </summary>
    public static (FrontierKind Kind, Rational? Value) Classify(ExploredFacet facet, string pattern, KinkLookup kinks)
    {
        if (facet.Boundary) return (FrontierKind.Boundary, null);
        if (facet.IsDegenerate)
        {
            var jump = facet.Jump!.Value;
            return (jump.Sign < 0 ? FrontierKind.DegenerateNonConvex : FrontierKind.Degenerate, jump);
        }
        var c = kinks.Value(pattern, facet.Switching[0]);
        var kind = c.Sign switch
        {
            > 0 => FrontierKind.ConvexKink,
            0 => FrontierKind.FlatKink,
            _ => FrontierKind.NonConvexKink,
        };
        return (kind, c);
    }
}

/// <summary>
/// The condition value c of unit k with the downstream pattern of a region: looked up in the
/// certifier's conditions (every non-degenerate frontier it visited has one), else computed by
/// <see cref="KinkValues.Backward"/>.
/// </summary>
public sealed class KinkLookup(Network network, CertificationResult result)
{
    private readonly Dictionary<(int, string), Rational> _known =
        result.Conditions.ToDictionary(c => (c.Neuron, c.Downstream), c => c.Value);

    private readonly Dictionary<string, Rational[]> _computed = new(StringComparer.Ordinal);

    public Rational Value(string pattern, int unit)
    {
        if (_known.TryGetValue((unit, KinkValues.Downstream(network, pattern, unit)), out var value)) return value;
        if (!_computed.TryGetValue(pattern, out var all)) _computed[pattern] = all = KinkValues.Backward(network, pattern);
        return all[unit];
    }
}
