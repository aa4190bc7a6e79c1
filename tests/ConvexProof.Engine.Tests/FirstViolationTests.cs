using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;

namespace ConvexProof.Tests;

/// <summary>
/// <see cref="CertifyOptions.StopAtFirstViolation"/>: exploration ends at the first violated frontier
/// (the first in region-index order), with the same violation and counterexample as full enumeration
/// and the same refutation for any number of threads; a convex network is enumerated in full.
/// </summary>
public class FirstViolationTests
{
    private static byte[] Bytes(CertificationResult r)
    {
        using var s = new MemoryStream();
        CertificateWriter.Write(r, s);
        return s.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void StopsAtTheFirstViolationWithTheFullRunsViolationAndCounterexample(int threads)
    {
        var net = Nets.Parse(Nets.HingeGridWithOneConcaveLine);
        var domain = Domain.Everywhere(2);
        var full = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = threads });
        var first = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = threads, StopAtFirstViolation = true });

        Assert.Equal(Verdict.NotConvex, full.Verdict);
        Assert.True(full.Complete);
        Assert.False(full.StoppedAtFirstViolation);
        Assert.Equal(167, full.Statistics.Regions);

        Assert.Equal(Verdict.NotConvex, first.Verdict);
        Assert.False(first.Complete);
        Assert.True(first.StoppedAtFirstViolation);
        Assert.Null(first.UndecidedReason);
        Assert.InRange(first.Statistics.Regions, 2, full.Statistics.Regions - 1);
        // The stop comes with the region that carries the violation: it is the last one explored.
        Assert.Equal(first.Statistics.Regions - 1, first.FirstViolation!.Region);
        Assert.Equal(full.FirstViolation!.Region, first.FirstViolation.Region);
        Assert.Equal(full.FirstViolation.Constraint, first.FirstViolation.Constraint);
        Assert.Equal(full.FirstViolation.Value, first.FirstViolation.Value);
        Assert.Equal(-3, first.FirstViolation.Value);
        Assert.Equal(full.Counterexample!.X, first.Counterexample!.X);
        Assert.Equal(full.Counterexample.Y, first.Counterexample.Y);
        Assert.True(first.Statistics.TimeToVerdict <= first.Statistics.Elapsed);

        // The counterexample violates midpoint convexity exactly.
        var ce = first.Counterexample;
        var mid = ce.X.Zip(ce.Y, (a, b) => (a + b) / 2).ToArray();
        Assert.Equal(net.Evaluate(ce.X), ce.Fx);
        Assert.Equal(net.Evaluate(ce.Y), ce.Fy);
        Assert.Equal(net.Evaluate(mid), ce.FMid);
        Assert.True(ce.FMid * 2 > ce.Fx + ce.Fy);

        // Refutation-only certificate: no regions, the counterexample alone.
        var text = System.Text.Encoding.UTF8.GetString(Bytes(first));
        Assert.Contains("\"regions\":[]", text);
        Assert.Contains("\"verdict\":\"not_convex\"", text);
    }

    [Fact]
    public void TheRefutationDoesNotDependOnTheNumberOfThreads()
    {
        var net = Nets.Parse(Nets.HingeGridWithOneConcaveLine);
        foreach (var domain in new[] { Domain.Everywhere(2), Nets.Box(2, -7, 7) })
        {
            var one = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 1, StopAtFirstViolation = true });
            foreach (int threads in new[] { 2, 3, 8 })
            {
                var many = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = threads, StopAtFirstViolation = true });
                Assert.Equal(one.Statistics.Regions, many.Statistics.Regions);
                Assert.Equal(Bytes(one), Bytes(many));
            }
        }
    }

    [Theory]
    [InlineData(Nets.Icnn)]
    [InlineData(Nets.MaxOfThree)]
    [InlineData(Nets.NegativeWeightConvex)]
    public void AConvexNetworkIsEnumeratedInFullEitherWay(string json)
    {
        var net = Nets.Parse(json);
        var domain = Nets.Box(net.InputDim, -3, 3);
        var full = Certifier.Certify(net, domain);
        var first = Certifier.Certify(net, domain, new CertifyOptions { StopAtFirstViolation = true });
        Assert.Equal(Verdict.Convex, first.Verdict);
        Assert.True(first.Complete);
        Assert.False(first.StoppedAtFirstViolation);
        Assert.Equal(Bytes(full), Bytes(first));
    }

    [Fact]
    public void ANegativeGradientJumpOnADegenerateFrontierStopsExplorationToo()
    {
        // −|x| = −relu(x) − relu(−x): both units switch at 0, jump −2; 2 regions in all.
        var net = Nets.Parse(Nets.NegAbs);
        var r = Certifier.Certify(net, Domain.Everywhere(1), new CertifyOptions { StopAtFirstViolation = true });
        Assert.Equal(Verdict.NotConvex, r.Verdict);
        Assert.True(r.StoppedAtFirstViolation);
        Assert.Equal(1, r.Statistics.Regions);
        Assert.True(r.FirstViolation!.Degenerate);
        Assert.Equal(-2, r.FirstViolation.Value);
        var ce = r.Counterexample!;
        Assert.True(net.Evaluate(ce.X.Zip(ce.Y, (a, b) => (a + b) / 2).ToArray()) * 2 > net.Evaluate(ce.X) + net.Evaluate(ce.Y));
    }

    [Fact]
    public void AHashGivenByTheCallerIsTheOneComputedOtherwise()
    {
        var net = Nets.Parse(Nets.HingeGridWithOneConcaveLine);
        var given = Certifier.Certify(net, Domain.Everywhere(2),
            new CertifyOptions { StopAtFirstViolation = true, NetworkSha256 = Networks.NetworkHash.Sha256(net) });
        var computed = Certifier.Certify(net, Domain.Everywhere(2), new CertifyOptions { StopAtFirstViolation = true });
        Assert.Equal(Bytes(computed), Bytes(given));
    }

    [Fact]
    public void ALimitBeforeTheViolationIsStillUndecided()
    {
        var net = Nets.Parse(Nets.HingeGridWithOneConcaveLine);
        var r = Certifier.Certify(net, Domain.Everywhere(2), new CertifyOptions { StopAtFirstViolation = true, Limits = new(MaxRegions: 2) });
        Assert.Equal(Verdict.Undecided, r.Verdict);
        Assert.False(r.StoppedAtFirstViolation);
        Assert.Contains("region limit", r.UndecidedReason);
    }
}
