using ConvexProof.Bounds;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Tests;

/// <summary>
/// Leaky ReLU σ(z) = max(z, αz), 0 ≤ α &lt; 1: values, kink values, degenerate jumps and bounds
/// computed by hand (docs/maths.md, "Leaky ReLU").
/// </summary>
public class LeakyReluTests
{
    private static Rational R(long p, long q = 1) => new(p, q);

    /// <summary>f = σ_{1/2}(σ_{1/4}(x) − 1): slopes 1/8 (x &lt; 0), 1/2 (0 &lt; x &lt; 1), 1 (x &gt; 1).</summary>
    private const string Hinges = """
        { "input_dim": 1, "layers": [
          { "weights": [[1]], "bias": [0], "activation": "leaky_relu", "alpha": "1/4" },
          { "weights": [[1]], "bias": [-1], "activation": "leaky_relu", "alpha": "1/2" },
          { "weights": [[1]], "bias": [0], "activation": "identity" } ] }
        """;

    [Fact]
    public void ValuesAreComputedWithTheSlopeBelowZero()
    {
        var net = Nets.Parse(Hinges);
        Assert.Equal(R(1, 4), net.Layers[0].Alpha);
        Assert.True(net.Layers[0].IsLeaky && net.Layers[1].IsLeaky);
        // x = −4: σ_{1/4}(−4) = −1, σ_{1/2}(−2) = −1.   x = 1/2: σ_{1/2}(−1/2) = −1/4.   x = 3: 2.
        Assert.Equal(R(-1), net.Evaluate([R(-4)]));
        Assert.Equal(R(-1, 4), net.Evaluate([R(1, 2)]));
        Assert.Equal(R(2), net.Evaluate([R(3)]));
    }

