using System.CommandLine;
using ConvexProof.Checker;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof check-equiv NET NET2 CERT`: verifies an equivalence certificate with the independent
/// checker (src/ConvexProof.Checker/Equivalence): exit 0 and the statement when valid, 1 and
/// "INVALID: reason" when not, 2 for unreadable input.
/// </summary>
public sealed class CheckEquivCommand : ICommand
{
    private readonly Argument<string> _net = CommandOptions.File("NET", "the original network (net.json)");
    private readonly Argument<string> _net2 = CommandOptions.File("NET2", "the network claimed equivalent (net.json)");
    private readonly Argument<string> _cert = CommandOptions.File("CERT", "the equivalence certificate");
    private readonly Option<string> _box = CommandOptions.Box("require the certificate's domain to be exactly this box (default: accept and state its domain)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("print only the verdict line");

    public CheckEquivCommand()
    {
        Definition = new Command("check-equiv", "verify an equivalence certificate (simplify, to-icnn) with the independent checker") { _net, _net2, _cert, _box, _quiet };
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof check-equiv NET NET2 CERT [--box LO:HI] [--quiet]";
    public string Epilogue => "Replays CERT (convexproof-equivalence/1) from NET on the exact weights; it must arrive at exactly NET2.\n" +
                              "exit codes: 0 valid, 1 invalid, 2 unreadable input or usage error\n";
    public string WrongArgumentCount(int given) => $"check-equiv needs three arguments: NET NET2 CERT, got {given} (see 'convexproof check-equiv --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string net = parsed.GetValue(_net)!, net2 = parsed.GetValue(_net2)!, cert = parsed.GetValue(_cert)!;
        string? box = parsed.GetValue(_box);
        CheckResult result;
        try
        {
            foreach (var path in new[] { net, net2, cert })
                if (InputFiles.Problem(path) is string problem) throw new CheckerInputException(path, "$", problem);
            result = EquivalenceChecker.Check(net, net2, cert, box);
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
        context.Out.WriteLine(parsed.GetValue(_quiet) ? (result.Valid ? "VALID" : "INVALID") : result.ToString());
        return result.Valid ? ExitCodes.Ok : ExitCodes.Negative;
    }
}
