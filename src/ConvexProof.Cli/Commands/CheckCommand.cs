using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ConvexProof.Checker;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof check NET CERT`: re-verifies a certificate with the independent checker
/// (src/ConvexProof.Checker, which shares no code with the engine). Exit 0 and the statement of
/// what was proved when valid; exit 1 and "INVALID: reason" when not; exit 2 for unreadable input.
/// </summary>
public sealed class CheckCommand : ICommand
{
    public string Name => "check";
    public string Summary => "re-verify a certificate with the independent checker";
    public string Usage =>
        "usage: convexproof check NET CERT [--box LO:HI | --box LO1:HI1,...] [--json] [--quiet]\n" +
        "  Checks CERT (convexproof-certificate/1) against the network NET with exact arithmetic only.\n" +
        "  --box   require the certificate's domain to be exactly this box (default: accept and state its domain)\n" +
        "  --json  print one JSON object (schema convexproof-check/1, docs/cli.md) instead of the text\n" +
        "  --quiet do not print the checking time on stderr\n" +
        "exit codes: 0 valid, 1 invalid, 2 unreadable input or usage error\n";

    public int Run(string[] args, CliContext context)
    {
        var arguments = new ArgumentList(args, ["--box"], ["--quiet", "--json"]);
        bool json = arguments.Flag("--json");
        if (arguments.Positionals.Count != 2) throw new UsageException("check needs two arguments: NET CERT (see 'convexproof check --help')");
        string net = arguments.Positionals[0], cert = arguments.Positionals[1];
        string? box = arguments.Value("--box");
        var clock = Stopwatch.StartNew();
        CheckResult result;
        try
        {
            result = CertificateChecker.Check(net, cert, box);
        }
        catch (CheckerInputException e)
        {
            context.Error.WriteLine($"convexproof: {e.Message}");
            if (json) context.Out.WriteLine(ToJson(net, cert, null, ExitCodes.Usage, clock.Elapsed, e));
            return ExitCodes.Usage;
        }
        catch (ArgumentException e) when (box is not null)
        {
            throw new UsageException($"--box '{box}': {e.Message}");
        }
        int code = result.Valid ? ExitCodes.Ok : ExitCodes.Negative;
        context.Out.WriteLine(json ? ToJson(net, cert, result, code, clock.Elapsed, null) : result.ToString());
        if (!arguments.Flag("--quiet") && !json) context.Error.WriteLine($"convexproof: checked in {clock.Elapsed.TotalSeconds:F2} s");
        return code;
    }

    /// <summary>The value of the "schema" field of the --json object.</summary>
    public const string JsonSchema = "convexproof-check/1";

    /// <summary>One line of JSON (schema in docs/cli.md).</summary>
    private static string ToJson(string net, string cert, CheckResult? result, int code, TimeSpan elapsed, CheckerInputException? error)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", JsonSchema);
            w.WriteString("network", net);
            w.WriteString("certificate", cert);
            w.WriteNumber("exit_code", code);
            if (result is null) w.WriteNull("valid"); else w.WriteBoolean("valid", result.Valid);
            if (result?.Verdict is string verdict) w.WriteString("verdict", verdict); else w.WriteNull("verdict");
            if (result?.Statement is string statement) w.WriteString("statement", statement); else w.WriteNull("statement");
            if (result?.Reason is string reason) w.WriteString("reason", reason); else w.WriteNull("reason");
            w.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            if (error is null) w.WriteNull("error");
            else
            {
                w.WriteStartObject("error");
                w.WriteString("file", error.File);
                w.WriteString("json_path", error.JsonPath);
                w.WriteString("problem", error.Problem);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