    [Fact]
    public void KinkValuesUseTheDownstreamSlopesAndTheJumpIsScaledByOneMinusAlpha()
    {
        var net = Nets.Parse(Hinges);
        // Unit 0 (kink at x = 0): downstream unit 1 is off there, so c_0 = 1·α_2 = 1/2; the gradient
        // jumps by (1 − α_1)·c_0 = 3/4 · 1/2 = 3/8 = 1/2 − 1/8. Unit 1 (kink at x = 1): c_1 = 1 and
        // the jump is (1 − 1/2)·1 = 1/2 = 1 − 1/2.
        Assert.Equal([R(1, 2), R(1)], KinkValues.Backward(net, "00"));
        Assert.Equal([R(1), R(1)], KinkValues.Backward(net, "01"));
        var result = Certifier.Certify(net, Domain.Everywhere(1), new CertifyOptions { StopAtFirstViolation = false });
        Assert.Equal(Verdict.Convex, result.Verdict);
        Assert.Equal(3, result.Regions.Count);
        Assert.Equal([(0, "0", R(1, 2)), (1, "", R(1))], result.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)));
        var slopes = result.Regions.Select(r => LocalAffineMaps.ForPattern(net, r.Pattern).Output[0]).Order().ToArray();
        Assert.Equal([R(1, 8), R(1, 2), R(1)], slopes);
    }

    [Fact]
    public void NegatedLeakyReluIsRefutedAtItsKink()
    {
        var net = Nets.Parse("""
            { "input_dim": 1, "layers": [
              { "weights": [[1]], "bias": [0], "activation": "leaky_relu", "alpha": "1/5" },
              { "weights": [[-1]], "bias": [0], "activation": "identity" } ] }
            """);
        var result = Certifier.Certify(net, Domain.Everywhere(1));
        Assert.Equal(Verdict.NotConvex, result.Verdict);
        Assert.Equal(R(-1), result.FirstViolation!.Value);
        var c = result.Counterexample!;
        Assert.True(2 * net.Evaluate([(c.X[0] + c.Y[0]) / 2]) > net.Evaluate(c.X) + net.Evaluate(c.Y));
    }

    [Fact]
    public void DuplicatedUnitsAreDecidedByTheGradientJump()
    {
        // f = σ(x) − (1/4)·σ(2x) = σ(x)/2 with α = 1/4: both units switch at 0 (a degenerate
        // frontier); unit 1 alone has c = −1/4 < 0, but the jump is 1/2 − 1/8 = 3/8 ≥ 0: convex.
        var net = Nets.Parse("""
            { "input_dim": 1, "layers": [
              { "weights": [[1], [2]], "bias": [0, 0], "activation": "leaky_relu", "alpha": "1/4" },
              { "weights": [[1, "-1/4"]], "bias": [0], "activation": "identity" } ] }
            """);
        var result = Certifier.Certify(net, Domain.Everywhere(1), new CertifyOptions { StopAtFirstViolation = false });
        Assert.Equal(Verdict.Convex, result.Verdict);
        var frontier = Assert.Single(result.Degeneracies.Frontiers);
        Assert.Equal([0, 1], frontier.Units);
        Assert.Equal(R(3, 8), frontier.Jump.Abs());
        Assert.Equal(R(-1, 4), KinkValues.Backward(net, "11")[1]);
    }

    [Fact]
    public void ASlopeOfZeroIsAReluWithTheSameHashAndOtherSlopesChangeIt()
    {
        string relu = """{ "input_dim": 1, "layers": [ { "weights": [[1]], "bias": [0], "activation": "relu" }, { "weights": [[1]], "bias": [0], "activation": "identity" } ] }""";
        string leaky(string a) => relu.Replace("\"activation\": \"relu\"", $"\"activation\": \"leaky_relu\", \"alpha\": {a}", StringComparison.Ordinal);
        Assert.Equal(NetworkHash.Sha256(Nets.Parse(relu)), NetworkHash.Sha256(Nets.Parse(leaky("0"))));
        Assert.False(Nets.Parse(leaky("0")).Layers[0].IsLeaky);
        Assert.NotEqual(NetworkHash.Sha256(Nets.Parse(relu)), NetworkHash.Sha256(Nets.Parse(leaky("\"1/5\""))));
        Assert.NotEqual(NetworkHash.Sha256(Nets.Parse(leaky("0.2"))), NetworkHash.Sha256(Nets.Parse(leaky("\"0x1.99999ap-3\""))));
        Assert.Equal(NetworkHash.Sha256(Nets.Parse(leaky("0.2"))), NetworkHash.Sha256(Nets.Parse(leaky("\"1/5\""))));
        Assert.Contains("layer leaky_relu 1 1 noskip\na 1/5\n", NetworkHash.CanonicalText(Nets.Parse(leaky("\"1/5\""))));
        // The writer spells it back.
        var written = NetworkWriter.ToJson(Nets.Parse(leaky("\"1/5\"")));
        Assert.Contains("\"alpha\": \"1/5\"", written);
        Assert.Equal(NetworkHash.Sha256(Nets.Parse(leaky("\"1/5\""))), NetworkHash.Sha256(Nets.Parse(written)));
    }

    [Theory]
    [InlineData("\"activation\": \"leaky_relu\", \"alpha\": 1", "$.layers[0].alpha", "must lie in [0, 1)")]
    [InlineData("\"activation\": \"leaky_relu\", \"alpha\": \"-1/5\"", "$.layers[0].alpha", "must lie in [0, 1)")]
    [InlineData("\"activation\": \"leaky_relu\", \"alpha\": \"3/2\"", "$.layers[0].alpha", "must lie in [0, 1)")]
    [InlineData("\"activation\": \"leaky_relu\"", "$.layers[0].alpha", "missing required key")]
    [InlineData("\"activation\": \"relu\", \"alpha\": \"1/5\"", "$.layers[0].alpha", "only a \"leaky_relu\" layer has a slope")]
    [InlineData("\"activation\": \"leaky_relu\", \"alpha\": [0.2]", "$.layers[0].alpha", "expected a number")]
    [InlineData("\"activation\": \"leaky\", \"alpha\": 0.2", "$.layers[0].activation", "\"leaky_relu\"")]
    public void BadSlopesAreInputErrorsNamingThePath(string activation, string path, string problem)
    {
        string json = $$"""{ "input_dim": 1, "layers": [ { "weights": [[1]], "bias": [0], {{activation}} }, { "weights": [[1]], "bias": [0], "activation": "identity" } ] }""";
        var e = Assert.Throws<InputException>(() => Nets.Parse(json));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void AStablyOffLeakyUnitPassesAlphaTimesItsInterval()
    {
        // Unit 1 = σ(x1 − 5) is stably off on [−1, 1]²; unit 2 reads −σ(x1 − 5) = −(x1 − 5)/5 ∈ [4/5, 6/5].
        var net = Nets.Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, 0], [1, 0]], "bias": [0, -5], "activation": "leaky_relu", "alpha": "1/5" },
              { "weights": [[1, -1]], "bias": [-1], "skip": [[0, 1]], "activation": "leaky_relu", "alpha": "1/5" },
              { "weights": [[1]], "bias": [0], "activation": "identity" } ] }
            """);
        var leaf = new LeafDomain([R(-1), R(-1)], [R(1), R(1)], []);
        var bounds = PreActivationBounds.Compute(net, leaf);
        Assert.Equal(new Interval(R(-6), R(-4)), bounds.OfNeuron(1));
        Assert.Equal(new Interval(R(-7, 5), R(11, 5)), bounds.OfNeuron(2));
        var conditions = ConditionBounds.Compute(bounds);
        // δ_0 = 1·s_2 with s_2 ∈ [1/5, 1]: its lower end is α, not 0.
        Assert.Equal([0, 2], conditions.UnstableNeurons);
        Assert.Equal([R(1, 5), R(1)], conditions.LowerBounds);
    }

    /// <summary>
    /// The interval and linear passes enclose every pre-activation of random leaky networks at
    /// random exact points of the box (the chord and the slopes in [α, 1] are sound).
    /// </summary>
    [Fact]
    public void BoundPassesEncloseThePreActivationsOfRandomLeakyNetworks()
    {
        var random = new Random(12);
        Rational[] alphas = [R(1, 8), R(1, 5), R(1, 2), R(3, 4)];
        for (int trial = 0; trial < 40; trial++)
        {
            int d = random.Next(1, 4);
            var net = RandomLeaky(random, d, [random.Next(2, 6), random.Next(2, 6)], alphas[trial % alphas.Length]);
            var lo = Enumerable.Range(0, d).Select(_ => R(random.Next(-8, 0), 4)).ToArray();
            var hi = lo.Select(v => v + R(random.Next(1, 9), 4)).ToArray();
            var leaf = new LeafDomain(lo, hi, []);
            foreach (var bounds in new[] { PreActivationBounds.Compute(net, leaf), LinearBounds.Compute(net, leaf) })
                for (int s = 0; s < 30; s++)
                {
                    var x = lo.Zip(hi, (a, b) => a + (b - a) * R(random.Next(0, 17), 16)).ToArray();
                    var z = PreActivations(net, x);
                    for (int k = 0; k < net.NeuronCount; k++)
                    {
                        var interval = bounds.OfNeuron(k);
                        Assert.True(interval.Lo <= z[k] && z[k] <= interval.Hi, $"trial {trial}: unit {k} = {z[k]} outside [{interval.Lo}, {interval.Hi}]");
                    }
                }
        }
    }

    private static Network RandomLeaky(Random r, int d, int[] widths, Rational alpha)
    {
        Rational W() => R(r.Next(-8, 9), 8);
        var layers = new List<Layer>();
        int inputs = d;
        foreach (int w in widths)
        {
            layers.Add(new Layer([.. Enumerable.Range(0, w).Select(_ => Enumerable.Range(0, inputs).Select(_ => W()).ToArray())],
                [.. Enumerable.Range(0, w).Select(_ => W())], null, Activation.Relu) { Alpha = alpha });
            inputs = w;
        }
        layers.Add(new Layer([Enumerable.Range(0, inputs).Select(_ => W()).ToArray()], [Rational.Zero], null, Activation.Identity));
        return new Network(d, layers);
    }

    /// <summary>Every rectifier unit's pre-activation at x, by a plain forward pass.</summary>
    private static Rational[] PreActivations(Network net, Rational[] x)
    {
        var z = new List<Rational>();
        Rational[] h = x;
        foreach (var layer in net.Layers)
        {
            var next = new Rational[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var v = layer.Bias[i];
                for (int j = 0; j < h.Length; j++) v += layer.Weights[i][j] * h[j];
                if (layer.Skip is not null) for (int j = 0; j < x.Length; j++) v += layer.Skip[i][j] * x[j];
                if (layer.Activation == Activation.Relu) z.Add(v);
                next[i] = layer.Activate(v);
            }
            h = next;
        }
        return [.. z];
    }
}
