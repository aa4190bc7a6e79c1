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

/// <summary>Counts reported in the summary and the certificate.</summary>
public sealed record CertificationStatistics(
    int Neurons, int Regions, long Facets, long BoundaryFacets, long Redundant, long Flat, long Dismissed,
    int Conditions, long Violations, long DegenerateFacets, TimeSpan Elapsed);

/// <summary>
/// Everything `certify` found. <see cref="Complete"/> is false when a limit stopped exploration (then a
/// not-convex verdict rests on the counterexample alone).
/// </summary>
/// <remarks> <see cref="Certificates.CertificateWriter"/> turns it into cert.json.</remarks>
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
    bool Complete);
