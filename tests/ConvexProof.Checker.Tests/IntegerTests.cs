using System.Numerics;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// The checker's integer kernel (Integer.cs) against BigInteger: every operation and every dot-product
/// sign, on values chosen around the boundaries of its forms (64 and 128 bits, Int128.MinValue) and
/// on sums that cancel exactly or pass the 256-bit accumulator's range.
/// </summary>
public class IntegerTests
{
    private static readonly BigInteger Two127 = BigInteger.One << 127;

    /// <summary>Values near 0, ±2^63, ±2^64, ±2^127 and ±2^128, and random ones of every length up to 200 bits.</summary>
    private static List<BigInteger> Values(Random random, int count)
    {
        var values = new List<BigInteger>();
        foreach (int bits in new[] { 0, 1, 31, 32, 62, 63, 64, 65, 126, 127, 128, 129 })
            foreach (int delta in new[] { -1, 0, 1 })
            {
                var v = (BigInteger.One << bits) + delta;
                values.Add(v);
                values.Add(-v);
            }
        for (int i = 0; i < count; i++)
        {
            int bits = random.Next(1, 201);
            var bytes = new byte[bits / 8 + 2];
            random.NextBytes(bytes);
            bytes[^1] = 0; // non-negative
            var v = (new BigInteger(bytes) & ((BigInteger.One << bits) - 1)) | (BigInteger.One << (bits - 1)); // exactly `bits` bits
            values.Add(random.Next(2) == 0 ? v : -v);
        }
        return values;
    }

    private static void Same(BigInteger expected, Integer actual, string what)
    {
        Assert.True(expected == actual.Value, $"{what}: expected {expected}, got {actual}");
        Assert.Equal(expected.Sign, actual.Sign);
        Assert.Equal(expected.IsZero, actual.IsZero);
        Assert.True((Integer)expected == actual, $"{what}: {expected} is not in canonical form"); // the same fields
    }

    [Fact]
    public void ArithmeticIsExact()
    {
        var random = new Random(7);
        var values = Values(random, 150);
        foreach (var a in values)
        {
            Same(-a, -(Integer)a, $"-({a})");
            foreach (var b in values)
            {
                Integer x = a, y = b;
                Same(a + b, x + y, $"{a} + {b}");
                Same(a - b, x - y, $"{a} - {b}");
                Same(a * b, x * y, $"{a} * {b}");
                Assert.Equal(a == b, x == y);
            }
        }
    }

    [Fact]
    public void SmallFormIsCanonical()
    {
        Assert.True(((Integer)(Two127 - 1)).Value == Two127 - 1);
        Assert.True(((Integer)(-Two127)).Value == -Two127);
        Assert.Equal((Integer)(-Two127), -(Integer)Two127);           // −2^127 is small, 2^127 is not
        Assert.Equal((Integer)Two127, -(Integer)(-Two127));
        Assert.Equal((Integer)(Two127 - 1), (Integer)Two127 + (Integer)(-1)); // back from the big form
        Assert.Equal((Integer)0, (Integer)(BigInteger.One << 200) - (Integer)(BigInteger.One << 200));
        Assert.Equal((Integer)(-Two127), (Integer)(-(BigInteger.One << 63)) * (Integer)(BigInteger.One << 64));
    }

    [Fact]
    public void DotProductSignsAreExact()
    {
        var random = new Random(11);
        var values = Values(random, 300);
        for (int trial = 0; trial < 20_000; trial++)
        {
            int length = random.Next(0, 9);
            var a = new BigInteger[length];
            var b = new BigInteger[length];
            for (int i = 0; i < length; i++) (a[i], b[i]) = (values[random.Next(values.Count)], values[random.Next(values.Count)]);
            if (length > 1 && trial % 3 == 0)
            {
                // Make the sum cancel exactly, or miss 0 by one: the last term is the negated rest (+0 or ±1).
                var rest = Enumerable.Range(0, length - 1).Aggregate(BigInteger.Zero, (s, i) => s + a[i] * b[i]);
                a[^1] = -rest + random.Next(-1, 2);
                b[^1] = 1;
            }
            Check(a, b);
        }
    }

