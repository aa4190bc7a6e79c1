using System.Globalization;
using System.Text;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Composition;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `info` on a composition model: the layers with their quadratic parts, and the composition rules —
/// convex by the rules, or which rule fails at which unit (e.g. "layer 2 unit 5: z-weight -0.013 on
/// unit 3 …"), so a skipped clip is seen at once.
/// </summary>
public static class CompositionInfo
{
    public static int Run(string path, bool json, CliContext context)
    {
        var model = CompositionReader.ReadFile(path);
        var derivation = CompositionRules.Derive(model);
        string sha = CompositionHash.Sha256(model);
        context.Out.Write(json ? Json(path, sha, model, derivation) + "\n" : Describe(path, sha, model, derivation));
        return ExitCodes.Ok;
    }

    private static string LayerText(CompositionNetwork model, int l)
    {
        var layer = model.Plain.Layers[l];
        string activation = layer.Activation == Activation.Identity ? "identity" : layer.IsLeaky ? $"leaky_relu(α={layer.Alpha})" : "relu";
        var squares = model.Layers[l];
        if (squares.Shared is SharedLayer shared)
            return $"layer {l + 1}: {shared.Output} = {layer.Outputs} {activation} units (weight-shared), {Conv(shared.Main)} of {shared.Main.Input}" +
                   (shared.Skip is null ? "" : $", skip {Conv(shared.Skip)} of x") + (shared.Square is null ? "" : $", c·({Conv(shared.Square.Conv)} of x + β)² with c = {shared.Square.Coefficient}") +
                   (squares.SquareOutput ? ", outputs squared" : "");
        return $"layer {l + 1}: {layer.Outputs} {activation} unit{(layer.Outputs == 1 ? "" : "s")}, {layer.Inputs} inputs" +
               (layer.Skip is null ? "" : ", skip") + (squares.Terms.Count == 0 ? "" : $", {squares.Terms.Count} quadratic terms (w·x + β)²") +
               (squares.SquareOutput ? ", outputs squared" : "");
    }

    private static string Conv(SharedConv c) =>
        $"conv {c.KernelHeight}×{c.KernelWidth}" + (c.Stride == (1, 1) ? "" : $" stride {c.Stride.H}×{c.Stride.W}") + (c.Dilation == (1, 1) ? "" : $" dilation {c.Dilation.H}×{c.Dilation.W}") +
        (c.Groups == 1 ? "" : $" groups {c.Groups}") + (c.Padding == (0, 0, 0, 0) ? "" : $" {SharedConv.ModeName(c.Mode)} padding {c.Padding.Top},{c.Padding.Left},{c.Padding.Bottom},{c.Padding.Right}");

    public static string Describe(string path, string sha, CompositionNetwork model, CompositionRules.Derivation derivation)
    {
        var sb = new StringBuilder();
        void Line(string label, string text) => sb.Append(CultureInfo.InvariantCulture, $"{label,-14}{text}\n");
        Line("network:", $"{path} (sha256 {sha[..16]}…)");
        Line("model:", model.HasSquares ? "composition model (quadratic parts: piecewise quadratic, not piecewise linear)" : "composition keys without quadratic parts");
        Line("input dim:", model.InputDim.ToString(CultureInfo.InvariantCulture));
        for (int l = 0; l < model.Layers.Count; l++) Line(l == 0 ? "layers:" : "", LayerText(model, l));
        if (model.Input is InputQuadratic q)
            Line("output adds:", $"s/2·|x|² with s = {q.S}" + (q.Factor.Length == 0 ? "" : $", |F·x|² with F of {q.Factor.Length} rows"));
        if (derivation.Convex) Line("composition:", "yes: convex by the composition rules (certify writes the rule of every unit)");
        else
        {
            Line("composition:", $"no rule applies at {derivation.Failures.Count} place{(derivation.Failures.Count == 1 ? "" : "s")} (certify then searches for an exact midpoint violation):");
            foreach (var f in derivation.Failures.Take(10)) Line("", $"{f} ({f.JsonPath})");
            if (derivation.Failures.Count > 10) Line("", $"… and {derivation.Failures.Count - 10} more (all with --json)");
        }
        return sb.ToString();
    }

    private static string Json(string path, string sha, CompositionNetwork model, CompositionRules.Derivation derivation) => JsonLine.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("schema", InfoCommand.JsonSchema);
        w.WriteString("network", path);
        w.WriteString("network_sha256", sha);
        w.WriteNumber("input_dim", model.InputDim);
        w.WriteStartArray("layers");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            var layer = model.Plain.Layers[l];
            w.WriteStartObject();
            w.WriteNumber("units", layer.Outputs);
            w.WriteNumber("inputs", layer.Inputs);
            w.WriteString("activation", layer.ActivationName);
            if (layer.IsLeaky) w.WriteString("alpha", layer.Alpha.ToString());
            w.WriteBoolean("skip", layer.Skip is not null);
            w.WriteNumber("quadratic_terms", model.Layers[l].Terms.Count);
            w.WriteBoolean("weight_shared", model.Layers[l].Shared is not null);
            w.WriteBoolean("square_output", model.Layers[l].SquareOutput);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("composition");
        w.WriteBoolean("convex_by_rules", derivation.Convex);
        w.WriteStartArray("failures");
        foreach (var f in derivation.Failures)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", f.Layer);
            w.WriteNumber("unit", f.Unit);
            if (f.IsChannel) w.WriteBoolean("channel", true); // a weight-shared layer: "unit" is an output channel
            w.WriteString("json_path", f.JsonPath);
            w.WriteString("text", f.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
