using System.Text.Json.Nodes;
using static ConvexProof.Checker.Tests.Fixture;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Format /2 certificates written by the engine (Data/structural, Data/bounds_interval: box splits
/// and interval bounds, Data/bounds_linear: a sign split, linear bounds with relaxation slopes and
/// split multipliers) are accepted; every forgery is rejected for the reason it breaks.
/// </summary>
public class BoundCertificateTests
{
    [Theory]
    [InlineData("structural", "Structural", "R^2")]
    [InlineData("bounds_interval", "5 leaves", "4 box and 0 sign splits")]
    [InlineData("bounds_linear", "2 leaves", "0 box and 1 sign splits")]
    public void EngineCertificatesAreAccepted(string name, string mention, string more)
    {
        var result = Check(name);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal("convex", result.Verdict);
        Assert.Contains(mention, result.Statement);
        Assert.Contains(more, result.Statement);
    }

    [Fact]
    public void StructuralClaimOnANetworkWithANegativeWeightIsRejected() =>
        AssertInvalid(CertificateChecker.Check(Net("bounds_interval"), Temp(File.ReadAllText(Cert("structural"))
            .Replace(Sha("structural"), Sha("bounds_interval"), StringComparison.Ordinal))), "$.method", "weight -1 of layer 1", "not an ICNN");

    [Theory]
    [InlineData("bounds_interval")]
    [InlineData("bounds_linear")]
    [InlineData("structural")]
    public void SwappedNetworkIsRejected(string name) =>
        AssertInvalid(CertificateChecker.Check(Net(name == "bounds_linear" ? "bounds_interval" : "bounds_linear"), Cert(name)), "network_sha256", "another network");

    [Fact]
    public void DroppedLeafIsRejected()
    {
        AssertInvalid(CheckMutated("bounds_interval", c => Tree(c).RemoveAt(Tree(c).Count - 1)), "$.tree", "subtrees missing", "would not cover");
        AssertInvalid(CheckMutated("bounds_linear", c => Tree(c).RemoveAt(2)), "$.tree", "subtrees missing");
        // Dropping the first leaf puts the second on the z >= 0 side, where its bounds are not what it lists.
        AssertInvalid(CheckMutated("bounds_linear", c => Tree(c).RemoveAt(1)), "$.tree[1]", "unit 4");
        // Dropping a split and one of its leaves instead leaves a leaf for the whole box: without the split, unit 1 straddles 0.
        AssertInvalid(CheckMutated("bounds_linear", c => { Tree(c).RemoveAt(0); Tree(c).RemoveAt(1); }), "$.tree[0]", "unit 1", "[-3/2, 1/2] straddle 0");
    }

    [Fact]
    public void ExtraNodesAreRejected() =>
        AssertInvalid(CheckMutated("bounds_linear", c => Tree(c).Add(Tree(c)[1]!.DeepClone())), "$.tree[3]", "extra nodes");

    [Fact]
    public void LoosenedBoundIsRejected()
    {
        AssertInvalid(CheckMutated("bounds_interval", c => Leaf(c)["z"]![0]![0] = "-100"), "$.tree[", ".z[0]", "is [-100", "interval pass gives");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["z"]![4]![1] = "5"), "$.tree[1].z[4]", "linear pass gives");
    }

    [Fact]
    public void LoosenedConditionBoundIsRejected()
    {
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["conditions"]![1]![1] = "1/2"), "$.tree[1].conditions[1][1]", "backward pass gives 1");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["conditions"]![1]![1] = "-1"), "$.tree[1].conditions[1][1]", "is -1");
    }

    [Fact]
    public void ChangedMultiplierIsRejected()
    {
        // Any β ≥ 0 gives a valid bound, so a changed one is caught by the bounds it no longer gives...
        // (here unit 5's lower bound drops below 0, so the leaf lacks the relaxation slope it would need).
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["multipliers"]![0]![2]![0]![1] = "1/2"), "$.tree[1]", "unit 5", "straddle 0");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["multipliers"]![0]![2]![0]![1] = "2"), "$.tree[1].z[5]", "linear pass gives");
        // ...a negative one is rejected outright, and so is a multiplier of a split not on the path.
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["multipliers"]![0]![2]![0]![1] = "-1"), "$.tree[1].multipliers[0][2][0]", "multiplier >= 0");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["multipliers"]![0]![2]![0]![0] = 0), "uses split 0", "not a split before it");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c).Remove("multipliers")), "$.tree[1]", "come together");
    }

    [Fact]
    public void ChangedRelaxationSlopeIsRejected()
    {
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["relaxation"]![0]![1] = "2"), "$.tree[1].relaxation[0][1]", "must lie in [0, 1]");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["relaxation"]!.AsArray().RemoveAt(0)), "$.tree[1].relaxation", "no slope for unit 2");
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["relaxation"]!.AsArray().Add(new JsonArray(0, "1"))), "$.tree[1].relaxation", "does not straddle 0");
    }

    [Fact]
    public void UnitClaimedStableThatIsNotIsRejected()
    {
        // Unit 1 (the split unit) has bounds [0, 1/2] on the z >= 0 side: not strictly on.
        AssertInvalid(CheckMutated("bounds_linear", c =>
        {
            Leaf(c)["on"] = new JsonArray(0, 1, 3, 4, 5);
            Leaf(c)["conditions"]!.AsArray().RemoveAt(0);
        }), "$.tree[1].on", "lists [0, 1, 3, 4, 5]", "stably on (lower bound > 0) are [0, 3, 4, 5]");
        // Claiming the bounds too: the recomputation disagrees first.
        AssertInvalid(CheckMutated("bounds_linear", c => Leaf(c)["z"]![1]![0] = "1/8"), "$.tree[1].z[1]", "gives [0, 1/2]");
        AssertInvalid(CheckMutated("bounds_interval", c => Leaf(c)["off"] = new JsonArray(1)), ".off", "stably off");
    }

    [Fact]
    public void MovedCutAndFalseEmptyLeafAreRejected()
    {
        AssertInvalid(CheckMutated("bounds_interval", c => Tree(c)[0]!["at"] = "1"), "$.tree[0].at", "not strictly inside [0, 1]");
        AssertInvalid(CheckMutated("bounds_interval", c => Tree(c)[0]!["coordinate"] = 2), "$.tree[0].coordinate", "from 0 to 1");
        AssertInvalid(CheckMutated("bounds_linear", c => Tree(c)[2] = new JsonObject { ["node"] = "empty", ["neuron"] = 1 }),
            "$.tree[2]", "no split contradicts");
    }

    [Fact]
    public void SummaryAndVerdictMustMatch()
    {
        AssertInvalid(CheckMutated("bounds_interval", c => c["summary"]!["leaves"] = 4), "$.summary.leaves", "which has 5");
        AssertInvalid(CheckMutated("bounds_interval", c => c["verdict"] = "not_convex"), "$.verdict", "format /1");
        AssertInvalid(CheckMutated("bounds_interval", c => c["domain"] = null), "$.domain", "needs a box");
        AssertInvalid(CheckMutated("structural", c => c["method"] = "magic"), "$.method", "expected \"structural\" or \"bounds\"");
    }

    [Fact]
    public void ExpectedBoxMustMatchTheCertificate()
    {
        Assert.True(CertificateChecker.Check(Net("bounds_interval"), Cert("bounds_interval"), "0:1").Valid);
        AssertInvalid(CertificateChecker.Check(Net("bounds_interval"), Cert("bounds_interval"), "0:2"), "$.domain", "expected domain");
    }

    public static TheoryData<string, string, string, string> CommittedExamples()
    {
        var folder = Path.Combine(IndependenceTests.RepositoryRoot(), "certificates", "bounds");
        var data = new TheoryData<string, string, string, string>();
        foreach (var e in JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsArray())
            data.Add((string)e!["net"]!, (string?)e["box"] ?? "", (string)e["cert"]!, (string)e["verdict"]!);
        return data;
    }

    [Fact]
    public void TheCommittedExamplesAreListed() => Assert.Equal(6, CommittedExamples().Count());

    /// <summary>certificates/bounds/ (written by the engine; re-created byte for byte by the engine tests) are accepted with their box.</summary>
    [Theory]
    [MemberData(nameof(CommittedExamples))]
    public void CommittedExamplesAreAccepted(string net, string box, string cert, string verdict)
    {
        var folder = Path.Combine(IndependenceTests.RepositoryRoot(), "certificates", "bounds");
        var result = CertificateChecker.Check(Path.Combine(folder, net), Path.Combine(folder, cert), box.Length == 0 ? null : box);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(verdict, result.Verdict);
    }

    private static JsonArray Tree(JsonObject c) => c["tree"]!.AsArray();

    /// <summary>The first leaf node of the tree.</summary>
    private static JsonObject Leaf(JsonObject c) => Tree(c).First(n => (string)n!["node"]! == "leaf")!.AsObject();

    private static string Sha(string name) => (string)Load(Cert(name))["network_sha256"]!;
}
