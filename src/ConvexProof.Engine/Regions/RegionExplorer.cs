using System.Diagnostics;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>A snapshot of exploration for progress displays.</summary>
public readonly record struct ExplorationProgress(int RegionsDone, int RegionsQueued, long Facets, TimeSpan Elapsed)
{
    /// <summary>The first region still being analysed, when the report comes while a level is analysed.</summary>
    public RegionAnalysisProgress? Analysing { get; init; }
}

/// <summary>How far the analysis of one region got: <paramref name="Classified"/> of its <paramref name="Constraints"/> distinct constraints decided.</summary>
public readonly record struct RegionAnalysisProgress(int Region, int Classified, int Constraints);

/// <summary>Limits after which exploration stops with an undecided result.</summary>
public sealed record ExplorationLimits(int MaxRegions = int.MaxValue, TimeSpan? Timeout = null)
{
    /// <summary>
    /// The <see cref="Stopwatch.GetTimestamp"/> from which <see cref="Timeout"/> counts; null: from
    /// the start of exploration. A caller sets it to include its own phases (reading the network,
    /// writing the certificate) in the same time budget.
    /// </summary>
    public long? StartTimestamp { get; init; }
}

/// <summary>
/// Breadth-first search over the region adjacency graph, starting from the region of one generic
/// point; crossing each facet (exact symbolic perturbation at its witness) gives the neighbour.
/// Regions are numbered in discovery order, which makes the output deterministic.
/// </summary>
/// <param name="scaled">The integer copy of the network (the caller makes it once and shares it with the kink values).</param>
/// <param name="domain">Where the regions are enumerated.</param>
public sealed class RegionExplorer(ScaledNetwork scaled, Domain domain)
{
    public Network Network => Scaled.Network;
    public Domain Domain { get; } = domain;

    /// <summary>The integer copy of the network for the integer path.</summary>
    public ScaledNetwork Scaled { get; } = scaled;

    /// <summary>Why exploration stopped early, or null when every region was visited.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Build no integer maps: every region goes through the rational path (tests of the fallback).</summary>
    public bool RationalOnly { get; init; }

    /// <summary>Threads used for one breadth-first level (results do not depend on it).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Optional hook run on each region as soon as it is analysed, on the analysing thread (so it
    /// must be thread-safe; per-region work done here runs in parallel): true ends exploration after
    /// that region, with <see cref="StoppedEarly"/> set. Within a breadth-first level the lowest such region wins: every region before it is still
    /// analysed and handed to onRegion, none after it, so where exploration stops (and what the
    /// consumer saw) does not depend on the number of threads.
    /// </summary>
    public Func<PairedRegionMaps, IReadOnlyList<AnalysedFacet>, bool>? StopAfter { get; init; }

    /// <summary>True when <see cref="StopAfter"/> ended exploration (then <see cref="StopReason"/> says where).</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>
    /// What one region's analysis produced, before neighbours get their numbers: its maps and
    /// interior point, its geometry, and per facet the pattern beyond it (null: a box face) with,
    /// when that region is not known yet, how to make it (<see cref="RegionSeed"/>).
    /// </summary>
    private sealed record Analysed(PairedRegionMaps Maps, Rational[] Point, RegionGeometry Geometry,
        List<(FacetInfo Facet, string? Next, RegionSeed? Seed, int[] Switching, Rational? Jump)> Facets)
    {
        public AnalysedFacet[] Crossings() => [.. Facets.Select(f => new AnalysedFacet(f.Facet, f.Next is null, f.Switching, f.Jump))];
    }

