using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// One facet of an explored region, with what lies beyond it: the domain's boundary, or the
/// neighbouring region (by index), which units switch there, and the exact kink data.
/// </summary>
public sealed record ExploredFacet(
    FacetInfo Facet,
    bool Boundary,
    int Neighbour,
    int[] Switching,
    Rational? Jump)
{
    public bool IsDegenerate => Switching.Length > 1;
}

/// <summary>
/// A facet of a region just analysed, before the region beyond it has an index: the domain's
/// boundary, or which units switch there and, when several do, the exact gradient jump.
/// </summary>
public sealed record AnalysedFacet(FacetInfo Facet, bool Boundary, int[] Switching, Rational? Jump)
{
    public bool IsDegenerate => Switching.Length > 1;
}

/// <summary>A region as the certificate records it.</summary>
public sealed record ExploredRegion(
    int Index,
    string Pattern,
    Rational[] Point,
    RegionGeometry Geometry,
    IReadOnlyList<ExploredFacet> Facets);
