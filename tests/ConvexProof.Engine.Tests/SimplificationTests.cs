using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Simplification;
using static ConvexProof.Tests.SimplificationSupport;

namespace ConvexProof.Tests;

/// <summary>Hand-built networks with known minimal forms: every redundancy kind alone, then together, then the degenerate examples.</summary>
public class SimplificationTests
{
    private static string OneLayer(string rows, string bias, string output, string? skip = null, int d = 1) =>
        $$"""{"input_dim":{{d}},"layers":[{"weights":{{rows}},"bias":{{bias}},"activation":"relu"},{"weights":[{{output}}],"bias":[0]{{(skip is null ? "" : $",\"skip\":{skip}")}},"activation":"identity"}]}""";

    [Fact]
    public void DuplicatedUnitsMergeIntoOne()
    {
        var r = Simplify(OneLayer("[[1,2],[1,2]]", "[3,3]", "[1,5]", d: 2));
        Assert.Equal([1, 1], Widths(r.Result));
        Assert.Equal([new RewriteStep(RewriteKind.Merge, 0, 1, 0, Rational.One), new RewriteStep(RewriteKind.Remove, 0, 1)], r.Steps);
        Assert.Equal((Rational)(6), r.Result.Layers[1].Weights[0][0]);
        AssertEquivalent(r);
    }

    [Fact]
    public void ScaledUnitsMergeWithTheirScale()
    {
        // relu(2x − 2) = 2·relu(x − 1): the output weight 3 becomes 1 + 2·3 = 7 on the first unit.
        var r = Simplify(OneLayer("[[1],[2],[-1]]", "[-1,-2,4]", "[1,3,1]"));
        Assert.Equal([2, 1], Widths(r.Result));
        Assert.Contains(new RewriteStep(RewriteKind.Merge, 0, 1, 0, (Rational)(2)), r.Steps);
        Assert.Equal((Rational)(7), r.Result.Layers[1].Weights[0][0]);
        AssertEquivalent(r);
    }

    [Fact]
    public void OppositeUnitsLeaveOneUnitAndASkip()
    {
        // |x| = relu(x) + relu(−x) = 2·relu(x) − x.
        var r = Simplify(Nets.Abs);
        Assert.Equal([1, 1], Widths(r.Result));
        Assert.Equal((Rational)(2), r.Result.Layers[1].Weights[0][0]);
        Assert.Equal((Rational)(-1), r.Result.Layers[1].Skip![0][0]);
        AssertEquivalent(r);
    }

