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
    public string Name => "smt-check";
    public string Summary => "decide convexity with the z3 SMT solver (independent second opinion)";
    public string Usage =>
        "usage: convexproof smt-check NET [--box LO:HI | --box LO1:HI1,...] [--timeout S] [--z3 PATH] [--query both|midpoint|local] [--quiet]\n" +
        "  asks z3 for x, y with f((x+y)/2) > (f(x)+f(y))/2 (exact QF_LRA queries; docs/smt.md)\n" +
        "  --timeout S   give up after S seconds (exit 3, undecided); default: no limit\n" +
        "  --z3 PATH     the z3 binary (default: z3 on PATH)\n" +
        "  --query Q     midpoint (x, y), local (kink m, direction t) or both at once (default)\n" +
        "  exit 0 convex, 1 not convex (x, y and f values printed), 2 bad input or z3 not startable, 3 undecided\n";

    public int Run(string[] args, CliContext context)
    {
        var list = new ArgumentList(args, ["--box", "--timeout", "--z3", "--query"], ["--quiet"]);
        if (list.Positionals.Count != 1)
            throw new UsageException($"smt-check takes one network file, got {list.Positionals.Count} arguments (see 'convexproof smt-check --help')");
        var timeout = list.SecondsValue("--timeout");
        string? z3 = list.Value("--z3");
        if (z3 is { Length: 0 }) throw new UsageException("option --z3 needs a path");
        bool quiet = list.Flag("--quiet");
        var query = list.Value("--query") switch
        {
            null or "both" => SmtQueryKind.Both,
            "midpoint" => SmtQueryKind.Midpoint,
            "local" => SmtQueryKind.Local,
            var other => throw new UsageException($"option --query takes both, midpoint or local, not '{other}'"),
        };
        var network = NetworkReader.ReadFile(list.Positionals[0]);
        var domain = BoxOption.Parse(list.Value("--box"), network.InputDim);
        var options = new SmtOptions
        {
            SolverPath = z3,
            Timeout = timeout is double s ? TimeSpan.FromSeconds(s) : null,
            Query = query,
        };

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
                if (!quiet) context.Error.WriteLine($"smt-check: {verdict.SolverVersion} found no violation on {domain} ({verdict.Query} query unsat, {seconds} s)");
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
