using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Sharded certificates (format /4) assembled by hand from engine-written region certificates of
/// each shard's box (Data/): the valid ones are accepted; a dropped part, a part for another box or
/// network, a split outside its interval or moved (shards overlapping one box and leaving a gap in
/// the other), a changed region and, above all, a concave kink hidden in the shared face are rejected.
/// </summary>
public class ShardForgeryTests
{
    /// <summary>|x1| + x2 (convex) on [−1, 1]^2, split at x2 = 0: no unit's kink lies in the face.</summary>
    private const string Convex = "abs_plus_x2";

    /// <summary>−|x1| + x2 on [−1, 1]^2, split at x1 = 0: each half is affine, the concave kink is the shared face.</summary>
    private const string HiddenKink = "negabs_plus_x2";

    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Shard(string cert) => new() { ["node"] = "shard", ["certificate"] = Fixture.Load(Fixture.Data($"{cert}.cert.json")) };

    /// <summary>The square split once at coordinate <paramref name="coordinate"/> = <paramref name="at"/>, the two shards' certificates at its leaves.</summary>
    private static JsonObject Sharded(string net, int coordinate, string at, string low, string high, int regions)
    {
        string sha = CertificateChecker.NetworkSha256(Fixture.Net(net));
        var root = Node($$"""
            {"format":"convexproof-certificate/4","method":"shards","network_sha256":"{{sha}}","domain":{"box":[["-1","1"],["-1","1"]]},"verdict":"convex",
             "summary":{"neurons":2,"shards":2,"box_splits":1,"regions":{{regions}}},"tree":[{"node":"box","coordinate":{{coordinate}},"at":"{{at}}"}]}
            """);
        root["tree"]!.AsArray().Add(Shard(low));
        root["tree"]!.AsArray().Add(Shard(high));
        return root;
    }

    private static JsonObject ConvexSplit() => Sharded(Convex, 1, "0", "shard_low", "shard_high", 4);

    private static CheckResult Check(string net, JsonObject certificate, string? box = "-1:1")
    {
        string path = Fixture.Temp(certificate.ToJsonString());
        try { return CertificateChecker.Check(Fixture.Net(net), path, box); }
        finally { File.Delete(path); }
    }

    private static JsonArray Tree(JsonObject root) => root["tree"]!.AsArray();

    [Fact]
    public void TheShardsOfAConvexNetworkAreAccepted()
    {
        var result = Check(Convex, ConvexSplit());
        Assert.True(result.Valid, result.Reason);
        Assert.Equal("convex", result.Verdict);
        Assert.Contains("f is convex on the box [-1, 1] × [-1, 1]", result.Statement);
        Assert.Contains("2 shards (1 box splits)", result.Statement);
        Assert.Contains("4 regions", result.Statement);
    }

    /// <summary>A leaf may carry a format /2 certificate of its box (here the structural one): mixed parts merge.</summary>
    [Fact]
    public void AShardMayCarryABoundOrStructuralCertificate()
    {
        var result = Check(Convex, Sharded(Convex, 1, "0", "shard_low", "shard_high.structural", 2));
        Assert.True(result.Valid, result.Reason);
    }

    [Fact]
    public void EachHalfOfTheHiddenKinkIsValidAloneButTheirUnionIsRejectedNamingTheFace()
    {
        foreach (var (cert, box) in new[] { ("negabs_left", "-1:0,-1:1"), ("negabs_right", "0:1,-1:1") })
        {
            var alone = CertificateChecker.Check(Fixture.Net(HiddenKink), Fixture.Data($"{cert}.cert.json"), box);
            Assert.True(alone.Valid, alone.Reason);
            Assert.Equal("convex", alone.Verdict);
        }
        var result = Check(HiddenKink, Sharded(HiddenKink, 0, "0", "negabs_left", "negabs_right", 2));
        Fixture.AssertInvalid(result, "$.tree[1].certificate.regions[0]", "shard 0", "ReLU unit 0", "the face x1 = 0 shared");
    }