    /// <summary>
    /// Visits every region of the domain, handing each finished region to <paramref name="onRegion"/>
    /// in index order. Breadth-first levels are analysed in parallel; neighbours are then numbered
    /// sequentially in (region, facet) order, so the numbering — and the certificate — does not
    /// depend on the number of threads.
    /// </summary>
    public void Explore(Action<ExploredRegion, PairedRegionMaps> onRegion, ExplorationLimits limits,
        Action<ExplorationProgress>? progress = null, CancellationToken cancel = default)
    {
        long started = limits.StartTimestamp ?? Stopwatch.GetTimestamp();
        TimeSpan Elapsed() => Stopwatch.GetElapsedTime(started);
        // The time limit stops analyses from the inside (their inner loops check the token), so a
        // single long region cannot outlast it; the caller's token still cancels with an exception.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var timer = Deadline.Start(stop, limits.Timeout is TimeSpan timeout ? Remaining(timeout, Elapsed()) : null);
        string TimeLimit(int done, int queued) =>
            $"time limit reached ({limits.Timeout!.Value.TotalSeconds:0.#} s; {done} regions explored, {queued} still queued)";
        bool TimeUp() => stop.IsCancellationRequested && !cancel.IsCancellationRequested;

        (LocalAffineMaps Maps, Rational[] Point) first;
        try
        {
            first = StartPoint(stop.Token);
        }
        catch (OperationCanceledException) when (TimeUp())
        {
            StopReason = TimeLimit(0, 1);
            return;
        }
        var (startMaps, startPoint) = first;
        var start = new PairedRegionMaps(Network, startMaps.Pattern, IntegerMaps(startMaps.Pattern), startMaps);
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { [start.Pattern] = 0 };
        var level = new List<RegionSeed> { () => (start, startPoint) };
        int done = 0;
        long facets = 0;
        using var workers = new LevelWorkers(Parallelism);
        var lastReport = TimeSpan.Zero;
        bool Due()
        {
            if (progress is null || Elapsed() - lastReport <= ProgressInterval) return false;
            lastReport = Elapsed();
            return true;
        }
        while (level.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            if (TimeUp())
            {
                StopReason = TimeLimit(done, level.Count);
                return;
            }
            // Analyse only as many regions as the region limit still allows.
            int take = (int)Math.Min(level.Count, (long)limits.MaxRegions - done);
            var known = index; // read-only during the parallel phase: this level's new patterns go to `discovered`
            var discovered = new Dictionary<string, int>(StringComparer.Ordinal);
            var results = new Analysed?[take];
            var stops = new bool[take];
            var controls = new AnalysisControl?[take];
            var stopAfter = StopAfter;
            var next = new List<RegionSeed>();
            int levelStart = done, stopAt = -1; // regions levelStart + i are this level's; done − levelStart of them handed on
            // Hands region i (every region before it handed already) to onRegion and numbers its new
            // neighbours, in (region, facet) order: the same numbering whenever it runs. This thread
            // does it while the level is still analysed, for the finished regions at its start, so a
            // region's analysis is garbage soon after it ends instead of living until the level's end
            // (the garbage collector copied whole levels of exact numbers, some of them twice).
            void Merge(int i)
            {
                var result = results[i]!;
                results[i] = null;
                var explored = new List<ExploredFacet>();
                foreach (var (facet, nextPattern, seed, switching, jump) in result.Facets)
                {
                    if (nextPattern is null)
                    {
                        explored.Add(new ExploredFacet(facet, true, -1, [], null));
                        continue;
                    }
                    if (!index.TryGetValue(nextPattern, out int neighbour) && !discovered.TryGetValue(nextPattern, out neighbour))
                    {
                        neighbour = index.Count + discovered.Count;
                        discovered[nextPattern] = neighbour;
                        next.Add(seed ?? throw new InvalidOperationException("internal error: a new region without the means to make it"));
                    }
                    explored.Add(new ExploredFacet(facet, false, neighbour, switching, jump));
                }
                facets += explored.Count;
                onRegion(new ExploredRegion(done, result.Maps.Pattern, result.Point, result.Geometry, explored), result.Maps);
                done++;
                if (stops[i]) stopAt = i;
                if (Due()) progress!(new ExplorationProgress(done, level.Count - i - 1 + next.Count, facets, Elapsed()));
            }
            // The finished regions at the start of the level, up to and including the first whose
            // StopAfter hit (the lowest hit: every region before it finished without one).
            void MergeFinished(int end)
            {
                for (int i = done - levelStart; stopAt < 0 && i < end && Volatile.Read(ref results[i]) is not null; i++) Merge(i);
            }
            // The level runs on the explorer's own threads while this thread reports progress, so a
            // report appears even while one region takes long (the first region of a
            // high-dimensional network); neither they nor the deadline wait for the thread pool.
            var run = workers.Start(take, i =>
            {
                var control = controls[i] = new AnalysisControl(stop.Token);
                var (maps, point) = level[i]();
                var result = Analyse(maps, point, known.ContainsKey, control);
                stops[i] = stopAfter is not null && stopAfter(maps, result.Crossings());
                Volatile.Write(ref results[i], result); // after stops[i]: the merging thread reads both
                return stops[i];
            }, stop.Token);
            while (!run.Finished.WaitOne(ProgressPoll))
            {
                MergeFinished(take);
                if (Due()) progress!(AnalysingProgress(levelStart, done - levelStart, level.Count, facets, Elapsed(), results, controls));
            }
            bool timedOut = false;
            try
            {
                int lowest = run.Result();
                if (lowest >= 0) take = lowest + 1;
            }
            catch (OperationCanceledException) when (TimeUp())
            {
                timedOut = true;
            }

            // On a time limit the regions analysed in full before it still count, in index order
            // (recording them is cheap, and one of them may hold the violation that decides).
            MergeFinished(take);
            foreach (var (pattern, number) in discovered) index[pattern] = number;
            if (timedOut)
            {
                StopReason = TimeLimit(done, index.Count - done);
                return;
            }
            if (stopAt >= 0)
            {
                StoppedEarly = true;
                StopReason = $"stopped after region {done - 1} ({done} regions explored, {level.Count - take + next.Count} still queued)";
                return;
            }
            if (take < level.Count)
            {
                StopReason = $"region limit reached ({limits.MaxRegions} regions explored, {level.Count - take + next.Count} still queued)";
                return;
            }
            level = next;
        }
        progress?.Invoke(new ExplorationProgress(done, 0, facets, Elapsed()));
    }

