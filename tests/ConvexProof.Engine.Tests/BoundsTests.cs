using System.Text;
using System.Text.Json;
using ConvexProof.Bounds;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// The bound-based route (structural ICNN test, interval bounds, branch and bound, line search) on
/// networks whose verdict is known by construction, generated here, and cross-checked with the
/// exact region enumeration where both finish.
/// </summary>
public class BoundsTests
{
    private static readonly Rational Zero = Rational.Zero, One = Rational.One;

    // ---------- structural ----------

    [Theory]
    [InlineData(64, 1)]
    [InlineData(784, 2)]
    public void IcnnIsConvexByItsSignsAtAnySize(int inputs, int seed)
    {
        var net = BoundNets.Icnn(new Random(seed), inputs, 32, 16);
        Assert.True(StructuralTest.IsIcnn(net));
        var result = BoundCertifier.Certify(net, null, null);
        Assert.Equal(BoundVerdict.Convex, result.Verdict);
        Assert.Equal(BoundMethod.Structural, result.Method);
        Assert.Null(result.Search);
    }

    [Fact]
    public void IcnnPassesTheBoundsAtTheRootWithNoSplit()
    {
        // The sign rule is the special case of the bound argument where every adjoint is >= 0 with no bounds.
        var net = BoundNets.Icnn(new Random(3), 64, 16, 8);
        var (lo, hi) = BoundNets.UnitBox(64);
        var run = BranchAndBound.Run(net, lo, hi);
        Assert.True(run.Certified);
        Assert.Equal(1, run.Nodes);
        Assert.Equal(SplitKind.Leaf, run.Root.Kind);
        Assert.NotEmpty(run.Root.Conditions!.UnstableNeurons);
    }

    [Fact]
    public void NegativeWeightOnAReluOutputIsNotStructural()
    {
        var net = BoundNets.WithConcaveCorner(BoundNets.Icnn(new Random(4), 8, 8, 4), 8, new Rational(1, 4));
        var obstacle = StructuralTest.Obstacle(net);
        Assert.NotNull(obstacle);
        Assert.Equal(net.Layers.Count - 1, obstacle!.Layer);
        var onRd = BoundCertifier.Certify(net, null, null);
        Assert.Equal(BoundVerdict.Undecided, onRd.Verdict);
        Assert.Contains("bounds need a box", onRd.Reason);
    }

    // ---------- interval bounds are sound ----------

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void IntervalsContainEveryPreActivationAndConditionLowerBoundsEveryPattern(int seed)
    {
        var random = new Random(seed);
        var net = BoundNets.Random(random, 3, [6, 5]);
        var lo = new Rational[] { -1, -1, -1 };
        var hi = new Rational[] { 1, 1, 1 };
        var leaf = new LeafDomain(lo, hi, []);
        var bounds = PreActivationBounds.Compute(net, leaf);
        var conditions = ConditionBounds.Compute(bounds);
        for (int s = 0; s < 200; s++)
        {
            var x = lo.Select(_ => new Rational(random.Next(-64, 65), 64)).ToArray();
            var (z, pattern) = BoundNets.Forward(net, x);
            for (int k = 0; k < net.NeuronCount; k++)
            {
                var interval = bounds.OfNeuron(k);
                Assert.True(interval.Lo <= z[k] && z[k] <= interval.Hi);
            }
            // The pattern at x is a consistent downstream pattern: c_k(a) >= the lower bound.
            var c = KinkValues.Backward(net, pattern);
            for (int i = 0; i < conditions.UnstableNeurons.Length; i++)
                Assert.True(c[conditions.UnstableNeurons[i]] >= conditions.LowerBounds[i]);
        }
    }

    [Fact]
    public void StabilityIsStrictAndSplitsIntersect()
    {
        // relu(x) on [0, 1]: lower bound 0 is not > 0, so the unit is unstable.
        var net = Nets.Parse(Nets.NegAbs);
        var leaf = new LeafDomain([Zero], [One], []);
        var bounds = PreActivationBounds.Compute(net, leaf);
        Assert.Equal(UnitState.Unstable, bounds.StateOf(0));
        Assert.Equal(UnitState.Unstable, bounds.StateOf(1));
        Assert.Equal(new Interval(-1, 0), bounds.OfNeuron(1));
        var c = ConditionBounds.Compute(bounds);
        Assert.Equal([0, 1], c.UnstableNeurons);
        Assert.Equal([Rational.MinusOne, Rational.MinusOne], c.LowerBounds);
        Assert.False(c.Certifies);
        // Split z_0 <= 0 on [1/2, 1]: z_0 ∈ [1/2, 1] ∩ (−∞, 0] is empty, the leaf has no point.
        var empty = PreActivationBounds.Compute(net, new LeafDomain([new Rational(1, 2)], [One], [new SignSplit(0, false)]));
        Assert.True(empty.Empty);
        // On [1/2, 1] unit 0 is strictly on, unit 1 strictly off: no conditions, certified.
        var stable = ConditionBounds.Compute(PreActivationBounds.Compute(net, new LeafDomain([new Rational(1, 2)], [One], [])));
        Assert.Empty(stable.UnstableNeurons);
        Assert.True(stable.Certifies);
    }