    /// <summary>
    /// The test is conservative: |x1| + x2 is convex, but split at x1 = 0 its kink lies in the shared
    /// face, where neither half's certificate says which way it bends; the planner avoids such cuts.
    /// </summary>
    [Fact]
    public void AConvexKinkInTheSharedFaceIsAlsoRejected()
    {
        var result = Check(Convex, Sharded(Convex, 0, "0", "abs_left", "abs_right", 2));
        Fixture.AssertInvalid(result, "shard 0", "the face x1 = 0 shared");
    }

    [Fact]
    public void ADroppedPartLeavesTheTreeIncomplete()
    {
        var root = ConvexSplit();
        Tree(root).RemoveAt(2);
        Fixture.AssertInvalid(Check(Convex, root), "$.tree", "1 subtrees missing");
    }

    [Fact]
    public void AnExtraPartFollowsTheCompleteTree()
    {
        var root = ConvexSplit();
        Tree(root).Add(Shard("shard_high"));
        Fixture.AssertInvalid(Check(Convex, root), "$.tree[3]", "extra nodes");
    }

    [Fact]
    public void PartsInTheWrongLeavesAreForAnotherBox()
    {
        var root = Sharded(Convex, 1, "0", "shard_high", "shard_low", 4);
        Fixture.AssertInvalid(Check(Convex, root), "$.tree[1].certificate.domain", "shard 0", "the expected domain is [-1, 1] × [-1, 0]");
    }

    [Fact]
    public void APartForAnotherNetworkIsRejected()
    {
        var root = ConvexSplit();
        Tree(root)[2] = Shard("negabs_right");
        Fixture.AssertInvalid(Check(Convex, root), "$.tree[2].certificate.network_sha256", "another network");
    }

    [Theory]
    [InlineData("2", "not strictly inside [-1, 1]")]
    [InlineData("-1", "not strictly inside [-1, 1]")]
    public void ASplitOutsideItsIntervalIsRejected(string at, string mention)
    {
        var root = ConvexSplit();
        Tree(root)[0]!["at"] = at;
        Fixture.AssertInvalid(Check(Convex, root), "$.tree[0].at", mention);
    }

    /// <summary>Moving the split to x2 = 1/2 makes the low shard's certificate cover less than its leaf (a gap) and the high one's more (an overlap).</summary>
    [Fact]
    public void AMovedSplitLeavesAGapAndAnOverlap()
    {
        var root = ConvexSplit();
        Tree(root)[0]!["at"] = "1/2";
        Fixture.AssertInvalid(Check(Convex, root), "$.tree[1].certificate.domain", "the expected domain is [-1, 1] × [-1, 1/2]");
    }

    [Fact]
    public void AChangedRegionInsideAPartIsRejected()
    {
        var root = ConvexSplit();
        var region = Tree(root)[2]!["certificate"]!["regions"]![0]!.AsObject();
        region["point"] = Fixture.Points("0", "1/2"); // on the kink x1 = 0: not interior
        Fixture.AssertInvalid(Check(Convex, root), "$.tree[2].certificate", "shard 1", "region 0: the point is not interior");
    }

    [Fact]
    public void TheSummaryIsRecomputed()
    {
        var root = ConvexSplit();
        root["summary"]!["regions"] = 5;
        Fixture.AssertInvalid(Check(Convex, root), "$.summary.regions", "4");
    }

    [Fact]
    public void ANotConvexOrNestedShardCertificateIsRejected()
    {
        var nested = ConvexSplit();
        Tree(nested)[1]!["certificate"] = ConvexSplit();
        Fixture.AssertInvalid(Check(Convex, nested), "$.tree[1].certificate", "expected a region certificate");

        var refuting = ConvexSplit();
        refuting["verdict"] = "not_convex";
        Fixture.AssertInvalid(Check(Convex, refuting), "$.verdict", "must be \"convex\"");
    }

    [Fact]
    public void TheDomainMustBeABoxAndTheExpectedOne()
    {
        var everywhere = ConvexSplit();
        everywhere["domain"] = null;
        Fixture.AssertInvalid(Check(Convex, everywhere), "$.domain", "needs a box");
        Fixture.AssertInvalid(Check(Convex, ConvexSplit(), "-2:2"), "$.domain", "the expected domain is [-2, 2] × [-2, 2]");
        var unknown = ConvexSplit();
        unknown["regions"] = new JsonArray();
        Fixture.AssertInvalid(Check(Convex, unknown), "$.regions", "unknown key");
    }
}