    [Fact]
    public void InTheFirstLayerWeightsAndSkipAreOneFormInX()
    {
        // z0 = x (a weight), z1 = −2x (a skip): opposite as functions of x although their rows differ.
        var json = """
            {"input_dim":1,"layers":[{"weights":[[1],[0]],"bias":[0,0],"skip":[[0],[-2]],"activation":"relu"},
                                     {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Simplify(json);
        Assert.Equal([1, 1], Widths(r.Result));
        Assert.Equal(new RewriteStep(RewriteKind.Opposite, 0, 1, 0, (Rational)2), r.Steps[0]);
        AssertEquivalent(r);
        var icnn = IcnnConverter.Convert(Nets.Parse(json), Domain.Everywhere(1));
        Assert.True(icnn.Convex);
        AssertEquivalent(icnn.AsSimplification());
    }

    [Fact]
    public void OppositeUnitsInADeeperLayerAreKeptUnlessAffineInX()
    {
        // Layer 2 has relu(h) and relu(−h) with h = relu(x): z is not affine in x, so both stay.
        var json = """
            {"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-1],"activation":"relu"},
                                     {"weights":[[1,-1],[-1,1]],"bias":[0,0],"activation":"relu"},
                                     {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Simplify(json);
        Assert.Equal([2, 2, 1], Widths(r.Result));
        Assert.Empty(r.Steps);
        AssertEquivalent(r);
    }

    [Fact]
    public void DeadUnitsOnABoxAreRemoved()
    {
        // On [-1, 1]: relu(x − 10) is 0; relu(x) is not.
        var r = Simplify(OneLayer("[[1],[1]]", "[-10,0]", "[4,1]"), Nets.Box(1, -1, 1));
        Assert.Equal([1, 1], Widths(r.Result));
        Assert.Equal(new RewriteStep(RewriteKind.Dead, 0, 0), r.Steps[0]);
        AssertEquivalent(r);
        // On R^d the same unit is not dead: nothing is removed.
        Assert.Empty(Simplify(OneLayer("[[1],[1]]", "[-10,0]", "[4,1]")).Steps);
    }

    [Fact]
    public void AlwaysOnUnitsAreFoldedIntoTheSkip()
    {
        // On [-1, 1]: relu(x + 10) = x + 10, so f = 3(x + 10) + relu(x) = relu(x) + 3x + 30.
        var r = Simplify(OneLayer("[[1],[1]]", "[10,0]", "[3,1]"), Nets.Box(1, -1, 1));
        Assert.Equal([1, 1], Widths(r.Result));
        Assert.Equal((Rational)(30), r.Result.Layers[1].Bias[0]);
        Assert.Equal((Rational)(3), r.Result.Layers[1].Skip![0][0]);
        AssertEquivalent(r);
    }

    [Fact]
    public void ANetworkAffineOnTheBoxBecomesOneLayer()
    {
        // Every unit is dead or always on: the hidden layer is cut, f is an identity layer of the inputs.
        var r = Simplify(OneLayer("[[1,1],[1,-1],[2,0]]", "[10,-10,5]", "[1,2,-1]", d: 2), Nets.Box(2, -1, 1));
        Assert.Equal([1], Widths(r.Result));
        Assert.Equal(Activation.Identity, r.Result.Layers[0].Activation);
        Assert.Equal(RewriteKind.Cut, r.Steps[^1].Kind);
        AssertEquivalent(r);
    }

    [Fact]
    public void ZeroRowsAndZeroColumnsAreRemoved()
    {
        // A zero row is the constant relu(b); a zero output weight is read by nothing.
        var r = Simplify(OneLayer("[[0],[0],[1],[-2]]", "[3,-1,0,1]", "[2,5,1,0]"));
        Assert.Equal([1, 1], Widths(r.Result));
        Assert.Equal((Rational)(6), r.Result.Layers[1].Bias[0]);
        AssertEquivalent(r);
    }

    [Fact]
    public void AnIdentityFirstLayerIsFoldedAway()
    {
        var json = """
            {"input_dim":2,"layers":[{"weights":[[1,1],[1,-1]],"bias":[1,0],"activation":"identity"},
                                     {"weights":[[1,2],[-1,1]],"bias":[0,1],"activation":"relu"},
                                     {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Simplify(json);
        Assert.Equal([2, 1], Widths(r.Result));
        Assert.Null(r.Result.Layers[0].Skip);
        AssertEquivalent(r);
    }

    [Fact]
    public void RedundanciesInASecondLayerAppearAfterTheFirstIsMerged()
    {
        // Units 1 and 2 of layer 1 are copies; once merged, units 1 and 2 of layer 2 become copies (rows [2] and [4]).
        var json = """
            {"input_dim":1,"layers":[{"weights":[[1],[1],[-1]],"bias":[0,0,2],"activation":"relu"},
                                     {"weights":[[1,1,0],[2,2,0],[0,0,1]],"bias":[-1,-2,0],"activation":"relu"},
                                     {"weights":[[1,1,1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Simplify(json);
        Assert.Equal([2, 2, 1], Widths(r.Result));
        Assert.Equal(2, r.Steps.Count(s => s.Kind == RewriteKind.Merge));
        AssertEquivalent(r);
    }

    [Fact]
    public void LeakyLayersMergeParallelUnitsButKeepOffAndOppositeOnes()
    {
        // σ(z) = max(z, z/10): σ(2x) = 2σ(x) merges; σ(−x) is not σ(x) − x, and σ(x − 10) = (x − 10)/10 ≠ 0 on [-1, 1].
        var json = """
            {"input_dim":1,"layers":[{"weights":[[1],[2],[-1],[1]],"bias":[0,0,0,-10],"activation":"leaky_relu","alpha":"1/10"},
                                     {"weights":[[1,1,1,1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Simplify(json, Nets.Box(1, -1, 1));
        Assert.Equal([3, 1], Widths(r.Result));
        Assert.Equal([RewriteKind.Merge, RewriteKind.Remove], r.Steps.Select(s => s.Kind));
        Assert.Equal(new Rational(1, 10), r.Result.Layers[0].Alpha);
        AssertEquivalent(r);
        Assert.Throws<ArgumentException>(() => IcnnConverter.Convert(Nets.Parse(json), Domain.Everywhere(1)));
    }

    [Fact]
    public void AMinimalNetworkIsLeftAsItIs()
    {
        var r = Simplify(Nets.TwoHinges);
        Assert.Empty(r.Steps);
        Assert.Equal(NetworkHash.Sha256(r.Original), NetworkHash.Sha256(r.Result));
        AssertEquivalent(r);
    }

    /// <summary>The example networks of certificates/ (not the composition models, which are not ReLU networks and which simplify refuses).</summary>
    public static IEnumerable<object[]> Examples() =>
        Directory.GetFiles(Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".cert.json", StringComparison.Ordinal) && !f.EndsWith("manifest.json", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}composition{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetRelativePath(ExampleCertificateTests.RepositoryRoot(), f) });

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExampleNetworkSimplifiesWithAnAcceptedCertificate(string file)
    {
        var network = NetworkReader.ReadFile(Path.Combine(ExampleCertificateTests.RepositoryRoot(), file));
        foreach (var domain in new[] { Domain.Everywhere(network.InputDim), Nets.Box(network.InputDim, -1, 1) })
        {
            var r = Simplifier.Simplify(network, domain);
            Assert.True(r.Result.NeuronCount <= network.NeuronCount);
            AssertEquivalent(r);
        }
    }

    [Theory]
    [InlineData("dead_and_flat.json", 1)] // relu(−1), relu(0), relu(3) are constants; relu(x1 + x2) stays
    [InlineData("abs.json", 1)]
    [InlineData("neg_abs.json", 1)]
    [InlineData("two_hinges.json", 2)]
    public void TheDegenerateExamplesReachTheirMinimalWidth(string file, int width)
    {
        var network = NetworkReader.ReadFile(Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates", file));
        var r = Simplifier.Simplify(network, Domain.Everywhere(network.InputDim));
        Assert.Equal(width, r.Result.NeuronCount);
        AssertEquivalent(r);
    }
}
