namespace ConvexProof.Checker;

/// <summary>
/// Format /2: the structural (ICNN) claim and the bound certificate — a split tree whose every leaf
/// passes the exact bound test, recomputed here (docs/formats.md; soundness in docs/certificate.md).
/// </summary>
internal static class BoundCheck
{
    public const string Format = "convexproof-certificate/2";

    public static readonly KeySet RootKeys = new(5, "format", "network_sha256", "domain", "verdict", "method", "summary", "tree");
    private static readonly KeySet SummaryKeys = new(6, "neurons", "leaves", "box_splits", "sign_splits", "empty_leaves", "conditions");
    private static readonly KeySet BoxKeys = new(3, "node", "coordinate", "at");
    private static readonly KeySet UnitKeys = new(2, "node", "neuron", "relaxation", "multipliers");
    private static readonly KeySet LeafKeys = new(5, "node", "z", "on", "off", "conditions", "relaxation", "multipliers");

    public static CheckResult Run(Network net, JsonElement root, string sha, Box? box)
    {
        if (String(root.GetProperty("verdict"), "$.verdict") != "convex") throw Bad("$.verdict", "must be \"convex\" in format /2 (a refutation is a format /1 certificate)");
        string method = String(root.GetProperty("method"), "$.method");
        if (method == "structural")
        {
            if (root.TryGetProperty("summary", out _) || root.TryGetProperty("tree", out _)) throw Bad("$", "a structural certificate has no summary and no tree");
            CheckIcnn(net);
            return CertificateChecker.Proved(net, box, sha, "convex", "Structural: every non-zero weight applied to a post-activation that is not affine in x is >= 0, " +
                "in every layer including the output (an input-convex network), so f is convex on R^d and on every box.");
        }
        if (method != "bounds") throw Bad("$.method", $"is {Describe(root.GetProperty("method"))}, expected \"structural\" or \"bounds\"");
        if (box is null) throw Bad("$.domain", "a bound certificate needs a box (on R^d the bounds are infinite)");
        if (!root.TryGetProperty("summary", out var summary) || !root.TryGetProperty("tree", out var tree)) throw Bad("$", "a bound certificate has a summary and a tree");
        var counts = WalkTree(net, box, Items(tree, "$.tree"));
        CertificateChecker.CheckSummary(summary, SummaryKeys, counts);
        return CertificateChecker.Proved(net, box, sha, "convex", $"Checked a split tree of {counts[1]} leaves ({counts[4]} empty; {counts[2]} box and {counts[3]} sign splits) " +
            $"covering the box by construction; at every leaf the exact pre-activation bounds, the strictly stable units and {counts[5]} condition " +
            "lower bounds in all were recomputed, and every lower bound is >= 0.");
    }

    /// <summary>The ICNN rule: track affine outputs; a negative weight on a non-affine input fails.</summary>
    private static void CheckIcnn(Network net)
    {
        var affine = Enumerable.Repeat(true, net.InputDim).ToArray();
        foreach (var (layer, l) in net.Layers.Select((layer, l) => (layer, l)))
            affine = [.. Enumerable.Range(0, layer.Out).Select(i =>
            {
                var convex = Enumerable.Range(0, layer.In).Where(j => !layer.W[i][j].IsZero && !affine[j]).ToArray(); // weighted inputs not affine
                foreach (int j in convex)
                    if (layer.W[i][j].Sign < 0) throw Bad("$.method", $"is \"structural\", but weight {layer.W[i][j]} of layer {l} (row {i}, column {j}) is negative and applied to a non-affine input: not an ICNN");
                return convex.Length == 0 && (!layer.Relu || (layer.W[i].All(w => w.IsZero) && (layer.S is null || layer.S[i].All(s => s.IsZero))));
            })];
    }