    [Fact]
    public void NegatedAbsoluteValueNeverCertifiesOnLeavesMeetingItsKink()
    {
        // Non-strict stability would accept both halves of [−1, 1] (−x and x are linear): unsound.
        var net = Nets.Parse(Nets.NegAbs);
        var run = BranchAndBound.Run(net, [Rational.MinusOne], [One], new BranchAndBoundOptions { MaxLeaves = 40 });
        Assert.False(run.Certified);
        Assert.Equal("leaf limit of 40 reached", run.StopReason);
        Assert.True(run.CertifiedFraction < One);
        Assert.True(run.CertifiedFraction > Zero);
        var refuted = BoundCertifier.Certify(net, [Rational.MinusOne], [One]);
        Assert.Equal(BoundVerdict.NotConvex, refuted.Verdict);
        BoundNets.AssertViolation(net, refuted.Refutation!, [Rational.MinusOne], [One]);
    }

    // ---------- convex networks that are not ICNNs ----------

    [Theory]
    [InlineData(64, 5)]
    [InlineData(64, 6)]
    [InlineData(100, 7)]
    public void WideMarginNonIcnnIsCertifiedByIntervalsAtTheRoot(int inputs, int seed)
    {
        var net = BoundNets.OnUnitsWithNegativeWeights(new Random(seed), inputs, 16, 6, margin: One);
        Assert.False(StructuralTest.IsIcnn(net));
        var (lo, hi) = BoundNets.UnitBox(inputs);
        var result = BoundCertifier.Certify(net, lo, hi);
        Assert.Equal(BoundVerdict.Convex, result.Verdict);
        Assert.Equal(BoundMethod.Bounds, result.Method);
        Assert.Equal(1, result.Search!.Nodes);
        Assert.Equal(One, result.Search.CertifiedFraction);
        // The units with negative weights are the ones proved strictly on.
        var bounds = result.Search.Root.Bounds!;
        foreach (int k in BoundNets.NegativeWeightUnits(net)) Assert.Equal(UnitState.StablyOn, bounds.StateOf(k));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void NarrowMarginNonIcnnNeedsLinearBoundsAndAgreesWithEnumeration(int seed)
    {
        var net = BoundNets.LinearMargin(new Random(seed), 3, 5);
        var (lo, hi) = BoundNets.UnitBox(3);
        var leaf = new LeafDomain(lo, hi, []);
        Assert.False(ConditionBounds.Compute(PreActivationBounds.Compute(net, leaf)).Certifies);
        var linear = LinearBounds.Compute(net, leaf);
        Assert.True(ConditionBounds.Compute(linear).Certifies);
        foreach (int k in BoundNets.NegativeWeightUnits(net)) Assert.Equal(new Interval(new(1, 2), new(1, 2)), linear.OfNeuron(k));
        var result = BoundCertifier.Certify(net, lo, hi);
        Assert.Equal(BoundVerdict.Convex, result.Verdict);
        Assert.Equal(1, result.Search!.Nodes);
        Assert.NotNull(result.Search.Root.Bounds!.Relaxation);
        // Without linear bounds, box splits prove it (A and B are proved on once x1's side is below 1/2).
        var intervalsOnly = BoundCertifier.Certify(net, lo, hi, new BoundCertifyOptions { Search = new BranchAndBoundOptions { LinearBoundBudget = 0 } });
        Assert.Equal(BoundVerdict.Convex, intervalsOnly.Verdict);
        Assert.True(intervalsOnly.Search!.Nodes > 1);
        Assert.All(intervalsOnly.Search.Root.Leaves(), l => Assert.True(l.Certified && l.Bounds!.Relaxation is null));
        Assert.Equal(Verdict.Convex, Certifier.Certify(net, Nets.Box(3, 0, 1), new CertifyOptions { Parallelism = 1 }).Verdict);
    }

    [Theory]
    [InlineData(24, 3)]
    [InlineData(25, 3)]
    [InlineData(26, 12)]
    public void NarrowerMarginNeedsBranchingAndAgreesWithEnumeration(int seed, int inputs)
    {
        var net = BoundNets.BranchingMargin(new Random(seed), inputs, 4);
        var (lo, hi) = BoundNets.UnitBox(inputs);
        var leaf = new LeafDomain(lo, hi, []);
        Assert.False(ConditionBounds.Compute(PreActivationBounds.Compute(net, leaf)).Certifies);
        Assert.False(ConditionBounds.Compute(LinearBounds.Compute(net, leaf)).Certifies);
        var result = BoundCertifier.Certify(net, lo, hi);
        Assert.Equal(BoundVerdict.Convex, result.Verdict);
        Assert.True(result.Search!.Nodes > 1);
        Assert.All(result.Search.Root.Leaves(), l => Assert.True(l.Certified));
        // Above LowDimension the splits are unit signs, and the z ≤ 0 side is proved through its multiplier.
        if (inputs > 8)
        {
            Assert.DoesNotContain(result.Search.Root.Preorder(), n => n.Kind == SplitKind.Box);
            Assert.Contains(result.Search.Root.Leaves(), l => l.Bounds!.Multipliers.Count > 0);
        }
        if (inputs <= 4) Assert.Equal(Verdict.Convex, Certifier.Certify(net, Nets.Box(inputs, 0, 1), new CertifyOptions { Parallelism = 1 }).Verdict);
    }

    [Theory]
    [InlineData(64, 16)]
    [InlineData(256, 8)]
    public void InHighDimensionTheSplitGoesToTheUnitBehindTheFailingCondition(int inputs, int extra)
    {
        // The failing condition is h_b's (B's slope is uncertain); B tightens when h_b is split: one split.
        var net = BoundNets.BranchingMargin(new Random(7), inputs, extra);
        var (lo, hi) = BoundNets.UnitBox(inputs);
        var run = BranchAndBound.Run(net, lo, hi);
        Assert.True(run.Certified);
        Assert.Equal(3, run.Nodes);
        Assert.Equal(SplitKind.Sign, run.Root.Kind);
        Assert.Equal(net.IndexOf(0, extra + 1), run.Root.Neuron);
    }

    [Theory]
    [InlineData(81)]
    [InlineData(82)]
    [InlineData(83)]
    public void LinearBoundsContainEveryPreActivationOnEverySplitSide(int seed)
    {
        var random = new Random(seed);
        var net = BoundNets.Random(random, 3, [6, 5]);
        var lo = new Rational[] { -1, -1, -1 };
        var hi = new Rational[] { 1, 1, 1 };
        var splits = new[] { new SignSplit(1, random.Next(2) == 0), new SignSplit(7, random.Next(2) == 0) };
        var bounds = LinearBounds.Compute(net, new LeafDomain(lo, hi, splits));
        int inside = 0;
        for (int s = 0; s < 300; s++)
        {
            var x = lo.Select(_ => new Rational(random.Next(-64, 65), 64)).ToArray();
            var (z, _) = BoundNets.Forward(net, x);
            if (splits.Any(sp => sp.NonNegative ? z[sp.Neuron].Sign < 0 : z[sp.Neuron].Sign > 0)) continue;
            inside++;
            Assert.False(bounds.Empty);
            for (int k = 0; k < net.NeuronCount; k++)
            {
                var interval = bounds.OfNeuron(k);
                Assert.True(interval.Lo <= z[k] && z[k] <= interval.Hi);
            }
        }
        Assert.True(inside > 0 || bounds.Empty);
    }

    // ---------- refutation ----------

    [Theory]
    [InlineData(16, 31)]
    [InlineData(64, 32)]
    public void ConcaveKinkInASmallCornerIsFound(int inputs, int seed)
    {
        var net = BoundNets.WithConcaveCorner(BoundNets.Icnn(new Random(seed), inputs, 16, 8), inputs, new Rational(1, 8));
        var (lo, hi) = BoundNets.UnitBox(inputs);
        var result = BoundCertifier.Certify(net, lo, hi);
        Assert.Equal(BoundVerdict.NotConvex, result.Verdict);
        // Random lines miss the corner; the line through the failing root leaf along the corner unit's gradient meets it.
        Assert.NotNull(result.Search);
        var r = result.Refutation!;
        BoundNets.AssertViolation(net, r, lo, hi);
        // The violation sits in the corner: the midpoint has Σ x_i = d − 1/8 (the kink).
        var mid = r.X.Zip(r.Y, (a, b) => (a + b) / 2).Aggregate(Zero, (s, v) => s + v);
        Assert.Equal(new Rational(8 * inputs - 1, 8), mid);
    }

    [Fact]
    public void ConcaveCornerAgreesWithEnumerationInTwoDimensions()
    {
        var net = BoundNets.WithConcaveCorner(BoundNets.Icnn(new Random(41), 2, 4, 3), 2, new Rational(1, 8));
        var (lo, hi) = BoundNets.UnitBox(2);
        var bounds = BoundCertifier.Certify(net, lo, hi, new BoundCertifyOptions { RandomLines = 0 });
        Assert.Equal(BoundVerdict.NotConvex, bounds.Verdict);
        BoundNets.AssertViolation(net, bounds.Refutation!, lo, hi);
        Assert.Equal(Verdict.NotConvex, Certifier.Certify(net, Nets.Box(2, 0, 1)).Verdict);
    }

    [Theory]
    [InlineData(64, 51)]
    [InlineData(784, 52)]
    public void RandomHighDimensionalNetworksAreRefuted(int inputs, int seed)
    {
        var net = BoundNets.Random(new Random(seed), inputs, [16, 8]);
        var (lo, hi) = BoundNets.UnitBox(inputs);
        var result = BoundCertifier.Certify(net, lo, hi);
        Assert.Equal(BoundVerdict.NotConvex, result.Verdict);
        Assert.True(result.LinesSearched >= 1);
        BoundNets.AssertViolation(net, result.Refutation!, lo, hi);
    }

    [Fact]
    public void LinesThroughGivenPointsAreSearchedFirst()
    {
        // On [−1, 3], relu(x) − relu(x − 2) has its concave kink at 2; the line through 2 finds it.
        var net = Nets.Parse(Nets.ConvexOnlyNearZero);
        var search = new RefutationSearch(net, [Rational.MinusOne], [(Rational)3]);
        var found = search.ThroughPoints([[(Rational)2]], 1);
        Assert.NotNull(found);
        Assert.Equal(1, search.LinesSearched);
        // The slope of f in t drops by |v| (v is a random non-zero multiple of the box side).
        Assert.True(found!.SlopeChange.Sign < 0);
        Assert.Equal((Rational)2, (found.X[0] + found.Y[0]) / 2);
        // On [−1, 1] the second unit is strictly off: certified at the root, no line finds anything.
        var near = BoundCertifier.Certify(net, [Rational.MinusOne], [One]);
        Assert.Equal(BoundVerdict.Convex, near.Verdict);
        Assert.Equal(1, near.Search!.Nodes);
    }

    [Fact]
    public void LineRestrictionIsExact()
    {
        // |x| through a skip-free net, restricted to [−1, 1] along v = 1: breakpoints −1, 0, 1; slope change +2.
        var net = Nets.Parse(Nets.Abs);
        var line = LineRestriction.Compute(net, [Zero], [One], Rational.MinusOne, One);
        Assert.Equal([Rational.MinusOne, Zero, One], line.Parameters);
        Assert.Equal([One, Zero, One], line.Values);
        Assert.Equal((Rational)2, line.SlopeChange(1));
        Assert.Null(Refutation.AtBreakpoint(net, line, 1));
    }

    // ---------- cross-check with enumeration ----------

    [Theory]
    [MemberData(nameof(SmallSeeds))]
    public void BoundVerdictsAgreeWithEnumeration(int seed)
    {
        var random = new Random(seed);
        var net = seed % 3 == 0 ? (seed % 2 == 0 ? BoundNets.LinearMargin(random, 2, 3) : BoundNets.BranchingMargin(random, 2, 3))
            : BoundNets.Random(random, 2, [4, 3]);
        var (lo, hi) = BoundNets.UnitBox(2);
        var bounds = BoundCertifier.Certify(net, lo, hi, new BoundCertifyOptions { Search = new BranchAndBoundOptions { MaxLeaves = 4000 } });
        var exact = Certifier.Certify(net, Nets.Box(2, 0, 1), new CertifyOptions { Parallelism = 1 });
        Assert.NotEqual(Verdict.Undecided, exact.Verdict);
        switch (bounds.Verdict)
        {
            case BoundVerdict.Convex: Assert.Equal(Verdict.Convex, exact.Verdict); break;
            case BoundVerdict.NotConvex:
                Assert.Equal(Verdict.NotConvex, exact.Verdict);
                BoundNets.AssertViolation(net, bounds.Refutation!, lo, hi);
                break;
        }
        if (seed % 3 == 0) Assert.Equal(BoundVerdict.Convex, bounds.Verdict);
    }

    public static IEnumerable<object[]> SmallSeeds() => Enumerable.Range(60, 12).Select(s => new object[] { s });

    [Fact]
    public void SameSeedSameLinesSameResult()
    {
        var net = BoundNets.Random(new Random(77), 32, [8, 8]);
        var (lo, hi) = BoundNets.UnitBox(32);
        var a = BoundCertifier.Certify(net, lo, hi);
        var b = BoundCertifier.Certify(net, lo, hi);
        Assert.Equal(a.Refutation!.X, b.Refutation!.X);
        Assert.Equal(a.Refutation.Y, b.Refutation.Y);
        Assert.Equal(a.LinesSearched, b.LinesSearched);
    }

    [Fact]
    public void SplittingStopsAtTheFinestWidthWhenAConditionCannotBeBounded()
    {
        // relu(x) + relu(x) − relu(x): the third unit's bound is −1 on every leaf meeting 0.
        var net = Nets.Parse("""
            {"input_dim":1,"layers":[{"weights":[[1],[1],[1]],"bias":[0,0,0],"activation":"relu"},
                                     {"weights":[[1,1,-1]],"bias":[0],"activation":"identity"}]}
            """);
        var run = BranchAndBound.Run(net, [Rational.MinusOne], [One], new BranchAndBoundOptions { MaxBisections = 20 });
        Assert.False(run.Certified);
        Assert.Equal("2 leaves still fail at the finest split (20 bisections of a coordinate, every unstable unit split)", run.StopReason);
        var failing = run.Root.Leaves().Where(l => !l.Certified).ToList();
        Assert.Equal(2, failing.Count);
        Assert.All(failing, l => Assert.Equal(new Rational(1, 1 << 19), l.Domain.Width(0)));
        Assert.Equal(1 - new Rational(1, 1 << 19), run.CertifiedFraction);
        Assert.Equal("99.99% of the box's volume (rounded down)", run.CertifiedText);
    }

    [Fact]
    public void StopsAtTheTimeLimitWithTheCertifiedFraction()
    {
        var net = Nets.Parse(Nets.NegAbs);
        var run = BranchAndBound.Run(net, [Rational.MinusOne], [One], new BranchAndBoundOptions { Timeout = TimeSpan.Zero });
        Assert.False(run.Certified);
        Assert.StartsWith("time limit", run.StopReason);
        Assert.Equal(Zero, run.CertifiedFraction);
    }

    // ---------- certificates ----------

    [Fact]
    public void StructuralCertificateIsTheClaimAlone()
    {
        var net = Nets.Parse(Nets.Icnn);
        var result = BoundCertifier.Certify(net, null, null);
        var text = BoundNets.Write(result, net, Domain.Everywhere(2));
        Assert.Equal("{\"format\":\"convexproof-certificate/2\",\"network_sha256\":\"" + NetworkHash.Sha256(net) +
            "\",\"domain\":null,\"verdict\":\"convex\",\"method\":\"structural\"}\n", text);
    }

    [Fact]
    public void BoundCertificateListsTheTreeInPreorderAndIsDeterministic()
    {
        var net = BoundNets.BranchingMargin(new Random(21), 3, 5);
        var (lo, hi) = BoundNets.UnitBox(3);
        var domain = Domain.Box(lo, hi);
        var first = BoundNets.Write(BoundCertifier.Certify(net, lo, hi), net, domain);
        var second = BoundNets.Write(BoundCertifier.Certify(net, lo, hi), net, domain);
        Assert.Equal(first, second);
        using var doc = JsonDocument.Parse(first);
        var root = doc.RootElement;
        Assert.Equal("convexproof-certificate/2", root.GetProperty("format").GetString());
        Assert.Equal("bounds", root.GetProperty("method").GetString());
        var tree = root.GetProperty("tree").EnumerateArray().ToList();
        var summary = root.GetProperty("summary");
        int leaves = tree.Count(n => n.GetProperty("node").GetString() is "leaf" or "empty");
        int splits = tree.Count(n => n.GetProperty("node").GetString() is "box" or "sign");
        Assert.Equal(leaves, summary.GetProperty("leaves").GetInt32());
        Assert.Equal(splits + 1, leaves); // a complete binary tree
        Assert.Equal("box", tree[0].GetProperty("node").GetString());
        Assert.Equal("1/2", tree[0].GetProperty("at").GetString());
        foreach (var leaf in tree.Where(n => n.GetProperty("node").GetString() == "leaf"))
        {
            Assert.Equal(net.NeuronCount, leaf.GetProperty("z").GetArrayLength());
            int listed = leaf.GetProperty("on").GetArrayLength() + leaf.GetProperty("off").GetArrayLength()
                + leaf.GetProperty("conditions").GetArrayLength();
            Assert.Equal(net.NeuronCount, listed);
            foreach (var c in leaf.GetProperty("conditions").EnumerateArray())
                Assert.True(Rational.TryParseCanonical(c[1].GetString()!, out var bound) && bound.Sign >= 0);
        }
    }

    [Fact]
    public void RefutationIsTheRefutationOnlyCertificateOfFormatOne()
    {
        var net = Nets.Parse(Nets.NegAbs);
        var result = BoundCertifier.Certify(net, [Rational.MinusOne], [One]);
        var text = BoundNets.Write(result, net, Nets.Box(1, -1, 1));
        Assert.StartsWith("{\"format\":\"convexproof-certificate/1\"", text);
        Assert.Contains("\"regions\":[],\"conditions\":[],\"verdict\":\"not_convex\"", text);
        Assert.Contains("\"counterexample\":{\"x\":", text);
    }

    [Fact]
    public void UndecidedHasNoCertificate()
    {
        // relu(x) + relu(x) − relu(x) = relu(x) is convex, but the third unit's bound is −1 on every
        // leaf meeting 0 (the test is sufficient, not necessary) and no line finds a violation.
        var net = Nets.Parse("""
            {"input_dim":1,"layers":[{"weights":[[1],[1],[1]],"bias":[0,0,0],"activation":"relu"},
                                     {"weights":[[1,1,-1]],"bias":[0],"activation":"identity"}]}
            """);
        var result = BoundCertifier.Certify(net, [Rational.MinusOne], [One],
            new BoundCertifyOptions { Search = new BranchAndBoundOptions { MaxLeaves = 50 } });
        Assert.Equal(BoundVerdict.Undecided, result.Verdict);
        Assert.Contains("leaf limit of 50 reached", result.Reason);
        Assert.True(result.LinesSearched > 32);
        Assert.Throws<InvalidOperationException>(() => BoundNets.Write(result, net, Nets.Box(1, -1, 1)));
        Assert.Equal(Verdict.Convex, Certifier.Certify(net, Nets.Box(1, -1, 1)).Verdict);
    }

    public static IEnumerable<object[]> CommittedExamples()
    {
        var folder = Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates", "bounds");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        foreach (var e in doc.RootElement.EnumerateArray())
            yield return [e.GetProperty("net").GetString()!, e.GetProperty("box").GetString() ?? "", e.GetProperty("method").GetString()!,
                e.GetProperty("cert").GetString()!, e.GetProperty("verdict").GetString()!];
    }

    [Fact]
    public void TheCommittedBoundExamplesAreListed() => Assert.Equal(6, CommittedExamples().Count());

    /// <summary>certificates/bounds/: the engine reproduces each committed certificate byte for byte (as `certify --method M` writes it).</summary>
    [Theory]
    [MemberData(nameof(CommittedExamples))]
    public void CertifyReproducesTheCommittedBoundCertificate(string net, string box, string method, string cert, string verdict)
    {
        var folder = Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates", "bounds");
        var network = NetworkReader.ReadFile(Path.Combine(folder, net));
        Assert.Equal("0:1", box.Length == 0 ? "0:1" : box);
        var domain = box.Length == 0 ? Domain.Everywhere(network.InputDim) : Nets.Box(network.InputDim, 0, 1);
        var result = BoundCertifier.Certify(network, domain.Lower, domain.Upper, new BoundCertifyOptions { StructuralOnly = method == "icnn" });
        Assert.Equal(verdict, result.Verdict == BoundVerdict.Convex ? "convex" : result.Verdict == BoundVerdict.NotConvex ? "not_convex" : "undecided");
        var expected = File.ReadAllBytes(Path.Combine(folder, cert));
        Assert.True(expected.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(BoundNets.Write(result, network, domain))),
            $"{cert} differs from what certify writes now (run certificates/bounds/regenerate.sh if the change is intended)");
    }
}

