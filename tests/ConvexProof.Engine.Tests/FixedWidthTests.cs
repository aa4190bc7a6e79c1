using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>The fixed-width integers on the stack and the elimination on them agree with BigInteger.</summary>
public class FixedWidthTests
{
    [Fact]
    public void ArithmeticAgreesWithBigIntegerAcrossWordBoundaries()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 3000; trial++)
        {
            int words = random.Next(1, 7);
            int limit = 64 * words - 2; // |a·b| and |a·b − c·d| stay below 2^(64·words − 1)
            int bitsA = random.Next(0, limit / 2 + 1), bitsB = random.Next(0, limit / 2 + 1);
            BigInteger a = Boundary(random, bitsA), b = Boundary(random, bitsB), c = Boundary(random, bitsA), e = Boundary(random, bitsB);
            Span<ulong> x = new ulong[words], y = new ulong[words], product = new ulong[words], other = new ulong[words];
            FixedWidthIntegers.Set(x, a);
            FixedWidthIntegers.Set(y, b);
            Assert.Equal(a, FixedWidthIntegers.ToBigInteger(x));
            Assert.Equal(a.IsZero, FixedWidthIntegers.IsZero(x));
            Assert.Equal(a.Sign < 0, FixedWidthIntegers.IsNegative(x));
            FixedWidthIntegers.Multiply(x, y, product);
            Assert.Equal(a * b, FixedWidthIntegers.ToBigInteger(product));
            FixedWidthIntegers.Set(x, c);
            FixedWidthIntegers.Set(y, e);
            FixedWidthIntegers.Multiply(x, y, other);
            FixedWidthIntegers.Subtract(product, other);
            var difference = a * b - c * e;
            Assert.Equal(difference, FixedWidthIntegers.ToBigInteger(product));
            FixedWidthIntegers.Negate(product);
            Assert.Equal(-difference, FixedWidthIntegers.ToBigInteger(product));
            FixedWidthIntegers.Add(product, other);
            Assert.Equal(-difference + c * e, FixedWidthIntegers.ToBigInteger(product));
            Assert.Equal((-difference + c * e).Sign, FixedWidthIntegers.Sign(product));
            // Exact division of a multiple by a divisor with trailing zeros, of either sign.
            var divisor = Boundary(random, random.Next(0, limit / 2)) * 2 + 1;
            divisor <<= random.Next(0, 70);
            divisor = random.Next(2) == 0 ? divisor : -divisor;
            var quotient = Boundary(random, Math.Max(0, limit - (int)divisor.GetBitLength() - 1));
            if ((quotient * divisor).GetBitLength() >= 64 * words - 1) continue;
            Span<ulong> dividend = new ulong[words], d = new ulong[words], inverse = new ulong[words];
            Span<ulong> scratch = new ulong[3 * words];
            if (divisor.GetBitLength() >= 64 * words - 1) continue;
            FixedWidthIntegers.Set(dividend, quotient * divisor);
            FixedWidthIntegers.Set(d, divisor);
            int shift = FixedWidthIntegers.PrepareDivisor(d, inverse, scratch, out bool negativeDivisor);
            FixedWidthIntegers.DivideExact(dividend, shift, negativeDivisor, inverse, scratch[..words]);
            Assert.Equal(quotient, FixedWidthIntegers.ToBigInteger(dividend));
        }
    }

    [Fact]
    public void EliminationOnTheStackEqualsTheBigIntegerOne()
    {
        var random = new Random(12);
        int solved = 0, unsolved = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            int rows = random.Next(1, 8), n = random.Next(1, rows + 1);
            int bits = random.Next(1, 4) switch { 1 => random.Next(1, 8), 2 => random.Next(50, 64), _ => random.Next(64, 127) };
            var columns = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, rows).Select(_ => (Int128)Boundary(random, bits)).ToArray()).ToArray();
            var rhs = Enumerable.Range(0, rows).Select(_ => (Int128)Boundary(random, bits)).ToArray();
            switch (random.Next(4))
            {
                case 0 when n > 1: // dependent columns
                    columns[^1] = [.. columns[0].Select(v => v / 2 * 2)];
                    columns[0] = [.. columns[^1].Select(v => v / 2)];
                    break;
                case 1: // a consistent system: rhs in the columns' span
                    for (int i = 0; i < rows; i++) rhs[i] = columns.Aggregate(Int128.Zero, (s, c) => s + c[i] / 4 / n);
                    break;
                case 2: // zero entries
                    foreach (var column in columns) column[random.Next(rows)] = 0;
                    break;
            }
            var fixedWidth = ExactLinearSolve.Solve(columns, rhs, rows);
            var big = ExactLinearSolve.SolveBig(columns, rhs, rows);
            Assert.Equal(big is null, fixedWidth is null);
            if (big is not ScaledSolution expected) { unsolved++; continue; }
            solved++;
            var actual = fixedWidth!.Value;
            Assert.Equal(expected.Denominator, actual.Denominator);
            Assert.Equal(expected.Numerators, actual.Numerators);
        }
        Assert.True(solved > 600 && unsolved > 300, $"{solved} solved, {unsolved} not");
    }

    /// <summary>
    /// Wide entries (BigInteger rows of up to 200 bits, as deep float32 networks give): the stack
    /// solves those whose Hadamard bound fits its width limit, BigInteger the rest, with the same
    /// numbers. (Solving the early steps on fewer words, as their smaller minors allow, and lifting
    /// the limit was tried: within this machine's noise on float32 d4_12x12 and d2_64x64x64, and
    /// float32 d6_8x8, whose bounds reach 14 words, 1–7% more CPU than BigInteger; not kept.)
    /// </summary>
    [Fact]
    public void WideEliminationOnTheStackEqualsTheBigIntegerOne()
    {
        var random = new Random(14);
        int solved = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            int rows = random.Next(2, 8), n = random.Next(2, rows + 1);
            int bits = random.Next(60, 200);
            var columns = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, rows).Select(_ => Boundary(random, random.Next(1, bits))).ToArray()).ToArray();
            var rhs = Enumerable.Range(0, rows).Select(_ => Boundary(random, bits)).ToArray();
            if (random.Next(3) == 0)
                for (int i = 0; i < rows; i++) rhs[i] = columns.Aggregate(BigInteger.Zero, (s, c) => s + c[i] * (i + 1) / 8);
            var fixedWidth = ExactLinearSolve.Solve(columns, rhs, rows);
            var big = ExactLinearSolve.SolveBig(columns, rhs, rows);
            Assert.Equal(big is null, fixedWidth is null);
            if (big is not ScaledSolution expected) continue;
            solved++;
            Assert.Equal(expected.Denominator, fixedWidth!.Value.Denominator);
            Assert.Equal(expected.Numerators, fixedWidth.Value.Numerators);
        }
        Assert.True(solved > 300, $"{solved} solved");
    }

    /// <summary>
    /// A kept elimination replayed on other right-hand sides of the same columns gives exactly what
    /// a fresh BigInteger solve gives: the same numerators and denominator, or none (inconsistent
    /// right-hand sides, rectangular systems, pivoting rows exchanged). Eliminations on the stack
    /// (narrow columns) and in BigInteger (wide ones) both occur, and a right-hand side too wide for
    /// the stack elimination's width is replayed in BigInteger.
    /// </summary>
    [Fact]
    public void AKeptEliminationResolvesExactlyAsAFreshSolve()
    {
        var random = new Random(15);
        int onStack = 0, inBig = 0, resolved = 0, inconsistent = 0, wider = 0;
        for (int trial = 0; trial < 900; trial++)
        {
            int rows = random.Next(2, 8), n = random.Next(1, rows + 1);
            int bits = random.Next(3) switch { 0 => random.Next(2, 40), 1 => random.Next(40, 120), _ => random.Next(120, 220) };
            var columns = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, rows).Select(_ => Boundary(random, random.Next(1, bits))).ToArray()).ToArray();
            if (random.Next(3) == 0) foreach (var column in columns) column[random.Next(rows)] = 0; // zero pivots: rows exchanged
            BigInteger[] Rhs()
            {
                switch (random.Next(4))
                {
                    case 0: return [.. Enumerable.Range(0, rows).Select(_ => Boundary(random, bits))]; // inconsistent when rows > n
                    case 1: return [.. Enumerable.Range(0, rows).Select(_ => Boundary(random, bits + 300))]; // wider than the columns
                }
                var weights = columns.Select(_ => (BigInteger)random.Next(-3, 4)).ToArray(); // in the columns' span
                return [.. Enumerable.Range(0, rows).Select(i => columns.Select((c, j) => c[i] * weights[j]).Aggregate(BigInteger.Zero, BigInteger.Add))];
            }
            var first = Rhs();
            var fresh = ExactLinearSolve.Solve(columns, first, rows, out var elimination);
            var reference = ExactLinearSolve.SolveBig(columns, first, rows);
            Assert.Equal(reference?.Denominator, fresh?.Denominator);
            Assert.Equal(reference?.Numerators, fresh?.Numerators);
            if (elimination is null) continue; // dependent columns
            if (elimination.Words is null) inBig++; else onStack++;
            for (int again = 0; again < 4; again++)
            {
                var rhs = Rhs();
                var expected = ExactLinearSolve.SolveBig(columns, rhs, rows);
                var actual = ExactLinearSolve.Resolve(elimination, rhs);
                if (elimination.Words is not null && rhs.Any(v => v.GetBitLength() > bits + 200)) wider++;
                Assert.Equal(expected is null, actual is null);
                if (expected is not ScaledSolution e) { inconsistent++; continue; }
                resolved++;
                Assert.Equal(e.Denominator, actual!.Value.Denominator);
                Assert.Equal(e.Numerators, actual.Value.Numerators);
            }
        }
        Assert.True(onStack > 150 && inBig > 100 && resolved > 800 && inconsistent > 50 && wider > 50,
            $"{onStack} on the stack, {inBig} in BigInteger, {resolved} resolved, {inconsistent} inconsistent, {wider} wider right-hand sides");
    }

    [Fact]
    public void SignsOfWide128BitRowsAtShortPointsAreExact()
    {
        var random = new Random(13);
        int zeros = 0;
        for (int trial = 0; trial < 6000; trial++)
        {
            int d = random.Next(1, 7);
            var x = Enumerable.Range(0, d).Select(_ => new Rational(Boundary(random, random.Next(0, 40)), BigInteger.One << random.Next(0, 20))).ToArray();
            var row = Enumerable.Range(0, d + 1).Select(_ => (Int128)Boundary(random, random.Next(0, 126) / (random.Next(2) + 1))).ToArray();
            // Often exactly on the hyperplane, or one unit of the common denominator off it (where the filter cannot decide).
            BigInteger q = x.Aggregate(BigInteger.One, (a, v) => a * v.Denominator / BigInteger.GreatestCommonDivisor(a, v.Denominator));
            var scaled = Enumerable.Range(0, d).Aggregate(BigInteger.Zero, (s, i) => s + (BigInteger)row[i] * (x[i] * q).Numerator);
            if (random.Next(2) == 0 && scaled % q == 0 && BigInteger.Abs(scaled / q) < (BigInteger.One << 120))
                row[d] = (Int128)(-scaled / q + random.Next(-1, 2));
            var exact = Enumerable.Range(0, d).Aggregate((Rational)(BigInteger)row[d], (s, i) => s + (BigInteger)row[i] * x[i]);
            if (exact.IsZero) zeros++;
            Assert.Equal(exact.Sign, new ExactPoint(x).Sign(row));
        }
        Assert.True(zeros > 100, $"{zeros} points on their hyperplane");
    }

    /// <summary>A random value of about <paramref name="bits"/> bits, often exactly at ±2^bits or one off it, either sign.</summary>
    private static BigInteger Boundary(Random random, int bits)
    {
        BigInteger v = random.Next(4) switch
        {
            0 => BigInteger.One << bits,
            1 => (BigInteger.One << bits) - 1,
            _ => RandomBits(random, bits),
        };
        return random.Next(2) == 0 ? v : -v;
    }

    private static BigInteger RandomBits(Random random, int bits)
    {
        var bytes = new byte[bits / 8 + 2];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        return new BigInteger(bytes) >> (bytes.Length * 8 - 8 - bits);
    }
}
