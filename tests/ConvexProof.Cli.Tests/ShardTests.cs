namespace ConvexProof.Cli.Tests;

/// <summary>
/// `plan`, `certify --plan … --shard K` and `merge`: the whole cycle through the CLI, with `check`
/// verifying the merged certificate; exit codes; parts that do not belong are rejected in one line.
/// </summary>
public class ShardTests
{
    /// <summary>Convex on [0, 1]^2 but not an ICNN; bounds certify it (PairOfOnUnits of CertifyMethodTests).</summary>
    private const string ConvexByBounds = """
        {"input_dim":2,"layers":[{"weights":[[1,0],[1,0],[0,1]],"bias":[1,0,"-1/2"],"activation":"relu"},
         {"weights":[[1,-1,0],[-1,1,0],[1,0,1]],"bias":["-1/2","3/2",-2],"activation":"relu"},
         {"weights":[[1,1,2]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>−|x1| + x2: each half of [−1, 1]^2 split at x1 = 0 is affine; the concave kink is the shared face.</summary>
    private const string NegAbsInFace = """
        {"input_dim":2,"layers":[{"weights":[[1,0],[-1,0]],"bias":[0,0],"activation":"relu"},
         {"weights":[[-1,-1]],"bias":[0],"skip":[[0,1]],"activation":"identity"}]}
        """;

    /// <summary>
    /// A plan of NegAbsInFace split at its kink x1 = 0: the planner cuts at 1/32 instead (x1 = 0 is a
    /// first-layer unit's hyperplane), so the cut is moved back by hand, as an older or foreign plan could have it.
    /// </summary>
    private static void PlanAtTheKink(string net, string plan)
    {
        Assert.Equal(0, Cli.Invoke("plan", net, "--box", "-1:1", "--shards", "2", "--out", plan, "--quiet").Code);
        string text = File.ReadAllText(plan);
        Assert.Contains("{\"node\":\"box\",\"coordinate\":0,\"at\":\"1/32\"}", text);
        File.WriteAllText(plan, text.Replace("\"at\":\"1/32\"", "\"at\":\"0\"", StringComparison.Ordinal));
    }

    private static string[] CertifyShards(TempFolder dir, string net, string plan, int shards, params string[] extra)
    {
        var parts = new List<string>();
        for (int k = 0; k < shards; k++)
        {
            string part = dir.File($"part-{k}.json");
            var r = Cli.Invoke(["certify", net, "--plan", plan, "--shard", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", part, .. extra]);
            Assert.True(r.Code is 0 or 1, r.Out + r.Err);
            Assert.Contains($"shard:      {k} of {shards}", r.Out);
            parts.Add(part);
        }
        return [.. parts];
    }

    [Fact]
    public void PlanCertifyEveryShardMergeAndCheck()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", ConvexByBounds), plan = dir.File("plan.json"), cert = dir.File("merged.cert.json");
        var p = Cli.Invoke("plan", net, "--box", "0:1", "--shards", "4", "--out", plan);
        Assert.Equal(0, p.Code);
        Assert.Contains("4 shards of [0, 1]^2", p.Out);
        Assert.Contains("shard 3:", p.Out);
        Assert.Contains("\"format\":\"convexproof-shard-plan/1\"", File.ReadAllText(plan));

        var parts = CertifyShards(dir, net, plan, 4);
        Assert.All(parts, part => Assert.Contains("\"verdict\":\"convex\",\"method\":\"bounds\"", File.ReadAllText(part)));
        var m = Cli.Invoke(["merge", plan, .. parts, "--out", cert]);
        Assert.Equal(0, m.Code);
        Assert.Contains("verdict:    CONVEX on [0, 1]^2", m.Out);
        var check = Cli.Invoke("check", net, cert, "--box", "0:1", "--quiet");
        Assert.Equal(0, check.Code);
        Assert.Contains("convex on the box", check.Out);
        Assert.Contains("3 box", check.Out); // the plan's 3 box splits are part of the tree the checker walked

        // Parts in any order, and the same bytes again.
        byte[] first = File.ReadAllBytes(cert);
        Assert.Equal(0, Cli.Invoke(["merge", plan, .. parts.Reverse(), "--out", cert, "--quiet"]).Code);
        Assert.Equal(first, File.ReadAllBytes(cert));
    }

    [Fact]
    public void AConcaveKinkInTheSharedFaceIsRefutedAcrossItAndOnePartDecides()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", NegAbsInFace), plan = dir.File("plan.json"), cert = dir.File("merged.cert.json");
        PlanAtTheKink(net, plan);
        string part = dir.File("part-1.json");
        var r = Cli.Invoke("certify", net, "--plan", plan, "--shard", "1", "--out", part);
        Assert.Equal(1, r.Code);
        Assert.Contains("NOT CONVEX", r.Out);
        // Shard 0 was never run: the refutation decides alone.
        var m = Cli.Invoke("merge", plan, part, "--out", cert);
        Assert.Equal(1, m.Code);
        Assert.Contains("shard 1", m.Out);
        var check = Cli.Invoke("check", net, cert, "--box", "-1:1", "--quiet");
        Assert.Equal(0, check.Code);
        Assert.Contains("NOT convex", check.Out);
    }

    [Fact]
    public void RegionCertifiedPartsMergeIntoACertificateThatCheckAccepts()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", ConvexByBounds), plan = dir.File("plan.json"), cert = dir.File("merged.cert.json");
        Assert.Equal(0, Cli.Invoke("plan", net, "--box", "0:1", "--shards", "4", "--out", plan, "--quiet").Code);
        var parts = CertifyShards(dir, net, plan, 4, "--method", "regions");
        Assert.All(parts, part => Assert.Contains("\"verdict\":\"convex\",\"method\":\"regions\"", File.ReadAllText(part)));
        var m = Cli.Invoke(["merge", plan, .. parts, "--out", cert]);
        Assert.Equal(0, m.Code);
        Assert.Contains("verdict:    CONVEX on [0, 1]^2", m.Out);
        Assert.Contains("one sharded certificate", m.Out);
        Assert.StartsWith("{\"format\":\"convexproof-certificate/4\",\"method\":\"shards\"", File.ReadAllText(cert));

        var check = Cli.Invoke("check", net, cert, "--box", "0:1", "--json");
        Assert.Equal(0, check.Code);
        var json = check.Json();
        Assert.Equal(("convex", "[0, 1]^2"), (json.GetProperty("verdict").GetString(), json.GetProperty("domain").GetString()));
        Assert.Contains("4 shards (3 box splits)", json.GetProperty("statement").GetString());

        byte[] first = File.ReadAllBytes(cert);
        Assert.Equal(0, Cli.Invoke(["merge", plan, .. parts.Reverse(), "--out", cert, "--quiet"]).Code);
        Assert.Equal(first, File.ReadAllBytes(cert));
    }

    [Fact]
    public void RegionCertifiedPartsWithAKinkInTheSharedFaceDoNotMergeAndSaySo()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", NegAbsInFace), plan = dir.File("plan.json"), cert = dir.File("merged.cert.json");
        PlanAtTheKink(net, plan);
        var parts = CertifyShards(dir, net, plan, 2, "--method", "regions");
        Assert.All(parts, part => Assert.Contains("\"verdict\":\"convex\",\"method\":\"regions\"", File.ReadAllText(part)));
        var m = Cli.Invoke(["merge", plan, .. parts, "--out", cert]);
        Assert.Equal(3, m.Code);
        var line = Assert.Single(m.ErrLines);
        Assert.Contains("ReLU unit 0's pre-activation on region 0 is c·(x1 − 0): its kink lies in the shared face x1 = 0", line);
        Assert.Contains("other split values", line);
        Assert.False(File.Exists(cert));
        var json = Cli.Invoke(["merge", plan, .. parts, "--out", cert, "--json"]).Json();
        Assert.Equal(("undecided", 3, 0), (json.GetProperty("verdict").GetString(), json.GetProperty("exit_code").GetInt32(), json.GetProperty("deciding_shard").GetInt32()));
    }

    [Fact]
    public void MissingForeignAndDuplicatePartsAreOneLineErrors()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", ConvexByBounds), plan = dir.File("plan.json"), cert = dir.File("merged.cert.json");
        Assert.Equal(0, Cli.Invoke("plan", net, "--box", "0:1", "--shards", "3", "--out", plan, "--quiet").Code);
        var parts = CertifyShards(dir, net, plan, 3, "--quiet");

        var missing = Cli.Invoke("merge", plan, parts[0], parts[2], "--out", cert);
        Cli.AssertOneLineError(missing, plan, "no part for shard 1 of 3");
        Assert.False(File.Exists(cert));

        var duplicate = Cli.Invoke("merge", plan, parts[0], parts[1], parts[2], parts[0], "--out", cert);
        Cli.AssertOneLineError(duplicate, parts[0], "$.shard", "also given by");

        string otherPlan = dir.File("other-plan.json");
        Assert.Equal(0, Cli.Invoke("plan", net, "--box", "0:1", "--shards", "2", "--out", otherPlan, "--quiet").Code);
        var foreign = Cli.Invoke("merge", otherPlan, parts[0], parts[1], "--out", cert);
        Cli.AssertOneLineError(foreign, parts[0], "$.plan_sha256", "another plan");

        // certify a shard of this plan with another network.
        string other = dir.Write("other.json", NegAbsInFace);
        var wrongNet = Cli.Invoke("certify", other, "--plan", plan, "--shard", "0", "--out", dir.File("x.json"));
        Cli.AssertOneLineError(wrongNet, plan, "$.network_sha256", "another network");
        Assert.False(File.Exists(dir.File("x.json")));
    }

    [Theory]
    [InlineData("--plan-only")]
    [InlineData("--shard-only")]
    [InlineData("--shard-out-of-range")]
    [InlineData("--with-box")]
    [InlineData("--method-icnn")]
    public void ShardUsageErrors(string which)
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", ConvexByBounds), plan = dir.File("plan.json"), part = dir.File("part.json");
        Assert.Equal(0, Cli.Invoke("plan", net, "--box", "0:1", "--shards", "2", "--out", plan, "--quiet").Code);
        string[] args = which switch
        {
            "--plan-only" => ["certify", net, "--plan", plan, "--out", part],
            "--shard-only" => ["certify", net, "--shard", "0", "--out", part],
            "--shard-out-of-range" => ["certify", net, "--plan", plan, "--shard", "2", "--out", part],
            "--with-box" => ["certify", net, "--plan", plan, "--shard", "0", "--box", "0:1", "--out", part],
            _ => ["certify", net, "--plan", plan, "--shard", "0", "--method", "icnn", "--out", part],
        };
        var r = Cli.Invoke(args);
        Cli.AssertOneLineError(r);
        Assert.False(File.Exists(part));
    }

    [Fact]
    public void PlanNeedsABoxAndAShardCount()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", ConvexByBounds), plan = dir.File("plan.json");
        Cli.AssertOneLineError(Cli.Invoke("plan", net, "--shards", "2", "--out", plan), "--box");
        Cli.AssertOneLineError(Cli.Invoke("plan", net, "--box", "0:1", "--out", plan), "--shards");
        Cli.AssertOneLineError(Cli.Invoke("plan", net, "--box", "0:1", "--shards", "0", "--out", plan), "--shards");
        Cli.AssertOneLineError(Cli.Invoke("plan", net, "--box", "0:1,0:1,0:1", "--shards", "2", "--out", plan), "2 inputs");
        Assert.False(File.Exists(plan));
    }

    /// <summary>
    /// relu(x) + relu(x) − relu(x): convex, but bounds never prove it (the third unit's bound is −1
    /// on every leaf meeting 0), so with bounds only and one node the shard holding 0 is undecided.
    /// </summary>
    [Fact]
    public void AnUndecidedShardWritesNoPartAndExits3()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", """
            {"input_dim":1,"layers":[{"weights":[[1],[1],[1]],"bias":[0,0,0],"activation":"relu"},{"weights":[[1,1,-1]],"bias":[0],"activation":"identity"}]}
            """);
        string plan = dir.File("plan.json"), part = dir.File("part.json");
        Assert.Equal(0, Cli.Invoke("plan", net, "--box", "-1:1", "--shards", "2", "--out", plan, "--quiet").Code);
        // The planner cuts at 1/32 (x = 0 is the units' hyperplane): shard 0 holds the kink.
        var r = Cli.Invoke("certify", net, "--plan", plan, "--shard", "0", "--out", part, "--method", "bounds", "--max-regions", "1", "--quiet");
        Assert.Equal(3, r.Code);
        Assert.Contains("UNDECIDED", r.Out);
        Assert.False(File.Exists(part));
    }

    [Fact]
    public void JsonSummariesOfAShardAndOfTheMerge()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", NegAbsInFace), plan = dir.File("plan.json"), part = dir.File("part-0.json"), cert = dir.File("m.cert.json");
        PlanAtTheKink(net, plan);
        var r = Cli.Invoke("certify", net, "--plan", plan, "--shard", "0", "--out", part, "--json");
        Assert.Equal(1, r.Code);
        var json = r.Json();
        Assert.Equal("convexproof-shard/1", json.GetProperty("schema").GetString());
        Assert.Equal(("not_convex", 1, 0, 2), (json.GetProperty("verdict").GetString(), json.GetProperty("exit_code").GetInt32(),
            json.GetProperty("shard").GetInt32(), json.GetProperty("shards").GetInt32()));
        Assert.Equal(part, json.GetProperty("part").GetString());
        Assert.Equal("[[\"-1\",\"0\"],[\"-1\",\"1\"]]", json.GetProperty("box").GetRawText());

        var m = Cli.Invoke("merge", plan, part, "--out", cert, "--json");
        Assert.Equal(1, m.Code);
        var merged = m.Json();
        Assert.Equal("convexproof-merge/1", merged.GetProperty("schema").GetString());
        Assert.Equal(("not_convex", 0, cert), (merged.GetProperty("verdict").GetString(), merged.GetProperty("deciding_shard").GetInt32(),
            merged.GetProperty("certificate").GetString()));
    }

    [Fact]
    public void HelpListsPlanAndMerge()
    {
        var r = Cli.Invoke("--help");
        Assert.Contains("plan", r.Out);
        Assert.Contains("merge", r.Out);
        Assert.Contains("--shard", Cli.Invoke("certify", "--help").Out);
    }
}
