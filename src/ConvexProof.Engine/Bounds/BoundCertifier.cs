using System.Diagnostics;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>What a bound-based run decided.</summary>
public enum BoundVerdict
{
    Convex,
    NotConvex,
    Undecided,
}

/// <summary>Which argument settled (or was tried for) the verdict.</summary>
public enum BoundMethod
{
    /// <summary>The ICNN sign rule: convex on R^d and every box, no bounds needed.</summary>
    Structural,

    /// <summary>Interval bounds with branch and bound on a box, and the line search for counterexamples.</summary>
    Bounds,
}

/// <summary>Options of <see cref="BoundCertifier.Certify"/>.</summary>
public sealed record BoundCertifyOptions
{
    public BranchAndBoundOptions Search { get; init; } = new();

    /// <summary>Random lines searched before branch and bound.</summary>
    public int RandomLines { get; init; } = 32;

    /// <summary>Points the user gives (e.g. samples of their data): lines through each are searched first.</summary>
    public IReadOnlyList<Rational[]> Points { get; init; } = [];

    public int DirectionsPerPoint { get; init; } = 4;

    /// <summary>Seed of the random points and directions (same seed, same lines, same result).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The box the search lines are clipped to, when it is not the certified box: a shard of a
    /// larger domain searches lines across its faces (a counterexample only needs x, y in the
    /// domain). Null: the certified box.
    /// </summary>
    public (Rational[] Lower, Rational[] Upper)? SearchBox { get; init; }

    /// <summary>Only the structural test (`--method icnn`): no bounds, no search.</summary>
    public bool StructuralOnly { get; init; }
}

/// <summary>The outcome, with everything a certificate needs.</summary>
public sealed record BoundCertification(
    BoundVerdict Verdict,
    BoundMethod Method,
    string Reason,
    IcnnObstacle? IcnnObstacle,
    BranchAndBoundResult? Search,
    Refutation? Refutation,
    int LinesSearched,
    TimeSpan Elapsed);

/// <summary>
/// Decides convexity without listing regions: the structural ICNN test first (any domain); on a
/// box, lines through the given and random points, then branch and bound on interval bounds, whose
/// failing leaves propose further lines. Every verdict is exact: a convex one rests on the sign rule
/// or on a split tree whose leaves all certify (docs/certificate.md), a not-convex one on a
/// counterexample re-evaluated exactly.
/// </summary>
public static class BoundCertifier
{
    /// <summary>Lower and upper corner of the box, or both null for all of R^d (then only the structural test applies).</summary>
    public static BoundCertification Certify(Network network, Rational[]? lower, Rational[]? upper, BoundCertifyOptions? options = null)
    {
        options ??= new BoundCertifyOptions();
        var clock = Stopwatch.StartNew();
        var obstacle = StructuralTest.Obstacle(network);
        if (obstacle is null)
            return new(BoundVerdict.Convex, BoundMethod.Structural,
                "every weight applied to a ReLU output is >= 0 (input-convex network): convex on R^d and on every box",
                null, null, null, 0, clock.Elapsed);
        string notIcnn = $"not an ICNN: weight {obstacle.Value} at {obstacle.JsonPath} is negative";
        if (options.StructuralOnly)
            return new(BoundVerdict.Undecided, BoundMethod.Structural, notIcnn, obstacle, null, null, 0, clock.Elapsed);
        if (lower is null || upper is null)
            return new(BoundVerdict.Undecided, BoundMethod.Bounds,
                notIcnn + "; bounds need a box (on R^d every pre-activation bound is infinite)", obstacle, null, null, 0, clock.Elapsed);

        var (searchLower, searchUpper) = options.SearchBox ?? (lower, upper);
        var search = new RefutationSearch(network, searchLower, searchUpper, options.Seed);
        var cancel = options.Search.Cancellation;
        var found = search.ThroughPoints(options.Points, options.DirectionsPerPoint, cancel) ?? search.RandomLines(options.RandomLines, cancel);
        if (found is not null)
            return new(BoundVerdict.NotConvex, BoundMethod.Bounds, $"{notIcnn}; a line search found a concave kink",
                obstacle, null, found, search.LinesSearched, clock.Elapsed);

        var remaining = options.Search.Timeout is { } t ? t - clock.Elapsed : (TimeSpan?)null;
        var result = BranchAndBound.Run(network, lower, upper,
            options.Search with { Timeout = remaining is { } r && r < TimeSpan.Zero ? TimeSpan.Zero : remaining }, search);
        if (result.Refutation is not null)
            return new(BoundVerdict.NotConvex, BoundMethod.Bounds, $"{notIcnn}; a line through a failing leaf found a concave kink",
                obstacle, result, result.Refutation, search.LinesSearched, clock.Elapsed);
        if (result.Certified)
            return new(BoundVerdict.Convex, BoundMethod.Bounds,
                $"{notIcnn}; every condition lower bound is >= 0 on all {result.Root.Leaves().Count()} leaves of the split tree",
                obstacle, result, null, search.LinesSearched, clock.Elapsed);
        return new(BoundVerdict.Undecided, BoundMethod.Bounds,
            $"{notIcnn}; {result.StopReason} with {result.CertifiedText} certified",
            obstacle, result, null, search.LinesSearched, clock.Elapsed);
    }
}
