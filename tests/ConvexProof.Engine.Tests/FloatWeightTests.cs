using System.Globalization;
using System.Numerics;
using System.Text;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// The integer path on float32 weights: the double filter never decides a wrong sign, the
/// fraction-free solve is exact, and the 64-bit, 128-bit and BigInteger tiers write the same
/// certificate (only their speed differs).
/// </summary>
public class FloatWeightTests
{
    [Fact]
    public void SignFilterAgreesWithExactSignWheneverItDecides()
    {
        var random = new Random(7);
        int decided = 0, undecided = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            int d = random.Next(1, 9);
            var row = new BigInteger[d + 1];
            for (int i = 0; i <= d; i++) row[i] = RandomBig(random, random.Next(1, 200));
            var x = new Rational[d];
            for (int i = 0; i < d; i++) x[i] = new Rational(RandomBig(random, 40), BigInteger.One << random.Next(0, 60));
            // Half of the points are put exactly on the hyperplane, some then nudged by a hair.
            int pivot = random.Next(d);
            if (trial % 2 == 0 && !row[pivot].IsZero)
            {
                Rational rest = row[d];
                for (int i = 0; i < d; i++) if (i != pivot) rest += (Rational)row[i] * x[i];
                x[pivot] = -rest / row[pivot];
                if (trial % 4 == 0) x[pivot] += new Rational(random.Next(-1, 2), BigInteger.One << 300);
            }
            var exact = new Rational(row[d], BigInteger.One);
            for (int i = 0; i < d; i++) exact += (Rational)row[i] * x[i];
            var approximation = x.Select(SignFilter.Input).ToArray();
            if (SignFilter.TrySign(row, approximation, out int sign))
            {
                Assert.Equal(exact.Sign, sign);
                decided++;
            }
            else undecided++;
            // The same through ExactPoint, which must always answer exactly.
            Assert.Equal(exact.Sign, new ExactPoint(x).Sign(row));
            var row128 = row.Select(v => v.GetBitLength() < 120 ? (Int128)v : Int128.Zero).ToArray();
            var exact128 = new Rational((BigInteger)row128[d], BigInteger.One);
            for (int i = 0; i < d; i++) exact128 += (Rational)(BigInteger)row128[i] * x[i];
            Assert.Equal(exact128.Sign, new ExactPoint(x).Sign(row128));
        }
        Assert.True(decided > 1000, $"the filter decided only {decided} cases");
        Assert.True(undecided > 100, $"the near-zero cases never reached the exact fallback ({undecided})");
    }

    [Fact]
    public void SignFilterRefusesCoordinatesThatUnderflow()
    {
        // x = 2^-1100 underflows to 0 in double; with a huge coefficient the true value is positive.
        var x = new Rational[] { new(BigInteger.One, BigInteger.One << 1100) };
        BigInteger[] row = [BigInteger.One << 1090, BigInteger.Zero];
        Assert.True(double.IsNaN(SignFilter.Input(x[0])));
        Assert.False(SignFilter.TrySign(row, [.. x.Select(SignFilter.Input)], out _));
        Assert.Equal(1, new ExactPoint(x).Sign(row));
        var tinyNegative = new Rational[] { new(-BigInteger.One, BigInteger.One << 800) };
        Assert.Equal(-1, new ExactPoint(tinyNegative).Sign(new BigInteger[] { BigInteger.One << 700, BigInteger.Zero }));
    }

    [Fact]
    public void BoxMinimumFilterAgreesWithExactMinimum()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 3000; trial++)
        {
            int d = random.Next(1, 7);
            var row = new Int128[d + 1];
            for (int i = 0; i <= d; i++) row[i] = (Int128)RandomBig(random, random.Next(1, 110));
            var lower = new Rational[d];
            var upper = new Rational[d];
            for (int i = 0; i < d; i++)
            {
                lower[i] = new Rational(RandomBig(random, 30), BigInteger.One << 20);
                upper[i] = lower[i] + new Rational(random.Next(1, 1000), 1 << 10);
            }
            // Shift the constant so that the minimum is often exactly zero or very close to it.
            Rational min = Rational.Zero;
            for (int i = 0; i < d; i++) min += (Rational)(BigInteger)row[i] * (row[i] > 0 ? lower[i] : upper[i]);
            if (trial % 2 == 0 && min.IsInteger && BigInteger.Abs(min.Numerator).GetBitLength() < 120)
                row[d] = (Int128)(-min.Numerator) + random.Next(-1, 2);
            min += (Rational)(BigInteger)row[d];
            if (SignFilter.TryMinimumSign(row, [.. lower.Select(SignFilter.Input)], [.. upper.Select(SignFilter.Input)], out int sign))
                Assert.Equal(min.Sign, sign);
        }
    }

    [Fact]
    public void MultiplyLowIsTheExactProductWhenItFits()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 20000; trial++)
        {
            int wBits = random.Next(0, 63), hBits = random.Next(0, 126 - wBits);
            long w = (long)(RandomBig(random, wBits) % long.MaxValue);
            var h = (Int128)RandomBig(random, hBits);
            if (trial % 100 == 0) w = trial % 200 == 0 ? -1 : 1;
            Assert.Equal((BigInteger)w * (BigInteger)h, (BigInteger)Integers.MultiplyLow(w, h));
        }
    }

    [Fact]
    public void FractionFreeSolveIsExact()
    {
        var random = new Random(5);
        int solved = 0;
        for (int trial = 0; trial < 500; trial++)
        {
            int rows = random.Next(1, 7), n = random.Next(1, rows + 1);
            var columns = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, rows).Select(_ => (Int128)RandomBig(random, 60)).ToArray()).ToArray();
            var lambda = Enumerable.Range(0, n).Select(_ => new Rational(random.Next(-50, 50), random.Next(1, 30))).ToArray();
            // rhs = Σ λ_j col_j scaled to integers.
            BigInteger scale = lambda.Aggregate(BigInteger.One, (a, l) => a * l.Denominator);
            var rhs = new Int128[rows];
            for (int i = 0; i < rows; i++)
            {
                Rational s = Rational.Zero;
                for (int j = 0; j < n; j++) s += lambda[j] * (Rational)(BigInteger)columns[j][i];
                rhs[i] = (Int128)(s * (Rational)scale).Numerator;
            }
            var solution = ExactLinearSolve.Solve(columns, rhs, rows);
            if (solution is not ScaledSolution sol) continue; // dependent columns
            solved++;
            Assert.True(sol.Denominator.Sign > 0);
            for (int i = 0; i < rows; i++)
            {
                BigInteger s = BigInteger.Zero;
                for (int j = 0; j < n; j++) s += sol.Numerators[j] * (BigInteger)columns[j][i];
                Assert.Equal((BigInteger)rhs[i] * sol.Denominator, s);
            }
        }
        Assert.True(solved > 300);
    }

    [Theory]
    [InlineData(2, new[] { 8, 8 }, IntegerWidth.Bits128)]
    [InlineData(3, new[] { 6, 6, 6, 6, 6 }, IntegerWidth.Big)]
    [InlineData(2, new[] { 10 }, IntegerWidth.Narrowest)] // one float32 layer still fits 64 bits
    public void Float32NetworksTakeAWideTierAndEveryTierWritesTheSameCertificate(int d, int[] widths, IntegerWidth expected)
    {
        var net = Float32Network(new Random(d * 100 + widths.Length), d, widths);
        var domain = Nets.Box(d, -10, 10);
        var chosen = ScaledNetwork.Create(net);
        var expectedType = expected switch
        {
            IntegerWidth.Narrowest => typeof(ScaledNetwork<long>),
            IntegerWidth.Bits128 => typeof(ScaledNetwork<Int128>),
            _ => typeof(ScaledNetwork<BigInteger>),
        };
        Assert.Equal(expectedType, chosen.GetType());

        string? reference = null;
        foreach (var width in new[] { IntegerWidth.Narrowest, IntegerWidth.Bits128, IntegerWidth.Big })
        {
            var result = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 2, IntegerWidth = width });
            Assert.NotEqual(Verdict.Undecided, result.Verdict);
            using var stream = new MemoryStream();
            CertificateWriter.Write(result, stream);
            var text = Encoding.UTF8.GetString(stream.ToArray());
            reference ??= text;
            Assert.Equal(reference, text);
            if (result.Counterexample is { } cex)
            {
                // Independent exact evaluation at the counterexample.
                var fx = net.Evaluate(cex.X);
                var fy = net.Evaluate(cex.Y);
                var mid = net.Evaluate([.. cex.X.Zip(cex.Y, (a, b) => (a + b) / 2)]);
                Assert.True(mid > (fx + fy) / 2);
            }
        }
    }

    /// <summary>
    /// Leaky networks in the integer tiers (off units pass p·z', every later scale gains q, for α =
    /// p/q): every tier writes the same certificate, with the regions, facets and condition values
    /// of the rational path, and the verdict holds up under exact evaluation. α = 13421773·2⁻²⁶ is
    /// PyTorch's float32 0.2; 1/4 and 3/10 keep decimal networks in 64 bits or not.
    /// </summary>
    [Theory]
    [InlineData(2, new[] { 8, 8 }, 13421773, 1 << 26)]
    [InlineData(2, new[] { 6, 6, 6 }, 1, 4)]
    [InlineData(3, new[] { 6, 5 }, 3, 10)]
    public void LeakyNetworksWriteTheSameCertificateInEveryTierAsTheRationalPathFinds(int d, int[] widths, long p, long q)
    {
        var relu = Float32Network(new Random(d * 10 + widths.Length), d, widths);
        var alpha = new Rational(p, q);
        var net = new Network(d, [.. relu.Layers.Select(l => l.Activation == Activation.Relu ? l with { Alpha = alpha } : l)]);
        var domain = Nets.Box(d, -10, 10);
        var rational = Certifier.Certify(net, domain, new CertifyOptions { RationalOnly = true, StopAtFirstViolation = false });
        string? reference = null;
        foreach (var width in new[] { IntegerWidth.Narrowest, IntegerWidth.Bits128, IntegerWidth.Big })
        {
            var result = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 2, IntegerWidth = width, StopAtFirstViolation = false });
            Assert.Equal(rational.Verdict, result.Verdict);
            Assert.Equal(rational.Regions.Select(r => r.Pattern), result.Regions.Select(r => r.Pattern));
            Assert.Equal(rational.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)), result.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)));
            // The integer path really ran: it proves bounding boxes, the rational path does not.
            Assert.Contains(result.Regions, r => r.Geometry.Bounds is not null);
            using var stream = new MemoryStream();
            CertificateWriter.Write(result, stream);
            var text = Encoding.UTF8.GetString(stream.ToArray());
            reference ??= text;
            Assert.Equal(reference, text);
            if (result.Counterexample is { } cex)
                Assert.True(2 * net.Evaluate([.. cex.X.Zip(cex.Y, (a, b) => (a + b) / 2)]) > net.Evaluate(cex.X) + net.Evaluate(cex.Y));
        }
    }

    public static IEnumerable<object[]> DegenerateSeeds() => Enumerable.Range(100, 24).Select(s => new object[] { s });

    /// <summary>
    /// Random networks with duplicated, doubled and zero rows (proportional and flat constraints,
    /// degenerate frontiers): the 128-bit and BigInteger tiers, whose grouping and signs go through
    /// the double filter, write exactly the 64-bit tier's certificate.
    /// </summary>
    [Theory]
    [MemberData(nameof(DegenerateSeeds))]
    public void WideTiersAgreeWithThe64BitTierOnDegenerateNetworks(int seed)
    {
        var random = new Random(seed);
        var net = RandomNetworkTests.RandomNetwork(random);
        var domain = seed % 2 == 0 ? Nets.Box(net.InputDim, -4, 4) : Domain.Everywhere(net.InputDim);
        string? reference = null;
        foreach (var width in new[] { IntegerWidth.Narrowest, IntegerWidth.Bits128, IntegerWidth.Big })
        {
            var result = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 2, IntegerWidth = width });
            using var stream = new MemoryStream();
            CertificateWriter.Write(result, stream);
            var text = Encoding.UTF8.GetString(stream.ToArray());
            reference ??= text;
            Assert.Equal(reference, text);
        }
    }

    /// <summary>
    /// Integer weights up to 2^20 in three hidden layers: the 64-bit maps of some units stay below the
    /// proven-safe bound (unchecked sums), others need the checked sums, and some regions overflow
    /// 64 bits (those take the rational path, so their witnesses differ from the BigInteger tier's):
    /// the same regions, facets, conditions and verdict as the BigInteger tier.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void SixtyFourBitMapsNearOverflowDecideAsTheBigIntegerTier(int seed)
    {
        var net = Nets.Parse(NearOverflowNetwork(new Random(seed)));
        var scaled = ScaledNetwork.Create(net);
        Assert.IsType<ScaledNetwork<long>>(scaled);
        var domain = Nets.Box(2, -3, 3);
        var big = Certifier.Certify(net, domain, new CertifyOptions { IntegerWidth = IntegerWidth.Big });
        var narrow = Certifier.Certify(net, domain);
        Assert.Equal(big.Verdict, narrow.Verdict);
        Assert.Equal(big.Regions.Select(r => r.Pattern), narrow.Regions.Select(r => r.Pattern));
        Assert.Equal(big.Regions.Select(r => string.Join(",", r.Facets.Select(f => f.Facet.Constraint))),
            narrow.Regions.Select(r => string.Join(",", r.Facets.Select(f => f.Facet.Constraint))));
        Assert.Equal(big.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)), narrow.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)));
        // Both sides of the 64-bit limit occur: regions whose maps fit and regions that overflow.
        var fits = narrow.Regions.Select(r => Regions.IntegerRegionMaps.ForPattern(scaled, r.Pattern) is not null).ToList();
        Assert.Contains(true, fits);
        Assert.Contains(false, fits);
    }

    /// <summary>2 → 4 → 4 → 3 → 1 with integer weights and biases of random sizes up to 2^20.</summary>
    internal static string NearOverflowNetwork(Random random)
    {
        string Layer(int outputs, int inputs, string activation)
        {
            string W() => (random.Next(2) == 0 ? "-" : "") + ((1L << random.Next(0, 21)) + random.Next(0, 1000));
            var rows = Enumerable.Range(0, outputs).Select(_ => "[" + string.Join(",", Enumerable.Range(0, inputs).Select(_ => W())) + "]");
            var bias = Enumerable.Range(0, outputs).Select(_ => W());
            return $$"""{"weights":[{{string.Join(",", rows)}}],"bias":[{{string.Join(",", bias)}}],"activation":"{{activation}}"}""";
        }
        return $$"""{"input_dim":2,"layers":[{{Layer(4, 2, "relu")}},{{Layer(4, 4, "relu")}},{{Layer(3, 4, "relu")}},{{Layer(1, 3, "identity")}}]}""";
    }

    [Fact]
    public void DecimalNetworksKeepThe64BitTier()
    {
        var net = Nets.Parse("""{"input_dim":2,"layers":[{"weights":[[0.5,-1.25],[1,2]],"bias":[0.1,-0.3],"activation":"relu"},{"weights":[[1,0.5]],"bias":[0],"activation":"identity"}]}""");
        Assert.IsType<ScaledNetwork<long>>(ScaledNetwork.Create(net));
    }

    /// <summary>PyTorch's default nn.Linear initialisation in float32 (uniform in ±1/√fan_in), last layer non-negative, exact values.</summary>
    internal static Network Float32Network(Random random, int d, int[] widths)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"input_dim\":{d},\"layers\":[");
        int fanIn = d;
        var sizes = widths.Append(1).ToArray();
        for (int l = 0; l < sizes.Length; l++)
        {
            bool last = l == sizes.Length - 1;
            double bound = 1 / Math.Sqrt(fanIn);
            string F(bool nonNegative)
            {
                var v = (float)((random.NextDouble() * 2 - 1) * bound);
                if (nonNegative) v = Math.Abs(v);
                return "\"" + Rational.FromDouble(v) + "\"";
            }
            var rows = Enumerable.Range(0, sizes[l]).Select(_ => "[" + string.Join(",", Enumerable.Range(0, fanIn).Select(_ => F(last))) + "]");
            var bias = Enumerable.Range(0, sizes[l]).Select(_ => F(false));
            json.Append(CultureInfo.InvariantCulture,
                $"{{\"weights\":[{string.Join(",", rows)}],\"bias\":[{string.Join(",", bias)}],\"activation\":\"{(last ? "identity" : "relu")}\"}}");
            if (!last) json.Append(',');
            fanIn = sizes[l];
        }
        json.Append("]}");
        return Nets.Parse(json.ToString());
    }

    private static BigInteger RandomBig(Random random, int bits)
    {
        var bytes = new byte[bits / 8 + 2];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        var v = new BigInteger(bytes) >> (bytes.Length * 8 - 8 - bits);
        return random.Next(2) == 0 ? v : -v;
    }
}
