using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// A facet of a region: constraint <see cref="Constraint"/> vanishes at <see cref="Witness"/>, which
/// is strictly inside every other constraint except <see cref="SameHyperplane"/> (positive multiples
/// of it, so the same facet) and flat ones.
/// </summary>
public sealed record FacetInfo(int Constraint, Rational[] Witness, int[] SameHyperplane);

/// <summary>A redundant constraint with exact Farkas multipliers over facet constraints.</summary>
public sealed record RedundancyInfo(int Constraint, (int Facet, Rational Multiplier)[] Farkas);

/// <summary>Every constraint of a region, classified: facets, redundant ones and flat ones.</summary>
public sealed record RegionGeometry(IReadOnlyList<FacetInfo> Facets, IReadOnlyList<RedundancyInfo> Redundant, IReadOnlyList<int> Flat);
