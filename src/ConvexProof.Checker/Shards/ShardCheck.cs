namespace ConvexProof.Checker;

/// <summary>
/// Sharded certificates (format convexproof-certificate/4, method "shards"; soundness in
/// docs/certificate.md, "Merged certificates"): a split tree of the domain box made of box splits,
/// whose leaves (the shards) each carry an ordinary region or bound certificate of exactly their
/// box, checked by the core. Convexity on each closed shard does not give convexity on the union —
/// a kink lying in a face shared by two shards is seen by neither — so for every region of a region
/// certificate and every face of its shard inside the domain, no ReLU unit's local pre-activation
/// may be c·(x_i − s) with c ≠ 0 (its zero set would be that face).
/// </summary>
internal static class ShardCheck
{
    public const string Format = "convexproof-certificate/4";

    private static readonly KeySet RootKeys = new(7, "format", "method", "network_sha256", "domain", "verdict", "summary", "tree");
    private static readonly KeySet SummaryKeys = new(4, "neurons", "shards", "box_splits", "regions");
    private static readonly KeySet BoxKeys = new(3, "node", "coordinate", "at");
    private static readonly KeySet ShardKeys = new(2, "node", "certificate");

    /// <summary>A sharded certificate is checked here; null: the core checks the certificate.</summary>
    public static CheckResult? Dispatch(Network network, JsonElement root, Box? expected) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() == Format
            ? Run(network, root, expected) : null;

    private static CheckResult Run(Network network, JsonElement root, Box? expected)
    {
        Keys(root, "$", RootKeys);
        if (String(root.GetProperty("method"), "$.method") != "shards") throw Bad("$.method", $"is {Describe(root.GetProperty("method"))}, expected \"shards\"");
        if (String(root.GetProperty("verdict"), "$.verdict") != "convex")
            throw Bad("$.verdict", "must be \"convex\": a sharded certificate proves convexity (a refutation is a format /1 certificate of the whole domain)");
        string sha = NetworkFile.Sha256(network);
        if (String(root.GetProperty("network_sha256"), "$.network_sha256") != sha)
            throw Bad("$.network_sha256", $"is {Describe(root.GetProperty("network_sha256"))}, but the given network hashes to {sha}: the certificate is for another network");
        var domain = Box.Read(root.GetProperty("domain"), network.InputDim) ?? throw Bad("$.domain", "a sharded certificate needs a box (its shards are boxes)");
        if (expected is not null && !domain.SameAs(expected)) throw Bad("$.domain", $"is the box {domain}, but the expected domain is {expected}");
        var nodes = Items(root.GetProperty("tree"), "$.tree");
        int[] counts = [network.NeuronCount, 0, 0, 0]; // in the order of SummaryKeys
        var pending = new Stack<(Rational[] Lo, Rational[] Hi)>([(domain.Lo, domain.Hi)]);
        int n = 0;
        for (; pending.TryPop(out var current); n++)
        {
            if (n == nodes.Length) throw Bad("$.tree", $"ends after {n} nodes with {pending.Count + 1} subtrees missing: the shards would not cover the box");
            var ((lo, hi), node, at) = (current, nodes[n], new JsonPath("$.tree", n));
            string kind = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("node", out var k) ? String(k, at.Then(".node")) : throw Bad(at, "expected a node object");
            Keys(node, at, kind switch { "box" => BoxKeys, "shard" => ShardKeys, _ => throw Bad(at.Then(".node"), $"is \"{kind}\", expected \"box\" or \"shard\"") });
            if (kind == "shard")
            {
                counts[3] += CheckShard(network, new Box(lo, hi), domain, node.GetProperty("certificate"), at.Then(".certificate"), counts[1]++);
                continue;
            }
            // The two sides of a split strictly inside the interval cover the parent and meet only in the face x_i = cut.
            int i = Int(node.GetProperty("coordinate"), at.Then(".coordinate"), 0, network.InputDim - 1);
            var cut = CertificateJson.Rational(node.GetProperty("at"), at.Then(".at"));
            if (cut <= lo[i] || cut >= hi[i]) throw Bad(at.Then(".at"), $"is {cut}, not strictly inside [{lo[i]}, {hi[i]}]");
            Rational[] upper = [.. hi], lower = [.. lo];
            (upper[i], lower[i]) = (cut, cut);
            pending.Push((lower, hi));
            pending.Push((lo, upper));
            counts[2]++;
        }
        if (n != nodes.Length) throw Bad(new JsonPath("$.tree", n), "follows a complete tree: extra nodes");
        CertificateChecker.CheckSummary(root.GetProperty("summary"), SummaryKeys, counts);
        return CertificateChecker.Proved(network, domain, sha, "convex", $"Checked a split tree of {counts[1]} shards ({counts[2]} box splits) tiling the box " +
            $"by construction; each shard's certificate is valid for exactly its box and proves convexity there ({counts[3]} regions in all), and no " +
            "ReLU unit of any region switches across a face shared by two shards, so no kink hides in a shared face.");
    }

