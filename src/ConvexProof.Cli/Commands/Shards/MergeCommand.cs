using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Sharding;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof merge PLAN PART... --out CERT`: one certificate from the parts of a plan
/// (<see cref="CertificateMerge"/>) that `check` verifies like any other: a bound certificate, a
/// refutation, or a sharded certificate (format /4) whose tiling and shared faces the checker verifies.
/// </summary>
public sealed class MergeCommand : ICommand
{
    private readonly Argument<string> _plan = CommandOptions.File("PLAN", "the plan (written by convexproof plan)");
    private readonly Argument<string[]> _parts = new("PART") { Description = "the part files (written by certify --plan … --shard K)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _out = CommandOptions.Text("--out", "CERT", "where to write the merged certificate (written to a temp file, then renamed)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("print nothing but errors");
    private readonly Option<bool> _json = CommandOptions.Json("print one JSON object (schema convexproof-merge/1, docs/cli.md) instead of text");

    /// <summary>The value of the "schema" field of the --json object.</summary>
    public const string JsonSchema = "convexproof-merge/1";

    public MergeCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("merge", "join the parts of a sharded certification into one certificate") { _plan, _parts, _out, _quiet, _json };
        Definition.Description += """

            Checks that the parts are for this plan and its network and that there is exactly one
            part per shard, then writes one certificate for the plan's domain: a not-convex part's
            refutation (it decides the network even when other parts are missing); the bound
            certificate whose split tree is the plan's with each shard's tree grafted at its leaf
            (every shard convex by bounds); or, when some shard is convex by regions, the sharded
            certificate: the plan's tree with each shard's certificate at its leaf. A region-certified
            shard with a unit whose kink lies in a face shared with another shard does not merge.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof merge PLAN PART... --out CERT";
    public string Epilogue => """
        exit codes: 0 convex certificate written, 1 not-convex certificate written, 2 bad input or usage
                    (a missing, duplicate or foreign part), 3 every shard convex but a unit's kink lies in a
                    shared face (no certificate: make a plan with other split values), 4 internal error

        """;
    public string WrongArgumentCount(int given) => "merge takes a plan and its part files (see 'convexproof merge --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string planPath = parsed.GetValue(_plan)!;
        var parts = parsed.GetValue(_parts) ?? [];
        string outPath = parsed.GetValue(_out) ?? throw new UsageException("merge needs --out CERT (where to write the certificate)");
        AtomicFile.RequireWritable(outPath);
        var (plan, sha) = ShardPlan.Read(planPath);
        var outcome = CertificateMerge.Merge(plan, planPath, sha, parts, write => AtomicFile.TryWrite(outPath, write));
        bool quiet = parsed.GetValue(_quiet);
        int code = outcome.Verdict switch
        {
            MergeVerdict.Convex => ExitCodes.Ok,
            MergeVerdict.NotConvex => ExitCodes.Negative,
            _ => ExitCodes.Undecided,
        };
        if (parsed.GetValue(_json))
        {
            context.Out.WriteLine(JsonLine.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("schema", JsonSchema);
                w.WriteString("verdict", outcome.Verdict switch { MergeVerdict.Convex => "convex", MergeVerdict.NotConvex => "not_convex", _ => "undecided" });
                w.WriteNumber("exit_code", code);
                if (code == ExitCodes.Undecided) w.WriteNull("certificate");
                else w.WriteString("certificate", outPath);
                w.WriteNumber("shards", plan.Shards.Count);
                if (outcome.DecidingShard is int k) w.WriteNumber("deciding_shard", k);
                else w.WriteNull("deciding_shard");
                w.WriteString("reason", outcome.Reason);
                w.WriteEndObject();
            }));
            return code;
        }
        switch (outcome.Verdict)
        {
            case MergeVerdict.KinkInSharedFace:
                context.Error.WriteLine($"convexproof: {planPath}: {outcome.Reason}");
                return ExitCodes.Undecided;
            case MergeVerdict.NotConvex:
                if (!quiet) context.Out.Write($"verdict:    NOT CONVEX on {DomainText.Of(plan.Domain)}\ncertificate: {outPath}\nreason:     {outcome.Reason}\n");
                return ExitCodes.Negative;
            default:
                if (!quiet) context.Out.Write($"verdict:    CONVEX on {DomainText.Of(plan.Domain)}\ncertificate: {outPath}\nreason:     {outcome.Reason}\n");
                return ExitCodes.Ok;
        }
    }
}
