using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Penalty;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof penalty NET [--box …] [--json]`: the exact convexity penalty R/λ = Σ max(0, −c) over
/// every (unit, downstream pattern) condition, from a full enumeration (<see cref="PenaltyCalculator"/>).
/// </summary>
public sealed class PenaltyCommand : ICommand
{
    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json)");
    private readonly Option<string> _box = CommandOptions.Box("restrict to the box (default: all of R^d)");
    private readonly Option<bool> _json = CommandOptions.Json("print one JSON object (schema convexproof-penalty/1 in docs/formats.md) instead of text");
    private readonly Option<string> _maxRegions = CommandOptions.MaxRegions("stop after N regions (the penalty is then a lower bound; exit 3 unless a violation was found)");
    private readonly Option<string> _timeout = CommandOptions.Seconds("--timeout", "stop after S seconds (as --max-regions)");
    private readonly Option<string> _threads = CommandOptions.Count("--threads", "N", 1, 1024, "threads for region analysis (default: all cores; the result is the same)");

    public PenaltyCommand()
    {
        Definition = new Command("penalty", "the exact convexity penalty: every (unit, downstream pattern) value c and R/λ = Σ max(0, −c)")
        {
            _net, _box, _json, _maxRegions, _timeout, _threads,
        };
        Definition.Description += """

            Enumerates every region of the network in NET (net.json) on the domain and lists every
            condition (ν, a): a hidden unit ν switching alone on a frontier whose downstream pattern is a,
            with its exact value c = ⟨a, Φ^{ν→}⟩. Prints R/λ = Σ max(0, −c) (the convexity regulariser of
            Gagneux et al., eq. 5), per unit the worst c and the number of violating patterns, and the
            degenerate frontiers (several units switching at once) with their exact gradient jumps.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof penalty NET [--box LO:HI] [--json]";
    public string Epilogue => """
        exit codes: 0 convex (R = 0, no negative jump), 1 not convex, 2 bad input or usage,
                    3 undecided (a limit was reached), 4 internal error

        """;
    public string WrongArgumentCount(int given) => $"penalty takes one network file, got {given} (see 'convexproof penalty --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string? box = parsed.GetValue(_box);
        BoxOption.CheckSyntax(box);
        string path = parsed.GetValue(_net)!;
        var network = NetworkReader.ReadFile(path);
        var domain = DomainFor(box, network, path);
        var limits = new ExplorationLimits(CommandOptions.CountOf(parsed, _maxRegions) ?? int.MaxValue, CommandOptions.SecondsOf(parsed, _timeout));
        var report = PenaltyCalculator.Compute(network, domain, limits, CommandOptions.CountOf(parsed, _threads));
        context.Out.Write(parsed.GetValue(_json) ? PenaltyJson.Of(path, network, report) + "\n" : PenaltyText.Describe(path, network, report));
        return PenaltyJson.ExitCode(report);
    }

    /// <summary>--box for this network's dimension; a wrong dimension names the network.</summary>
    internal static Geometry.Domain DomainFor(string? box, Network network, string name)
    {
        try
        {
            return BoxOption.Parse(box, network.InputDim);
        }
        catch (UsageException e)
        {
            throw new UsageException($"{name}: {e.Message} (the network has {network.InputDim} inputs)");
        }
    }
}
