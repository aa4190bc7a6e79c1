using System.Globalization;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>A unit where no composition rule applies, and why (1-based numbers in the text, as in info).</summary>
public sealed record RuleFailure(int Layer, int Unit, string Reason, string JsonPath)
{
    /// <summary>Whether <see cref="Unit"/> is an output channel of a weight-shared layer (its rule covers the channel's units).</summary>
    public bool IsChannel { get; init; }

    /// <summary>"layer 2 unit 5: z-weight -0.013 on unit 3 …", "layer 2 channel 5: kernel entry …", or "input_quadratic: …" (Layer = -1).</summary>
    public override string ToString() => Layer < 0 ? $"input_quadratic: {Reason}" : $"layer {Layer + 1} {(IsChannel ? "channel" : "unit")} {Unit + 1}: {Reason}";
}

/// <summary>
/// The rule table of composition certificates (disciplined convex programming; docs/maths.md,
/// "Composition rules"). Each unit's pre-activation z = Σ_j W_j·h_j + S·x + b + Σ_t c_t·(w_t·x + β_t)²
/// is affine when every h_j with W_j ≠ 0 is affine and no c_t ≠ 0, convex when moreover convex h_j
/// have W_j &gt; 0 and every c_t &gt; 0. Then the unit's output h (docs name these rules):
/// "affine" (identity, z affine), "nonneg_sum" (identity, z convex), "rectifier" (σ(z), σ convex
/// non-decreasing, z convex or affine), "square_affine" (σ(z)² or z², z affine: t ↦ σ(t)² is convex),
/// "square_relu" (relu(z)², z convex: t ↦ max(t, 0)² is convex and non-decreasing). The output
/// f = h + s/2·|x|² + |F·x|² needs s ≥ 0 ("psd"). Anything else is a <see cref="RuleFailure"/>.
/// </summary>
public static class CompositionRules
{
    public const string Affine = "affine", NonnegSum = "nonneg_sum", Rectifier = "rectifier", SquareAffine = "square_affine",
        SquareRelu = "square_relu", Psd = "psd";

    /// <summary>The rule at every unit (null where none applies), the output quadratic's rule, and every failure.</summary>
    public sealed record Derivation(string?[][] Rules, string? InputRule, IReadOnlyList<RuleFailure> Failures)
    {
        public bool Convex => Failures.Count == 0;
    }

    public static Derivation Derive(CompositionNetwork model)
    {
        var failures = new List<RuleFailure>();
        var layers = model.Plain.Layers;
        var rules = new string?[layers.Count][];
        bool[] affineBefore = [.. Enumerable.Repeat(true, model.InputDim)]; // the inputs x_j are affine
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (model.Layers[l].Shared is SharedLayer shared)
            {
                (rules[l], affineBefore) = SharedRules.Derive(shared, layer, model.Layers[l].SquareOutput, l, affineBefore, failures);
                continue;
            }
            rules[l] = new string?[layer.Outputs];
            var affine = new bool[layer.Outputs];
            for (int u = 0; u < layer.Outputs; u++)
            {
                var (zAffine, reason, path) = PreActivation(model, l, u, affineBefore);
                string? rule = reason is null ? OutputRule(layer, model.Layers[l].SquareOutput, zAffine, out reason) : null;
                if (rule is null) failures.Add(new RuleFailure(l, u, reason!, path ?? $"$.layers[{l}]"));
                rules[l][u] = rule;
                affine[u] = rule == Affine; // a failed unit counts as convex below, so only its own failure is reported
            }
            affineBefore = affine;
        }
        string? inputRule = null;
        if (model.Input is InputQuadratic q)
        {
            if (q.S.Sign >= 0) inputRule = Psd;
            else failures.Add(new RuleFailure(-1, 0, $"s = {Approx(q.S)} < 0: s/2·|x|² is concave", "$.input_quadratic.s"));
        }
        return new Derivation(rules, inputRule, failures);
    }

    /// <summary>Whether unit u's pre-activation is affine (else convex), or why it is neither by the rules.</summary>
    private static (bool Affine, string? Reason, string? Path) PreActivation(CompositionNetwork model, int l, int u, bool[] affineBefore)
    {
        bool affine = true;
        var row = model.Plain.Layers[l].Weights[u];
        for (int j = 0; j < row.Length; j++)
        {
            if (row[j].IsZero || affineBefore[j]) continue;
            if (row[j].Sign < 0)
                return (false, $"z-weight {Approx(row[j])} on unit {j + 1} (convex, not affine: a negative weight makes it concave)", $"$.layers[{l}].weights[{u}][{j}]");
            affine = false;
        }
        var terms = model.Layers[l].Terms;
        for (int t = 0; t < terms.Count; t++)
        {
            if (terms[t].Unit != u || terms[t].Coefficient.IsZero) continue;
            if (terms[t].Coefficient.Sign < 0)
                return (false, $"quadratic term {t + 1} has coefficient {Approx(terms[t].Coefficient)} < 0 (a concave square)", $"$.layers[{l}].quadratic[{t}].coefficient");
            affine = false;
        }
        return (affine, null, null);
    }

    internal static string? OutputRule(Layer layer, bool square, bool zAffine, out string? reason)
    {
        reason = null;
        bool relu = layer.Activation == Activation.Relu;
        if (!square) return !relu ? (zAffine ? Affine : NonnegSum) : Rectifier;
        if (zAffine) return SquareAffine;
        if (relu && layer.Alpha.IsZero) return SquareRelu;
        reason = relu
            ? $"square_output of a leaky ReLU (α = {layer.Alpha}) of a convex, non-affine pre-activation: σ(z) may be negative, where t ↦ σ(t)² decreases"
            : "square_output of an identity unit whose pre-activation is convex, not affine: z may be negative, where t ↦ t² decreases";
        return null;
    }

    /// <summary>A short decimal for messages (the JSON path gives the exact value).</summary>
    public static string Approx(Rational value) => value.IsInteger ? value.ToString() : value.ToDouble().ToString("G4", CultureInfo.InvariantCulture);
}