    /// <summary>Sums of products near 2^254 and 2^255 (beyond 256 bits): the accumulator must hand over to BigInteger.</summary>
    [Fact]
    public void DotProductSignsAreExactBeyondTheAccumulator()
    {
        var max = Two127 - 1;
        var min = -Two127;
        foreach (int length in new[] { 1, 2, 3, 4, 5, 8 })
        {
            Check(Enumerable.Repeat(min, length).ToArray(), Enumerable.Repeat(min, length).ToArray());
            Check(Enumerable.Repeat(max, length).ToArray(), Enumerable.Repeat(min, length).ToArray());
            Check(Enumerable.Repeat(max, length).ToArray(), Enumerable.Repeat(max, length).ToArray());
            // Large terms that cancel: +2^254 … and −2^254 … with a ±1 at the end.
            var a = Enumerable.Range(0, 2 * length + 1).Select(i => i == 2 * length ? BigInteger.One : i < length ? min : max).ToArray();
            var b = Enumerable.Range(0, 2 * length + 1).Select(i => i == 2 * length ? BigInteger.MinusOne : min).ToArray();
            Check(a, b);
            Array.Reverse(a);
            Array.Reverse(b);
            Check(a, b);
        }
    }

    private static void Check(BigInteger[] a, BigInteger[] b)
    {
        var x = Array.ConvertAll(a, v => (Integer)v);
        var y = Array.ConvertAll(b, v => (Integer)v);
        var expected = Enumerable.Range(0, a.Length).Aggregate(BigInteger.Zero, (s, i) => s + a[i] * b[i]);
        Assert.True(expected.Sign == Integer.SignOfDot(x, y), $"sign of [{string.Join(", ", a)}]·[{string.Join(", ", b)}] = {expected}");
        Assert.True(expected == Integer.Dot(x, y));
    }

    /// <summary>Coprime (binary gcd in 128 bits, BigInteger's beyond) agrees with BigInteger's gcd, both signs of a, b &gt; 0.</summary>
    [Fact]
    public void CoprimeAgreesWithTheBigIntegerGcd()
    {
        var random = new Random(17);
        var values = Values(random, 400);
        // Pairs with large common factors and coprime neighbours: gcd 1 must not be found by accident alone.
        for (int i = 0; i < 200; i++)
        {
            var f = Values(random, 1)[^1];
            values.Add(f * 6);
            values.Add(f * 10 + 1);
        }
        int coprime = 0, notCoprime = 0;
        foreach (var a in values)
            foreach (var b in values.Where(v => v.Sign > 0).Take(60))
            {
                bool expected = BigInteger.GreatestCommonDivisor(a, b).IsOne;
                Assert.True(expected == Integer.Coprime(a, b), $"Coprime({a}, {b}): expected {expected}");
                if (expected) coprime++; else notCoprime++;
            }
        Assert.True(coprime > 1000 && notCoprime > 1000, $"the pairs must exercise both answers ({coprime} coprime, {notCoprime} not)");
    }

    /// <summary>The canonical parser reads every reduced p/q (p ≠ 0, q &gt; 1) as that value and rejects the unreduced and the ill-spelt.</summary>
    [Fact]
    public void CanonicalRationalsAreReadExactlyAndNothingElseIs()
    {
        var random = new Random(29);
        var values = Values(random, 300);
        foreach (var p in values.Take(150))
            foreach (var q in values.Where(v => v > 1).Skip(20).Take(30))
            {
                var g = BigInteger.GreatestCommonDivisor(p, q);
                bool canonical = !p.IsZero && g.IsOne;
                Assert.Equal(canonical, Rational.TryParseCanonical($"{p}/{q}", out var value));
                if (canonical) Assert.True(value.Numerator == p && value.Denominator == q, $"{p}/{q} read as {value}");
                if (!p.IsZero && !g.IsOne) Assert.True(Rational.TryParseCanonical($"{p / g}/{q / g}", out _) || q / g == 1);
            }
        foreach (var n in values)
        {
            Assert.True(Rational.TryParseCanonical(n.ToString(), out var value) && value.Numerator == n && value.Denominator.IsOne);
            Assert.False(Rational.TryParseCanonical($"{n}/1", out _));
        }
        foreach (var bad in new[] { "-0", "01", "+1", "1/0", "0/3", "1/-2", "1/02", "2/4", "1//2", "1/2/3", "", "-", "1/", "/2", "1.5" })
            Assert.False(Rational.TryParseCanonical(bad, out _), bad);
    }
}
