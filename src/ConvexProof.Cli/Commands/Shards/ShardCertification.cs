using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Sharding;

namespace ConvexProof.Cli.Commands;

/// <summary>What `certify --plan PLAN --shard K` was asked to do (the rest of certify's settings that apply).</summary>
public sealed record ShardSettings(string PlanPath, int Shard, CertifyMethod Method, int? MaxCount, TimeSpan? Timeout, int Threads,
    string? PointsPath, ProgressDisplay Progress, bool Json);

/// <summary>
/// `certify NET --plan PLAN --shard K --out PART`: certifies one shard (<see cref="PartCertifier"/>)
/// and writes its part file; undecided writes nothing (exit 3), so the shard can be re-run alone.
/// </summary>
public static class ShardCertification
{
    public static int Run(string netPath, string outPath, ShardSettings settings, CliContext context)
    {
        AtomicFile.RequireWritable(outPath);
        var method = settings.Method switch
        {
            CertifyMethod.Auto => PartMethod.Auto,
            CertifyMethod.Bounds => PartMethod.Bounds,
            CertifyMethod.Regions => PartMethod.Regions,
            _ => throw new UsageException("certify --plan takes --method auto, bounds or regions (a structural part comes from auto or bounds)"),
        };
        var (plan, planSha) = ShardPlan.Read(settings.PlanPath);
        if (settings.Shard >= plan.Shards.Count)
            throw new UsageException($"--shard {settings.Shard}: the plan {settings.PlanPath} has shards 0 to {plan.Shards.Count - 1}");
        var network = NetworkReader.ReadFile(netPath);
        if (NetworkHash.Sha256(network) != plan.NetworkSha256)
            throw new InputException(settings.PlanPath, "$.network_sha256", $"the plan is for another network than {netPath}");
        if (plan.Domain.Dimension != network.InputDim)
            throw new InputException(settings.PlanPath, "$.domain", $"a box of dimension {plan.Domain.Dimension}, but {netPath} has {network.InputDim} inputs");
        var points = PointsFile.Read(settings.PointsPath, network.InputDim);
        PartOutcome outcome;
        try
        {
            outcome = PartCertifier.Certify(network, plan, settings.Shard, new PartOptions
            {
                Method = method,
                MaxNodes = settings.MaxCount ?? PartOptions.DefaultMaxNodes,
                MaxRegions = settings.MaxCount ?? int.MaxValue,
                Timeout = settings.Timeout,
                Points = points,
                Parallelism = settings.Threads,
                Progress = settings.Progress.Callback,
            });
        }
        finally
        {
            settings.Progress.Finish();
        }
        if (outcome.Verdict != PartVerdict.Undecided)
            AtomicFile.Write(outPath, s => PartFile.Write(outcome, plan, planSha, network.NeuronCount, s));
        int code = outcome.Verdict switch
        {
            PartVerdict.Convex => ExitCodes.Ok,
            PartVerdict.NotConvex => ExitCodes.Negative,
            _ => ExitCodes.Undecided,
        };
        context.Out.Write(settings.Json ? ToJson(outcome, plan, outPath, code) + "\n" : Describe(outcome, plan, outPath));
        return code;
    }

    /// <summary>The value of the "schema" field of the --json object.</summary>
    public const string JsonSchema = "convexproof-shard/1";

    private static string ToJson(PartOutcome o, ShardPlan plan, string outPath, int code) => JsonLine.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("schema", JsonSchema);
        w.WriteNumber("shard", o.Shard);
        w.WriteNumber("shards", plan.Shards.Count);
        w.WriteString("verdict", o.Verdict switch { PartVerdict.Convex => "convex", PartVerdict.NotConvex => "not_convex", _ => "undecided" });
        w.WriteNumber("exit_code", code);
        w.WriteString("method", o.Method);
        if (o.Verdict == PartVerdict.Undecided) w.WriteNull("part");
        else w.WriteString("part", outPath);
        w.WritePropertyName("box");
        JsonLine.WriteBox(w, [.. o.Box.Lower!.Select(v => v.ToString())], [.. o.Box.Upper!.Select(v => v.ToString())]);
        w.WriteNumber("regions", o.Regions);
        w.WriteString("reason", o.Reason);
        w.WriteNumber("seconds", Math.Round(o.Elapsed.TotalSeconds, 3));
        w.WriteEndObject();
    });

    private static string Describe(PartOutcome o, ShardPlan plan, string outPath)
    {
        string verdict = o.Verdict switch
        {
            PartVerdict.Convex => "CONVEX on the shard",
            PartVerdict.NotConvex => "NOT CONVEX (the counterexample decides the whole domain)",
            _ => "UNDECIDED (no part written; re-run this shard with a larger --max-regions or --timeout)",
        };
        return $"verdict:    {verdict}\n" +
               $"shard:      {o.Shard} of {plan.Shards.Count}: {ShardText.Box(o.Box, plan.Domain)}\n" +
               $"method:     {o.Method}\n" +
               (o.Verdict == PartVerdict.Undecided ? "" : $"part:       {outPath}\n") +
               $"reason:     {o.Reason}\n" +
               $"time:       {o.Elapsed.TotalSeconds:0.###} s\n";
    }
}
