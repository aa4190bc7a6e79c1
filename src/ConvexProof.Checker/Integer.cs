namespace ConvexProof.Checker;

/// <summary>
/// An exact integer: an Int128 when it fits, a BigInteger otherwise (like <see cref="Rational"/>'s two
/// forms, and canonical the same way: a value is small exactly when it fits, so equal values have
/// equal fields). The small form is held as two 64-bit halves rather than an Int128 field, which
/// keeps the struct at 24 bytes (an Int128 field is 16-byte aligned). Short decimal weights keep
/// every map far inside it; float32 weights (24-bit mantissas times powers of two) give maps of up
/// to about 110 bits on three hidden layers, still small. Either way there is no object per number
/// for the garbage collector to trace, and integers need no gcd in either form.
/// </summary>
internal readonly struct Integer : IEquatable<Integer>
{
    private readonly ulong _lo;    // the value is _hi·2^64 + _lo (two's complement) when _big is null
    private readonly long _hi;
    private readonly Big? _big;    // the value when it does not fit in an Int128

    private sealed record Big(BigInteger Value);

    private Integer(Int128 v) => (_lo, _hi, _big) = ((ulong)v, (long)(v >> 64), null);
    private Integer(BigInteger v) => (_lo, _hi, _big) = (0, 0, new Big(v));

    private bool IsSmall => _big is null;
    private Int128 Small => new((ulong)_hi, _lo);
    public bool IsZero => _big is null && (_lo | (ulong)_hi) == 0;
    public int Sign => _big is not null ? _big.Value.Sign : _hi < 0 ? -1 : (_lo | (ulong)_hi) != 0 ? 1 : 0;
    public BigInteger Value => _big?.Value ?? (BigInteger)Small;

    public static implicit operator Integer(long v) => new((Int128)v);

    public static implicit operator Integer(Int128 v) => new(v);

    /// <summary>GetBitLength excludes the sign bit: the value fits in an Int128 exactly when it is ≤ 127.</summary>
    public static implicit operator Integer(BigInteger v) => v.GetBitLength() <= 127 ? new((Int128)v) : new(v);

    /// <summary>The small form as a long, when it fits in one (then the products of two need no overflow test).</summary>
    public bool IsLong => _big is null && _hi == (long)_lo >> 63;

    public static explicit operator long(Integer v) => v.IsLong ? (long)v._lo : throw new OverflowException("the integer does not fit in a long");

    // The operators are inlined into the hot loops; what leaves the small form is done apart, in BigInteger.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Integer operator +(Integer a, Integer b)
    {
        if (a.IsSmall && b.IsSmall)
        {
            Int128 x = a.Small, y = b.Small, sum = x + y;
            if (((x ^ sum) & (y ^ sum)) >= 0) return new Integer(sum); // else both signs differ from the sum's: overflow
        }
        return FromBig(a.Value + b.Value);
    }

    public static Integer operator -(Integer a) => a.IsSmall && a.Small != Int128.MinValue ? new Integer(-a.Small) : FromBig(-a.Value);

    public static Integer operator -(Integer a, Integer b) => a + -b;

    /// <summary>A product fits when the upper half of its 256 bits is the lower half's sign extension.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Integer operator *(Integer a, Integer b)
    {
        if (a.IsLong && b.IsLong) return new Integer(Math.BigMul((long)a._lo, (long)b._lo));
        if (a.IsSmall && b.IsSmall)
        {
            Int128 high = Multiply(a.Small, b.Small, out UInt128 low);
            if (high == (Int128)low >> 127) return new Integer((Int128)low);
        }
        return FromBig(a.Value * b.Value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Integer FromBig(BigInteger v) => v;

    /// <summary>
    /// x·y exactly, as high·2^128 + low with low unsigned. The schoolbook product of the unsigned
    /// 64-bit halves gives the 256-bit product of the two's-complement bit patterns X = x + 2^128·[x &lt; 0]
    /// (and Y likewise); X·Y = x·y + 2^128·([x &lt; 0]·y + [y &lt; 0]·x) modulo 2^256, so subtracting
    /// those terms from the upper half leaves x·y, whose upper half lies in [−2^126, 2^126].
    /// (Int128.BigMul computes the same, but is not inlined and starts unoptimized in a cold process.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Int128 Multiply(Int128 x, Int128 y, out UInt128 low)
    {
        ulong x0 = (ulong)x, x1 = (ulong)(x >> 64), y0 = (ulong)y, y1 = (ulong)(y >> 64);
        ulong h00 = Math.BigMul(x0, y0, out ulong l00), h01 = Math.BigMul(x0, y1, out ulong l01);
        ulong h10 = Math.BigMul(x1, y0, out ulong l10), h11 = Math.BigMul(x1, y1, out ulong l11);
        UInt128 middle = (UInt128)h00 + l01 + l10; // bits 64…127 of X·Y and the carry beyond them (< 3·2^64)
        low = new UInt128((ulong)middle, l00);
        UInt128 high = new UInt128(h11, l11) + h01 + h10 + (ulong)(middle >> 64);
        return (Int128)high - ((x >> 127) & y) - ((y >> 127) & x);
    }

    public bool Equals(Integer other) => _big is null
        ? other._big is null && _lo == other._lo && _hi == other._hi
        : other._big is not null && _big.Value == other._big.Value;
    public override bool Equals(object? obj) => obj is Integer other && Equals(other);
    public override int GetHashCode() => _big?.Value.GetHashCode() ?? HashCode.Combine(_lo, _hi);
    public static bool operator ==(Integer a, Integer b) => a.Equals(b);
    public static bool operator !=(Integer a, Integer b) => !a.Equals(b);
    public override string ToString() => Value.ToString();

    private static readonly Int128 HighLimit = Int128.One << 125;

    /// <summary>
    /// The sign of Σ a_i·b_i over the common length, exactly. While every factor is small, the sum
    /// is kept in 256-bit two's complement, high·2^128 + low with low unsigned: a product of two
    /// Int128 values has magnitude ≤ 2^254, so its upper half is in [−2^126, 2^126], and while
    /// |high| &lt; 2^125 before an addition, high + upper half + carry cannot overflow. Otherwise
    /// (a big factor, or a sum that large) the whole sum is redone in BigInteger.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SignOfDot(ReadOnlySpan<Integer> a, ReadOnlySpan<Integer> b)
    {
        Int128 high = 0;
        UInt128 low = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].IsSmall || !b[i].IsSmall || high >= HighLimit || high < -HighLimit) return Dot(a, b).Sign;
            Int128 productHigh;
            UInt128 productLow;
            if (a[i].IsLong && b[i].IsLong)
            {
                Int128 product = Math.BigMul((long)a[i]._lo, (long)b[i]._lo); // fits: no upper half but its sign
                (productHigh, productLow) = (product >> 127, (UInt128)product);
            }
            else productHigh = Multiply(a[i].Small, b[i].Small, out productLow);
            UInt128 next = low + productLow;
            high += productHigh + (next < low ? 1 : 0); // the carry out of the low halves
            low = next;
        }
        return high < 0 ? -1 : high > 0 || low != 0 ? 1 : 0;
    }

    /// <summary>Σ a_i·b_i over the common length, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BigInteger Dot(ReadOnlySpan<Integer> a, ReadOnlySpan<Integer> b)
    {
        BigInteger sum = BigInteger.Zero;
        for (int i = 0; i < a.Length; i++) if (!a[i].IsZero && !b[i].IsZero) sum += a[i].Value * b[i].Value;
        return sum;
    }

    /// <summary>
    /// gcd(a, b) = 1 for b &gt; 0: when both fit in 128 bits, the binary gcd (shifts and subtractions;
    /// 128-bit division is slow, done in software), else BigInteger's.
    /// </summary>
    public static bool Coprime(Integer a, Integer b)
    {
        if (!a.IsSmall || !b.IsSmall || a.Small == Int128.MinValue) return BigInteger.GreatestCommonDivisor(a.Value, b.Value).IsOne;
        UInt128 x = (UInt128)Int128.Abs(a.Small), y = (UInt128)b.Small;
        if (x == 0 || ((x | y) & 1) == 0) return x == 0 && y == 1; // gcd(0, b) = b; both even: 2 divides both
        for (x >>= (int)UInt128.TrailingZeroCount(x); y != 0; y -= x) // x odd, and stays the odd part of the gcd
            if ((y >>= (int)UInt128.TrailingZeroCount(y)) < x) (x, y) = (y, x);
        return x == 1;
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

    /// <summary>The sign of c(x) for x = ξ/X given as (ξ, X): Scale·X·c(x) = Sign·Σ Z_i·(ξ, X)_i, with Scale, X &gt; 0.</summary>
    public int SignAt(Integer[] x) => Sign * Integer.SignOfDot(Z, x);

    /// <summary>c(x), for messages.</summary>
    public Rational ValueAt(Rational[] x)
    {
        var value = Coefficient(x.Length);
        for (int i = 0; i < x.Length; i++) value += Coefficient(i) * x[i];
        return value;
    }

    /// <summary>x_axis − value (lower) or value − x_axis (upper), over the value's denominator q: (±q·x_axis ∓ p) / q.</summary>
    public static IntegerRow Face(int dimension, int axis, Rational value, bool upper)
    {
        var z = new Integer[dimension + 1];
        z[axis] = upper ? -value.Denominator : value.Denominator;
        z[dimension] = upper ? value.Numerator : -value.Numerator;
        return new IntegerRow(z, 1, value.Denominator);
    }
}
