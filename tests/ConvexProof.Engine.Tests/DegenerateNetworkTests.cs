using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// Networks that break the theorem's non-degeneracy assumption, with verdicts known by hand. Each
/// is decided by the exact gradient-jump test across the degenerate frontier.
/// </summary>
public class DegenerateNetworkTests
{
    private static CertificationResult Certify(string json, Domain? domain = null)
    {
        var net = Nets.Parse(json);
        return Certifier.Certify(net, domain ?? Domain.Everywhere(net.InputDim));
    }

    private static void AssertRefuted(string json, CertificationResult r)
    {
        Assert.Equal(Verdict.NotConvex, r.Verdict);
        var net = Nets.Parse(json);
        var ce = r.Counterexample!;
        var mid = ce.X.Zip(ce.Y, (a, b) => (a + b) / 2).ToArray();
        Assert.True(net.Evaluate(mid) * 2 > net.Evaluate(ce.X) + net.Evaluate(ce.Y));
    }

    private static string OneLayer(string weights, string bias, string output) => $$"""
        {"input_dim":1,"layers":[{"weights":{{weights}},"bias":{{bias}},"activation":"relu"},
                                 {"weights":[{{output}}],"bias":[0],"activation":"identity"}]}
        """;

    [Fact]
    public void DuplicatedUnitsWhoseOutputWeightsCancelAreConvex()
    {
        var r = Certify(OneLayer("[[1],[1]]", "[0,0]", "[1,-1]"));
        Assert.Equal(Verdict.Convex, r.Verdict);
        var frontier = Assert.Single(r.Degeneracies.Frontiers);
        Assert.Equal([0, 1], frontier.Units);
        Assert.Equal(Rational.Zero, frontier.Jump);
        Assert.Equal(Rational.Zero, frontier.Point[0]);
    }

    [Fact]
    public void DuplicatedUnitsWithANegativeTotalAreNotConvex()
    {
        string json = OneLayer("[[1],[1]]", "[0,0]", "[1,-2]");
        var r = Certify(json);
        var frontier = Assert.Single(r.Degeneracies.Frontiers);
        Assert.Equal(Rational.MinusOne, frontier.Jump);
        AssertRefuted(json, r);
        Assert.True(r.FirstViolation!.Degenerate);
    }

    [Fact]
    public void OppositeUnitsSummingToALinearFunctionAreConvex()
    {
        // relu(x) − relu(−x) = x: the kink cancels exactly.
        var r = Certify(OneLayer("[[1],[-1]]", "[0,0]", "[1,-1]"));
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(Rational.Zero, Assert.Single(r.Degeneracies.Frontiers).Jump);
    }

    [Fact]
    public void ScaledDuplicatesFromExactDecimalsTie()
    {
        // 0.1x − 0.3 and 0.3x − 0.9 vanish at exactly x = 3 (in doubles, 0.1·3 ≠ 0.3).
        var convex = Certify(OneLayer("[[0.1],[0.3]]", "[-0.3,-0.9]", "[1,1]"));
        Assert.Equal(Verdict.Convex, convex.Verdict);
        var f = Assert.Single(convex.Degeneracies.Frontiers);
        Assert.Equal(new Rational(3, 1), f.Point[0]);
        // Output weights 1, −1: f = −2·relu(0.1x − 0.3), concave kink.
        string concave = OneLayer("[[0.1],[0.3]]", "[-0.3,-0.9]", "[1,-1]");
        var r = Certify(concave);
        AssertRefuted(concave, r);
        // ∇f jumps by −0.2 and the outward normal of the facet constraint is ±0.1: jump −1/50.
        Assert.Equal(new Rational(-1, 50), r.FirstViolation!.Value);
    }

    [Fact]
    public void DeeperUnitSwitchingOnAFirstLayerHyperplane()
    {
        // relu(relu(x)) is flat for x < 0 and switches at x = 0 together with relu(x).
        string json = """
            {"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},
                                     {"weights":[[1]],"bias":[0],"activation":"relu"},
                                     {"weights":[[-1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Certify(json);
        var frontier = Assert.Single(r.Degeneracies.Frontiers);
        Assert.Equal([0, 1], frontier.Units);
        Assert.Contains(r.Degeneracies.ConstantUnits, u => u.Unit == 1 && u.ZeroIn == 1);
        AssertRefuted(json, r);

        var convex = Certify(Nets.MaxOfThree);
        Assert.Equal(Verdict.Convex, convex.Verdict);
        Assert.NotEmpty(convex.Degeneracies.Frontiers);
    }

    [Fact]
    public void DeadUnitsAreReportedAsConstant()
    {
        var r = Certify(Nets.DeadAndFlat);
        Assert.Equal(Verdict.Convex, r.Verdict);
        var units = r.Degeneracies.ConstantUnits.ToDictionary(u => u.Unit);
        Assert.Equal(2, units[0].Regions);   // zero row, bias −1: dead in both regions
        Assert.Equal(0, units[0].ZeroIn);
        Assert.Equal(2, units[1].ZeroIn);    // zero row, bias 0: identically zero
        Assert.Equal(2, units[2].Regions);   // zero row, bias 3: always on
        Assert.False(units.ContainsKey(3));  // x1 + x2 switches: not constant
    }

    [Fact]
    public void DegenerateFrontierInThePlane()
    {
        // Two identical units relu(x1 + x2) and a third on the same line with opposite orientation:
        // f = relu(s) + relu(s) − relu(−s) with s = x1 + x2, i.e. s + relu(s): convex, jump 1·|∇s|².
        string json = """
            {"input_dim":2,"layers":[{"weights":[[1,1],[1,1],[-1,-1]],"bias":[0,0,0],"activation":"relu"},
                                     {"weights":[[1,1,-1]],"bias":[0],"activation":"identity"}]}
            """;
        var r = Certify(json);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(2, r.Regions.Count);
        var f = Assert.Single(r.Degeneracies.Frontiers);
        Assert.Equal([0, 1, 2], f.Units);
        Assert.Equal(new Rational(2, 1), f.Jump);
        Assert.Equal(f.Point[0], -f.Point[1]);
    }
}