/// <summary>Networks generated with a verdict known by construction.</summary>
internal static class BoundNets
{
    public static (Rational[] Lo, Rational[] Hi) UnitBox(int d) =>
        (Enumerable.Repeat(Rational.Zero, d).ToArray(), Enumerable.Repeat(Rational.One, d).ToArray());

    private static Rational Dyadic(Random r, int lo, int hi) => new(r.Next(lo, hi + 1), 8);

    private static Rational[][] Matrix(Random r, int rows, int cols, int lo, int hi) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => Dyadic(r, lo, hi)).ToArray())];

    private static Rational[] Vector(Random r, int n, int lo, int hi) => [.. Enumerable.Range(0, n).Select(_ => Dyadic(r, lo, hi))];

    /// <summary>d → h1 → h2 → 1 with non-negative hidden-to-hidden and output weights and skips of any sign.</summary>
    public static Network Icnn(Random r, int d, int h1, int h2) => new(d,
    [
        new Layer(Matrix(r, h1, d, -8, 8), Vector(r, h1, -8, 8), null, Activation.Relu),
        new Layer(Matrix(r, h2, h1, 0, 8), Vector(r, h2, -8, 8), Matrix(r, h2, d, -8, 8), Activation.Relu),
        new Layer(Matrix(r, 1, h2, 0, 8), [Rational.Zero], Matrix(r, 1, d, -8, 8), Activation.Identity),
    ]);

    /// <summary>Random weights of both signs everywhere: almost surely not convex.</summary>
    public static Network Random(Random r, int d, int[] widths)
    {
        var layers = new List<Layer>();
        int inputs = d;
        foreach (int w in widths)
        {
            layers.Add(new Layer(Matrix(r, w, inputs, -8, 8), Vector(r, w, -8, 8), null, Activation.Relu));
            inputs = w;
        }
        layers.Add(new Layer(Matrix(r, 1, inputs, -8, 8), [Rational.Zero], null, Activation.Identity));
        return new Network(d, layers);
    }

    /// <summary>
    /// The ICNN plus −2·relu(Σ x_i − (d − ε)) as an extra first-layer unit: a concave kink confined
    /// to the corner Σ x_i ≥ d − ε of [0, 1]^d (for small ε a tiny fraction of the box).
    /// </summary>
    public static Network WithConcaveCorner(Network icnn, int d, Rational epsilon)
    {
        var first = icnn.Layers[0];
        var second = icnn.Layers[1];
        var output = icnn.Layers[2];
        var corner = new Layer(
            [.. first.Weights, Enumerable.Repeat(Rational.One, d).ToArray()],
            [.. first.Bias, epsilon - d], null, Activation.Relu);
        // The second layer gets one more ReLU unit relu(h_corner) (on exactly where the corner unit is),
        // the only one the output weighs negatively (−2).
        var withCopy = second with
        {
            Weights = [.. second.Weights.Select(row => row.Append(Rational.Zero).ToArray()),
                [.. Enumerable.Repeat(Rational.Zero, first.Outputs), Rational.One]],
            Bias = [.. second.Bias, Rational.Zero],
            Skip = [.. second.Skip!, Enumerable.Repeat(Rational.Zero, d).ToArray()],
        };
        var newOutput = output with { Weights = [[.. output.Weights[0], (Rational)(-2)]] };
        return new Network(d, [corner, withCopy, newOutput]);
    }

    /// <summary>
    /// A convex network that is not an ICNN: a random first layer, ICNN-like second-layer units
    /// (weights ≥ 0) and <paramref name="special"/> pairs of second-layer units with weights of
    /// both signs — unit A with random signs, unit B with |A|'s weights, so every column sum of the
    /// pair is ≥ 0 — biased to be on over the whole box: bias = margin − (the interval lower bound of
    /// their weighted sum). On the box those units are affine in h, so f is a non-negative
    /// combination of convex functions of h.
    /// </summary>
    public static Network OnUnitsWithNegativeWeights(Random r, int d, int h1, int special, Rational margin)
    {
        var w1 = Matrix(r, h1, d, -8, 8);
        var b1 = Vector(r, h1, -8, 8);
        var hidden = FirstLayerOutputs(w1, b1, d);
        var rows = new List<Rational[]>();
        var bias = new List<Rational>();
        int regular = 4;
        for (int i = 0; i < regular; i++)
        {
            rows.Add(Enumerable.Range(0, h1).Select(_ => Dyadic(r, 0, 8)).ToArray());
            bias.Add(Dyadic(r, -16, 0));
        }
        for (int p = 0; p < special / 2; p++)
        {
            var a = Enumerable.Range(0, h1).Select(_ => Dyadic(r, -8, 8)).ToArray();
            var b = a.Select(v => v.Abs()).ToArray();
            foreach (var row in new[] { a, b })
            {
                rows.Add(row);
                bias.Add(margin - IntervalLower(row, hidden));
            }
        }
        int h2 = rows.Count;
        return new Network(d,
        [
            new Layer(w1, b1, null, Activation.Relu),
            new Layer([.. rows], [.. bias], null, Activation.Relu),
            new Layer([Enumerable.Range(0, h2).Select(i => i < regular ? Dyadic(r, 0, 8) : Rational.One).ToArray()], [Rational.Zero], null, Activation.Identity),
        ]);
    }

    /// <summary>
    /// Convex on [0, 1]^d, not an ICNN: h_a = relu(x1 + 1) and h_b = relu(x1) in the first layer
    /// (with <paramref name="extra"/> random units), A = relu(h_a − h_b − 1/2) and
    /// B = relu(h_b − h_a + 3/2), both 1/2 on the box (h_a − h_b = 1 there). Intervals bound both below
    /// by −1/2 at the root (and prove them on only once x1's side is below 1/2); linear bounds keep
    /// h_a − h_b = 1 exactly and prove them on at the root.
    /// </summary>
    public static Network LinearMargin(Random r, int d, int extra) =>
        PairOfOnUnits(r, d, extra, E(d, 0), Rational.One, E(d, 0), Rational.Zero, new(-1, 2), new(3, 2));

    /// <summary>
    /// Convex on [0, 1]^d (d ≥ 2), not an ICNN, and proved only by branching: with s = x1 + x2,
    /// h_a = relu(s + 1) = s + 1 and h_b = relu(s − 3/2); A = relu(h_a − h_b − 1/2) ≥ 1/2 and
    /// B = relu(h_b − h_a + 11/4) ≥ 1/4 on the box (B's minimum at the kink s = 3/2), but at the root
    /// both intervals and linear bounds (λ = 0 for h_b, whose bounds are [−3/2, 1/2]) give B −1/4.
    /// </summary>
    public static Network BranchingMargin(Random r, int d, int extra)
    {
        Rational[] s = [.. Enumerable.Range(0, d).Select(j => j < 2 ? Rational.One : Rational.Zero)];
        return PairOfOnUnits(r, d, extra, s, Rational.One, s, new(-3, 2), new(-1, 2), new(11, 4));
    }

    /// <summary>
    /// First layer: <paramref name="extra"/> random units, h_a = relu(wa·x + ba), h_b = relu(wb·x + bb).
    /// Second: A = relu(h_a − h_b + biasA), B = relu(h_b − h_a + biasB) (output weights 1: their
    /// columns cancel when both are on), and two units with weights ≥ 0. Convex on a box where A and B
    /// are on (there A + B is constant).
    /// </summary>
    private static Network PairOfOnUnits(Random r, int d, int extra, Rational[] wa, Rational ba, Rational[] wb, Rational bb,
        Rational biasA, Rational biasB)
    {
        int h1 = extra + 2;
        var w1 = Matrix(r, extra, d, -8, 8).Concat([wa, wb]).ToArray();
        var b1 = Vector(r, extra, -8, 8).Concat([ba, bb]).ToArray();
        Rational[] Row(Func<int, Rational> f) => [.. Enumerable.Range(0, h1).Select(f)];
        var rows = new List<Rational[]>
        {
            Row(j => j == extra ? Rational.One : j == extra + 1 ? Rational.MinusOne : Rational.Zero),
            Row(j => j == extra ? Rational.MinusOne : j == extra + 1 ? Rational.One : Rational.Zero),
            Row(j => j < extra ? Dyadic(r, 0, 8) : Rational.Zero),
            Row(j => Dyadic(r, 0, 8)),
        };
        var bias = new Rational[] { biasA, biasB, Dyadic(r, -8, 0), Dyadic(r, -8, 0) };
        return new Network(d,
        [
            new Layer(w1, b1, null, Activation.Relu),
            new Layer([.. rows], bias, null, Activation.Relu),
            new Layer([[Rational.One, Rational.One, Dyadic(r, 0, 8), Dyadic(r, 0, 8)]], [Rational.Zero], null, Activation.Identity),
        ]);
    }

    private static Rational[] E(int d, int i) => [.. Enumerable.Range(0, d).Select(j => j == i ? Rational.One : Rational.Zero)];

    /// <summary>The second-layer units (global indices) with a negative weight.</summary>
    public static IEnumerable<int> NegativeWeightUnits(Network net) =>
        Enumerable.Range(0, net.Layers[1].Outputs).Where(i => net.Layers[1].Weights[i].Any(w => w.Sign < 0)).Select(i => net.IndexOf(1, i));

    /// <summary>[relu(lo), relu(hi)] of each first-layer unit over [0, 1]^d, computed here independently.</summary>
    private static (Rational Lo, Rational Hi)[] FirstLayerOutputs(Rational[][] w, Rational[] b, int d)
    {
        var result = new (Rational, Rational)[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            Rational lo = b[i], hi = b[i];
            for (int j = 0; j < d; j++)
                if (w[i][j].Sign < 0) lo += w[i][j]; else hi += w[i][j];
            result[i] = (Rational.Max(lo, Rational.Zero), Rational.Max(hi, Rational.Zero));
        }
        return result;
    }

    /// <summary>A valid lower bound of Σ_j row_j·h_j for h_j in its interval.</summary>
    private static Rational IntervalLower(Rational[] row, (Rational Lo, Rational Hi)[] h)
    {
        Rational sum = Rational.Zero;
        for (int j = 0; j < row.Length; j++) sum += row[j] * (row[j].Sign >= 0 ? h[j].Lo : h[j].Hi);
        return sum;
    }

    /// <summary>Every ReLU unit's pre-activation at x, and the pattern ('1' where &gt; 0).</summary>
    public static (Rational[] Z, string Pattern) Forward(Network net, Rational[] x)
    {
        var z = new List<Rational>();
        var pattern = new System.Text.StringBuilder();
        Rational[] h = x;
        foreach (var layer in net.Layers)
        {
            var next = new Rational[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                Rational v = layer.Bias[i];
                for (int j = 0; j < h.Length; j++) v += layer.Weights[i][j] * h[j];
                if (layer.Skip is not null) for (int j = 0; j < x.Length; j++) v += layer.Skip[i][j] * x[j];
                if (layer.Activation == Activation.Relu)
                {
                    z.Add(v);
                    pattern.Append(v.Sign > 0 ? '1' : '0');
                    next[i] = v.Sign > 0 ? v : Rational.Zero;
                }
                else next[i] = v;
            }
            h = next;
        }
        return ([.. z], pattern.ToString());
    }

    public static string Write(BoundCertification result, Network net, Domain domain)
    {
        using var stream = new MemoryStream();
        BoundCertificateWriter.Write(result, NetworkHash.Sha256(net), domain, net.NeuronCount, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>x and y in the box and f((x+y)/2) &gt; (f(x)+f(y))/2, evaluated here.</summary>
    public static void AssertViolation(Network net, Refutation r, Rational[] lo, Rational[] hi)
    {
        for (int i = 0; i < lo.Length; i++)
        {
            Assert.True(lo[i] <= r.X[i] && r.X[i] <= hi[i]);
            Assert.True(lo[i] <= r.Y[i] && r.Y[i] <= hi[i]);
        }
        var mid = r.X.Zip(r.Y, (a, b) => (a + b) / 2).ToArray();
        Assert.True(net.Evaluate(mid) * 2 > net.Evaluate(r.X) + net.Evaluate(r.Y));
        Assert.Equal(net.Evaluate(mid), r.FMid);
    }
}
