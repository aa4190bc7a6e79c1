using System.Globalization;
using System.Text;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// Seeded random networks (with duplicated, scaled and zero rows mixed in) checked against
/// independent facts that share no code with the region enumeration: every sampled point's
/// activation pattern (plain forward evaluation) is a listed region; adjacency is symmetric; a
/// convex verdict survives exact midpoint tests on random pairs; every counterexample re-evaluates
/// as a violation; the certificate does not depend on the number of threads.
/// </summary>
public class RandomNetworkTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 36).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomNetworkIsDecidedConsistently(int seed)
    {
        var random = new Random(seed);
        var net = RandomNetwork(random);
        int d = net.InputDim;
        var domain = seed % 2 == 0 ? Nets.Box(d, -4, 4) : Domain.Everywhere(d);
        var result = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 2 });
        Assert.NotEqual(Verdict.Undecided, result.Verdict);

        // Every sampled point lies in a listed region (patterns computed by plain evaluation).
        var patterns = result.Regions.Select(r => r.Pattern).ToHashSet();
        for (int i = 0; i < 200; i++)
        {
            var x = RandomPoint(random, d, seed % 2 == 0 ? 4 : 40);
            var pattern = PatternAt(net, x);
            if (pattern is not null) Assert.Contains(pattern, patterns);
        }

        // Adjacency is symmetric.
        foreach (var region in result.Regions)
            foreach (var facet in region.Facets.Where(f => !f.Boundary))
                Assert.Contains(result.Regions[facet.Neighbour].Facets, back => !back.Boundary && back.Neighbour == region.Index);

        if (result.Verdict == Verdict.NotConvex)
        {
            var ce = result.Counterexample!;
            var mid = ce.X.Zip(ce.Y, (a, b) => (a + b) / 2).ToArray();
            Assert.True(net.Evaluate(mid) * 2 > net.Evaluate(ce.X) + net.Evaluate(ce.Y));
            Assert.True(domain.Contains(ce.X) && domain.Contains(ce.Y));
        }
        else
        {
            for (int i = 0; i < 300; i++)
            {
                var x = RandomPoint(random, d, 4);
                var y = RandomPoint(random, d, 4);
                var mid = x.Zip(y, (a, b) => (a + b) / 2).ToArray();
                Assert.True(net.Evaluate(mid) * 2 <= net.Evaluate(x) + net.Evaluate(y));
            }
        }

        // Same certificate with one thread.
        var single = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 1 });
        Assert.Equal(Bytes(result), Bytes(single));
    }

    public static IEnumerable<object[]> LargerSeeds() => Enumerable.Range(100, 8).Select(s => new object[] { s });

    /// <summary>Wider networks (up to 4 inputs, width 12) exercise the integer path's fallbacks on R^d and boxes.</summary>
    [Theory]
    [MemberData(nameof(LargerSeeds))]
    public void WiderRandomNetworksCoverTheDomain(int seed)
    {
        var random = new Random(seed);
        var net = RandomNetwork(random, maxDim: 4, maxWidth: 12);
        int d = net.InputDim;
        var domain = seed % 2 == 0 ? Nets.Box(d, -5, 5) : Domain.Everywhere(d);
        var result = Certifier.Certify(net, domain);
        Assert.NotEqual(Verdict.Undecided, result.Verdict);
        var patterns = result.Regions.Select(r => r.Pattern).ToHashSet();
        for (int i = 0; i < 300; i++)
        {
            var pattern = PatternAt(net, RandomPoint(random, d, 5));
            if (pattern is not null) Assert.Contains(pattern, patterns);
        }
        foreach (var region in result.Regions)
            foreach (var facet in region.Facets.Where(f => !f.Boundary))
                Assert.Contains(result.Regions[facet.Neighbour].Facets, back => !back.Boundary && back.Neighbour == region.Index);
    }

    private static byte[] Bytes(CertificationResult r)
    {
        using var s = new MemoryStream();
        CertificateWriter.Write(r, s);
        return s.ToArray();
    }

    /// <summary>The activation pattern at x by direct evaluation, or null if some unit is exactly 0.</summary>
    private static string? PatternAt(Network net, Rational[] x)
    {
        var (z, pattern) = BoundNets.Forward(net, x);
        return z.Any(v => v.IsZero) ? null : pattern;
    }

    private static Rational[] RandomPoint(Random random, int d, int range) =>
        [.. Enumerable.Range(0, d).Select(_ => new Rational(random.Next(-range * 1000, range * 1000 + 1), 1000))];

    /// <summary>
    /// d = 1..3 inputs, 1–3 hidden layers of width 2–6, two-decimal normal-ish weights, a
    /// non-negative last layer; one in three networks gets duplicated, scaled or zero rows.
    /// </summary>
    public static Network RandomNetwork(Random random, int maxDim = 3, int maxWidth = 6)
    {
        int d = random.Next(1, maxDim + 1), layers = random.Next(1, 4), width = d;
        bool degenerate = random.Next(3) == 0;
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"input_dim\":{d},\"layers\":[");
        for (int l = 0; l <= layers; l++)
        {
            bool last = l == layers;
            int outputs = last ? 1 : random.Next(2, maxWidth + 1);
            var rows = new List<string>();
            var bias = new List<string>();
            for (int i = 0; i < outputs; i++)
            {
                if (degenerate && i > 0 && random.Next(3) == 0)
                {
                    // Duplicate (or scale by 2) the previous row and bias, or zero the row.
                    int choice = random.Next(3);
                    rows.Add(choice == 2 ? "[" + string.Join(",", Enumerable.Repeat("0", width)) + "]" : Scale(rows[^1], choice + 1));
                    bias.Add(choice == 2 ? "0" : Scale("[" + bias[^1] + "]", choice + 1).Trim('[', ']'));
                    continue;
                }
                rows.Add("[" + string.Join(",", Enumerable.Range(0, width).Select(_ => Weight(random, nonNegative: last))) + "]");
                bias.Add(Weight(random, nonNegative: false));
            }
            json.Append(CultureInfo.InvariantCulture, $"{{\"weights\":[{string.Join(",", rows)}],\"bias\":[{string.Join(",", bias)}],\"activation\":\"{(last ? "identity" : "relu")}\"}}");
            if (!last) json.Append(',');
            width = outputs;
        }
        json.Append("]}");
        return Nets.Parse(json.ToString());
    }

    private static string Weight(Random random, bool nonNegative)
    {
        // Sum of uniforms ≈ normal; two decimals.
        double v = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2;
        if (nonNegative) v = Math.Abs(v);
        return Math.Round(v, 2).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static string Scale(string row, int factor) =>
        "[" + string.Join(",", row.Trim('[', ']').Split(',').Select(s =>
            (decimal.Parse(s, CultureInfo.InvariantCulture) * factor).ToString(CultureInfo.InvariantCulture))) + "]";
}
