using System.Text.Json;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Penalty;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `penalty --json` and the answers of `serve`'s penalty requests: one object on one line (schema
/// `convexproof-penalty/1`, docs/formats.md). Downstream patterns are index lists: the global
/// numbers of the downstream ReLU units that are on, which a training loop turns into masks.
/// </summary>
public static class PenaltyJson
{
    /// <summary>The value of the "schema" field.</summary>
    public const string Schema = "convexproof-penalty/1";

    public static string Of(string networkName, Network network, PenaltyReport report) =>
        JsonLine.Write(w => Write(w, networkName, network, report));

    public static void Write(Utf8JsonWriter w, string networkName, Network network, PenaltyReport r)
    {
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteString("network", networkName);
        w.WriteString("network_sha256", r.NetworkSha256);
        w.WritePropertyName("domain");
        if (!r.Domain.IsBox) w.WriteNullValue();
        else
        {
            w.WriteStartObject();
            w.WritePropertyName("box");
            JsonLine.WriteBox(w, [.. r.Domain.Lower!.Select(v => v.ToString())], [.. r.Domain.Upper!.Select(v => v.ToString())]);
            w.WriteEndObject();
        }
        w.WriteString("verdict", VerdictName(r.Verdict));
        w.WriteNumber("exit_code", ExitCode(r));
        w.WriteBoolean("complete", r.Complete);
        w.WriteNumber("regions", r.Regions);
        w.WriteStartArray("relu_layers");
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (network.Layers[l].Activation != Activation.Relu) continue;
            w.WriteStartObject();
            w.WriteNumber("layer", l);
            w.WriteNumber("first_unit", network.FirstNeuronOfLayer[l]);
            w.WriteNumber("units", network.Layers[l].Outputs);
            if (network.Layers[l].IsLeaky) w.WriteString("alpha", network.Layers[l].Alpha.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("penalty", r.Total.ToString());
        w.WriteNumber("penalty_float", r.Total.ToDouble());
        w.WriteNumber("violating", r.Violating);
        w.WriteStartArray("conditions");
        foreach (var c in r.Conditions)
        {
            w.WriteStartObject();
            w.WriteNumber("unit", c.Neuron);
            w.WriteStartArray("on");
            int first = network.NeuronCount - c.Downstream.Length;
            for (int i = 0; i < c.Downstream.Length; i++)
                if (c.Downstream[i] == '1') w.WriteNumberValue(first + i);
            w.WriteEndArray();
            w.WriteString("c", c.Value.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("units");
        foreach (var u in r.Units)
        {
            w.WriteStartObject();
            w.WriteNumber("unit", u.Unit);
            w.WriteNumber("layer", u.Layer);
            w.WriteNumber("row", u.Row);
            w.WriteNumber("conditions", u.Conditions);
            w.WriteNumber("violating", u.Violating);
            if (u.Worst is { } worst) w.WriteString("worst", worst.ToString()); else w.WriteNull("worst");
            w.WriteString("penalty", u.Penalty.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("degenerate");
        foreach (var f in r.DegenerateFrontiers)
        {
            w.WriteStartObject();
            w.WriteStartArray("units");
            foreach (int k in f.Units) w.WriteNumberValue(k);
            w.WriteEndArray();
            w.WriteString("jump", f.Jump.ToString());
            w.WriteStartArray("point");
            foreach (var x in f.Point) w.WriteStringValue(x.ToString());
            w.WriteEndArray();
            w.WriteString("region_pattern", f.RegionPattern);
            w.WriteString("neighbour_pattern", f.NeighbourPattern);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("negative_jumps", r.NegativeJumps);
        if (r.UndecidedReason is null) w.WriteNull("undecided_reason"); else w.WriteString("undecided_reason", r.UndecidedReason);
        w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
        w.WriteEndObject();
    }

    public static string VerdictName(Verdict v) => v switch
    {
        Verdict.Convex => "convex",
        Verdict.NotConvex => "not_convex",
        _ => "undecided",
    };

    /// <summary>0 convex, 1 not convex (R &gt; 0 or a negative jump), 3 undecided (a limit).</summary>
    public static int ExitCode(PenaltyReport r) => r.Verdict switch
    {
        Verdict.Convex => ExitCodes.Ok,
        Verdict.NotConvex => ExitCodes.Negative,
        _ => ExitCodes.Undecided,
    };
}
