using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

public class CertifierTests
{
    private static CertificationResult Certify(string json, Domain? domain = null)
    {
        var net = Nets.Parse(json);
        return Certifier.Certify(net, domain ?? Domain.Everywhere(net.InputDim));
    }

    private static void AssertCounterexampleIsReal(string json, CertificationResult r, Domain? domain = null)
    {
        var net = Nets.Parse(json);
        var ce = Assert.IsType<Counterexample>(r.Counterexample);
        Assert.NotEqual(ce.X, ce.Y);
        var mid = ce.X.Zip(ce.Y, (a, b) => (a + b) / 2).ToArray();
        var fx = net.Evaluate(ce.X);
        var fy = net.Evaluate(ce.Y);
        var fm = net.Evaluate(mid);
        Assert.True(fm * 2 > fx + fy, $"f(mid)={fm}, f(x)={fx}, f(y)={fy}");
        Assert.Equal(fx, ce.Fx);
        Assert.Equal(fy, ce.Fy);
        Assert.Equal(fm, ce.FMid);
        if (domain is not null) Assert.True(domain.Contains(ce.X) && domain.Contains(ce.Y));
    }

    [Fact]
    public void AbsoluteValueIsConvexThroughADegenerateFrontier()
    {
        var r = Certify(Nets.Abs);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(2, r.Regions.Count);
        Assert.Equal(["01", "10"], r.Regions.Select(x => x.Pattern).Order().ToArray());
        Assert.Empty(r.Conditions);
        var facet = Assert.Single(r.Regions[0].Facets);
        Assert.True(facet.IsDegenerate);
        Assert.Equal([0, 1], facet.Switching);
        // ∇f jumps from −1 to +1; the outward normal of {x<0} is +1: jump 2.
        Assert.Equal(new Rational(2, 1), facet.Jump);
        Assert.Equal(Rational.Zero, facet.Facet.Witness[0]);
    }

    [Fact]
    public void NegatedAbsoluteValueIsRefutedWithAnExactCounterexample()
    {
        var r = Certify(Nets.NegAbs);
        Assert.Equal(Verdict.NotConvex, r.Verdict);
        Assert.Equal(new Rational(-2, 1), r.FirstViolation!.Value);
        Assert.True(r.FirstViolation.Degenerate);
        AssertCounterexampleIsReal(Nets.NegAbs, r);
    }

    [Fact]
    public void TwoHingesInOneDimension()
    {
        var r = Certify(Nets.TwoHinges);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(3, r.Regions.Count);
        Assert.Equal(2, r.Conditions.Count);
        Assert.All(r.Conditions, c => Assert.Equal(Rational.One, c.Value));
        Assert.Equal([0, 1], r.Conditions.Select(c => c.Neuron).ToArray());
        Assert.All(r.Conditions, c => Assert.Equal("", c.Downstream));
    }

    [Fact]
    public void NegativeReluIsNotConvex()
    {
        var r = Certify(Nets.NegRelu);
        Assert.Equal(Verdict.NotConvex, r.Verdict);
        var c = Assert.Single(r.Conditions);
        Assert.Equal(Rational.MinusOne, c.Value);
        Assert.False(r.FirstViolation!.Degenerate);
        Assert.Equal([0], r.FirstViolation.Units);
        AssertCounterexampleIsReal(Nets.NegRelu, r);
    }

    [Fact]
    public void MaxOfTwoAffineMaps()
    {
        var r = Certify(Nets.MaxOfTwo);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(2, r.Regions.Count);
        var c = Assert.Single(r.Conditions);
        Assert.Equal(Rational.One, c.Value);
        // The witness lies on x1 = x2.
        Assert.Equal(c.Point[0], c.Point[1]);
    }

