using System.Globalization;
using System.Text;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Sharding;

namespace ConvexProof.Tests;

// The sharding tests of shards certified by region enumeration, which merge into a sharded
// certificate (format /4) that the independent checker accepts: on random convex networks that are
// not ICNNs, the merged verdict is the unsharded one and the regions add up to at least the
// unsharded count; the same parts give the same bytes; mixed bound and region shards; a deeper
// unit whose map is a multiple of a split face's equation blocks the merge.
public sealed partial class ShardingTests
{
    /// <summary>
    /// A convex network that is not an ICNN, with 3-decimal weights: layer 1 any weights; layer 2
    /// non-negative weights on layer 1 (ICNN-like) plus one unit with negative weights whose bias
    /// keeps it off on [−1, 1]^d (so the ICNN rule fails, convexity does not); a non-negative output.
    /// With <paramref name="leaky"/>, both hidden layers are leaky (α = 1/10): the off unit then
    /// passes α times a concave function, which its output weight −1 makes convex.
    /// </summary>
    private static Network ConvexNotIcnn(Random random, int d, bool leaky = false)
    {
        string activation = leaky ? "\"activation\":\"leaky_relu\",\"alpha\":\"1/10\"" : "\"activation\":\"relu\"";
        static string Decimal(int thousandths) => (thousandths / 1000m).ToString(CultureInfo.InvariantCulture);
        string Any() => Decimal(random.Next(-1000, 1001));
        string NonNegative() => Decimal(random.Next(0, 1001));
        int w1 = random.Next(3, 6), w2 = random.Next(2, 4);
        string Rows(int n, Func<string> cell, int width) => string.Join(",", Enumerable.Range(0, n).Select(_ => $"[{string.Join(",", Enumerable.Range(0, width).Select(_ => cell()))}]"));
        string dead = $"[{string.Join(",", Enumerable.Repeat("-1", w1))}]";
        return Nets.Parse($$"""
            {"input_dim":{{d}},"layers":[
              {"weights":[{{Rows(w1, Any, d)}}],"bias":[{{string.Join(",", Enumerable.Range(0, w1).Select(_ => Any()))}}],{{activation}}},
              {"weights":[{{Rows(w2, NonNegative, w1)}},{{dead}}],"bias":[{{string.Join(",", Enumerable.Range(0, w2).Select(_ => Any()))}},-1],{{activation}}},
              {"weights":[[{{string.Join(",", Enumerable.Range(0, w2 + 1).Select(_ => NonNegative()))}}]],"bias":[0],"activation":"identity"}]}
            """);
    }

    public static IEnumerable<object[]> RegionSeeds() => [[1, 2, false], [2, 2, false], [3, 3, false], [4, 2, false], [5, 3, false], [6, 2, false], [7, 2, true], [8, 3, true]];

    [Theory]
    [MemberData(nameof(RegionSeeds))]
    public void RegionCertifiedShardsMergeIntoACertificateTheCheckerAccepts(int seed, int d, bool leaky)
    {
        var random = new Random(seed);
        var network = ConvexNotIcnn(random, d, leaky);
        Assert.False(Bounds.StructuralTest.Obstacle(network) is null, "the network must not be an ICNN");
        var box = Nets.Box(d, -1, 1);
        var unsharded = Certifier.Certify(network, box, new CertifyOptions { Parallelism = 1 });
        Assert.Equal(Verdict.Convex, unsharded.Verdict);

        int shards = 2 + seed % 3;
        var run = Shard(network, box, shards, PartMethod.Regions, $"-r{seed}");
        Assert.All(run.Outcomes, o => Assert.Equal((PartVerdict.Convex, "regions", (FaceKink?)null), (o.Verdict, o.Method, o.FaceKink)));
        var (merged, cert) = Merge(run, name: "merged.cert.json");
        Assert.Equal(MergeVerdict.Convex, merged.Verdict);

        var check = Checker.CertificateChecker.Check(run.Net, cert!, BoxText(box));
        Assert.True(check.Valid, check.Reason);
        Assert.Equal("convex", check.Verdict);
        Assert.Contains($"{shards} shards", check.Statement);
        // A region cut by a split is counted once in each shard it meets: at least the unsharded count.
        int sum = run.Outcomes.Sum(o => o.Regions);
        Assert.True(sum >= unsharded.Statistics.Regions, $"{sum} regions in the shards, {unsharded.Statistics.Regions} unsharded");
        Assert.Contains($"({sum} regions in all)", check.Statement);

        // The same parts, in another order, give the same bytes.
        var (_, again) = Merge(run, [.. run.Parts.Reverse()], "again.cert.json");
        Assert.Equal(System.IO.File.ReadAllBytes(cert!), System.IO.File.ReadAllBytes(again!));
    }

