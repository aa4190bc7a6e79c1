using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// A rational point written over one common denominator, x = N/q (q &gt; 0), for fast exact sign tests
/// of integer affine functions: sign(g·x + h) = sign(g·N + h·q). Uses 128-bit arithmetic when the
/// numbers fit and BigInteger otherwise.
/// </summary>
public sealed class ExactPoint
{
    private readonly BigInteger[] _num;
    private readonly BigInteger _den;
    private readonly long[]? _smallNum;
    private readonly long _smallDen;

    public ExactPoint(IReadOnlyList<Rational> x)
    {
        Coordinates = [.. x];
        if (TrySmall(x, out _smallNum, out _smallDen))
        {
            _den = _smallDen;
            _num = [.. _smallNum!.Select(v => (BigInteger)v)];
            return;
        }
        BigInteger den = BigInteger.One;
        foreach (var v in x) den = den / BigInteger.GreatestCommonDivisor(den, v.Denominator) * v.Denominator;
        _den = den;
        _num = [.. x.Select(v => v.Numerator * (den / v.Denominator))];
        if (den <= long.MaxValue && _num.All(n => n >= long.MinValue && n <= long.MaxValue))
        {
            _smallDen = (long)den;
            _smallNum = [.. _num.Select(n => (long)n)];
        }
    }

    public Rational[] Coordinates { get; }

    /// <summary>Common denominator and numerators in 64 bits, when they fit (the usual case).</summary>
    private static bool TrySmall(IReadOnlyList<Rational> x, out long[]? num, out long den)
    {
        num = null;
        den = 1;
        foreach (var v in x)
        {
            if (v.Denominator > long.MaxValue) return false;
            long q = (long)v.Denominator;
            try
            {
                den = checked(den / Gcd(den, q) * q);
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        var result = new long[x.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var n = x[i].Numerator * (den / (long)x[i].Denominator);
            if (n > long.MaxValue || n < long.MinValue) return false;
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

    /// <summary>sign(g·x + h) for an integer row [g, h].</summary>
    public int Sign(long[] row)
    {
        if (_smallNum is not null)
        {
            try
            {
                Int128 s = checked((Int128)row[^1] * _smallDen);
                for (int i = 0; i < _smallNum.Length; i++)
                    if (row[i] != 0) s = checked(s + (Int128)row[i] * _smallNum[i]);
                return s.CompareTo(Int128.Zero);
            }
            catch (OverflowException)
            {
                // fall through to BigInteger
            }
        }
        BigInteger b = row[^1] * _den;
        for (int i = 0; i < _num.Length; i++) if (row[i] != 0) b += row[i] * _num[i];
        return b.Sign;
    }

    /// <summary>The exact value g·x + h of an integer row.</summary>
    public Rational Value(long[] row)
    {
        BigInteger b = row[^1] * _den;
        for (int i = 0; i < _num.Length; i++) if (row[i] != 0) b += row[i] * _num[i];
        return new Rational(b, _den);
    }

    public double[] ToDoubles() => [.. Coordinates.Select(v => v.ToDouble())];
}
