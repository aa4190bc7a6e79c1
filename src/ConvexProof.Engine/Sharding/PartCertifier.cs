using System.Diagnostics;
using ConvexProof.Bounds;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Sharding;

/// <summary>How a shard is certified (`certify --plan … --method`).</summary>
public enum PartMethod
{
    /// <summary>Bounds, then region enumeration when bounds leave the shard undecided.</summary>
    Auto,

    /// <summary>Bounds only.</summary>
    Bounds,

    /// <summary>Region enumeration only (networks whose bounds never certify, e.g. a convex one that is not an ICNN with many unstable units).</summary>
    Regions,
}

/// <summary>What a shard's run decided.</summary>
public enum PartVerdict
{
    Convex,
    NotConvex,
    Undecided,
}

/// <summary>Options of <see cref="PartCertifier.Certify"/>.</summary>
public sealed record PartOptions
{
    public PartMethod Method { get; init; }

    /// <summary>Branch-and-bound nodes before the shard counts as undecided by bounds.</summary>
    public int MaxNodes { get; init; } = DefaultMaxNodes;

    /// <summary>Regions before region enumeration stops (undecided).</summary>
    public int MaxRegions { get; init; } = int.MaxValue;

    /// <summary>For the whole part (bounds and regions together); null: none.</summary>
    public TimeSpan? Timeout { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>The user's points (`--points`): those inside the shard's box are searched through first.</summary>
    public IReadOnlyList<Rational[]> Points { get; init; } = [];

    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public Action<ExplorationProgress>? Progress { get; init; }

    public const int DefaultMaxNodes = 10_000;
}

/// <summary>
/// The outcome of one shard, with what its part file needs: for a shard convex by regions, its
/// region certificate (the bytes of cert.json for the shard's box) and the first unit whose kink
/// lies in a face shared with another shard, if any (such a part does not merge).
/// </summary>
public sealed record PartOutcome(
    int Shard,
    Domain Box,
    PartVerdict Verdict,
    string Method,
    string Reason,
    BoundCertification? Bounds,
    Counterexample? Counterexample,
    int Regions,
    TimeSpan Elapsed)
{
    public byte[]? RegionCertificate { get; init; }
    public FaceKink? FaceKink { get; init; }
}

/// <summary>
/// Certifies one shard of a plan, independently of every other: the ICNN sign rule; lines through
/// points of the shard's box, clipped to the whole domain (a counterexample only needs x, y in the
/// domain, so a kink just across a shared face is found from either side); branch and bound on the
/// shard's box, whose failing leaves propose more such lines; and, for auto, region enumeration on
/// the shard's box when bounds leave it undecided (its region certificate is kept for the part, and
/// its regions are searched for a unit whose kink lies in a shared face). Counts, not times, bound
/// each step, so the same shard gives the same part (unless a --timeout stops it).
/// </summary>
public static class PartCertifier
{
    /// <summary>Random points per shard through which lines are searched (4 directions each, as many lines as `certify`'s 32).</summary>
    private const int RandomPoints = 8;

    private const int DirectionsPerPoint = 4;

