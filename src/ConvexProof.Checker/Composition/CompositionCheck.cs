namespace ConvexProof.Checker;

/// <summary>
/// Composition certificates (format convexproof-certificate/3, method "composition"; soundness in
/// docs/certificate.md, "Composition certificates"): the rule claimed at every unit is re-derived
/// from the exact weights — signs and the rule table only — and must be the one claimed.
/// </summary>
internal static class CompositionCheck
{
    public const string Format = "convexproof-certificate/3";
    public static readonly KeySet RootKeys = new(6, "format", "method", "network_sha256", "domain", "verdict", "rules", "input_quadratic");

    /// <summary>
    /// A composition certificate is checked here; for a model with squares, regions and bounds
    /// (which treat f as CPWL) are refused, and only a refutation by counterexample (format /1 with
    /// no regions) goes on to the core. Null: the core checks the certificate.
    /// </summary>
    public static CheckResult? Dispatch(Network network, JsonElement root, string sha, Box? box, bool composition, bool bounds) =>
        composition ? Run(network, root, sha, box)
        : network.Squares is not null && (bounds || Items(root.GetProperty("regions"), "$.regions").Length != 0)
            ? throw Bad("$.format", "the network has quadratic parts (it is not piecewise linear): only a counterexample (format /1, no regions) or a composition certificate applies")
            : null;

