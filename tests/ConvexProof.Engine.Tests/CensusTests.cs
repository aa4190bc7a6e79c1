using System.Numerics;
using ConvexProof.Census;
using ConvexProof.Certificates;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Smt;

namespace ConvexProof.Tests;

/// <summary>
/// The census engine: reproducible sampling that stores float32 values exactly, and verdicts that the
/// independent checker (on the kept certificates) and Z3's midpoint query confirm one by one.
/// </summary>
public class CensusTests
{
    private static readonly Domain Box = Domain.Box([-100, -100, -100], [100, 100, 100]);

    private static CensusSettings Settings(CensusGrid grid, int perCell, CensusInit init, ulong seed = 7, int threads = 2) =>
        new(3, Box, "-100:100", grid, perCell, seed, init) { Threads = threads };

    private static bool IsFloat32(Rational value)
    {
        float f = (float)(double)value.Numerator / (float)(double)value.Denominator;
        return Rational.FromDouble(f) == value;
    }

    [Fact]
    public void Torch_default_draws_float32_values_within_one_over_root_fan_in()
    {
        var net = NetworkSampler.Sample(3, [4, 5], CensusInit.TorchDefault, CensusRandom.ForNetwork(1, "d2-w4", 0));
        Assert.Equal([4, 5, 1], net.Layers.Select(l => l.Outputs));
        Assert.Equal([Activation.Relu, Activation.Relu, Activation.Identity], net.Layers.Select(l => l.Activation));
        int fanIn = 3;
        foreach (var layer in net.Layers)
        {
            var bound = Rational.FromDouble((float)(1.0 / Math.Sqrt(fanIn)));
            var values = layer.Weights.SelectMany(r => r).Concat(layer.Bias).ToList();
            Assert.All(values, v => Assert.True(v >= -bound && v <= bound, $"{v} outside ±{bound}"));
            // Float32 values: the denominator is a power of two and the value round-trips through float.
            Assert.All(values, v => Assert.True(v.Denominator.IsPowerOfTwo && IsFloat32(v), $"{v} is not a float32"));
            Assert.Contains(values, v => v.Sign < 0);
            Assert.Contains(values, v => v.Sign > 0);
            fanIn = layer.Outputs;
        }
    }

    [Fact]
    public void The_same_seed_cell_and_index_give_the_same_network_and_others_differ()
    {
        string Hash(ulong seed, string cell, int index, CensusInit init) =>
            NetworkHash.Sha256(NetworkSampler.Sample(3, [3, 3], init, CensusRandom.ForNetwork(seed, cell, index)));
        foreach (var init in new[] { CensusInit.TorchDefault, CensusInit.Normal, CensusInit.FoldedLast })
        {
            Assert.Equal(Hash(5, "n3x3", 2, init), Hash(5, "n3x3", 2, init));
            Assert.NotEqual(Hash(5, "n3x3", 2, init), Hash(5, "n3x3", 3, init));
            Assert.NotEqual(Hash(5, "n3x3", 2, init), Hash(6, "n3x3", 2, init));
            Assert.NotEqual(Hash(5, "n3x3", 2, init), Hash(5, "d2-w3", 2, init));
        }
    }

    [Fact]
    public void The_generator_is_pinned_so_a_seed_means_the_same_networks_everywhere()
    {
        // xoshiro256** seeded by SplitMix64 as docs/census.md describes: a change here changes every census.
        var random = CensusRandom.ForNetwork(0, "d2-w2", 0);
        var first = new[] { random.NextUInt64(), random.NextUInt64() };
        var again = CensusRandom.ForNetwork(0, "d2-w2", 0);
        Assert.Equal(first, new[] { again.NextUInt64(), again.NextUInt64() });
        Assert.Equal(PinnedFirstValues, first);
    }

    // From an independent Python transcription of docs/census.md (SplitMix64 → xoshiro256**).
    private static readonly ulong[] PinnedFirstValues = [13154433953282303510UL, 10059481073654716016UL];

    [Fact]
    public void Folded_last_makes_the_output_weights_non_negative_and_normal_draws_float32()
    {
        for (int i = 0; i < 20; i++)
        {
            var folded = NetworkSampler.Sample(3, [4, 4], CensusInit.FoldedLast, CensusRandom.ForNetwork(9, "d2-w4", i));
            Assert.All(folded.Layers[^1].Weights.SelectMany(r => r), w => Assert.True(w.Sign >= 0));
            var normal = NetworkSampler.Sample(3, [4, 4], CensusInit.Normal, CensusRandom.ForNetwork(9, "d2-w4", i));
            Assert.All(normal.Layers.SelectMany(l => l.Weights.SelectMany(r => r).Concat(l.Bias)), v => Assert.True(IsFloat32(v)));
        }
        // One output weight sign differs from the folded draw somewhere: normal's last layer is signed.
        Assert.Contains(Enumerable.Range(0, 20), i =>
            NetworkSampler.Sample(3, [4, 4], CensusInit.Normal, CensusRandom.ForNetwork(9, "d2-w4", i)).Layers[^1].Weights.SelectMany(r => r).Any(w => w.Sign < 0));
    }

