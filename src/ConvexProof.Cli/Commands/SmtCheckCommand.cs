using System.CommandLine;
using System.Globalization;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Smt;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof smt-check NET`: an independent second opinion from z3 (docs/smt.md). Asks whether
/// some x, y in the domain have f((x+y)/2) &gt; (f(x)+f(y))/2; a counterexample is re-verified with
/// exact evaluation before "not convex" is printed.
/// </summary>
public sealed class SmtCheckCommand : ICommand
{
    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json)");
    private readonly Option<string> _box = CommandOptions.Box("decide on the box");
    private readonly Option<string> _timeout = CommandOptions.Seconds("--timeout", "give up after S seconds (exit 3, undecided); default: no limit");
    private readonly Option<string> _z3 = CommandOptions.Z3();
    private readonly Option<string> _query = CommandOptions.Text("--query", "Q", "midpoint (x, y), local (kink m, direction t) or both at once (default)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("do not print the solver and the time on stderr");

    public SmtCheckCommand()
    {
        _query.CompletionSources.Add("both", "midpoint", "local");
        Definition = new Command("smt-check", "decide convexity with the z3 SMT solver (independent second opinion)")
        {
            _net, _box, _timeout, _z3, _query, _quiet,
        };
        Definition.Description += "\nAsks z3 for x, y with f((x+y)/2) > (f(x)+f(y))/2 (exact QF_LRA queries; docs/smt.md).";
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof smt-check NET [--box LO:HI | --box LO1:HI1,...] [--timeout S] [--z3 PATH] [--query both|midpoint|local] [--quiet]";
    public string Epilogue => "exit codes: 0 convex, 1 not convex (x, y and f values printed), 2 bad input or z3 not startable, 3 undecided\n";
    public string WrongArgumentCount(int given) => $"smt-check takes one network file, got {given} arguments (see 'convexproof smt-check --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string? z3 = parsed.GetValue(_z3);
        if (z3 is { Length: 0 }) throw new UsageException("option --z3 needs a path");
        bool quiet = parsed.GetValue(_quiet);
        var query = parsed.GetValue(_query) switch
        {
            null or "both" => SmtQueryKind.Both,
            "midpoint" => SmtQueryKind.Midpoint,
            "local" => SmtQueryKind.Local,
            var other => throw new UsageException($"option --query takes both, midpoint or local, not '{other}'"),
        };
        BoxOption.CheckSyntax(parsed.GetValue(_box));
        var network = NetworkReader.ReadFile(parsed.GetValue(_net)!);
        var domain = BoxOption.Parse(parsed.GetValue(_box), network.InputDim);
        var options = new SmtOptions { SolverPath = z3, Timeout = CommandOptions.SecondsOf(parsed, _timeout), Query = query };

        SmtVerdict verdict;
        try
        {
            verdict = SmtConvexityChecker.Decide(network, domain, options);
        }
        catch (SolverUnavailableException e)
        {
            context.Error.WriteLine($"convexproof: {e.Message}");
            return ExitCodes.Usage;
        }

        string seconds = verdict.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        switch (verdict.Kind)
        {
            case SmtVerdictKind.Convex:
                context.Out.WriteLine("convex");
                if (!quiet) context.Error.WriteLine($"smt-check: {verdict.SolverVersion} found no violation on {DomainText.Of(domain)} ({verdict.Query} query unsat, {seconds} s)");
                return ExitCodes.Ok;
            case SmtVerdictKind.NotConvex:
                var half = new Rational(1, 2);
                context.Out.WriteLine("not convex");
                context.Out.WriteLine($"x = {Vector(verdict.X!)}");
                context.Out.WriteLine($"y = {Vector(verdict.Y!)}");
                context.Out.WriteLine($"f(x) = {verdict.Fx}");
                context.Out.WriteLine($"f(y) = {verdict.Fy}");
                context.Out.WriteLine($"f((x+y)/2) = {verdict.FMid} > (f(x)+f(y))/2 = {(verdict.Fx!.Value + verdict.Fy!.Value) * half}");
                if (!quiet) context.Error.WriteLine($"smt-check: counterexample from {verdict.SolverVersion} ({verdict.Query} query), re-verified with exact arithmetic ({seconds} s)");
                return ExitCodes.Negative;
            default:
                context.Out.WriteLine($"undecided: {verdict.Reason}");
                return ExitCodes.Undecided;
        }
    }

    private static string Vector(Rational[] v) => "[" + string.Join(", ", v.Select(r => r.ToString())) + "]";
}
