using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// A facet of a region: constraint <see cref="Constraint"/> vanishes at <see cref="Witness"/>, which
/// is strictly inside every other constraint except <see cref="SameHyperplane"/> (positive multiples
/// of it, so the same facet) and flat ones.
/// </summary>
public sealed record FacetInfo(int Constraint, Rational[] Witness, int[] SameHyperplane);

/// <summary>A redundant constraint with exact Farkas multipliers over facet constraints.</summary>
public sealed record RedundancyInfo(int Constraint, FarkasMultipliers Farkas);

/// <summary>
/// Bounds lo_i ≤ x_i ≤ hi_i that hold on the whole region (null: unbounded on that side), each
/// proved by Farkas multipliers over facet constraints. Constraints that are ≥ 0 on the whole box
/// (by exact interval arithmetic) need no multipliers of their own: they are "dismissed".
/// </summary>
public sealed record BoundingBox(
    Rational?[] Lower, Rational?[] Upper,
    FarkasMultipliers?[] LowerFarkas, FarkasMultipliers?[] UpperFarkas);

/// <summary>
/// Every constraint of a region, classified: facets, redundant ones (explicit multipliers), flat
/// ones, and those dismissed by the bounding box.
/// </summary>
public sealed record RegionGeometry(
    IReadOnlyList<FacetInfo> Facets, IReadOnlyList<RedundancyInfo> Redundant, IReadOnlyList<int> Flat,
    BoundingBox? Bounds = null, int Dismissed = 0);
