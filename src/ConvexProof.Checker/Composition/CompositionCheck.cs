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
        int units = network.Layers.Sum(l => l.Out);
        return CertificateChecker.Proved(network, box, sha, "convex", $"By composition rules: the rule named at each of the {units} units " +
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
        if (network.Squares?.SquareOutput[l] != true) return !layer.Relu ? (zAffine ? "affine" : "nonneg_sum") : "rectifier";
        if (zAffine) return "square_affine";
        if (layer.Relu && layer.Alpha.IsZero) return "square_relu";
        reason = "its output is the square of a leaky ReLU or identity of a convex, non-affine pre-activation, which no rule makes convex";
        return "none";
    }
}
