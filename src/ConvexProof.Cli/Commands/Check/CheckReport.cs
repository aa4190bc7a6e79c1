using ConvexProof.Checker;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>What `check` prints: the checker's statement (or reason) as text, or one JSON object (schema in docs/cli.md).</summary>
public sealed class CheckReport(string network, string certificate)
{
    /// <summary>The value of the "schema" field of the --json object.</summary>
    public const string JsonSchema = "convexproof-check/1";

    /// <summary>
    /// The checker's paragraph, with a box of equal intervals written as "[-1, 1]^d" (the checker
    /// lists every interval).
    /// </summary>
    public string Text(CheckResult result, CertificateDomain? domain)
    {
        string text = result.ToString();
        if (domain is { IsBox: true } && domain.ToString() != domain.CheckerText)
            text = text.Replace($"the box {domain.CheckerText}", $"the box {domain}", StringComparison.Ordinal);
        return text;
    }

    public string Json(int code, TimeSpan elapsed, CheckResult? result = null, CertificateDomain? domain = null, CheckerInputException? error = null)
    {
        return JsonLine.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("schema", JsonSchema);
            w.WriteString("network", network);
            w.WriteString("certificate", certificate);
            w.WriteNumber("exit_code", code);
            if (result is null) w.WriteNull("valid"); else w.WriteBoolean("valid", result.Valid);
            if (result?.Verdict is string verdict) w.WriteString("verdict", verdict); else w.WriteNull("verdict");
            if (domain is null) w.WriteNull("domain"); else w.WriteString("domain", domain.ToString());
            w.WritePropertyName("box");
            if (domain is { IsBox: true }) JsonLine.WriteBox(w, domain.Lower!, domain.Upper!);
            else w.WriteNullValue();
            if (result is { Statement: not null }) w.WriteString("statement", Text(result, domain)); else w.WriteNull("statement");
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
        });
    }
}
