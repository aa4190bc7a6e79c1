using System.Numerics;
using System.Runtime.CompilerServices;
using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// A rational point written over one common denominator, x = N/q (q &gt; 0), for fast exact sign tests
/// of integer affine functions: sign(g·x + h) = sign(g·N + h·q). Uses 128-bit integer arithmetic
/// when the numbers fit (unchecked only where the magnitudes prove no overflow is possible) and
/// BigInteger otherwise.
/// </summary>
public sealed class ExactPoint
{
    private BigInteger[]? _num;
    private BigInteger _den;
    private bool _smallTried;
    private long[]? _smallNum;
    private long _smallDen;
    private int _smallBits; // max bit length of the small numerators and denominator

    /// <summary>The point (not copied: the caller must not change the array afterwards).</summary>
    public ExactPoint(Rational[] x) => Coordinates = x;

    /// <summary>The common-denominator form in 63 bits, computed on first use (the filter often makes it unnecessary).</summary>
    private long[]? Small
    {
        get
        {
            if (_smallTried) return _smallNum;
            _smallTried = true;
            if (TrySmall(Coordinates, out _smallNum, out _smallDen))
            {
                long max = _smallDen;
                foreach (var v in _smallNum!) max |= Math.Abs(v);
                _smallBits = 64 - BitOperations.LeadingZeroCount((ulong)max);
            }
            return _smallNum;
        }
    }

    public Rational[] Coordinates { get; }

    private double[]? _approximation;

    /// <summary>The coordinates as doubles, each within 4u of the exact value (for <see cref="SignFilter"/>).</summary>
    public double[] Approximation => _approximation ??= Approximate(Coordinates);

    private static double[] Approximate(Rational[] x)
    {
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++) result[i] = SignFilter.Input(x[i]);
        return result;
    }

    private void Big()
    {
        if (_num is not null) return;
        _num = Integers.OverCommonDenominator(Coordinates, out _den);
    }

    /// <summary>Common denominator and numerators in 63 bits, when they fit (the usual case).</summary>
    private static bool TrySmall(IReadOnlyList<Rational> x, out long[]? num, out long den)
    {
        num = null;
        den = 1;
        foreach (var v in x)
        {
            if (v.Denominator >= long.MaxValue) return false;
            long q = (long)v.Denominator;
            if (!Integers.TryMultiply(den / Gcd(den, q), q, out den)) return false;
        }
        var result = new long[x.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var n = x[i].Numerator * (den / (long)x[i].Denominator);
            if (n >= long.MaxValue || n <= long.MinValue) return false;
            result[i] = (long)n;
        }
        num = result;
        return true;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return Math.Abs(a);
    }

    /// <summary>sign(g·x + h) for an integer row [g, h] of any integer type.</summary>
    /// <remarks><paramref name="approximateRow"/>, when given, is the row as doubles (each entry within 4u) for the filter.</remarks>
    public int Sign<T>(T[] row, double[]? approximateRow = null) where T : struct, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(long)) return Sign(Unsafe.As<T[], long[]>(ref row));
        if (approximateRow is not null ? SignFilter.TrySign(approximateRow, Approximation, out int sign)
            : SignFilter.TrySign(row, Approximation, out sign)) return sign;
        if (typeof(T) == typeof(Int128) && Small is not null) return Sign(Unsafe.As<T[], Int128[]>(ref row));
        return ScaledValue(row).Sign;
    }

    /// <summary>
    /// sign(g·N + h·q) for a 128-bit row and the 63-bit common-denominator form, in 256-bit
    /// integers on the stack: each product is below 2^190, and the sum of up to 2^60 of them fits.
    /// (Witnesses lie on their hyperplane, where the filter never decides.)
    /// </summary>
    private int Sign(Int128[] row)
    {
        const int Words = 4;
        Span<ulong> sum = stackalloc ulong[Words], a = stackalloc ulong[Words], b = stackalloc ulong[Words], product = stackalloc ulong[Words];
        FixedWidthIntegers.Set(a, row[^1]);
        FixedWidthIntegers.Set(b, _smallDen);
        FixedWidthIntegers.Multiply(a, b, sum);
        for (int i = 0; i < _smallNum!.Length; i++)
        {
            if (row[i] == 0) continue;
            FixedWidthIntegers.Set(a, row[i]);
            FixedWidthIntegers.Set(b, _smallNum[i]);
            FixedWidthIntegers.Multiply(a, b, product);
            FixedWidthIntegers.Add(sum, product);
        }
        return FixedWidthIntegers.Sign(sum);
    }

    /// <summary>The exact value g·x + h of an integer row of any integer type.</summary>
    public Rational Value<T>(T[] row) where T : struct, IBinaryInteger<T> => new(ScaledValue(row), _den);

    /// <summary>q·(g·x + h) = g·N + h·q in BigInteger (q is the common denominator).</summary>
    private BigInteger ScaledValue<T>(T[] row) where T : struct, IBinaryInteger<T>
    {
        Big();
        BigInteger b = Integers.ToBig(row[^1]) * _den;
        for (int i = 0; i < _num!.Length; i++) if (!T.IsZero(row[i])) b += Integers.ToBig(row[i]) * _num[i];
        return b;
    }

    /// <summary>sign(g·x + h) for a 64-bit integer row [g, h].</summary>
    public int Sign(long[] row)
    {
        if (Small is not null)
        {
            long rowMax = 0;
            foreach (var v in row) rowMax |= v == long.MinValue ? long.MaxValue : Math.Abs(v);
            int rowBits = 64 - BitOperations.LeadingZeroCount((ulong)rowMax);
            // Each product has at most rowBits + _smallBits bits; d + 1 of them cannot overflow 127 bits.
            if (rowBits + _smallBits + 4 <= 126 && row.Length <= 16)
            {
                Int128 s = (Int128)row[^1] * _smallDen;
                for (int i = 0; i < _smallNum!.Length; i++) s += (Int128)row[i] * _smallNum[i];
                return s.CompareTo(Int128.Zero);
            }
        }
        return ScaledValue(row).Sign;
    }
}