    public static CheckResult Run(Network network, JsonElement root, string sha, Box? box)
    {
        if (String(root.GetProperty("method"), "$.method") != "composition") throw Bad("$.method", $"is {Describe(root.GetProperty("method"))}, expected \"composition\"");
        if (String(root.GetProperty("verdict"), "$.verdict") != "convex") throw Bad("$.verdict", "a composition certificate proves convexity: expected \"convex\"");
        var layers = Items(root.GetProperty("rules"), "$.rules", network.Layers.Length, $"entries, one per layer, and the network has {network.Layers.Length} layers");
        bool[] affineBefore = [.. Enumerable.Repeat(true, network.InputDim)];
        for (int l = 0; l < network.Layers.Length; l++)
        {
            var layer = network.Layers[l];
            if ((network as SharedNetwork)?.Shared[l] is SharedLayer shared)
            {
                affineBefore = Channels(network, l, shared, layers[l], affineBefore);
                continue;
            }
            var claims = Items(layers[l], $"$.rules[{l}]", layer.Out, $"rules, and layer {l + 1} has {layer.Out} units (one rule per unit)");
            var affine = new bool[layer.Out];
            for (int u = 0; u < layer.Out; u++)
            {
                string claim = String(claims[u], $"$.rules[{l}][{u}]");
                string rule = Derive(network, l, u, affineBefore, out string? reason);
                if (claim != rule)
                    throw Bad($"$.rules[{l}][{u}]", $"layer {l + 1} unit {u + 1}: claims \"{claim}\", but {(reason ?? $"the rule that applies is \"{rule}\"")}");
                affine[u] = rule == "affine";
            }
            affineBefore = affine;
        }
        var s = network.Squares?.S;
        bool hasRule = root.TryGetProperty("input_quadratic", out var input);
        if (hasRule != s.HasValue) throw Bad("$.input_quadratic", s.HasValue ? "is required: the network has an input_quadratic" : "must be absent: the network has no input_quadratic");
        if (s is Rational value && (String(input, "$.input_quadratic") != "psd" || value.Sign < 0))
            throw Bad("$.input_quadratic", value.Sign < 0 ? $"claims \"psd\", but s = {value} < 0" : "expected \"psd\"");
        var kernels = (network as SharedNetwork)?.Shared;
        int units = network.Layers.Select((l, i) => kernels?[i] is null ? l.Out : 0).Sum(), channels = kernels?.Sum(k => k?.Main.Out[0] ?? 0) ?? 0;
        return CertificateChecker.Proved(network, box, sha, "convex", $"By composition rules: the rule named at each of the {units} units{(channels == 0 ? "" : $" and {channels} channels of weight-shared layers")} " +
            "re-derived from the signs of the exact weights (convex non-decreasing rectifiers of non-negative combinations of convex terms plus affine ones, " +
            "squares of affine forms and of ReLUs, a PSD output quadratic); convex on R^d, so on any domain.");
    }

    /// <summary>The rule that applies at unit u of layer l, or "none" with the reason.</summary>
    private static string Derive(Network network, int l, int u, bool[] affineBefore, out string? reason)
    {
        reason = null;
        var layer = network.Layers[l];
        bool zAffine = true;
        for (int j = 0; j < layer.In; j++)
        {
            var w = layer.W[u][j];
            if (w.IsZero || affineBefore[j]) continue;
            if (w.Sign < 0) { reason = $"its weight {w} on unit {j + 1} of the layer before (a convex, non-affine unit) is negative"; return "none"; }
            zAffine = false;
        }
        foreach (var t in network.Squares?.ByUnit[l][u] ?? [])
        {
            if (t.C.Sign < 0) { reason = $"a quadratic term of its pre-activation has coefficient {t.C} < 0"; return "none"; }
            zAffine &= t.C.IsZero;
        }
        return Output(network, l, zAffine, ref reason);
    }

    /// <summary>The rule of a unit whose pre-activation passed the sign tests (affine or convex).</summary>
    private static string Output(Network network, int l, bool zAffine, ref string? reason)
    {
        var layer = network.Layers[l];
        if (network.Squares?.SquareOutput[l] != true) return !layer.Relu ? (zAffine ? "affine" : "nonneg_sum") : "rectifier";
        if (zAffine) return "square_affine";
        if (layer.Relu && layer.Alpha.IsZero) return "square_relu";
        reason = "its output is the square of a leaky ReLU or identity of a convex, non-affine pre-activation, which no rule makes convex";
        return "none";
    }

    /// <summary>
    /// A weight-shared layer: one rule per output channel, re-derived from the kernel's signs
    /// (docs/certificate.md, "Weight-shared layers"). Every unit of channel o adds K[o, c, ky, kx]·v over
    /// its window, v an input of channel c or a padding value (0, or a reused input of channel c), so
    /// positive entries on channels that are not affine make every unit convex, whatever the mode.
    /// A channel of the layer before is affine when all its units are. Returns the units' affinity.
    /// </summary>
    private static bool[] Channels(Network network, int l, SharedLayer shared, JsonElement claimed, bool[] affineBefore)
    {
        var m = shared.Main;
        var claims = Items(claimed, $"$.rules[{l}]", m.Out[0], $"rules, and layer {l + 1} is a weight-shared layer of {m.Out[0]} channels (one rule per channel)");
        int plane = m.In[1] * m.In[2], outPlane = m.Out[1] * m.Out[2];
        bool[] affineIn = [.. Enumerable.Range(0, m.In[0]).Select(c => Array.TrueForAll(affineBefore[(c * plane)..((c + 1) * plane)], a => a))];
        var affine = new bool[m.Units];
        for (int o = 0; o < m.Out[0]; o++)
        {
            string claim = String(claims[o], $"$.rules[{l}][{o}]"), rule = "none";
            string? reason = null;
            bool zAffine = true;
            for (int c = 0, k = o * m.Shape[1] * m.Shape[2] * m.Shape[3]; c < m.Shape[1]; c++, k += m.Shape[2] * m.Shape[3])
                for (int t = 0; !affineIn[m.Channel(o, c)] && reason is null && t < m.Shape[2] * m.Shape[3]; t++)
                    if (m.K[k + t].Sign < 0) reason = $"its kernel entry {m.K[k + t]} at [{o}, {c}, {t / m.Shape[3]}, {t % m.Shape[3]}] on channel {m.Channel(o, c) + 1} of the layer before (convex, not affine) is negative";
                    else zAffine &= m.K[k + t].IsZero;
            if (shared.Square is not null && shared.C.Sign < 0) reason ??= $"its quadratic_conv has coefficient {shared.C} < 0";
            zAffine &= shared.Square is null || shared.C.IsZero;
            if (reason is null) rule = Output(network, l, zAffine, ref reason);
            if (claim != rule) throw Bad($"$.rules[{l}][{o}]", $"layer {l + 1} channel {o + 1}: claims \"{claim}\", but {reason ?? $"the rule that applies is \"{rule}\""}");
            if (rule == "affine") Array.Fill(affine, true, o * outPlane, outPlane);
        }
        return affine;
    }
}
