using System.CommandLine;
using System.Text;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Sharding;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof plan NET --box … --shards N --out PLAN`: splits the box into N shards of similar
/// estimated work (<see cref="ShardPlanner"/>), for `certify --plan PLAN --shard K` and `merge`.
/// </summary>
public sealed class PlanCommand : ICommand
{
    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json)");
    private readonly Option<string> _box = CommandOptions.Box("the domain to split (required)");
    private readonly Option<string> _shards = CommandOptions.Count("--shards", "N", 1, 65_536, "how many shards (parts certified independently)");
    private readonly Option<string> _out = CommandOptions.Text("--out", "PLAN", "where to write the plan (written to a temp file, then renamed)");
    private readonly Option<string> _explore = CommandOptions.Count("--explore", "NODES", 1, 1_000_000,
        $"branch-and-bound nodes of the short exploration that estimates each candidate part's work (default {ShardPlanner.DefaultExploreNodes})");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("print nothing but errors");

    public PlanCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("plan", "split a box into shards for certification on several machines") { _net, _box, _shards, _out, _explore, _quiet };
        Definition.Description += """

            Splits the box into N shards (boxes) of similar work: the part whose short exploration
            (branch and bound with a small node budget) needs the most work is bisected, until there
            are N. Each shard is certified by `convexproof certify NET --plan PLAN --shard K --out
            part-K.json` (independent processes: a job array), and `convexproof merge PLAN part-*.json
            --out CERT` joins the parts into one certificate that `convexproof check` verifies.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof plan NET --box LO:HI --shards N --out PLAN [--explore NODES]";
    public string Epilogue => "exit codes: 0 plan written, 2 bad input or usage, 4 internal error\n";
    public string WrongArgumentCount(int given) => $"plan takes one network file, got {given} (see 'convexproof plan --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string netPath = parsed.GetValue(_net)!;
        string box = parsed.GetValue(_box) ?? throw new UsageException("plan needs --box LO:HI (shards are boxes; bounds need a box)");
        int shards = CommandOptions.CountOf(parsed, _shards) ?? throw new UsageException("plan needs --shards N");
        string outPath = parsed.GetValue(_out) ?? throw new UsageException("plan needs --out PLAN (where to write the plan)");
        BoxOption.CheckSyntax(box);
        AtomicFile.RequireWritable(outPath);
        var network = NetworkReader.ReadFile(netPath);
        Geometry.Domain domain;
        try
        {
            domain = BoxOption.Parse(box, network.InputDim);
        }
        catch (UsageException e)
        {
            throw new UsageException($"{netPath}: {e.Message} (the network has {network.InputDim} inputs)");
        }
        var (plan, planned) = ShardPlanner.Plan(network, domain, shards, CommandOptions.CountOf(parsed, _explore) ?? ShardPlanner.DefaultExploreNodes);
        var bytes = plan.ToBytes();
        AtomicFile.Write(outPath, s => s.Write(bytes));
        if (!parsed.GetValue(_quiet)) context.Out.Write(Describe(outPath, plan, ShardPlan.Sha256(bytes), planned));
        return ExitCodes.Ok;
    }

    private static string Describe(string outPath, ShardPlan plan, string sha, IReadOnlyList<PlannedShard> planned)
    {
        var sb = new StringBuilder();
        sb.Append($"plan:       {outPath} ({planned.Count} shards of {DomainText.Of(plan.Domain)}; sha256 {sha})\n");
        for (int k = 0; k < planned.Count; k++)
            sb.Append($"{$"shard {k}:",-12}{ShardText.Box(planned[k].Box, plan.Domain)}  (estimated work {planned[k].EstimatedWork} " +
                      $"node{(planned[k].EstimatedWork == 1 ? "" : "s")}{(planned[k].Certified ? ", certified by the exploration" : "")})\n");
        return sb.ToString();
    }
}