    [Fact]
    public void Tiny_census_verdicts_agree_with_the_checker_and_with_z3_one_by_one()
    {
        var grid = CensusGrid.ByPairs([1, 3]); // width 1: an ICNN half the time
        var settings = Settings(grid, 6, CensusInit.FoldedLast);
        var kept = new System.Collections.Concurrent.ConcurrentBag<KeptNetwork>();
        var keeping = new CellRunner(settings) { Keep = kept.Add };
        var plain = new CellRunner(settings);
        var dir = Directory.CreateTempSubdirectory("convexproof-census-");
        var seen = new HashSet<CensusVerdict>();
        try
        {
            foreach (var cell in grid.Cells)
            {
                var withKeep = keeping.Run(cell);
                var without = plain.Run(cell);
                // --keep certifies ICNNs too, but the verdicts (and the table) are the same.
                Assert.Equal(without.Select(o => (o.NetworkSha256, o.Verdict, o.Regions)), withKeep.Select(o => (o.NetworkSha256, o.Verdict, o.Regions)));
                foreach (var outcome in without)
                {
                    string label = $"{cell.Name} #{outcome.Index}";
                    Assert.NotEqual(CensusVerdict.Undecided, outcome.Verdict);
                    seen.Add(outcome.Verdict);
                    var k = Assert.Single(kept, x => x.Cell == cell && x.Outcome.Index == outcome.Index);
                    string expected = outcome.Verdict == CensusVerdict.NotConvex ? "not_convex" : "convex";
                    string net = Path.Combine(dir.FullName, $"{cell.Name}-{outcome.Index}.net.json");
                    string cert = Path.Combine(dir.FullName, $"{cell.Name}-{outcome.Index}.cert.json");
                    File.WriteAllText(net, NetworkWriter.ToJson(k.Network));
                    using (var stream = File.Create(cert)) CertificateWriter.Write(k.Result, stream);
                    var check = Checker.CertificateChecker.Check(net, cert, "-100:100");
                    Assert.True(check.Valid, $"{label}: {check.Reason}");
                    Assert.Equal(expected, check.Verdict);

                    var smt = SmtConvexityChecker.Decide(k.Network, Box, new SmtOptions { Query = SmtQueryKind.Midpoint, Timeout = TimeSpan.FromSeconds(20) });
                    Assert.True(smt.Kind != SmtVerdictKind.Unknown, $"{label}: z3 undecided: {smt.Reason}");
                    Assert.Equal(outcome.Verdict == CensusVerdict.NotConvex ? SmtVerdictKind.NotConvex : SmtVerdictKind.Convex, smt.Kind);
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        // The cross-check saw every kind of decided verdict (else the seed is too kind to the test).
        Assert.Contains(CensusVerdict.Icnn, seen);
        Assert.Contains(CensusVerdict.Convex, seen);
        Assert.Contains(CensusVerdict.NotConvex, seen);
    }

    [Fact]
    public void The_same_seed_gives_the_same_table_whatever_the_thread_count()
    {
        var grid = CensusGrid.ByDepth([2, 3], [2, 3]);
        string Table(int threads, ulong seed)
        {
            var runner = new CellRunner(Settings(grid, 8, CensusInit.TorchDefault, seed, threads));
            var outcomes = grid.Cells.Select(c => (c, runner.Run(c))).ToList();
            return CensusTable.Csv([.. outcomes.Select(x => CellSummary.Of(x.c, x.Item2))]) +
                   string.Concat(outcomes.Select(x => CellSummary.NetworksCsv(x.Item2)));
        }
        string once = Table(1, 3);
        Assert.Equal(once, Table(2, 3));
        Assert.NotEqual(once, Table(2, 4));
        Assert.StartsWith(CensusTable.CsvHeader + "\nd2-w2,2x2,8,", once);
    }

    [Fact]
    public void A_cell_summary_round_trips_and_a_partial_one_is_not_finished()
    {
        var s = new CellSummary("d2-w2", "2x2", 10, 1, 2, 6, 1, 123);
        Assert.Equal(s, CellSummary.FromJson(s.ToJson()));
        Assert.Null(CellSummary.FromJson(s.ToJson()[..20]));
        Assert.Null(CellSummary.FromJson((s with { Networks = 11 }).ToJson()));
        Assert.Equal("33.3", CensusTable.Percent(1, 3));
        Assert.Equal("66.7", CensusTable.Percent(2, 3));
        Assert.Equal("100.0", CensusTable.Percent(5, 5));
    }
}
