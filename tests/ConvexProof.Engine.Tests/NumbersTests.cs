using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

public class NumbersTests
{
    private static Rational Q(long p, long q = 1) => new(p, q);

    [Fact]
    public void ArithmeticIsExactAndReduced()
    {
        Assert.Equal("3/4", (Q(1, 2) + Q(1, 4)).ToString());
        Assert.Equal("-1/6", (Q(1, 3) - Q(1, 2)).ToString());
        Assert.Equal("1", (Q(2, 3) * Q(3, 2)).ToString());
        Assert.Equal("-4", (Q(2) / Q(-1, 2)).ToString());
        Assert.Equal("0", (Q(5, 7) - Q(10, 14)).ToString());
        Assert.Equal(Q(1, 2), new Rational(-3, -6));
        Assert.True(Q(1, 3) < Q(1, 2));
        Assert.True(Q(-1, 2) < Q(-1, 3));
    }

    [Fact]
    public void DecimalLiteralsAreExact()
    {
        Assert.Equal(Q(1, 10), Parse("0.1"));
        Assert.Equal(Q(3, 2000), Parse("1.5e-3"));
        Assert.Equal(Q(-25, 1), Parse("-2.5E1"));
        Assert.Equal(Q(5, 2), Parse("+2.50"));
        // 0.1 + 0.2 - 0.3 is exactly zero here (in binary floating point it is 5.55e-17).
        Assert.True((Parse("0.1") + Parse("0.2") - Parse("0.3")).IsZero);
    }

    [Fact]
    public void FractionsAndHexFloatsAreExact()
    {
        Assert.Equal(Q(3, 4), Parse("3/4"));
        Assert.Equal(Q(-5, 2), Parse("-10/4"));
        Assert.Equal(new Rational(13421773, 134217728), Parse("0x1.99999ap-4"));
        Assert.Equal(Q(-1, 8), Parse("-0x1p-3"));
        Assert.Equal(Q(255), Parse("0xFF"));
        Assert.Equal(Rational.FromDouble(0.1), Parse("0x1.999999999999ap-4"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1/0")]
    [InlineData("1/-2")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999999")]
    [InlineData("0x1.8q3")]
    [InlineData(" 1")]
    [InlineData("1.2.3")]
    public void MalformedNumbersAreRejected(string text) =>
        Assert.False(ExactNumberParser.TryParse(text, out _, out var error) && error.Length == 0);

    [Fact]
    public void DoublesConvertExactlyBothWays()
    {
        Assert.Equal(new Rational(3602879701896397, BigInteger.Pow(2, 55)), Rational.FromDouble(0.1));
        Assert.Equal(0.1, Rational.FromDouble(0.1).ToDouble());
        Assert.Equal(-1.0 / 3.0, Q(-1, 3).ToDouble(), 15);
        Assert.Equal(1e-300, Rational.FromDouble(1e-300).ToDouble());
    }

    [Fact]
    public void CanonicalTextRoundTrips()
    {
        foreach (var r in new[] { Q(0), Q(-7), Q(22, 7), Q(-1, 1000000) })
        {
            Assert.True(Rational.TryParseCanonical(r.ToString(), out var back));
            Assert.Equal(r, back);
        }
        Assert.False(Rational.TryParseCanonical("2/", out _));
        Assert.False(Rational.TryParseCanonical("x", out _));
    }

    private static Rational Parse(string s)
    {
        Assert.True(ExactNumberParser.TryParse(s, out var v, out var error), error);
        return v;
    }

    /// <summary>
    /// The Try… integer operations succeed exactly when the true result fits the type (what checked
    /// arithmetic decided before), and then return it; near-boundary values are drawn often.
    /// </summary>
    [Fact]
    public void TryArithmeticReportsExactlyTheResultsThatDoNotFit()
    {
        var random = new Random(11);
        BigInteger Draw(int bits)
        {
            int b = random.Next(0, bits + 1);
            var v = b == 0 ? BigInteger.Zero : (BigInteger.One << (b - 1)) + (BigInteger)random.NextInt64() % (BigInteger.One << Math.Max(b - 1, 1));
            return random.Next(2) == 0 ? v : -v;
        }
        void Check<T>(int bits, BigInteger min, BigInteger max) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
        {
            bool Fits(BigInteger v) => v >= min && v <= max;
            T Of(BigInteger v) => T.CreateTruncating(v);
            for (int trial = 0; trial < 20000; trial++)
            {
                BigInteger a = Draw(bits), b = Draw(bits / 2 + 2), c = Draw(bits);
                if (!Fits(a) || !Fits(b) || !Fits(c)) continue;
                var sum = a + b * c;
                Assert.Equal(Fits(b * c) && Fits(sum), Integers.TryMultiplyAdd(Of(a), Of(b), Of(c), out T r));
                if (Fits(b * c) && Fits(sum)) Assert.Equal(sum, Integers.ToBig(r));
                Assert.Equal(Fits(a + c), Integers.TryAdd(Of(a), Of(c), out r));
                if (Fits(a + c)) Assert.Equal(a + c, Integers.ToBig(r));
                Assert.Equal(Fits(-a), Integers.TryNegate(Of(a), out r));
            }
            Assert.False(Integers.TryNegate(Of(min), out T _));
            Assert.False(Integers.TryAdd(Of(max), T.One, out T _));
            Assert.False(Integers.TryMultiply(Of(max), Of(2), out T _));
            Assert.True(Integers.TryMultiply(Of(min), T.One, out T one) && Integers.ToBig(one) == min);
        }
        Check<long>(64, long.MinValue, long.MaxValue);
        Check<Int128>(128, (BigInteger)Int128.MinValue, (BigInteger)Int128.MaxValue);
        var huge = BigInteger.Pow(10, 60);
        Assert.True(Integers.TryMultiplyAdd(huge, huge, huge, out BigInteger big) && big == huge + huge * huge);
    }
}