    /// <summary>Auto on a network that bounds certify on some shards and not on others: mixed parts merge into one sharded certificate.</summary>
    [Fact]
    public void BoundAndRegionShardsMergeTogether()
    {
        // relu(x1) + relu(x1) − relu(x1) + relu(x2): convex; bounds never certify a shard meeting x1 = 0 (the third unit's bound is −1).
        var network = Nets.Parse("""
            {"input_dim":2,"layers":[{"weights":[[1,0],[1,0],[1,0],[0,1]],"bias":["-1/2","-1/2","-1/2",0],"activation":"relu"},
             {"weights":[[1,1,-1,1]],"bias":[0],"activation":"identity"}]}
            """);
        var box = Nets.Box(2, -1, 1);
        var plan = SplitOnce(network, box, 0, Rational.Zero);
        var run = Shard(network, box, 2, PartMethod.Auto, "-mixed", plan, maxNodes: 16);
        Assert.Equal(["bounds", "regions"], run.Outcomes.Select(o => o.Method));
        var (merged, cert) = Merge(run, name: "mixed.cert.json");
        Assert.Equal(MergeVerdict.Convex, merged.Verdict);
        Assert.Contains("1 by their", merged.Reason);
        Assert.Contains("1 by bounds", merged.Reason);
        var check = Checker.CertificateChecker.Check(run.Net, cert!, "-1:1");
        Assert.True(check.Valid, check.Reason);
    }

    /// <summary>
    /// relu(relu(x1 + x2) + relu(x1 − x2)): no first-layer hyperplane is x1 = 0, so the planner cuts
    /// there, but where both first-layer units are on the second-layer unit's map is 2·x1: the part
    /// names it, merge exits undecided naming shard, unit and face, and writes nothing.
    /// </summary>
    [Fact]
    public void ADeeperUnitWhoseMapIsTheFacesEquationBlocksTheMerge()
    {
        var network = Nets.Parse("""
            {"input_dim":2,"layers":[{"weights":[[1,1],[1,-1]],"bias":[0,0],"activation":"relu"},
             {"weights":[[1,1]],"bias":[0],"activation":"relu"},{"weights":[[1]],"bias":[0],"activation":"identity"}]}
            """);
        var box = Nets.Box(2, -1, 1);
        var run = Shard(network, box, 2, PartMethod.Regions, "-deep");
        Assert.Equal((0, Rational.Zero), (run.Parsed.Tree[0].Coordinate, run.Parsed.Tree[0].At));
        var kink = run.Outcomes[1].FaceKink;
        Assert.NotNull(kink);
        Assert.Equal((2, new SharedFace(0, Rational.Zero)), (kink.Neuron, kink.Face));
        Assert.Contains("ReLU unit 2", run.Outcomes[1].Reason);
        var (merged, cert) = Merge(run, name: "deep.cert.json");
        Assert.Equal(MergeVerdict.KinkInSharedFace, merged.Verdict);
        Assert.Contains("x1 = 0", merged.Reason);
        Assert.Null(cert);
    }

    /// <summary>A region part whose certificate was swapped for another shard's, or whose region count was changed, is refused by merge.</summary>
    [Fact]
    public void ARegionPartMustCarryItsOwnShardsCertificate()
    {
        var network = ConvexNotIcnn(new Random(9), 2);
        var box = Nets.Box(2, -1, 1);
        var run = Shard(network, box, 2, PartMethod.Regions, "-swap");
        string text0 = System.IO.File.ReadAllText(run.Parts[0]), text1 = System.IO.File.ReadAllText(run.Parts[1]);
        int at0 = text0.IndexOf("\"certificate\":", StringComparison.Ordinal), at1 = text1.IndexOf("\"certificate\":", StringComparison.Ordinal);
        string swapped = File("swapped.json");
        System.IO.File.WriteAllText(swapped, text0[..at0] + text1[at1..]);
        var e = Assert.Throws<InputException>(() => Merge(run, [swapped, run.Parts[1]], "x.cert.json"));
        Assert.Equal("$.certificate.domain", e.JsonPath);

        string recounted = File("recounted.json");
        System.IO.File.WriteAllText(recounted, new StringBuilder(text0).Replace($"\"regions\":{run.Outcomes[0].Regions},", $"\"regions\":{run.Outcomes[0].Regions + 1},", 0, at0).ToString());
        var count = Assert.Throws<InputException>(() => Merge(run, [recounted, run.Parts[1]], "y.cert.json"));
        Assert.Equal("$.certificate.summary.regions", count.JsonPath);
    }
}
