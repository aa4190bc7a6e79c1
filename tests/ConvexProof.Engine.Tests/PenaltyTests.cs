using System.Text.Json;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Penalty;
using ConvexProof.Regions;

namespace ConvexProof.Tests;

/// <summary>
/// The exact penalty R/λ = Σ max(0, −c): on the committed examples it is the sum over the
/// certificate's negative conditions, pair for pair; by hand on small networks; per unit; with
/// degenerate frontiers and limits.
/// </summary>
public class PenaltyTests
{
    [Theory]
    [MemberData(nameof(ExampleCertificateTests.Manifest), MemberType = typeof(ExampleCertificateTests))]
    public void ThePenaltyIsTheSumOverTheCertificatesNegativeConditions(string net, string box, string cert, string verdict)
    {
        var folder = Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates");
        var network = NetworkReader.ReadFile(Path.Combine(folder, net));
        var domain = box.Length == 0 ? Domain.Everywhere(network.InputDim) : ExampleCertificateTests.ParseBox(box, network.InputDim);
        var report = PenaltyCalculator.Compute(network, domain);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, cert)));
        var fromCertificate = doc.RootElement.GetProperty("conditions").EnumerateArray()
            .Select(c => (Unit: c.GetProperty("neuron").GetInt32(), Downstream: c.GetProperty("downstream").GetString()!,
                          Value: Parse(c.GetProperty("value").GetString()!)))
            .ToList();
        var expected = Rational.Zero;
        foreach (var c in fromCertificate) if (c.Value.Sign < 0) expected -= c.Value;

        Assert.Equal(expected, report.Total);
        Assert.Equal(fromCertificate, report.Conditions.Select(c => (Unit: c.Neuron, c.Downstream, c.Value)).ToList());
        Assert.Equal(fromCertificate.Count(c => c.Value.Sign < 0), report.Violating);
        Assert.Equal(doc.RootElement.GetProperty("summary").GetProperty("regions").GetInt32(), report.Regions);
        Assert.True(report.Complete);
        Assert.Equal(verdict, report.Verdict == Verdict.Convex ? "convex" : "not_convex");
        // Not convex with R = 0 only through a degenerate frontier's negative jump.
        Assert.Equal(report.Verdict == Verdict.NotConvex, report.Total.Sign > 0 || report.NegativeJumps > 0);
    }

    [Fact]
    public void HandComputedPenaltyOfTwoHinges()
    {
        // f = relu(x) − 2·relu(x − 1) (+ a third unit relu(x + 3) with weight 1/2): c = 1, −2, 1/2.
        var network = Nets.Parse("""
            {"input_dim":1,"layers":[{"weights":[[1],[1],[1]],"bias":[0,-1,3],"activation":"relu"},
                                     {"weights":[[1,-2,"1/2"]],"bias":[0],"activation":"identity"}]}
            """);
        var report = PenaltyCalculator.Compute(network, Domain.Everywhere(1));
        Assert.Equal(new Rational(2, 1), report.Total);
        Assert.Equal(Verdict.NotConvex, report.Verdict);
        Assert.Equal([new Rational(1, 1), new Rational(-2, 1), new Rational(1, 2)], report.Units.Select(u => u.Worst!.Value));
        Assert.Equal([0, 1, 0], report.Units.Select(u => u.Violating));
        Assert.Equal([Rational.Zero, new Rational(2, 1), Rational.Zero], report.Units.Select(u => u.Penalty));

        // On [2, 5] no unit switches: no conditions, no penalty, convex (affine).
        var inside = PenaltyCalculator.Compute(network, Domain.Box([new Rational(2, 1)], [new Rational(5, 1)]));
        Assert.Empty(inside.Conditions);
        Assert.Equal(Rational.Zero, inside.Total);
        Assert.All(inside.Units, u => Assert.Null(u.Worst));
        Assert.Equal(Verdict.Convex, inside.Verdict);
    }

    [Fact]
    public void EveryDownstreamPatternOfAUnitCounts()
    {
        // f = relu(h0 + y) − relu(h0 − y), h0 = relu(x): along unit 0's frontier x = 0 the second layer
        // is (on, off) for y > 0 and (off, on) for y < 0, so unit 0 has two conditions, c = 1 and c = −1.
        var network = Nets.Parse("""
            {"input_dim":2,"layers":[{"weights":[[1,0]],"bias":[0],"activation":"relu"},
                                     {"weights":[[1],[1]],"bias":[0,0],"skip":[[0,1],[0,-1]],"activation":"relu"},
                                     {"weights":[[1,-1]],"bias":[0],"activation":"identity"}]}
            """);
        var report = PenaltyCalculator.Compute(network, Domain.Everywhere(2));
        Assert.Equal([("01", new Rational(-1, 1)), ("10", Rational.One)],
            report.Conditions.Where(c => c.Neuron == 0).Select(c => (c.Downstream, c.Value)));
        Assert.Equal(1, report.Units[0].Violating);
        Assert.Equal(new Rational(-1, 1), report.Units[0].Worst);
        var sum = Rational.Zero;
        foreach (var c in report.Conditions) sum += PenaltyCalculator.Term(c.Value);
        Assert.Equal(sum, report.Total);
        Assert.Equal(report.Units.Sum(u => u.Violating), report.Violating);
    }

    [Fact]
    public void DegenerateFrontiersAreReportedWithTheirJumpsAndAddNoTerm()
    {
        var report = PenaltyCalculator.Compute(Nets.Parse(Nets.NegAbs), Domain.Everywhere(1));
        Assert.Equal(Rational.Zero, report.Total);
        var frontier = Assert.Single(report.DegenerateFrontiers);
        Assert.Equal(new Rational(-2, 1), frontier.Jump);
        Assert.Equal(1, report.NegativeJumps);
        Assert.Equal(Verdict.NotConvex, report.Verdict);
    }

    [Fact]
    public void ALimitGivesAnIncompleteLowerBound()
    {
        var network = NetworkReader.ReadFile(Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates", "small_mlp_2d.json"));
        var full = PenaltyCalculator.Compute(network, Domain.Everywhere(2));
        var partial = PenaltyCalculator.Compute(network, Domain.Everywhere(2), new ExplorationLimits(MaxRegions: 2));
        Assert.False(partial.Complete);
        Assert.True(full.Complete);
        Assert.True(partial.Total <= full.Total);
        Assert.True(partial.Conditions.Count < full.Conditions.Count);
    }

    private static Rational Parse(string s)
    {
        Assert.True(Rational.TryParseCanonical(s, out var v), s);
        return v;
    }
}
