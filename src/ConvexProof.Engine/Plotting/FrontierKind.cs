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
    /// The kind of a facet and its deciding value (c of the switching unit, or the degenerate
    /// gradient jump; null on the boundary). <paramref name="kinks"/> are the region's c values
    /// (<see cref="Convexity.KinkValues.Backward"/> of its pattern).
    /// </summary>
    public static (FrontierKind Kind, Rational? Value) Classify(ExploredFacet facet, Func<Rational[]> kinks)
    {
        if (facet.Boundary) return (FrontierKind.Boundary, null);
        if (facet.IsDegenerate)
        {
            var jump = facet.Jump!.Value;
            return (jump.Sign < 0 ? FrontierKind.DegenerateNonConvex : FrontierKind.Degenerate, jump);
        }
        var c = kinks()[facet.Switching[0]];
        var kind = c.Sign switch
        {
            > 0 => FrontierKind.ConvexKink,
            0 => FrontierKind.FlatKink,
            _ => FrontierKind.NonConvexKink,
        };
        return (kind, c);
    }
}