    /// <summary>Makes a region to analyse: its maps and a strict interior point (exactly verified).</summary>
    private delegate (PairedRegionMaps Maps, Rational[] Point) RegionSeed();

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProgressPoll = TimeSpan.FromMilliseconds(50);

    private static TimeSpan Remaining(TimeSpan timeout, TimeSpan elapsed) =>
        timeout > elapsed ? timeout - elapsed : TimeSpan.Zero;

    /// <summary>
    /// A report while a level is analysed: the first region not finished yet (after the
    /// <paramref name="merged"/> already handed on), and how far its analysis got.
    /// </summary>
    private static ExplorationProgress AnalysingProgress(int levelStart, int merged, int queued, long facets, TimeSpan elapsed,
        Analysed?[] results, AnalysisControl?[] controls)
    {
        RegionAnalysisProgress? current = null;
        for (int i = merged; i < results.Length; i++)
        {
            if (Volatile.Read(ref results[i]) is not null) continue;
            if (Volatile.Read(ref controls[i]) is { } control)
            {
                var (classified, constraints) = control.Progress;
                current = new RegionAnalysisProgress(levelStart + i, classified, constraints);
            }
            break;
        }
        return new ExplorationProgress(levelStart + merged, queued - merged, facets, elapsed) { Analysing = current };
    }

    /// <summary>One region: its facets, and what lies across each (thread-safe: reads shared state only).</summary>
    private Analysed Analyse(PairedRegionMaps maps, Rational[] point, Func<string, bool> known, AnalysisControl control)
    {
        var geometry = maps.Integer?.Analyse(Domain, point, control)
            ?? RationalFacetFinder.Analyse(new RegionConstraints(maps.Rational, Domain), point, control);
        var list = new List<(FacetInfo, string?, RegionSeed?, int[], Rational?)>();
        foreach (var facet in geometry.Facets)
        {
            control.ThrowIfStopped();
            if (facet.Constraint >= Network.NeuronCount || facet.SameHyperplane.Any(k => k >= Network.NeuronCount))
            {
                list.Add((facet, null, null, [], null));
                continue;
            }
            var (next, nextMaps, seed) = Cross(maps, facet, known);
            var switching = Differences(maps.Pattern, next);
            if (switching.Length == 0)
                throw new InvalidOperationException("internal error: crossing a facet changes no unit");
            Rational? jump = null;
            if (switching.Length > 1)
            {
                var u = Outward(maps, facet.Constraint);
                jump = Affine.GradientJump(maps.Rational.Output, nextMaps!.Rational.Output, u);
            }
            list.Add((facet, next, seed, switching, jump));
        }
        return new Analysed(maps, point, geometry, list);
    }

    /// <summary>
    /// The pattern of the region beyond a facet (exact symbolic perturbation at its witness along the
    /// outward normal), its maps when they had to be computed for that, and, when the region is new,
    /// how to make it. A new region's maps and interior point are made only when it is analysed, from
    /// the crossing that discovered it first in (region, facet) order — the same crossing whatever
    /// the number of threads — and not for each of the (in d = 4–6, three to five) regions of a
    /// level that reach it.
    /// </summary>
    private (string Pattern, PairedRegionMaps? Maps, RegionSeed? Seed) Cross(PairedRegionMaps maps, FacetInfo facet, Func<string, bool> known)
    {
        if (facet.SameHyperplane.Length == 0 && !HasFlatUnit(maps))
        {
            // Only this unit vanishes at w and every other unit is non-zero there, so near w exactly
            // this unit switches: the neighbour is the pattern with its bit flipped. (The checker
            // recomputes it by symbolic perturbation.)
            var flipped = maps.Pattern.ToCharArray();
            flipped[facet.Constraint] = flipped[facet.Constraint] == '1' ? '0' : '1';
            var flippedPattern = new string(flipped);
            if (known(flippedPattern)) return (flippedPattern, null, null);
            return (flippedPattern, null, () =>
            {
                var (made, point) = Beyond(maps, facet);
                if (made.Pattern != flippedPattern)
                    throw new InvalidOperationException($"internal error: crossing the facet of unit {facet.Constraint} alone switched other units");
                return (made, point());
            });
        }
        var (next, interior) = Beyond(maps, facet);
        return (next.Pattern, next, known(next.Pattern) ? null : () => (next, interior()));
    }

