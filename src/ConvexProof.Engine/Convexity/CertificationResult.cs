using ConvexProof.Geometry;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Convexity;

public enum Verdict
{
    Convex,
    NotConvex,
    Undecided,
}

/// <summary>
/// One pair (unit, downstream pattern) realised on a non-degenerate frontier, with its exact value c,
/// the first region that has such a facet and that facet's witness point.
/// </summary>
public sealed record KinkCondition(int Neuron, string Downstream, Rational Value, int Region, Rational[] Point);

/// <summary>Two points whose midpoint violates convexity: f((x+y)/2) &gt; (f(x)+f(y))/2, verified exactly.</summary>
public sealed record Counterexample(Rational[] X, Rational[] Y, Rational Fx, Rational Fy, Rational FMid);

/// <summary>Where convexity fails first: region, facet constraint, switching units and the negative value.</summary>
public sealed record Violation(int Region, int Constraint, int[] Units, Rational Value, bool Degenerate);

/// <summary>A frontier where several units switch at once (reported once, from the lower-numbered side).</summary>
public sealed record DegenerateFrontier(int Region, int Neighbour, int Constraint, int[] Units, Rational[] Point, Rational Jump,
    string RegionPattern, string NeighbourPattern);

/// <summary>
/// A unit whose local pre-activation is constant on some regions (identically zero: "flat"; or a
/// non-zero constant: a dead or always-on unit there): how many regions, the first one and its point.
/// </summary>
public sealed record ConstantUnit(int Unit, int Regions, int ZeroIn, int FirstRegion, Rational[] Point);

/// <summary>Where the non-degeneracy assumption of the convexity theorem fails, and what was done instead.</summary>
public sealed record Degeneracies(IReadOnlyList<DegenerateFrontier> Frontiers, IReadOnlyList<ConstantUnit> ConstantUnits);

/// <summary>Counts reported in the summary and the certificate.</summary>
public sealed record CertificationStatistics(
    int Neurons, int Regions, long Facets, long BoundaryFacets, long Redundant, long Flat, long Dismissed,
    int Conditions, long Violations, long DegenerateFacets, TimeSpan Elapsed)
{
    /// <summary>
    /// When the verdict was settled: the first violation's counterexample verified (not convex), or
    /// the end of exploration (convex, undecided). At most <see cref="Elapsed"/>.
    /// </summary>
    public TimeSpan TimeToVerdict { get; init; }
}

/// <summary>
/// Everything `certify` found. <see cref="Complete"/> is false when a limit stopped exploration, or
/// exploration stopped at the first violation (<see cref="StoppedAtFirstViolation"/>); then a
/// not-convex verdict rests on the counterexample alone.
/// </summary>
/// <remarks>The certificate writer (Certificates folder, which depends on this one) turns it into cert.json.</remarks>
public sealed record CertificationResult(
    Verdict Verdict,
    string NetworkSha256,
    Domain Domain,
    IReadOnlyList<ExploredRegion> Regions,
    IReadOnlyList<KinkCondition> Conditions,
    Violation? FirstViolation,
    Counterexample? Counterexample,
    string? UndecidedReason,
    CertificationStatistics Statistics,
    bool Complete,
    Degeneracies Degeneracies)
{
    /// <summary>True when <see cref="CertifyOptions.StopAtFirstViolation"/> ended exploration at the first violation.</summary>
    public bool StoppedAtFirstViolation { get; init; }
}
