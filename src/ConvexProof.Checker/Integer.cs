using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvexProof.Checker;

/// <summary>
/// An exact integer: a long when it fits, a BigInteger otherwise (like <see cref="Rational"/>'s two
/// forms, and canonical the same way: a value is small exactly when it fits, so equal values have
/// equal fields). Short decimal weights keep every map in longs, with no object per number for the
/// garbage collector to trace; float32 weights (24-bit mantissas times powers of two) outgrow 64 bits
/// after a layer or two and continue in BigInteger. Integers need no gcd in either form.
/// </summary>
internal readonly struct Integer : IEquatable<Integer>
{
    private readonly long _small;      // the value, when _big is zero
    private readonly BigInteger _big;  // the value when it does not fit in a long (never zero then)
    private static readonly BigInteger MinLong = long.MinValue, MaxLong = long.MaxValue;

    private Integer(long small, BigInteger big) => (_small, _big) = (small, big);

    private bool IsSmall => _big.IsZero;
    public bool IsZero => IsSmall && _small == 0;
    public int Sign => IsSmall ? Math.Sign(_small) : _big.Sign;
    public BigInteger Value => IsSmall ? _small : _big;

    public static implicit operator Integer(long v) => new(v, BigInteger.Zero);

    public static implicit operator Integer(BigInteger v) =>
        v >= MinLong && v <= MaxLong ? new((long)v, BigInteger.Zero) : new(0, v);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Integer operator +(Integer a, Integer b)
    {
        if (!a.IsSmall || !b.IsSmall) return a.Value + b.Value;
        long sum = unchecked(a._small + b._small);
        return ((a._small ^ sum) & (b._small ^ sum)) >= 0 ? (Integer)sum : (BigInteger)a._small + b._small;
    }

    public static Integer operator -(Integer a) => a.IsSmall && a._small != long.MinValue ? (Integer)(-a._small) : -a.Value;

    public static Integer operator -(Integer a, Integer b) => a + -b;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Integer operator *(Integer a, Integer b)
    {
        if (!a.IsSmall || !b.IsSmall) return a.Value * b.Value;
        long high = Math.BigMul(a._small, b._small, out long low);
        return high == low >> 63 ? (Integer)low : (BigInteger)new Int128((ulong)high, (ulong)low);
    }

    public bool Equals(Integer other) => _small == other._small && _big == other._big;
    public override bool Equals(object? obj) => obj is Integer other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_small, _big);
    public static bool operator ==(Integer a, Integer b) => a.Equals(b);
    public static bool operator !=(Integer a, Integer b) => !a.Equals(b);
    public override string ToString() => Value.ToString();

    /// <summary>
    /// The sign of Σ a_i·b_i over the common length, exactly: in a 128-bit sum while every factor is
    /// small and the sum does not overflow, else the whole sum again in BigInteger.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SignOfDot(ReadOnlySpan<Integer> a, ReadOnlySpan<Integer> b)
    {
        Int128 sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].IsSmall || !b[i].IsSmall) return Dot(a, b).Sign;
            Int128 term = (Int128)a[i]._small * b[i]._small, next = sum + term;
            if (((sum ^ next) & (term ^ next)) < 0) return Dot(a, b).Sign; // signed overflow of the sum
            sum = next;
        }
        return Int128.Sign(sum);
    }

    /// <summary>Σ a_i·b_i over the common length, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BigInteger Dot(ReadOnlySpan<Integer> a, ReadOnlySpan<Integer> b)
    {
        BigInteger sum = BigInteger.Zero;
        for (int i = 0; i < a.Length; i++) if (!a[i].IsZero && !b[i].IsZero) sum += a[i].Value * b[i].Value;
        return sum;
    }

    /// <summary>l = lcm(l, v) for positive l, v; no gcd when one divides the other (the usual case).</summary>
    public static BigInteger Lcm(BigInteger l, BigInteger v) =>
        l == v || (l % v).IsZero ? l : (v % l).IsZero ? v : l / BigInteger.GreatestCommonDivisor(l, v) * v;

    /// <summary>x as integers over one positive denominator X: (ξ_1 … ξ_n, X) with x_i = ξ_i / X.</summary>
    public static Integer[] Homogeneous(Rational[] x)
    {
        var result = new Integer[x.Length + 1];
        BigInteger common = BigInteger.One;
        foreach (var v in x) common = Lcm(common, v.Denominator);
        for (int i = 0; i < x.Length; i++)
            result[i] = x[i].Denominator == common ? x[i].Numerator : x[i].Numerator * (common / x[i].Denominator);
        result[x.Length] = common;
        return result;
    }
}

/// <summary>
/// An affine function c(x) = Sign·(Z·(x, 1)) / Scale held as an integer row Z (d gradient entries,
/// then the constant) over a positive integer scale, with Sign = ±1. Every constraint of a region is
/// one: a unit's map (Z its scaled row, Sign by its pattern bit) or a face of the box or bounds.
/// Rows are immutable and may be shared.
/// </summary>
internal readonly record struct IntegerRow(Integer[] Z, int Sign, BigInteger Scale)
{
    /// <summary>Coefficient i as a reduced rational (for values and messages; the checks use the integers).</summary>
    public Rational Coefficient(int i) => new(Sign * Z[i].Value, Scale);

    /// <summary>x_axis − value (lower) or value − x_axis (upper), over the value's denominator q: (±q·x_axis ∓ p) / q.</summary>
    public static IntegerRow Face(int dimension, int axis, Rational value, bool upper)
    {
        var z = new Integer[dimension + 1];
        z[axis] = upper ? -value.Denominator : value.Denominator;
        z[dimension] = upper ? value.Numerator : -value.Numerator;
        return new IntegerRow(z, 1, value.Denominator);
    }
}
