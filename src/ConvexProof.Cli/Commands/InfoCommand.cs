using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof info NET`: architecture, parameter count, the instant ICNN test and an upper bound
/// on the number of regions, without enumerating anything.
/// </summary>
public sealed class InfoCommand : ICommand
{
    /// <summary>The value of the "schema" field of the --json object.</summary>
    public const string JsonSchema = "convexproof-info/1";

    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json)");
    private readonly Option<bool> _json = CommandOptions.Json("print one JSON object (schema in docs/cli.md) instead of text");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("accepted for symmetry with the other commands (info shows no progress)");

    public InfoCommand()
    {
        Definition = new Command("info", "architecture, parameters, ICNN test, region-count bound (instant)") { _net, _json, _quiet };
        Definition.Description += """

            Describes the network in NET (net.json) without enumerating regions: input dimension, layers
            (width, activation, skip connections), parameter count, whether it is an input-convex
            network (ICNN: a sufficient, instant test for convexity; `certify` decides exactly), and an
            upper bound on the number of activation regions:
              product over ReLU layers of sum_{j=0..min(d,n)} C(n, j)   (n = layer width, d = input_dim)
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof info NET [--json]";
    public string Epilogue => "exit codes: 0 described, 2 bad input or usage\n";
    public string WrongArgumentCount(int given) => $"info takes one network file, got {given} (see 'convexproof info --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string path = parsed.GetValue(_net)!;
        if (CompositionCertification.IsModel(path)) return CompositionInfo.Run(path, parsed.GetValue(_json), context); // quadratic parts
        var network = NetworkReader.ReadFile(path);
        var info = NetworkInfo.Of(network);
        string sha = NetworkHash.Sha256(network);
        context.Out.Write(parsed.GetValue(_json) ? ToJson(path, sha, info) + "\n" : Describe(path, sha, info));
        return ExitCodes.Ok;
    }

    /// <summary>2 → 16 relu → 16 relu → 1 identity (+ skip marks).</summary>
    public static string Architecture(NetworkInfo info) =>
        string.Join(" → ", new[] { info.InputDim.ToString(CultureInfo.InvariantCulture) }
            .Concat(info.Layers.Select(l => $"{l.Units} {ActivationText(l)}{(l.Skip ? " (+skip)" : "")}")));

    /// <summary>"relu", "identity", or "leaky_relu(α=1/5)".</summary>
    private static string ActivationText(LayerSummary l) => l.Alpha.IsZero ? l.ActivationName : $"{l.ActivationName}(α={l.Alpha})";

    public static string Describe(string path, string sha, NetworkInfo info)
    {
        var sb = new StringBuilder();
        void Line(string label, string text) => sb.Append(CultureInfo.InvariantCulture, $"{label,-14}{text}\n");
        Line("network:", $"{path} (sha256 {sha[..16]}…)");
        Line("input dim:", info.InputDim.ToString(CultureInfo.InvariantCulture));
        Line("architecture:", Architecture(info));
        foreach (var l in info.Layers)
        {
            string role = l.Index == info.Layers.Count - 1 ? "output" : "hidden";
            Line("", $"layer {l.Index + 1} ({role}): {l.Units} {ActivationText(l)} unit{(l.Units == 1 ? "" : "s")}, " +
                     $"{l.Inputs} inputs{(l.Skip ? $", skip from the {info.InputDim} network inputs" : "")}, {l.Parameters} parameters");
        }
        Line("relu units:", info.ReluUnits.ToString(CultureInfo.InvariantCulture));
        Line("parameters:", $"{info.Parameters} ({info.Weights} weights, {info.Biases} biases, {info.SkipWeights} skip weights)");
        Line("icnn:", info.IsIcnn
            ? "yes: convex by construction (every weight on a ReLU output is >= 0; skips may have any sign)"
            : $"no: {info.IcnnObstacle!.JsonPath} = {info.IcnnObstacle.Value} is negative on a ReLU output " +
              "(a sufficient test only: run certify to decide)");
        Line("region bound:", $"{BoundText(info.RegionBound)} regions at most");
        Line("", $"({NetworkInfo.RegionBoundFormula};");
        Line("", " each layer's n units cut every region of the earlier layers by at most n hyperplanes)");
        return sb.ToString();
    }

    /// <summary>The exact value when short, else scientific notation with the digit count.</summary>
    public static string BoundText(BigInteger bound)
    {
        string digits = bound.ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= 24) return digits;
        return $"{digits[0]}.{digits[1..4]}e{digits.Length - 1} ({digits.Length} digits; exact value with --json)";
    }

    public static string ToJson(string path, string sha, NetworkInfo info)
    {
        return JsonLine.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("schema", JsonSchema);
            w.WriteString("network", path);
            w.WriteString("network_sha256", sha);
            w.WriteNumber("input_dim", info.InputDim);
            w.WriteStartArray("layers");
            foreach (var l in info.Layers)
            {
                w.WriteStartObject();
                w.WriteNumber("units", l.Units);
                w.WriteNumber("inputs", l.Inputs);
                w.WriteString("activation", l.ActivationName);
                if (!l.Alpha.IsZero) w.WriteString("alpha", l.Alpha.ToString());
                w.WriteBoolean("skip", l.Skip);
                w.WriteNumber("parameters", l.Parameters);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("relu_units", info.ReluUnits);
            w.WriteNumber("parameters", info.Parameters);
            w.WriteNumber("weights", info.Weights);
            w.WriteNumber("biases", info.Biases);
            w.WriteNumber("skip_weights", info.SkipWeights);
            w.WriteStartObject("icnn");
            w.WriteBoolean("is_icnn", info.IsIcnn);
            w.WriteString("rule", NetworkInfo.IcnnRule);
            w.WritePropertyName("obstacle");
            if (info.IcnnObstacle is IcnnObstacle o)
            {
                w.WriteStartObject();
                w.WriteString("json_path", o.JsonPath);
                w.WriteNumber("layer", o.Layer);
                w.WriteNumber("row", o.Row);
                w.WriteNumber("column", o.Column);
                w.WriteString("value", o.Value.ToString());
                w.WriteEndObject();
            }
            else w.WriteNullValue();
            w.WriteEndObject();
            w.WriteStartObject("region_bound");
            w.WriteString("value", info.RegionBound.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("log10", Math.Round(BigInteger.Log10(info.RegionBound), 4));
            w.WriteString("formula", NetworkInfo.RegionBoundFormula);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