    public static PartOutcome Certify(Network network, ShardPlan plan, int shard, PartOptions? options = null)
    {
        options ??= new PartOptions();
        var clock = Stopwatch.StartNew();
        var box = plan.Shards[shard];
        PartOutcome Outcome(PartVerdict verdict, string method, string reason, BoundCertification? bounds = null, Counterexample? ce = null, int regions = 0) =>
            new(shard, box, verdict, method, reason, bounds, ce, regions, clock.Elapsed);

        TimeSpan? Remaining() => options.Timeout is { } t ? (t - clock.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : t - clock.Elapsed) : null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        using var timer = Deadline.Start(deadline, options.Timeout);

        string boundsReason = "";
        if (options.Method != PartMethod.Regions)
        {
            var bounds = ByBounds(network, plan, box, shard, options with { Timeout = Remaining(), Cancellation = deadline.Token });
            switch (bounds.Verdict)
            {
                case BoundVerdict.Convex:
                    return Outcome(PartVerdict.Convex, bounds.Method == BoundMethod.Structural ? "structural" : "bounds", bounds.Reason, bounds);
                case BoundVerdict.NotConvex:
                    var r = bounds.Refutation!;
                    return Outcome(PartVerdict.NotConvex, "bounds", bounds.Reason, bounds, new Counterexample(r.X, r.Y, r.Fx, r.Fy, r.FMid));
            }
            if (options.Method == PartMethod.Bounds || deadline.IsCancellationRequested)
                return Outcome(PartVerdict.Undecided, "bounds", bounds.Reason, bounds);
            boundsReason = $"bounds left the shard undecided ({bounds.Reason}); ";
        }
        var (result, certificate, patterns) = ByRegions(network, plan, box, options with { Timeout = Remaining() });
        int regions = result.Statistics.Regions;
        if (result.Verdict == Verdict.Convex)
        {
            var kink = FaceKinks.First(network, box, SharedFace.Of(box, plan.Domain), patterns, options.Parallelism);
            return Outcome(PartVerdict.Convex, "regions", $"{boundsReason}convex on the shard's box by its {regions} regions" +
                (kink is null ? "" : $"; but {kink}, which no shard's certificate checks: this part does not merge (re-plan with another split value)"),
                regions: regions) with { RegionCertificate = certificate, FaceKink = kink };
        }
        return result.Verdict switch
        {
            Verdict.NotConvex => Outcome(PartVerdict.NotConvex, "regions", $"{boundsReason}region enumeration found a violated kink condition",
                ce: result.Counterexample, regions: regions),
            _ => Outcome(PartVerdict.Undecided, "regions", $"{boundsReason}{result.UndecidedReason}", regions: regions),
        };
    }

    /// <summary>
    /// Region enumeration on the shard's box, its certificate streamed into memory (the part embeds
    /// it; the regions themselves are not kept) and every region's pattern (for the shared faces).
    /// </summary>
    private static (CertificationResult Result, byte[]? Certificate, List<string> Patterns) ByRegions(Network network, ShardPlan plan, Domain box, PartOptions options)
    {
        var patterns = new List<string>();
        using var memory = new MemoryStream();
        CertificationResult result;
        using (var writer = new CertificateStreamWriter(memory, plan.NetworkSha256, box, background: true))
        {
            result = Certifier.Certify(network, box, new CertifyOptions
            {
                Limits = new ExplorationLimits(options.MaxRegions, options.Timeout),
                RegionSink = region => { writer.Add(region); patterns.Add(region.Pattern); },
                KeepRegions = false,
                StopAtFirstViolation = true,
                Parallelism = options.Parallelism,
                Progress = options.Progress,
                NetworkSha256 = plan.NetworkSha256,
            });
            if (result.Verdict != Verdict.Convex)
            {
                writer.Discard();
                return (result, null, patterns);
            }
            writer.Finish(result);
        }
        return (result, memory.ToArray(), patterns);
    }

    /// <summary>
    /// The bound route on the shard, with the refutation search on lines of the whole domain through
    /// the user's points in the shard and random points of the shard (none drawn from the whole domain).
    /// </summary>
    private static BoundCertification ByBounds(Network network, ShardPlan plan, Domain box, int shard, PartOptions options) =>
        BoundCertifier.Certify(network, box.Lower, box.Upper, new BoundCertifyOptions
        {
            Points = [.. options.Points.Where(box.Contains), .. RandomPointsOf(box, shard)],
            DirectionsPerPoint = DirectionsPerPoint,
            RandomLines = 0,
            Seed = 1 + shard,
            SearchBox = (plan.Domain.Lower!, plan.Domain.Upper!),
            Search = new BranchAndBoundOptions { MaxLeaves = options.MaxNodes, Timeout = options.Timeout, Cancellation = options.Cancellation },
        });

    /// <summary>Points of the shard's box on a grid of 1/64 of each side, from a seed of the shard number.</summary>
    private static IEnumerable<Rational[]> RandomPointsOf(Domain box, int shard)
    {
        var random = new Random(1 + shard);
        for (int p = 0; p < RandomPoints; p++)
            yield return [.. Enumerable.Range(0, box.Dimension).Select(i => box.Lower![i] + (box.Upper![i] - box.Lower![i]) * new Rational(random.Next(1, 64), 64))];
    }
}
