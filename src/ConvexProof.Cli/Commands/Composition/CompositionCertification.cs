using System.Globalization;
using System.Text;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Composition;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `certify` on a composition model (net.json with quadratic parts, docs/formats.md): the rule table,
/// else the exact midpoint search; the certificate is written only with a verdict. Regions and
/// bounds do not apply (f is piecewise quadratic), so --method other than auto and --all-violations
/// are usage errors here. --max-regions bounds the lines searched (default 2 000), --timeout the time.
/// </summary>
public static class CompositionCertification
{
    public static int Run(string netPath, string outPath, CertifySettings settings, CliContext context)
    {
        if (settings.Method != CertifyMethod.Auto)
            throw new UsageException($"{netPath} is a composition model (quadratic parts): certify decides it by composition rules and a midpoint search, --method {settings.Method.ToString().ToLowerInvariant()} does not apply");
        if (settings.AllViolations) throw new UsageException($"{netPath} is a composition model: --all-violations (every region) does not apply");
        var model = CompositionReader.ReadFile(netPath);
        var domain = BoxOption.Parse(settings.Box, model.InputDim);
        var points = PointsFile.Read(settings.PointsPath, model.InputDim);
        using var deadline = new CancellationTokenSource();
        using var timer = Deadline.Start(deadline, settings.Limits.Timeout);
        int lines = settings.Limits.MaxRegions == int.MaxValue ? MidpointSearch.DefaultLines : settings.Limits.MaxRegions;
        var result = CompositionCertifier.Certify(model, domain, points, lines, deadline.Token);
        if (result.Verdict != Verdict.Undecided) AtomicFile.Write(outPath, stream => CompositionCertifier.Write(result, model, stream));
        int exit = result.Verdict switch { Verdict.Convex => ExitCodes.Ok, Verdict.NotConvex => ExitCodes.Negative, _ => ExitCodes.Undecided };
        context.Out.Write(settings.Json ? Json(netPath, outPath, result, exit) + "\n" : Describe(netPath, outPath, result));
        return exit;
    }

    public static string Describe(string netPath, string outPath, CompositionResult r)
    {
        var sb = new StringBuilder();
        void Line(string label, string text) => sb.Append(CultureInfo.InvariantCulture, $"{label,-14}{text}\n");
        Line("network:", $"{netPath} (composition model, sha256 {r.NetworkSha256[..16]}…)");
        var counts = r.Derivation.Rules.SelectMany(l => l).Where(x => x is not null).GroupBy(x => x!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ×{g.Count()}");
        switch (r.Verdict)
        {
            case Verdict.Convex:
                Line("verdict:", "CONVEX by composition rules on all of R^d (so on any box)");
                Line("rules:", string.Join(", ", counts) + (r.Derivation.InputRule is null ? "" : "; input_quadratic psd"));
                Line("certificate:", $"{outPath} (convexproof-certificate/3, method composition)");
                break;
            case Verdict.NotConvex:
                var v = r.Search!.Violation!;
                Line("verdict:", $"NOT CONVEX on {DomainText.Of(r.Domain)}");
                Line("", $"f((x+y)/2) = {CompositionRules.Approx(v.FMid)} > {CompositionRules.Approx((v.Fx + v.Fy) / 2)} = (f(x)+f(y))/2, " +
                         $"by {CompositionRules.Approx(v.FMid - (v.Fx + v.Fy) / 2)} (exact values in the certificate)");
                Line("rules fail:", string.Join("; ", r.Derivation.Failures.Take(3)) + (r.Derivation.Failures.Count > 3 ? $"; … ({r.Derivation.Failures.Count} in all)" : ""));
                Line("search:", $"violation found on line {r.Search.Lines} ({r.Search.ExactChecks} candidates checked exactly)");
                Line("certificate:", $"{outPath} (counterexample only, convexproof-certificate/1)");
                break;
            default:
                Line("verdict:", "UNDECIDED");
                Line("", r.UndecidedReason!);
                Line("certificate:", "none written");
                break;
        }
        return sb.ToString();
    }

    private static string Json(string netPath, string outPath, CompositionResult r, int exit) => JsonLine.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("schema", CertifyJson.Schema);
        w.WriteString("network", netPath);
        w.WriteString("network_sha256", r.NetworkSha256);
        w.WriteString("verdict", r.Verdict switch { Verdict.Convex => "convex", Verdict.NotConvex => "not_convex", _ => "undecided" });
        w.WriteNumber("exit_code", exit);
        w.WriteString("method", "composition");
        if (r.Verdict == Verdict.Undecided) w.WriteNull("certificate"); else w.WriteString("certificate", outPath);
        w.WriteStartArray("rule_failures");
        foreach (var f in r.Derivation.Failures)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", f.Layer);
            w.WriteNumber("unit", f.Unit);
            if (f.IsChannel) w.WriteBoolean("channel", true); // a weight-shared layer: "unit" is an output channel
            w.WriteString("json_path", f.JsonPath);
            w.WriteString("reason", f.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Search is null) w.WriteNull("lines_searched"); else w.WriteNumber("lines_searched", r.Search.Lines);
        if (r.UndecidedReason is null) w.WriteNull("reason"); else w.WriteString("reason", r.UndecidedReason);
        w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
        w.WriteEndObject();
    });

    /// <summary>Exit 2 for an input error, as the region route does (one line naming the file and the JSON path).</summary>
    public static bool IsModel(string netPath) => CompositionReader.Declares(netPath);
}