    /// <summary>One shard's certificate (format /1 or /2) checked by the core for exactly its box; returns its region count.</summary>
    private static int CheckShard(Network network, Box shard, Box domain, JsonElement certificate, JsonPath at, int index)
    {
        string? format = certificate.ValueKind == JsonValueKind.Object && certificate.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (format is not (CertificateChecker.Format or BoundCheck.Format))
            throw Bad(at, $"shard {index}: expected a region certificate (\"{CertificateChecker.Format}\") or a bound certificate (\"{BoundCheck.Format}\") of the shard's box");
        int regions = 0;
        CheckResult result;
        try
        {
            result = CertificateChecker.Run(network, certificate, shard, ctx => regions = CheckSharedFaces(ctx, domain));
        }
        catch (InvalidCertificateException e)
        {
            throw Bad(e.At is null ? at : at.Then(e.At[1..]), $"shard {index} ({shard}): {e.Reason}");
        }
        if (result.Verdict != "convex")
            throw Bad(at.Then(".verdict"), $"shard {index}: its certificate proves f NOT convex on the shard, not convex (a refutation is a format /1 certificate of the whole domain)");
        return regions;
    }

    /// <summary>
    /// For every region and every face x_i = s of the shard's box inside the domain: no ReLU unit's
    /// map is c·(x_i − s), c ≠ 0 — as integer rows Z = σ·(g, h): Z_m = 0 for m ≠ i, Z_i ≠ 0 and
    /// q·Z_d + p·Z_i = 0 for s = p/q. Returns the number of regions.
    /// </summary>
    private static int CheckSharedFaces(CheckContext ctx, Box domain)
    {
        var (box, d) = (ctx.Domain!, ctx.Network.InputDim);
        var faces = Enumerable.Range(0, d).SelectMany(i => new[] { (I: i, S: box.Lo[i], Inside: box.Lo[i] > domain.Lo[i]), (I: i, S: box.Hi[i], Inside: box.Hi[i] < domain.Hi[i]) })
            .Where(face => face.Inside).ToArray();
        for (int r = 0; r < ctx.Patterns.Length && faces.Length > 0; r++)
            for (int k = 0; k < ctx.Network.NeuronCount; k++)
            {
                var z = ctx.Maps(r).Integer(ctx.Network.NeuronUnit[k]);
                int axis = -1, nonZero = 0;
                for (int m = 0; m < d; m++) if (!z[m].IsZero) (axis, nonZero) = (m, nonZero + 1);
                if (nonZero != 1) continue;
                foreach (var (i, s, _) in faces)
                    if (i == axis && z[d] * s.Denominator + z[i] * s.Numerator == 0)
                        throw Bad(new JsonPath("$.regions", r), $"ReLU unit {k}'s pre-activation on this region is c·(x{i + 1} − {s}) with c ≠ 0: its kink lies in " +
                            $"the face x{i + 1} = {s} shared with a neighbouring shard, which neither shard's certificate checks (re-plan with another split value)");
            }
        return ctx.Patterns.Length;
    }
}
