using System.Globalization;
using System.Text;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Sharding;

namespace ConvexProof.Tests;

/// <summary>
/// Sharded certification end to end in the engine: plan, certify every shard alone, merge, and
/// re-check the merged certificate with the independent checker; against the unsharded verdict on
/// random networks; kinks in a shared face; parts that do not tile the plan.
/// </summary>
public sealed partial class ShardingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "convexproof-sharding-" + Guid.NewGuid().ToString("N")[..12]);

    public ShardingTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string File(string name) => Path.Combine(_folder, name);

    /// <summary>A run's files: the network, the plan and one part per shard.</summary>
    private sealed record Sharded(string Net, string Plan, ShardPlan Parsed, string PlanSha, string[] Parts, PartOutcome[] Outcomes);

    private Sharded Shard(Network network, Domain box, int shards, PartMethod method = PartMethod.Auto, string tag = "", ShardPlan? given = null, int maxNodes = PartOptions.DefaultMaxNodes)
    {
        string net = File($"net{tag}.json");
        System.IO.File.WriteAllText(net, NetworkWriter.ToJson(network));
        var plan = given ?? ShardPlanner.Plan(network, box, shards).Plan;
        string planPath = File($"plan{tag}.json");
        var bytes = plan.ToBytes();
        System.IO.File.WriteAllBytes(planPath, bytes);
        var outcomes = new PartOutcome[shards];
        var parts = new List<string>();
        for (int k = 0; k < shards; k++)
        {
            outcomes[k] = PartCertifier.Certify(network, plan, k, new PartOptions { Method = method, Parallelism = 1, MaxNodes = maxNodes });
            if (outcomes[k].Verdict == PartVerdict.Undecided) continue;
            string part = File($"part{tag}-{k}.json");
            using (var stream = System.IO.File.Create(part)) PartFile.Write(outcomes[k], plan, ShardPlan.Sha256(bytes), network.NeuronCount, stream);
            parts.Add(part);
        }
        return new(net, planPath, plan, ShardPlan.Sha256(bytes), [.. parts], outcomes);
    }

    private (MergeOutcome Outcome, string? Certificate) Merge(Sharded run, IReadOnlyList<string>? parts = null, string name = "merged.cert.json")
    {
        string cert = File(name);
        System.IO.File.Delete(cert);
        var outcome = CertificateMerge.Merge(run.Parsed, run.Plan, run.PlanSha, parts ?? run.Parts, write =>
        {
            using var stream = System.IO.File.Create(cert);
            return write(stream);
        });
        return (outcome, System.IO.File.Exists(cert) ? cert : null);
    }

    /// <summary>The box split once at coordinate <paramref name="coordinate"/> = <paramref name="at"/> (a plan the planner would not choose when a first-layer unit's hyperplane is there).</summary>
    internal static ShardPlan SplitOnce(Network network, Domain box, int coordinate, Rational at) =>
        new(NetworkHash.Sha256(network), box, [PlanNode.Split(coordinate, at), PlanNode.Leaf(0), PlanNode.Leaf(1)]);

    internal static string BoxText(Domain box) =>
        string.Join(",", Enumerable.Range(0, box.Dimension).Select(i => $"{box.Lower![i]}:{box.Upper![i]}"));

    /// <summary>A random convex network that is not an ICNN: non-negative output weights, plus a unit with a negative one that is stably off on [−1, 1]^2.</summary>
    private static Network ConvexByBounds(Random random)
    {
        int width = random.Next(2, 6);
        string W() => random.Next(-3, 4).ToString(CultureInfo.InvariantCulture);
        var rows = Enumerable.Range(0, width).Select(_ => $"[{W()},{W()}]").Append("[1,1]");
        var bias = Enumerable.Range(0, width).Select(_ => W()).Append("-10");
        var output = Enumerable.Range(0, width).Select(_ => random.Next(0, 4).ToString(CultureInfo.InvariantCulture)).Append("-1");
        return Nets.Parse($$"""
            {"input_dim":2,"layers":[{"weights":[{{string.Join(",", rows)}}],"bias":[{{string.Join(",", bias)}}],"activation":"relu"},
              {"weights":[[{{string.Join(",", output)}}]],"bias":[0],"activation":"identity"}]}
            """);
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 24).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MergedVerdictEqualsTheUnshardedOneAndTheCheckerAcceptsIt(int seed) => MergeRandom(seed);

    /// <summary>The random seeds are not all of one kind: both verdicts are reached through merged certificates.</summary>
    [Fact]
    public void RandomSeedsMergeIntoBothVerdicts()
    {
        var verdicts = Seeds().Select(s => MergeRandom((int)s[0])).ToList();
        Assert.True(verdicts.Count(v => v == MergeVerdict.Convex) >= 6, string.Join(",", verdicts));
        Assert.True(verdicts.Count(v => v == MergeVerdict.NotConvex) >= 6, string.Join(",", verdicts));
    }

    private MergeVerdict MergeRandom(int seed)
    {
        var random = new Random(seed);
        var network = seed % 3 == 0 ? ConvexByBounds(random) : RandomNetworkTests.RandomNetwork(random, maxDim: 2, maxWidth: 4);
        var box = Nets.Box(network.InputDim, -1, 1);
        var unsharded = Certifier.Certify(network, box, new CertifyOptions { Parallelism = 1, StopAtFirstViolation = true });
        Assert.NotEqual(Verdict.Undecided, unsharded.Verdict);

        var run = Shard(network, box, 1 + seed % 4);
        Assert.DoesNotContain(run.Outcomes, o => o.Verdict == PartVerdict.Undecided);
        var (merged, cert) = Merge(run);
        switch (merged.Verdict)
        {
            case MergeVerdict.Convex:
                Assert.Equal(Verdict.Convex, unsharded.Verdict);
                break;
            case MergeVerdict.NotConvex:
                Assert.Equal(Verdict.NotConvex, unsharded.Verdict);
                break;
            default:
                // A region-certified shard with a unit's kink in a shared face: no certificate, and only for a convex network.
                Assert.Equal(Verdict.Convex, unsharded.Verdict);
                Assert.Null(cert);
                Assert.Contains(run.Outcomes, o => o.FaceKink is not null);
                return merged.Verdict;
        }
        var check = Checker.CertificateChecker.Check(run.Net, cert!, BoxText(box));
        Assert.True(check.Valid, check.Reason);
        Assert.Equal(merged.Verdict == MergeVerdict.Convex ? "convex" : "not_convex", check.Verdict);
        if (seed % 3 == 0) Assert.Equal(MergeVerdict.Convex, merged.Verdict); // the bound-certifiable family always merges
        return merged.Verdict;
    }

    [Fact]
    public void MergedBoundCertificateIsThePlanTreeWithTheShardTreesGrafted()
    {
        var network = ConvexByBounds(new Random(7));
        var box = Nets.Box(2, -1, 1);
        var run = Shard(network, box, 4);
        var (merged, cert) = Merge(run);
        Assert.Equal(MergeVerdict.Convex, merged.Verdict);
        using var doc = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllBytes(cert!));
        var tree = doc.RootElement.GetProperty("tree");
        int partNodes = run.Outcomes.Sum(o => o.Bounds!.Search!.Root.Preorder().Count());
        Assert.Equal(run.Parsed.BoxSplits + partNodes, tree.GetArrayLength());
        Assert.Equal("box", tree[0].GetProperty("node").GetString());
        // The same inputs give the same bytes.
        var again = Merge(run, name: "again.cert.json");
        Assert.Equal(System.IO.File.ReadAllBytes(cert!), System.IO.File.ReadAllBytes(again.Certificate!));
    }

    /// <summary>relu(x1) on [−1, 1]^2 split at x1 = 0: the kink is the shared face; both shards carry its condition (unstable, δ = 1), the merge is valid.</summary>
    [Fact]
    public void ConvexKinkInTheSharedFaceIsCoveredByBothShards()
    {
        var network = Nets.Parse("""{"input_dim":2,"layers":[{"weights":[[1,0]],"bias":[0],"activation":"relu"},{"weights":[[1]],"bias":[0],"skip":[[0,-1]],"activation":"identity"}]}""");
        var box = Nets.Box(2, -1, 1);
        var run = Shard(network, box, 2, PartMethod.Bounds, given: SplitOnce(network, box, 0, Rational.Zero));
        Assert.All(run.Outcomes, o => Assert.Equal(PartVerdict.Convex, o.Verdict));
        var (merged, cert) = Merge(run);
        Assert.Equal(MergeVerdict.Convex, merged.Verdict);
        var check = Checker.CertificateChecker.Check(run.Net, cert!, "-1:1");
        Assert.True(check.Valid, check.Reason);
    }

    /// <summary>
    /// −|x1| + x2 on [−1, 1]^2 split at x1 = 0: each closed shard sees an affine function, convex;
    /// the concave kink lies inside the shared face. Bounds never certify a shard (the kink's units
    /// touch it, so they are unstable with a negative bound), lines through a shard run across the
    /// face and refute; region-certified halves do not merge (merge names the unit and the face); and
    /// the planner does not cut there.
    /// </summary>
    [Fact]
    public void ConcaveKinkHiddenInTheSharedFaceIsNeverCertifiedConvex()
    {
        var network = Nets.Parse("""{"input_dim":2,"layers":[{"weights":[[1,0],[-1,0]],"bias":[0,0],"activation":"relu"},{"weights":[[-1,-1]],"bias":[0],"skip":[[0,1]],"activation":"identity"}]}""");
        var box = Nets.Box(2, -1, 1);
        var atTheKink = SplitOnce(network, box, 0, Rational.Zero);
        var run = Shard(network, box, 2, given: atTheKink);
        Assert.All(run.Outcomes, o => Assert.Equal(PartVerdict.NotConvex, o.Verdict));
        var (merged, cert) = Merge(run);
        Assert.Equal(MergeVerdict.NotConvex, merged.Verdict);
        var check = Checker.CertificateChecker.Check(run.Net, cert!, "-1:1");
        Assert.True(check.Valid, check.Reason);
        Assert.Equal("not_convex", check.Verdict);

        // Each half alone is convex by its regions — and the parts do not merge: relu(x1)'s kink is the face.
        var byRegions = Shard(network, box, 2, PartMethod.Regions, tag: "-regions", given: atTheKink);
        Assert.All(byRegions.Outcomes, o => Assert.Equal((PartVerdict.Convex, "regions"), (o.Verdict, o.Method)));
        Assert.All(byRegions.Outcomes, o => Assert.Equal(new SharedFace(0, Rational.Zero), o.FaceKink!.Face));
        var (regionsMerged, regionsCert) = Merge(byRegions, name: "regions.cert.json");
        Assert.Equal((MergeVerdict.KinkInSharedFace, 0), (regionsMerged.Verdict, regionsMerged.DecidingShard));
        Assert.Contains("ReLU unit 0's pre-activation on region 0 is c·(x1 − 0): its kink lies in the shared face x1 = 0", regionsMerged.Reason);
        Assert.Null(regionsCert);

        // Bounds alone leave each half undecided: no part to merge.
        var byBounds = Shard(network, box, 2, PartMethod.Bounds, tag: "-bounds", given: atTheKink);
        Assert.All(byBounds.Outcomes, o => Assert.NotEqual(PartVerdict.Convex, o.Verdict));

        // The planner cuts beside the first-layer hyperplane x1 = 0, and enumeration of the shard holding it refutes.
        var planned = Shard(network, box, 2, PartMethod.Regions, tag: "-planned");
        Assert.Equal((0, new Rational(1, 32)), (planned.Parsed.Tree[0].Coordinate, planned.Parsed.Tree[0].At));
        Assert.Equal(PartVerdict.NotConvex, planned.Outcomes[0].Verdict);
        Assert.Equal(MergeVerdict.NotConvex, Merge(planned, name: "planned.cert.json").Outcome.Verdict);
    }

    [Fact]
    public void MissingForeignDuplicateAndMisplacedPartsAreRejected()
    {
        var network = ConvexByBounds(new Random(3));
        var box = Nets.Box(2, -1, 1);
        var run = Shard(network, box, 3);
        Assert.Equal(3, run.Parts.Length);

        var missing = Assert.Throws<InputException>(() => Merge(run, [run.Parts[0], run.Parts[2]]));
        Assert.Contains("no part for shard 1 of 3", missing.Message);

        var duplicate = Assert.Throws<InputException>(() => Merge(run, [run.Parts[0], run.Parts[1], run.Parts[2], run.Parts[1]]));
        Assert.Contains("shard 1 is also given by", duplicate.Message);

        // A part of another plan (the same network split into 2) and of another network.
        var otherPlan = Shard(network, box, 2, tag: "-other");
        var foreign = Assert.Throws<InputException>(() => Merge(run, [run.Parts[0], otherPlan.Parts[1], run.Parts[2]]));
        Assert.Contains("another plan", foreign.Message);
        var otherNet = Shard(ConvexByBounds(new Random(4)), box, 3, tag: "-net");
        string rehashed = File("rehashed.json");
        System.IO.File.WriteAllText(rehashed, System.IO.File.ReadAllText(otherNet.Parts[1]).Replace(otherNet.PlanSha, run.PlanSha));
        var otherNetwork = Assert.Throws<InputException>(() => Merge(run, [run.Parts[0], rehashed, run.Parts[2]]));
        Assert.Contains("another network", otherNetwork.Message);

        // A part whose box is not its shard's (the parts would overlap one and leave a gap elsewhere).
        string moved = File("moved.json");
        System.IO.File.WriteAllText(moved, System.IO.File.ReadAllText(run.Parts[1]).Replace("\"shard\":1", "\"shard\":2"));
        var overlap = Assert.Throws<InputException>(() => Merge(run, [run.Parts[0], run.Parts[1], moved]));
        Assert.Contains("overlap or leave a gap", overlap.Message);
        Assert.Contains("$.domain", overlap.Message);
    }

    /// <summary>A tampered leaf makes the merged certificate invalid: merge grafts, the checker recomputes every leaf.</summary>
    [Fact]
    public void TamperedPartTreeIsRejectedByTheChecker()
    {
        var box = Nets.Box(2, -1, 1);
        var run = Shard(ConvexByBounds(new Random(5)), box, 2, PartMethod.Bounds);
        var (merged, cert) = Merge(run);
        Assert.Equal(MergeVerdict.Convex, merged.Verdict);
        string text = System.IO.File.ReadAllText(cert!);
        int at = text.IndexOf("\"conditions\":[[", StringComparison.Ordinal);
        Assert.True(at > 0);
        // Claim a larger lower bound than the leaf has: the checker recomputes and rejects.
        string tampered = File("tampered.cert.json");
        int value = text.IndexOf(",\"", at + 15, StringComparison.Ordinal);
        int end = text.IndexOf('"', value + 2);
        System.IO.File.WriteAllText(tampered, text[..(value + 2)] + "12345" + text[end..]);
        var check = Checker.CertificateChecker.Check(run.Net, tampered, "-1:1");
        Assert.False(check.Valid);
    }

    [Fact]
    public void PlanTilesTheBoxWithExactlyNShardsAndReadsBack()
    {
        var network = RandomNetworkTests.RandomNetwork(new Random(11), maxDim: 2, maxWidth: 4);
        var box = Nets.Box(network.InputDim, -1, 1);
        foreach (int n in new[] { 1, 2, 5, 8 })
        {
            var (plan, planned) = ShardPlanner.Plan(network, box, n);
            Assert.Equal(n, plan.Shards.Count);
            Assert.Equal(n - 1, plan.BoxSplits);
            Assert.Equal(n, planned.Count);
            // Volumes add up to the box's, and shards meet only in faces (the tree's boxes).
            Rational Volume(Domain d) => Enumerable.Range(0, d.Dimension).Aggregate(Rational.One, (v, i) => v * (d.Upper![i] - d.Lower![i]));
            Assert.Equal(Volume(box), plan.Shards.Aggregate(Rational.Zero, (v, s) => v + Volume(s)));
            string path = File($"plan-{n}.json");
            System.IO.File.WriteAllBytes(path, plan.ToBytes());
            var (read, sha) = ShardPlan.Read(path);
            Assert.Equal(ShardPlan.Sha256(plan.ToBytes()), sha);
            Assert.Equal(plan.ToBytes(), read.ToBytes());
        }
    }

    [Theory]
    [InlineData("\"shards\":2", "\"shards\":3", "$.shards")]
    [InlineData("\"at\":\"0\"", "\"at\":\"1\"", "$.tree[0].at")]
    [InlineData("\"shard\":1", "\"shard\":0", "$.tree[2].shard")]
    [InlineData(",{\"node\":\"shard\",\"shard\":1}", "", "$.tree")]
    public void MalformedPlanIsAnInputErrorNamingTheJsonPath(string from, string to, string jsonPath)
    {
        var network = Nets.Parse(Nets.Abs);
        var plan = new ShardPlan(NetworkHash.Sha256(network), Nets.Box(1, -1, 1), [PlanNode.Split(0, Rational.Zero), PlanNode.Leaf(0), PlanNode.Leaf(1)]);
        string text = Encoding.UTF8.GetString(plan.ToBytes());
        Assert.Contains(from, text);
        string path = File("bad-plan.json");
        System.IO.File.WriteAllText(path, text.Replace(from, to));
        var e = Assert.Throws<InputException>(() => ShardPlan.Read(path));
        Assert.Equal(jsonPath, e.JsonPath);
    }
}
