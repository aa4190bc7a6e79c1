using System.Diagnostics;
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
        "usage: convexproof check NET CERT [--box LO:HI | --box LO1:HI1,...] [--quiet]\n" +
        "  Checks CERT (convexproof-certificate/1) against the network NET with exact arithmetic only.\n" +
        "  --box   require the certificate's domain to be exactly this box (default: accept and state its domain)\n" +
        "  --quiet do not print the checking time on stderr\n" +
        "exit codes: 0 valid, 1 invalid, 2 unreadable input or usage error\n";

    public int Run(string[] args, CliContext context)
    {
        var arguments = new ArgumentList(args, ["--box"], ["--quiet"]);
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
            return ExitCodes.Usage;
        }
        catch (ArgumentException e) when (box is not null)
        {
            throw new UsageException($"--box '{box}': {e.Message}");
        }
        context.Out.WriteLine(result.ToString());
        if (!arguments.Flag("--quiet")) context.Error.WriteLine($"convexproof: checked in {clock.Elapsed.TotalSeconds:F2} s");
        return result.Valid ? ExitCodes.Ok : ExitCodes.Negative;
    }
}
