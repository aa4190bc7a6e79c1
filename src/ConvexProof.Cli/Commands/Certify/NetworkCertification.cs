using System.Diagnostics;
using ConvexProof.Certificates;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// The pipeline for one network: read it, parse --box for its dimension, certify while streaming
/// the certificate to a temporary file, keep the file only when there is a verdict, then ask Z3 about
/// degenerate frontiers. Problems with this network (unreadable, malformed, wrong --box dimension,
/// certificate not writable) are returned in the outcome, not thrown, so a batch goes on.
/// </summary>
public static class NetworkCertification
{
    public static CertifyOutcome Run(string netPath, string certPath, CertifySettings settings)
    {
        var clock = Stopwatch.StartNew();
        // --timeout covers every phase of this network: reading, exploring, writing, Z3.
        var limits = settings.Limits with { StartTimestamp = Stopwatch.GetTimestamp() };
        using var deadline = new CancellationTokenSource();
        using var timer = Deadline.Start(deadline, limits.Timeout);
        Network network;
        Domain domain;
        try
        {
            network = NetworkReader.ReadFile(netPath);
        }
        catch (InputException e)
        {
            return CertifyOutcome.Failed(netPath, certPath, null, e.Message, e, clock.Elapsed);
        }
        try
        {
            domain = BoxOption.Parse(settings.Box, network.InputDim);
        }
        catch (UsageException e)
        {
            return CertifyOutcome.Failed(netPath, certPath, network, $"{netPath}: {e.Message} (the network has {network.InputDim} inputs)", null, clock.Elapsed);
        }

        TimeSpan? Remaining() => limits.Timeout is TimeSpan t ? t - Stopwatch.GetElapsedTime(limits.StartTimestamp!.Value) : null;

        // Region enumeration with the given limits, the certificate streamed to certPath, then Z3
        // on the degenerate frontiers; the same step whether it runs first, alone or as a fallback.
        // A first try that leaves the network undecided (more methods follow) does not ask Z3.
        CertifyOutcome ByRegions(ExplorationLimits regionLimits, MethodChoice method, bool firstTry = false)
        {
            CertificationResult result;
            try
            {
                result = CertifyToFile(network, domain, certPath, regionLimits, settings, deadline.Token);
            }
            catch (UsageException e)
            {
                return CertifyOutcome.Failed(netPath, certPath, network, e.Message, null, clock.Elapsed);
            }
            string? confirmation = firstTry && result.Verdict == Verdict.Undecided ? null
                : Z3Confirmation.Describe(network, domain, result, settings, Remaining());
            return new CertifyOutcome(netPath, certPath, network, result, null, null, clock.Elapsed, confirmation) { Method = method };
        }

        var choice = MethodChoice.Choose(settings.Method, network, domain, settings.AllViolations);
        if (choice.Method == CertifyMethod.Regions)
        {
            clock.Restart();
            return ByRegions(limits, choice);
        }

        IReadOnlyList<Numbers.Rational[]> points;
        try
        {
            points = PointsFile.Read(settings.PointsPath, network.InputDim);
        }
        catch (InputException e)
        {
            return CertifyOutcome.Failed(netPath, certPath, network, e.Message, e, clock.Elapsed) with { Method = choice };
        }
        clock.Restart(); // from here the time covers every method tried
        bool auto = settings.Method == CertifyMethod.Auto;
        if (auto && choice.Method == CertifyMethod.Bounds && network.InputDim <= MethodChoice.AutoFirstRegionsMaxDim)
        {
            // Most networks are not convex, and region exploration usually meets a violation in
            // its first regions, sooner than the exact line search: try a few regions first.
            var early = ByRegions(limits with { MaxRegions = Math.Min(limits.MaxRegions, MethodChoice.AutoFirstRegions) }, choice.DecidedByFirstRegions(), firstTry: true);
            if (early.Result is null || early.Result.Verdict != Verdict.Undecided) return early;
            if (deadline.IsCancellationRequested)
                return early with { Method = choice, Confirmation = Z3Confirmation.Describe(network, domain, early.Result, settings, Remaining()) };
        }
        int nodes = Math.Min(limits.MaxRegions, auto ? MethodChoice.AutoBoundNodes : 100_000);
        var bounds = BoundRun.Run(network, domain, choice, points,
            limits with { Timeout = Remaining(), MaxRegions = nodes }, certPath, deadline.Token);
        bool fallBack = auto && choice.Method == CertifyMethod.Bounds && bounds.Verdict == Bounds.BoundVerdict.Undecided
            && !deadline.IsCancellationRequested;
        if (!fallBack)
            return new CertifyOutcome(netPath, certPath, network, null, null, null, clock.Elapsed) { Method = choice, Bounds = bounds, Domain = domain };
        return ByRegions(limits, choice.FallBackToRegions(bounds.Reason));
    }

    /// <summary>
    /// Certifies while the certificate is streamed to a temporary file (memory does not grow with
    /// it); the file appears only when there is a verdict. A limit reached while writing makes the
    /// run undecided.
    /// </summary>
    private static CertificationResult CertifyToFile(
        Network network, Domain domain, string certPath, ExplorationLimits limits, CertifySettings settings, CancellationToken deadline)
    {
        CertificationResult? result = null;
        AtomicFile.TryWrite(certPath, stream =>
        {
            string sha256 = NetworkHash.Sha256(network);
            using var writer = new CertificateStreamWriter(stream, sha256, domain, background: true);
            result = Certifier.Certify(network, domain, new CertifyOptions
            {
                Limits = limits,
                Progress = settings.Progress.Callback,
                RegionSink = writer.Add,
                KeepRegions = false,
                Parallelism = settings.Threads,
                StopAtFirstViolation = !settings.AllViolations,
                NetworkSha256 = sha256,
            });
            if (result.Verdict == Verdict.Undecided)
            {
                writer.Discard();
                return false;
            }
            if (RefutationCertificate.Applies(result))
            {
                writer.Discard();
                RefutationCertificate.Rewrite(result, stream);
                return true;
            }
            try
            {
                writer.Finish(result, deadline);
                return true;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result = result with
                {
                    Verdict = Verdict.Undecided,
                    UndecidedReason = $"time limit reached while writing the certificate ({limits.Timeout!.Value.TotalSeconds:0.#} s; {result.Statistics.Regions} regions explored)",
                };
                return false;
            }
        });
        return result!;
    }
}
