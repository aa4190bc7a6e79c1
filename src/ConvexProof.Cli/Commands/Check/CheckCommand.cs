using System.CommandLine;
using System.Diagnostics;
using ConvexProof.Checker;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof check NET CERT`: re-verifies a certificate with the independent checker
/// (src/ConvexProof.Checker, which shares no code with the engine). Exit 0 and the statement of
/// what was proved (and on which domain) when valid; exit 1 and "INVALID: reason" when not; exit 2
/// for unreadable input.
/// </summary>
public sealed class CheckCommand : ICommand
{
    /// <summary>The value of <c>--domain</c> that requires a proof on all of R^d.</summary>
    public const string Everywhere = "R^d";

    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json)");
    private readonly Argument<string> _cert = CommandOptions.File("CERT", "the certificate (cert.json)");
    private readonly Option<string> _box = CommandOptions.Box("require the certificate's domain to be exactly this box (default: accept and state its domain)");
    private readonly Option<string> _domain = CommandOptions.Text("--domain", "R^d",
        "require a convexity proof on all of R^d: a certificate proving convexity on a box only is then invalid (exit 1)");
    private readonly Option<bool> _json = CommandOptions.Json("print one JSON object (schema convexproof-check/1, docs/cli.md) instead of the text");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("do not print the checking time on stderr");

    public CheckCommand()
    {
        _domain.CompletionSources.Add(Everywhere);
        Definition = new Command("check", "re-verify a certificate with the independent checker")
        {
            _net, _cert, _box, _domain, _json, _quiet,
        };
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof check NET CERT [--box LO:HI | --box LO1:HI1,... | --domain R^d] [--json] [--quiet]";
    public string Epilogue => "Checks CERT (convexproof-certificate/1) against the network NET with exact arithmetic only.\n" +
                              "exit codes: 0 valid, 1 invalid, 2 unreadable input or usage error\n";
    public string WrongArgumentCount(int given) => "check needs two arguments: NET CERT (see 'convexproof check --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        bool json = parsed.GetValue(_json);
        string net = parsed.GetValue(_net)!, cert = parsed.GetValue(_cert)!;
        string? box = parsed.GetValue(_box), domain = parsed.GetValue(_domain);
        if (domain is not null && domain != Everywhere)
            throw new UsageException($"option --domain takes {Everywhere} (all of R^d), not '{domain}'; --box LO:HI requires a box");
        if (domain is not null && box is not null) throw new UsageException("--domain and --box cannot be combined (each names the domain to require)");
        var clock = Stopwatch.StartNew();
        var report = new CheckReport(net, cert);
        CheckResult result;
        try
        {
            RequireReadable(net);
            RequireReadable(cert);
            result = CertificateChecker.Check(net, cert, box);
        }
        catch (CheckerInputException e)
        {
            context.Error.WriteLine($"convexproof: {e.Message}");
            if (json) context.Out.WriteLine(report.Json(ExitCodes.Usage, clock.Elapsed, error: e));
            return ExitCodes.Usage;
        }
        catch (ArgumentException e) when (box is not null)
        {
            throw new UsageException($"--box '{box}': {e.Message}");
        }
        CertificateDomain? proved = result.Valid ? CertificateDomain.Read(cert, net) : null;
        if (domain is not null && result is { Valid: true, Verdict: "convex" } && proved is { IsBox: true })
            result = new CheckResult(false, null, null,
                $"the certificate proves convexity on the box {proved} only, not on all of R^{proved.Dimension} (--domain {Everywhere})");

        int code = result.Valid ? ExitCodes.Ok : ExitCodes.Negative;
        if (!result.Valid) proved = null;
        context.Out.WriteLine(json ? report.Json(code, clock.Elapsed, result, proved) : report.Text(result, proved));
        if (!parsed.GetValue(_quiet) && !json) context.Error.WriteLine($"convexproof: checked in {clock.Elapsed.TotalSeconds:F2} s");
        return code;
    }

    /// <summary>A missing, unreadable or directory path is an input error in the CLI's words (the checker names .NET's).</summary>
    private static void RequireReadable(string path)
    {
        if (InputFiles.Problem(path) is string problem) throw new CheckerInputException(path, "$", problem);
    }
}
