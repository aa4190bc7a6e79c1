namespace ConvexProof.Checker;

/// <summary>The outcome of a check: a statement of what was proved, or the first reason it fails.</summary>
public sealed record CheckResult(bool Valid, string? Verdict, string? Statement, string? Reason)
{
    public override string ToString() => Valid ? Statement! : $"INVALID: {Reason}";
}

/// <summary>
/// The trusted checker of convexproof-certificate/1 (docs/formats.md; soundness in
/// docs/certificate.md). It shares no code with the engine: its own rationals, net.json reader,
/// hash and checks, exact arithmetic only.
/// </summary>
public static class CertificateChecker
{
    public const string Format = "convexproof-certificate/1";

    private static readonly KeySet RootKeys =
        new(7, "format", "network_sha256", "domain", "verdict", "summary", "regions", "conditions", "counterexample", "degeneracies");
    private static readonly KeySet SummaryKeys =
        new(10, "neurons", "regions", "facets", "boundary_facets", "redundant", "flat", "dismissed", "conditions", "violations", "degenerate_facets");

    /// <summary>
    /// Checks the certificate at <paramref name="certificatePath"/> for the network at
    /// <paramref name="networkPath"/>. <paramref name="expectedBox"/> (the CLI's --box syntax,
    /// "LO:HI" or "LO1:HI1,…") makes the domain part of what must match; null accepts the
    /// certificate's own domain and states it. Throws <see cref="CheckerInputException"/> for an
    /// unreadable or malformed net.json or an unreadable certificate file, and
    /// <see cref="ArgumentException"/> for a malformed <paramref name="expectedBox"/>.
    /// </summary>
    public static CheckResult Check(string networkPath, string certificatePath, string? expectedBox = null)
    {
        var network = NetworkFile.Read(networkPath);
        var expected = expectedBox is null ? null : Box.Parse(expectedBox, network.InputDim);
        using var doc = InputFile.Parse(InputFile.Read(certificatePath), 64, out var problem);
        if (doc is null) return new CheckResult(false, null, null, $"the certificate is {problem}");
        try
        {
            return ShardCheck.Dispatch(network, doc.RootElement, expected) ?? Run(network, doc.RootElement, expected);
        }
        catch (Exception e) when (e is InvalidCertificateException or ArithmeticException or IndexOutOfRangeException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            // Never accept what could not be checked; name any other exception so a checker bug is visible.
            return new CheckResult(false, null, null, e is InvalidCertificateException ? e.Message : $"the checker could not process this certificate ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>The canonical network_sha256 of a net.json (docs/formats.md).</summary>
    public static string NetworkSha256(string networkPath) => NetworkFile.Sha256(NetworkFile.Read(networkPath));

    /// <summary>Formats /1–/3; <paramref name="inspect"/> sees a region certificate's checked regions (Shards/ checks their maps at shared faces).</summary>
    internal static CheckResult Run(Network network, JsonElement root, Box? expected, Action<CheckContext>? inspect = null)
    {
        string? format = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        bool bounds = format == BoundCheck.Format, composition = format == CompositionCheck.Format;
        Keys(root, "$", bounds ? BoundCheck.RootKeys : composition ? CompositionCheck.RootKeys : RootKeys);
        if (format != Format && !bounds && !composition) throw Bad("$.format", $"is {Describe(root.GetProperty("format"))}, this checker reads \"{Format}\", \"{BoundCheck.Format}\", \"{CompositionCheck.Format}\" and \"{ShardCheck.Format}\"");
        string sha = NetworkFile.Sha256(network);
        if (CertificateJson.String(root.GetProperty("network_sha256"), "$.network_sha256") != sha) throw Bad("$.network_sha256", $"is {Describe(root.GetProperty("network_sha256"))}, but the given network hashes to {sha}: the certificate is for another network");
        var box = Box.Read(root.GetProperty("domain"), network.InputDim);
        if (expected is not null && (box is null || !box.SameAs(expected)))
            throw Bad("$.domain", $"is {DomainText(box, network.InputDim)}, but the expected domain is {expected}");
        if (CompositionCheck.Dispatch(network, root, sha, box, composition, bounds) is CheckResult result) return result;
        if (bounds) return BoundCheck.Run(network, root, sha, box);
        string verdict = CertificateJson.String(root.GetProperty("verdict"), "$.verdict");
        if (verdict is not ("convex" or "not_convex")) throw Bad("$.verdict", $"is {Describe(root.GetProperty("verdict"))}, expected \"convex\" or \"not_convex\"");
        bool hasCounterexample = root.TryGetProperty("counterexample", out var counterexample);
        if (hasCounterexample != (verdict == "not_convex"))
            throw Bad("$.counterexample", verdict == "convex" ? "must be absent when the verdict is convex" : "is required when the verdict is not_convex");
        // "degeneracies" is a report for the reader; every degenerate facet is re-derived from the regions.
        if (root.TryGetProperty("degeneracies", out var report) && report.ValueKind != JsonValueKind.Object)
            throw Bad("$.degeneracies", $"expected an object, found {Describe(report)}");

        var regions = Items(root.GetProperty("regions"), "$.regions");
        if (regions.Length == 0)
        {
            // A refutation found before a limit stopped exploration: the counterexample alone is
            // the proof (docs/formats.md); a convexity claim always needs its regions.
            if (verdict == "convex") throw Bad("$.regions", "there must be at least one region");
            if (Items(root.GetProperty("conditions"), "$.conditions").Length != 0) throw Bad("$.conditions", "must be empty when the certificate lists no regions");
            if (root.TryGetProperty("degeneracies", out _)) throw Bad("$.degeneracies", "must be absent when the certificate lists no regions");
            string refutation = Counterexample.Check(network, box, counterexample);
            CheckSummary(root.GetProperty("summary"), SummaryKeys, [network.NeuronCount, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            return Proved(network, box, sha, "not_convex", "A refutation only: the certificate lists no regions, " +
                "and the exactly re-evaluated counterexample is the whole proof.", refutation);
        }
        var patterns = ReadPatterns(regions, network.NeuronCount);
        var ctx = new CheckContext(network, box, patterns, LocalMapsOf(network, regions, patterns));
        var (totals, realised) = CheckRegions(ctx, regions);
        inspect?.Invoke(ctx);
        var conditions = ConditionCheck.Run(ctx, root.GetProperty("conditions"), realised);

        int violations = conditions.Negative + totals.NegativeJumps;
        if ((violations == 0) != (verdict == "convex"))
            throw Bad("$.verdict", violations == 0
                ? "is not_convex, but no condition value and no degenerate jump is negative"
                : $"is convex, but {violations} condition values or degenerate jumps are negative (the first: {conditions.FirstNegative ?? "a degenerate facet"})");
        string? counterexampleText = hasCounterexample ? Counterexample.Check(network, box, counterexample) : null;

        CheckSummary(root.GetProperty("summary"), SummaryKeys, [network.NeuronCount, regions.Length, totals.Facets, totals.Boundary, totals.Redundant, totals.Flat,
            totals.Dismissed, conditions.Count, violations, totals.Degenerate]);

        return Proved(network, box, sha, verdict,
            $"Checked {regions.Length} activation regions, each with an interior point and exact local maps; " +
            $"{totals.Facets} facets with witness points ({totals.Boundary} on the domain boundary, {totals.Degenerate} degenerate), " +
            $"closed under adjacency, so the regions cover the domain; {totals.Redundant} redundant constraints by Farkas multipliers " +
            $"and {totals.Dismissed} dismissed by Farkas-proved bounding boxes; {totals.Flat} flat constraints; {conditions.Count} convexity conditions ({conditions.Negative} negative) and " +
            $"{totals.Degenerate} degenerate jumps ({totals.NegativeJumps} negative), all recomputed exactly.", counterexampleText);
    }

    /// <summary>The summary object, every count as recomputed (in the order of the keys).</summary>
    internal static void CheckSummary(JsonElement summary, KeySet keys, int[] counts)
    {
        Keys(summary, "$.summary", keys);
        for (int i = 0; i < counts.Length; i++)
        {
            int value = Int(summary.GetProperty(keys.Names[i]), $"$.summary.{keys.Names[i]}", 0, int.MaxValue);
            if (value != counts[i]) throw Bad($"$.summary.{keys.Names[i]}", $"is {value}, not the count found in the certificate, which has {counts[i]}");
        }
    }

    internal static string DomainText(Box? box, int dimension) => box is null ? $"R^{dimension}" : $"the box {box}";

    /// <summary>A valid result: what f is on the domain, the network, and how it was proved.</summary>
    internal static CheckResult Proved(Network net, Box? box, string sha, string verdict, string how, string? counterexample = null) =>
        new(true, verdict, $"VALID: f is {(counterexample is null ? "convex" : "NOT convex")} on {DomainText(box, net.InputDim)}{(counterexample is null ? "" : $": {counterexample}")}. " +
            $"Network sha256 {sha} ({net.InputDim} inputs, {net.NeuronCount} ReLU units). {how}", null);

    /// <summary>Every pattern well-formed and unique (a region is identified by its pattern).</summary>
    private static string[] ReadPatterns(JsonElement[] regions, int neurons)
    {
        var patterns = new string[regions.Length];
        var seen = new Dictionary<string, int>(regions.Length, StringComparer.Ordinal);
        for (int r = 0; r < regions.Length; r++)
        {
            patterns[r] = RegionEntry.ReadPattern(regions[r], $"$.regions[{r}]", neurons);
            if (!seen.TryAdd(patterns[r], r)) throw Bad($"$.regions[{r}].pattern", $"is the same as the pattern of region {seen[patterns[r]]}");
        }
        return patterns;
    }

    /// <summary>
    /// Local maps for every region, each made once, on first use: the region checks ask for them in
    /// parallel. Region 0 by a forward pass; any other from its parent in a spanning tree of the
    /// claimed neighbour links, or from region 0 when not linked to it (any base gives the exact same
    /// maps; a neighbour just makes it cheap). The tree is grown from region 0 along the cheapest
    /// link first (Prim's order), a link costing more the earlier its first differing unit: a flip in
    /// an early layer changes every later row, one in the last layer only the output (2→64→64→64→1:
    /// 1 892 first-layer flips to replay instead of 4 041 in a breadth-first tree, check -6 to -11%).
    /// Ancestors not made yet are made first, oldest first, without recursion (a chain of regions
    /// can be as long as the certificate); two threads may make the same maps, with equal results.
    /// </summary>
    private static Func<int, RegionMaps> LocalMapsOf(Network network, JsonElement[] regions, string[] patterns)
    {
        var calculator = new LocalMaps(network);
        var (maps, parent, seen) = (new RegionMaps?[regions.Length], new int[regions.Length], new bool[regions.Length]);
        maps[0] = calculator.Compute(patterns[0]);
        var links = new PriorityQueue<(int From, int To), int>(); // longest common pattern prefix first
        void Reach(int r) { seen[r] = true; foreach (int n in ClaimedNeighbours(regions[r], regions.Length)) Link(r, n); }
        void Link(int r, int n) { if (!seen[n]) links.Enqueue((r, n), -patterns[r].AsSpan().CommonPrefixLength(patterns[n])); }
        Reach(0);
        while (links.TryDequeue(out var link, out _))
            if (!seen[link.To]) { parent[link.To] = link.From; Reach(link.To); }
        return r =>
        {
            if (Volatile.Read(ref maps[r]) is { } made) return made;
            var chain = new Stack<int>();
            for (int a = r; Volatile.Read(ref maps[a]) is null; a = parent[a]) chain.Push(a);
            while (chain.TryPop(out int a)) Volatile.Write(ref maps[a], calculator.Compute(patterns[a], patterns[parent[a]], maps[parent[a]]!));
            return maps[r]!;
        };
    }

    /// <summary>Neighbour indices as claimed (malformed ones are ignored here and reported by the region check).</summary>
    private static IEnumerable<int> ClaimedNeighbours(JsonElement region, int count)
    {
        if (!region.TryGetProperty("facets", out var facets) || facets.ValueKind != JsonValueKind.Array) yield break;
        foreach (var facet in facets.EnumerateArray())
            if (facet.ValueKind == JsonValueKind.Object && facet.TryGetProperty("neighbour", out var n) && TryInt(n, 0, count - 1, out int r)) yield return r;
    }

    /// <summary>All region checks, in parallel; the reported failure is the one of the lowest region index.</summary>
    private static (RegionOutcome Totals, List<RealisedCondition> Realised) CheckRegions(CheckContext ctx, JsonElement[] regions)
    {
        var outcomes = new RegionOutcome?[regions.Length];
        var failures = new string?[regions.Length];
        int firstFailure = int.MaxValue, constraints = ctx.Network.NeuronCount + ctx.BoxFaces.Length;
        Parallel.For(0, regions.Length, Body);
        void Body(int r)
        {
            if (r > Volatile.Read(ref firstFailure)) return;
            try
            {
                outcomes[r] = new RegionCheck(ctx, r, RegionEntry.Read(regions[r], r, ctx.Network.InputDim, constraints, regions.Length)).Run();
            }
            catch (InvalidCertificateException e)
            {
                failures[r] = e.Message;
                int seen;
                while (r < (seen = Volatile.Read(ref firstFailure)) && Interlocked.CompareExchange(ref firstFailure, r, seen) != seen) { }
            }
        }
        if (firstFailure != int.MaxValue) throw new InvalidCertificateException(failures[firstFailure]!);
        return (outcomes.Aggregate((a, b) => a! + b!)!, [.. outcomes.SelectMany(o => o!.Conditions)]);
    }
}