    /// <summary>Walks the preorder tree with an explicit stack; returns the summary counts (in the order of <see cref="SummaryKeys"/>).</summary>
    private static int[] WalkTree(Network net, Box box, JsonElement[] nodes)
    {
        int[] counts = [net.NeuronCount, 0, 0, 0, 0, 0];
        var pending = new Stack<(Rational[] Lo, Rational[] Hi, (int Neuron, bool NonNegative)[] Splits)>([(box.Lo, box.Hi, [])]);
        int n = 0;
        for (; pending.TryPop(out var current); n++)
        {
            if (n == nodes.Length) throw Bad("$.tree", $"ends after {n} nodes with {pending.Count + 1} subtrees missing: the leaves would not cover the box");
            var ((lo, hi, splits), node, at) = (current, nodes[n], new JsonPath("$.tree", n));
            string kind = node.ValueKind == JsonValueKind.Object && node.TryGetProperty("node", out var k) ? String(k, at.Then(".node")) : throw Bad(at, "expected a node object");
            Keys(node, at, kind switch { "box" => BoxKeys, "leaf" => LeafKeys, "sign" or "empty" => UnitKeys,
                _ => throw Bad(at.Then(".node"), $"is \"{kind}\", expected \"box\", \"sign\", \"leaf\" or \"empty\"") });
            int neuron = kind is "sign" or "empty" ? Int(node.GetProperty("neuron"), at.Then(".neuron"), 0, net.NeuronCount - 1) : -1;
            counts[kind switch { "box" => 2, "sign" => 3, _ => 1 }]++;
            if (kind == "box")
            {
                int i = Int(node.GetProperty("coordinate"), at.Then(".coordinate"), 0, net.InputDim - 1);
                var cut = CertificateJson.Rational(node.GetProperty("at"), at.Then(".at"));
                if (cut <= lo[i] || cut >= hi[i]) throw Bad(at.Then(".at"), $"is {cut}, not strictly inside [{lo[i]}, {hi[i]}]");
                Rational[] upper = [.. hi], lower = [.. lo];
                (upper[i], lower[i]) = (cut, cut);
                pending.Push((lower, hi, splits));
                pending.Push((lo, upper, splits));
            }
            else if (kind == "sign")
            {
                pending.Push((lo, hi, [.. splits, (neuron, false)]));
                pending.Push((lo, hi, [.. splits, (neuron, true)]));
            }
            else if (new LeafPass(net, lo, hi, splits, node, at) is var pass && kind == "leaf") counts[5] += CheckLeaf(net, pass, node, at);
            else if (pass.EmptiedBy == neuron) counts[4]++;
            else throw Bad(at, pass.EmptiedBy < 0 ? "is claimed empty, but no split contradicts the bounds" : $"is empty at unit {pass.EmptiedBy}, not {neuron}");
        }
        if (n != nodes.Length) throw Bad(new JsonPath("$.tree", n), "follows a complete tree: extra nodes");
        return counts;
    }

    /// <summary>The listed bounds, stable units and condition lower bounds against the recomputed ones.</summary>
    private static int CheckLeaf(Network net, LeafPass pass, JsonElement node, JsonPath at)
    {
        if (pass.EmptiedBy >= 0) throw Bad(at, $"is a leaf, but unit {pass.EmptiedBy}'s split contradicts its bounds: it must be an \"empty\" node");
        var z = Items(node.GetProperty("z"), at.Then(".z"), net.NeuronCount, $"intervals, the network has {net.NeuronCount} ReLU units");
        List<int> on = [], off = [], unstable = [];
        for (int k = 0; k < net.NeuronCount; k++)
        {
            var listed = ReadPoint(z[k], at.Then($".z[{k}]"), 2);
            var (lo, hi) = (pass.Lo[k], pass.Hi[k]);
            if (listed[0] != lo || listed[1] != hi) throw Bad(at.Then($".z[{k}]"), $"is [{listed[0]}, {listed[1]}], but the checker's {pass.Mode} pass gives [{lo}, {hi}]");
            (lo.Sign > 0 ? on : hi.Sign < 0 ? off : unstable).Add(k);
        }
        foreach (var (key, units, what) in new[] { ("on", on, "stably on (lower bound > 0)"), ("off", off, "stably off (upper bound < 0)") })
        {
            var listed = IncreasingInts(node.GetProperty(key), at.Then($".{key}"), net.NeuronCount - 1);
            if (!listed.AsSpan().SequenceEqual(units.ToArray())) throw Bad(at.Then($".{key}"), $"lists [{string.Join(", ", listed)}], but the units {what} are [{string.Join(", ", units)}]");
        }
        var lower = pass.ConditionLowerBounds();
        var conditions = Tuples(node.GetProperty("conditions"), at.Then(".conditions"), 2, "expected [unit, lower bound]").ToArray();
        if (conditions.Length != unstable.Count) throw Bad(at.Then(".conditions"), $"lists {conditions.Length} units, but {unstable.Count} are not strictly stable");
        foreach (var ((pair, cat), u) in conditions.Zip(unstable))
        {
            if (Int(pair[0], cat.Then("[0]"), 0, net.NeuronCount - 1) != u) throw Bad(cat, $"must be [{u}, lower bound]: the unstable units in increasing order");
            var value = CertificateJson.Rational(pair[1], cat.Then("[1]"));
            if (value != lower[u]) throw Bad(cat.Then("[1]"), $"is {value}, but the checker's backward pass gives {lower[u]}");
            if (value.Sign < 0) throw Bad(cat.Then("[1]"), $"is {value} < 0: the leaf does not certify unit {u}'s condition");
        }
        return conditions.Length;
    }
}
