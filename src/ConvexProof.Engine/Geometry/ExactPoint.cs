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
