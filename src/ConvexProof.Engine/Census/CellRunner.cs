using System.Diagnostics;
using ConvexProof.Convexity;
using ConvexProof.Networks;

namespace ConvexProof.Census;

/// <summary>A decided network handed to <see cref="CellRunner.Keep"/> (--keep): the network, its result, its outcome.</summary>
public sealed record KeptNetwork(CensusCell Cell, Network Network, CertificationResult Result, CensusOutcome Outcome);

/// <summary>
/// Samples and decides the networks of one cell: the instant ICNN test first (an ICNN is convex
/// without enumeration), otherwise the certifier, stopping at the first verified violation, within
/// the per-network limits. Networks run in parallel; outcomes come back in index order.
/// </summary>
public sealed class CellRunner(CensusSettings settings)
{
    /// <summary>
    /// When set, every network with a verdict (convex or not) is certified and handed here with its
    /// result, ICNNs included (their certificate is then enumerated, and must agree with the test).
    /// Called from worker threads.
    /// </summary>
    public Action<KeptNetwork>? Keep { get; init; }

    public IReadOnlyList<CensusOutcome> Run(CensusCell cell)
    {
        var outcomes = new CensusOutcome[settings.PerCell];
        Parallel.For(0, settings.PerCell, new ParallelOptions { MaxDegreeOfParallelism = settings.Threads }, i => outcomes[i] = Decide(cell, i));
        return outcomes;
    }

    public Network Sample(CensusCell cell, int index) =>
        NetworkSampler.Sample(settings.InputDim, cell.Hidden, settings.Init, CensusRandom.ForNetwork(settings.Seed, cell.Name, index));

    private CensusOutcome Decide(CensusCell cell, int index)
    {
        var clock = Stopwatch.StartNew();
        var network = Sample(cell, index);
        string sha = NetworkHash.Sha256(network);
        bool icnn = NetworkInfo.FindIcnnObstacle(network) is null;
        if (icnn && Keep is null) return new CensusOutcome(index, sha, CensusVerdict.Icnn, 0, clock.Elapsed);
        var result = Certifier.Certify(network, settings.Domain, new CertifyOptions
        {
            Limits = settings.Limits, // each network's own clock: the limits start with its exploration
            StopAtFirstViolation = true,
            Parallelism = 1,
            KeepRegions = Keep is not null,
            NetworkSha256 = sha,
        });
        if (icnn && result.Verdict == Verdict.NotConvex)
            throw new InvalidOperationException($"internal error: census cell {cell.Name} network {index} passes the ICNN test but the certifier refutes it");
        var verdict = result.Verdict switch
        {
            Verdict.Convex => icnn ? CensusVerdict.Icnn : CensusVerdict.Convex,
            Verdict.NotConvex => CensusVerdict.NotConvex,
            _ => icnn ? CensusVerdict.Icnn : CensusVerdict.Undecided,
        };
        // An ICNN's region count is 0 with or without --keep, so the table does not depend on it.
        var outcome = new CensusOutcome(index, sha, verdict, icnn ? 0 : result.Statistics.Regions, clock.Elapsed);
        if (Keep is not null && result.Verdict != Verdict.Undecided) Keep(new KeptNetwork(cell, network, result, outcome));
        return outcome;
    }
}