    [Fact]
    public void MaxOfThreeWithAFlatDeeperUnit()
    {
        var r = Certify(Nets.MaxOfThree);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(4, r.Regions.Count);
        // Where x1 < 0 the carrier unit relu(h0) (index 2) is identically zero: flat.
        Assert.Contains(r.Regions, x => x.Geometry.Flat.Contains(2));
        // Crossing x1 = 0 switches h0 and its carrier together: a degenerate facet with a positive jump.
        Assert.Contains(r.Regions.SelectMany(x => x.Facets), f => f.IsDegenerate && f.Jump!.Value.Sign > 0);
        Assert.All(r.Conditions, c => Assert.True(c.Value.Sign >= 0));
    }

    [Fact]
    public void InputConvexNetworkWithSkips()
    {
        var r = Certify(Nets.Icnn);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.All(r.Conditions, c => Assert.True(c.Value.Sign >= 0));
        // Second-layer unit (index 2): its c is the output weight 2.
        Assert.Contains(r.Conditions, c => c.Neuron == 2 && c.Value == new Rational(2, 1));
        // First-layer units feed it with weight 1: c = 2 when it is on, 0 when it is off.
        Assert.Contains(r.Conditions, c => c.Neuron == 0 && c.Downstream == "1" && c.Value == new Rational(2, 1));
    }

    [Fact]
    public void ConvexNetworkWithNegativeHiddenWeightIsNotAnIcnnButConvex()
    {
        var net = Nets.Parse(Nets.NegativeWeightConvex);
        Assert.Contains(net.Layers[1].Weights.SelectMany(row => row), w => w.Sign < 0);
        var r = Certify(Nets.NegativeWeightConvex);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(3, r.Regions.Count);
        Assert.Equal(2, r.Conditions.Count);
        // unit 0: 1·1 + 0·2 = 1; unit 1: (−1)·1 + 1·2 = 1, both with the second layer on ("11").
        Assert.All(r.Conditions, c => Assert.Equal(("11", Rational.One), (c.Downstream, c.Value)));
    }

    [Fact]
    public void DecimalWeightsCancelExactly()
    {
        var r = Certify(Nets.CancellingDecimals);
        Assert.Equal(Verdict.Convex, r.Verdict);
        var c = Assert.Single(r.Conditions);
        Assert.Equal(Rational.Zero, c.Value);
        // The same sum in binary floating point is negative: a float checker would say "not convex".
        Assert.True(-0.1 - 0.2 + 0.3 < 0);
    }

    [Fact]
    public void BoxChangesTheAnswer()
    {
        var onBox = Certify(Nets.ConvexOnlyNearZero, Nets.Box(1, -1, 1));
        Assert.Equal(Verdict.Convex, onBox.Verdict);
        Assert.Equal(2, onBox.Regions.Count);
        Assert.Equal(2, onBox.Statistics.BoundaryFacets);

        var everywhere = Certify(Nets.ConvexOnlyNearZero);
        Assert.Equal(Verdict.NotConvex, everywhere.Verdict);
        Assert.Equal(3, everywhere.Regions.Count);
        AssertCounterexampleIsReal(Nets.ConvexOnlyNearZero, everywhere);

        var farBox = Nets.Box(1, 1, 3);
        var onFarBox = Certify(Nets.ConvexOnlyNearZero, farBox);
        Assert.Equal(Verdict.NotConvex, onFarBox.Verdict);
        AssertCounterexampleIsReal(Nets.ConvexOnlyNearZero, onFarBox, farBox);
    }

    [Fact]
    public void IssueExampleHasFourRegionsAndUnitConditions()
    {
        var r = Certify(Nets.IssueExample);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(4, r.Regions.Count);
        Assert.Equal(2, r.Conditions.Count);
        Assert.All(r.Conditions, c => Assert.Equal(Rational.One, c.Value));
        Assert.Equal(8, r.Statistics.Facets);
    }