    /// <summary>The region beyond a facet with its maps, and how to find a strict interior point of it (on the ray along the outward normal).</summary>
    private (PairedRegionMaps Next, Func<Rational[]> Interior) Beyond(PairedRegionMaps maps, FacetInfo facet)
    {
        var w = facet.Witness;
        if (maps.Integer is { } from && from.Beyond(facet.Constraint, w) is IntegerRegionMaps beyond)
        {
            var next = new PairedRegionMaps(Network, beyond.Pattern, beyond);
            return (next, () => beyond.InteriorBeyond(Domain, w, from, facet.Constraint)
                ?? InteriorBeyond(next.Rational, w, Outward(maps, facet.Constraint)));
        }
        // No integer maps, or their numbers do not fit: rationals.
        var uExact = Outward(maps, facet.Constraint);
        var exact = LocalAffineMaps.AtPerturbedPoint(Network, w, uExact);
        return (new PairedRegionMaps(Network, exact.Pattern, IntegerMaps(exact.Pattern), exact), () => InteriorBeyond(exact, w, uExact));
    }

    /// <summary>The integer maps of a pattern, or null (they do not fit, or <see cref="RationalOnly"/>).</summary>
    private IntegerRegionMaps? IntegerMaps(string pattern) => RationalOnly ? null : IntegerRegionMaps.ForPattern(Scaled, pattern);

    private static bool HasFlatUnit(PairedRegionMaps maps)
    {
        if (maps.Integer is null) return true; // unknown cheaply: take the general route
        return maps.Integer.HasZeroRow;
    }

    /// <summary>
    /// The outward normal −∇c_k of a region at the facet of unit k's constraint c_k = ±z_k (c ≥ 0
    /// inside), from that one unit's exact local map (crossed facets are never box faces).
    /// </summary>
    private static Rational[] Outward(PairedRegionMaps maps, int k)
    {
        var z = maps.Rational.PreActivations[k];
        bool on = maps.Pattern[k] == '1';
        var u = new Rational[z.Length - 1];
        for (int i = 0; i < u.Length; i++) u[i] = on ? -z[i] : z[i];
        return u;
    }

    private static int[] Differences(string a, string b)
    {
        var diff = new List<int>();
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) diff.Add(i);
        return [.. diff];
    }

    /// <summary>
    /// A strict interior point of the region beyond a facet, exactly: w + t·u with t half the
    /// distance to the nearest other constraint along u (at most 1/2), then simplified.
    /// </summary>
    private Rational[] InteriorBeyond(LocalAffineMaps maps, Rational[] w, Rational[] u)
    {
        var constraints = new RegionConstraints(maps, Domain);
        Rational t = Rational.One;
        foreach (var c in constraints.All)
        {
            if (Affine.IsZero(c)) continue;
            var slope = Affine.Slope(c, u);
            if (slope.Sign >= 0) continue;
            var limit = Affine.Evaluate(c, w) / -slope;
            if (limit < t) t = limit;
        }
        t /= 2;
        var p = new Rational[w.Length];
        for (int i = 0; i < p.Length; i++) p[i] = w[i] + t * u[i];
        if (!constraints.StrictlyInside(p))
            throw new InvalidOperationException("internal error: the point beyond a facet is not inside the neighbouring region");
        return PointSimplifier.Interior(p, constraints.StrictlyInside);
    }

    /// <summary>A generic starting point: the box centre or the origin, moved until no unit vanishes there.</summary>
    private (LocalAffineMaps Maps, Rational[] Point) StartPoint(CancellationToken cancel)
    {
        int d = Domain.Dimension;
        var centre = new Rational[d];
        var halfWidth = new Rational[d];
        for (int i = 0; i < d; i++)
        {
            centre[i] = Domain.IsBox ? (Domain.Lower![i] + Domain.Upper![i]) / 2 : Rational.Zero;
            halfWidth[i] = Domain.IsBox ? (Domain.Upper![i] - Domain.Lower![i]) / 2 : Rational.One;
        }
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            cancel.ThrowIfCancellationRequested();
            var x = new Rational[d];
            for (int i = 0; i < d; i++)
            {
                // A deterministic sequence of offsets with distinct small primes, shrinking slowly.
                var offset = attempt == 0 ? Rational.Zero
                    : new Rational(((attempt * (2 * i + 3)) % 17) - 8, 17) * new Rational(1, 1 + attempt / 17);
                x[i] = centre[i] + halfWidth[i] * offset * new Rational(9, 10);
            }
            var maps = LocalAffineMaps.AtPoint(Network, x);
            if (maps is not null) return (maps, x);
        }
        throw new InvalidOperationException("internal error: no generic starting point found");
    }
}
