using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Regions;
using ConvexProof.Smt;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof certify NET --out CERT`: decides convexity and writes the certificate.
/// `convexproof certify NET... --out-dir DIR`: the same for several networks, one line each.
/// This type declares the options and checks the command line; <see cref="NetworkCertification"/>
/// certifies one network, <see cref="BatchCertification"/> many, and <see cref="CertifySummary"/> /
/// <see cref="CertifyJson"/> present the outcome.
/// </summary>
public sealed class CertifyCommand : ICommand
{
    private readonly Argument<string[]> _nets = new("NET") { Description = "the network(s) (net.json); several need --out-dir", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _out = CommandOptions.Text("--out", "CERT", "where to write the certificate (written to a temp file, then renamed)");
    private readonly Option<string> _outDir = CommandOptions.Text("--out-dir", "DIR",
        "batch mode: certify every NET, writing DIR/<name>.cert.json (<name> is NET's file name without .json); one line per network; DIR is created");
    private readonly Option<string> _box = CommandOptions.Box("restrict to the box (default: all of R^d)");
    private readonly Option<bool> _allViolations = CommandOptions.Flag("--all-violations",
        "explore every region and report every violated condition (a full not_convex certificate); by default exploration stops at the " +
        "first exactly verified violation and writes a refutation-only certificate");
    private readonly Option<string> _maxRegions = CommandOptions.MaxRegions("stop after N regions (exit 3, undecided, unless a violation was found)");
    private readonly Option<string> _timeout = CommandOptions.Seconds("--timeout",
        "stop after S seconds (exit 3, undecided, unless a violation was found); in batch mode the limits apply to each network");
    private readonly Option<bool> _json = CommandOptions.Json("print a JSON summary instead of the human one (one object per line in batch mode; schema in docs/cli.md)");
    private readonly Option<string> _threads = CommandOptions.Count("--threads", "N", 1, 1024, "threads for region analysis (default: all cores; the certificate is the same)");
    private readonly Option<bool> _noSmt = CommandOptions.Flag("--no-smt", "do not ask Z3 to confirm degenerate frontiers independently");
    private readonly Option<string> _z3 = CommandOptions.Z3();
    private readonly Option<bool> _quiet = CommandOptions.Quiet("no progress display (and, in batch mode, no closing tally on stderr)");
    private readonly Option<bool> _progress = CommandOptions.Progress();
    private readonly Option<string> _method = CommandOptions.Text("--method", "M",
        "auto (default: the ICNN sign rule when it applies, bounds on a box with too many regions to list, else regions), " +
        "regions (enumerate), bounds (interval/linear bounds with branch and bound on a box), icnn (the sign rule only)");
    private readonly Option<string> _points = CommandOptions.Text("--points", "FILE",
        "bound route: search lines through these points first (a JSON array of points, e.g. samples of your data)");
    private readonly Option<string> _plan = CommandOptions.Text("--plan", "PLAN", "sharded certification: the plan (convexproof plan); needs --shard");
    private readonly Option<string> _shard = CommandOptions.Count("--shard", "K", 0, int.MaxValue,
        "sharded certification: certify shard K of --plan and write its part file to --out (for convexproof merge)");

    public CertifyCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("certify", "decide convexity exactly and write a certificate")
        {
            _nets, _out, _outDir, _box, _allViolations, _maxRegions, _timeout, _json, _threads, _noSmt, _z3, _quiet, _progress, _method, _points, _plan, _shard,
        };
        Definition.Description += "\nDecides exactly whether the network in NET (net.json, see docs/formats.md) computes a convex\n" +
                                  "function on the domain, and writes a certificate that `convexproof check` re-verifies.";
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof certify NET --out CERT [options]\n       convexproof certify NET... --out-dir DIR [options]";
    public string Epilogue => """
        exit codes: 0 convex, 1 not convex, 2 bad input or usage, 3 undecided (a limit was reached),
                    4 internal error (--debug shows the stack trace)
        batch mode: 2 if any input error, else 3 if any undecided, else 1 if any not convex, else 0

        """;
    public string WrongArgumentCount(int given) => "certify takes a network file (see 'convexproof certify --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        var nets = parsed.GetValue(_nets)!;
        string? outPath = parsed.GetValue(_out), outDir = parsed.GetValue(_outDir);
        if (outPath is not null && outDir is not null)
            throw new UsageException("--out and --out-dir cannot be combined (--out for one network, --out-dir for several)");
        if (outDir is null && nets.Length != 1)
            throw new UsageException($"certify got {nets.Length} network files: certify several with --out-dir DIR (see 'convexproof certify --help')");
        if (outDir is null && outPath is null) throw new UsageException("certify needs --out CERT (where to write the certificate)");
        bool quiet = parsed.GetValue(_quiet);
        if (parsed.GetValue(_plan) is not null || parsed.GetValue(_shard) is not null) return RunShard(parsed, nets[0], outPath, outDir, quiet, context);
        var settings = new CertifySettings(
            parsed.GetValue(_box),
            new ExplorationLimits(CommandOptions.CountOf(parsed, _maxRegions) ?? int.MaxValue, CommandOptions.SecondsOf(parsed, _timeout)),
            parsed.GetValue(_json),
            quiet,
            ProgressDisplay.Create(context.Error, quiet, parsed.GetValue(_progress)),
            parsed.GetValue(_noSmt) ? null : new SmtOptions { SolverPath = parsed.GetValue(_z3), Timeout = TimeSpan.FromSeconds(10) },
            CommandOptions.CountOf(parsed, _threads) ?? Environment.ProcessorCount,
            parsed.GetValue(_allViolations),
            context.Error)
        {
            Method = MethodChoice.Parse(parsed.GetValue(_method)),
            PointsPath = parsed.GetValue(_points),
        };
        BoxOption.CheckSyntax(settings.Box); // syntax errors are usage errors, before any work

        return outDir is null ? RunSingle(nets[0], outPath!, settings, context) : BatchCertification.Run(nets, outDir, settings, context);
    }

    /// <summary>`--plan PLAN --shard K`: one shard, its part file (<see cref="ShardCertification"/>).</summary>
    private int RunShard(ParseResult parsed, string netPath, string? outPath, string? outDir, bool quiet, CliContext context)
    {
        string plan = parsed.GetValue(_plan) ?? throw new UsageException("--shard needs --plan PLAN");
        int shard = CommandOptions.CountOf(parsed, _shard) ?? throw new UsageException("--plan needs --shard K (which shard to certify)");
        if (outDir is not null) throw new UsageException("--plan certifies one shard: give --out PART, not --out-dir");
        if (parsed.GetValue(_box) is not null) throw new UsageException("--plan takes the shard's box from the plan: --box cannot be given");
        if (parsed.GetValue(_allViolations)) throw new UsageException("--all-violations cannot be combined with --plan (a part stops at its first violation)");
        var settings = new ShardSettings(plan, shard, MethodChoice.Parse(parsed.GetValue(_method)), CommandOptions.CountOf(parsed, _maxRegions),
            CommandOptions.SecondsOf(parsed, _timeout), CommandOptions.CountOf(parsed, _threads) ?? Environment.ProcessorCount,
            parsed.GetValue(_points), ProgressDisplay.Create(context.Error, quiet, parsed.GetValue(_progress)), parsed.GetValue(_json));
        return ShardCertification.Run(netPath, outPath!, settings, context);
    }

    private static int RunSingle(string netPath, string outPath, CertifySettings settings, CliContext context)
    {
        AtomicFile.RequireWritable(outPath);
        if (CompositionCertification.IsModel(netPath)) return CompositionCertification.Run(netPath, outPath, settings, context); // quadratic parts: rules, midpoint search
        CertifyOutcome outcome;
        try
        {
            outcome = NetworkCertification.Run(netPath, outPath, settings);
        }
        finally
        {
            settings.Progress.Finish(); // also before an internal error's line
        }
        if (settings.Json) context.Out.WriteLine(CertifyJson.Of(outcome));
        if (outcome.Error is not null)
        {
            context.Error.WriteLine($"convexproof: {outcome.Error}");
            return ExitCodes.Usage;
        }
        if (!settings.Json) context.Out.Write(CertifySummary.Describe(outcome));
        return outcome.ExitCode;
    }
}