    [Fact]
    public void DeadFlatAndAlwaysOnUnits()
    {
        var r = Certify(Nets.DeadAndFlat);
        Assert.Equal(Verdict.Convex, r.Verdict);
        Assert.Equal(2, r.Regions.Count);
        foreach (var region in r.Regions)
        {
            Assert.Equal([1], region.Geometry.Flat);
            Assert.Equal('0', region.Pattern[0]);
            Assert.Equal('1', region.Pattern[2]);
            // Constant constraints (−(−1) > 0 and 3 > 0) are redundant with no multipliers at all.
            Assert.Contains(region.Geometry.Redundant, x => x.Constraint == 0 && x.Farkas.Count == 0);
            Assert.Contains(region.Geometry.Redundant, x => x.Constraint == 2 && x.Farkas.Count == 0);
        }
    }

    [Fact]
    public void CertificatesAreByteForByteDeterministic()
    {
        var net = Nets.Parse(Nets.Icnn);
        string Write()
        {
            using var s = new MemoryStream();
            CertificateWriter.Write(Certifier.Certify(net, Nets.Box(2, -3, 3)), s);
            return System.Text.Encoding.UTF8.GetString(s.ToArray());
        }
        Assert.Equal(Write(), Write());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StreamingTheCertificateGivesTheSameBytesWithoutKeepingRegions(bool background)
    {
        var net = Nets.Parse(Nets.Icnn);
        var domain = Nets.Box(2, -3, 3);
        using var whole = new MemoryStream();
        CertificateWriter.Write(Certifier.Certify(net, domain), whole);

        using var streamed = new MemoryStream();
        using (var writer = new CertificateStreamWriter(streamed, NetworkHash.Sha256(net), domain, background))
        {
            var result = Certifier.Certify(net, domain, new CertifyOptions { RegionSink = writer.Add, KeepRegions = false, Parallelism = 1 });
            Assert.Empty(result.Regions);
            Assert.True(result.Statistics.Regions > 1);
            writer.Finish(result);
        }
        Assert.Equal(whole.ToArray(), streamed.ToArray());
    }

    /// <summary>A time limit while the certificate is finished stops the writer thread instead of waiting for it.</summary>
    [Fact]
    public void FinishingTheStreamedCertificateStopsWhenCancelled()
    {
        var net = Nets.Parse(Nets.Icnn);
        var domain = Nets.Box(2, -3, 3);
        using var streamed = new MemoryStream();
        var writer = new CertificateStreamWriter(streamed, NetworkHash.Sha256(net), domain, background: true);
        var result = Certifier.Certify(net, domain, new CertifyOptions { RegionSink = writer.Add, KeepRegions = false, Parallelism = 1 });
        Assert.Throws<OperationCanceledException>(() => writer.Finish(result, new CancellationToken(canceled: true)));
        writer.Dispose(); // returns: the writer thread stops after its current region
    }

    /// <summary>A time limit counts from the caller's start, so its phases before exploration use up the same budget.</summary>
    [Fact]
    public void ATimeLimitAlreadySpentStopsBeforeTheFirstRegion()
    {
        var net = Nets.Parse(Nets.Icnn);
        var started = System.Diagnostics.Stopwatch.GetTimestamp() - System.Diagnostics.Stopwatch.Frequency; // one second ago
        var r = Certifier.Certify(net, Domain.Everywhere(2), new CertifyOptions
        {
            Limits = new Regions.ExplorationLimits(Timeout: TimeSpan.FromMilliseconds(500)) { StartTimestamp = started },
        });
        Assert.Equal(Verdict.Undecided, r.Verdict);
        Assert.StartsWith("time limit reached (0.5 s; 0 regions explored", r.UndecidedReason);
    }

    [Fact]
    public void RegionLimitGivesUndecidedWithoutAVerdict()
    {
        var net = Nets.Parse(Nets.Icnn);
        var r = Certifier.Certify(net, Domain.Everywhere(2), new CertifyOptions { Limits = new(MaxRegions: 1) });
        Assert.Equal(Verdict.Undecided, r.Verdict);
        Assert.Contains("region limit", r.UndecidedReason);
        Assert.Throws<InvalidOperationException>(() => CertificateWriter.Write(r, new MemoryStream()));
    }
}
