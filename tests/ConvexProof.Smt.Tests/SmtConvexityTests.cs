using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using static ConvexProof.Smt.Tests.TestNets;

namespace ConvexProof.Smt.Tests;

/// <summary>The midpoint query on real z3, on networks whose convexity is known by hand.</summary>
public class SmtConvexityTests
{
    private static readonly SmtOptions Ite = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Every formulation on its own (and both at once), each ReLU encoding, with and without the lemmas.</summary>
    public static TheoryData<string> Encodings => new() { "both", "midpoint", "midpoint cases", "midpoint nolemmas", "local", "local cases nolemmas" };

    private static SmtVerdict Decide(Network net, Domain domain, string setup)
    {
        var options = Ite with
        {
            Query = setup.StartsWith("midpoint", StringComparison.Ordinal) ? SmtQueryKind.Midpoint
                : setup.StartsWith("local", StringComparison.Ordinal) ? SmtQueryKind.Local : SmtQueryKind.Both,
            ReluEncoding = setup.Contains("cases", StringComparison.Ordinal) ? ReluEncoding.Cases : ReluEncoding.Ite,
            Lemmas = !setup.Contains("nolemmas", StringComparison.Ordinal),
        };
        var verdict = SmtConvexityChecker.Decide(net, domain, options);
        if (options.Query != SmtQueryKind.Both) Assert.Equal(setup.Split(' ')[0], verdict.Query);
        return verdict;
    }

    private static void AssertReverified(SmtVerdict verdict, Network net, Domain domain)
    {
        Assert.Equal(SmtVerdictKind.NotConvex, verdict.Kind);
        Assert.True(domain.Contains(verdict.X!) && domain.Contains(verdict.Y!));
        Assert.Equal(net.Evaluate(verdict.X!), verdict.Fx);
        Assert.Equal(net.Evaluate(verdict.Y!), verdict.Fy);
        var mid = verdict.X!.Zip(verdict.Y!, (a, b) => (a + b) / 2).ToArray();
        Assert.Equal(net.Evaluate(mid), verdict.FMid);
        Assert.True(verdict.FMid!.Value * 2 > verdict.Fx!.Value + verdict.Fy!.Value);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Abs_is_convex(string setup)
    {
        var verdict = Decide(Abs, Domain.Everywhere(1), setup);
        Assert.Equal(SmtVerdictKind.Convex, verdict.Kind);
        Assert.StartsWith("z3 ", verdict.SolverVersion, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Minus_abs_is_not_convex_with_a_reverified_counterexample(string setup)
    {
        var verdict = Decide(NegAbs, Domain.Everywhere(1), setup);
        AssertReverified(verdict, NegAbs, Domain.Everywhere(1));
        // The kink at 0 must lie strictly between x and y.
        Assert.True(verdict.X![0].Sign * verdict.Y![0].Sign < 0);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_max_of_affine_maps_is_convex(string setup)
    {
        // Sanity check of the construction: f = max(x1 + x2, 2 x1 − x2 + 1/2, −x1 − 3/4).
        var rng = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            var x = new[] { new Rational(rng.Next(-40, 41), 8), new Rational(rng.Next(-40, 41), 8) };
            var expected = Rational.Max(Rational.Max(x[0] + x[1], 2 * x[0] - x[1] + new Rational(1, 2)), -x[0] - new Rational(3, 4));
            Assert.Equal(expected, MaxOfAffine.Evaluate(x));
        }
        Assert.Equal(SmtVerdictKind.Convex, Decide(MaxOfAffine, Domain.Everywhere(2), setup).Kind);
        Assert.Equal(SmtVerdictKind.Convex, Decide(MaxOfAffine, Domain.Box(V("-1", "-1"), V("1", "1")), setup).Kind);
    }

    [Fact]
    public void Random_icnns_with_skip_connections_are_convex()
    {
        var options = new RandomNetworkOptions { Icnn = true, MaxWidth = 4 };
        for (int seed = 1; seed <= 6; seed++)
        {
            var net = RandomNetworks.Generate(seed, options);
            Assert.Contains(net.Layers, l => l.Skip is not null);
            var verdict = SmtConvexityChecker.Decide(net, Domain.Everywhere(net.InputDim), Ite);
            Assert.True(verdict.Kind == SmtVerdictKind.Convex, $"seed {seed}: {verdict.Kind} {verdict.Reason}");
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Convex_networks_with_negative_hidden_weights_are_recognised(string setup)
    {
        // f(x) = relu(x − 1) + relu(−x − 1) and f(x1, x2) = 2 relu(x1 + x2) + |x1|, by hand (see TestNets).
        foreach (var x in new[] { "-3", "-1", "-1/2", "0", "1", "5/2" })
            Assert.Equal(Rational.Max(R(x) - 1, 0) + Rational.Max(-R(x) - 1, 0), ConvexNonIcnn.Evaluate([R(x)]));
        Assert.Equal(R("2") * 3 + 1, ConvexNonIcnn2D.Evaluate(V("-1", "4")));
        Assert.Contains(ConvexNonIcnn.Layers[1].Weights.SelectMany(r => r), w => w.Sign < 0);

        Assert.Equal(SmtVerdictKind.Convex, Decide(ConvexNonIcnn, Domain.Everywhere(1), setup).Kind);
        Assert.Equal(SmtVerdictKind.Convex, Decide(ConvexNonIcnn2D, Domain.Everywhere(2), setup).Kind);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void The_domain_matters_convex_on_a_box_but_not_on_the_line(string setup)
    {
        Assert.Equal(SmtVerdictKind.Convex, Decide(ConvexOnBoxOnly, Domain.Box(V("-1"), V("1")), setup).Kind);
        Assert.Equal(SmtVerdictKind.Convex, Decide(ConvexOnBoxOnly, Domain.Box(V("-5"), V("2")), setup).Kind);
        var everywhere = Decide(ConvexOnBoxOnly, Domain.Everywhere(1), setup);
        AssertReverified(everywhere, ConvexOnBoxOnly, Domain.Everywhere(1));
        var wide = Domain.Box(V("-1"), V("5/2"));
        var onBox = Decide(ConvexOnBoxOnly, wide, setup);
        AssertReverified(onBox, ConvexOnBoxOnly, wide);
        Assert.Contains(onBox.X!.Concat(onBox.Y!), v => v > 2);
    }

    [Fact]
    public void A_timeout_gives_unknown_never_a_verdict()
    {
        // The pigeonhole query (seconds of work for z3) with a 0.2 s limit.
        using var session = SolverSession.Open(new SmtOptions { Timeout = TimeSpan.FromSeconds(0.2) });
        var commands = Z3ProcessTests.HardQuery(9);
        foreach (var c in commands[..^1]) session.Command(c);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.CheckSat();
        Assert.Equal(SatStatus.Unknown, result.Status);
        Assert.Contains("timeout", result.Reason, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_network_query_past_its_time_limit_is_unknown()
    {
        var net = RandomNetworks.Generate(11, new RandomNetworkOptions
        {
            MinInputDim = 3, MinHiddenLayers = 3, MinWidth = 12, MaxWidth = 12, NonNegativeLastLayer = false,
        });
        var verdict = SmtConvexityChecker.Decide(net, Domain.Everywhere(3), new SmtOptions { Timeout = TimeSpan.FromMilliseconds(1) });
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("timeout", verdict.Reason, StringComparison.Ordinal);
    }
}
