using System.Numerics;

namespace ConvexProof.Numbers;

/// <summary>
/// The few operations the integer fast path needs on its integer type T (64-bit, 128-bit or
/// BigInteger), written once. Checked arithmetic on T throws <see cref="OverflowException"/> for
/// fixed-width values that do not fit, and never for BigInteger.
/// </summary>
public static class Integers
{
    /// <summary>v as a T, or false when it does not fit.</summary>
    public static bool TryFrom<T>(BigInteger v, out T result) where T : struct, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(BigInteger))
        {
            result = (T)(object)v;
            return true;
        }
        // The most negative value is excluded so that −v always fits too.
        if (typeof(T) == typeof(Int128) ? v <= (BigInteger)Int128.MinValue || v > (BigInteger)Int128.MaxValue
            : v <= long.MinValue || v > long.MaxValue)
        {
            result = default;
            return false;
        }
        result = T.CreateTruncating(v);
        return true;
    }

    public static BigInteger ToBig<T>(T v) where T : struct, IBinaryInteger<T> =>
        typeof(T) == typeof(BigInteger) ? (BigInteger)(object)v : BigInteger.CreateTruncating(v);

    public static Rational ToRational<T>(T v) where T : struct, IBinaryInteger<T> => ToBig(v);

    /// <summary>v as a double, within 4u relatively (u = 2^-53), as the sign filter of the geometry layer assumes.</summary>
    public static double ToDouble<T>(T v) where T : struct, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(long)) return (long)(object)v;
        if (typeof(T) == typeof(Int128)) return ToDouble((Int128)(object)v);
        return double.CreateTruncating(v);
    }

    /// <summary>
    /// 128-bit to double without the slow general conversion: exact below 2^63, else the two 64-bit
    /// halves of |v| each rounded once and added (three roundings, no cancellation: within 3u).
    /// </summary>
    private static double ToDouble(Int128 v)
    {
        if (v >= long.MinValue && v <= long.MaxValue) return (long)v;
        bool negative = v < 0;
        var magnitude = negative ? (UInt128)(-v) : (UInt128)v; // −MinValue wraps to 2^127 as UInt128, still exact
        double d = (ulong)(magnitude >> 64) * 18446744073709551616.0 + (ulong)magnitude;
        return negative ? -d : d;
    }

    /// <summary>
    /// The low 128 bits of w·h in two's complement: the exact product whenever it fits (the caller
    /// guarantees that). One hardware 64×64 multiplication instead of the general 128×128 one:
    /// w·h ≡ w·lo + (w·hi mod 2^64)·2^64 with h = hi·2^64 + lo, and for w &lt; 0 the unsigned product
    /// (w + 2^64)·lo carries an extra lo·2^64.
    /// </summary>
    public static Int128 MultiplyLow(long w, Int128 h)
    {
        ulong lo = (ulong)h, hi = (ulong)(h >> 64);
        ulong productHigh = Math.BigMul((ulong)w, lo, out ulong productLow);
        productHigh += unchecked((ulong)w * hi);
        if (w < 0) productHigh -= lo;
        return new Int128(productHigh, productLow);
    }

    /// <summary>gcd(|a|, |b|) (checked: a 64-bit value whose magnitude does not fit throws).</summary>
    public static T Gcd<T>(T a, T b) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        if (typeof(T) == typeof(BigInteger))
            return (T)(object)BigInteger.GreatestCommonDivisor((BigInteger)(object)a, (BigInteger)(object)b);
        if (typeof(T) == typeof(Int128))
            return (T)(object)(Int128)BinaryGcd((UInt128)Int128.Abs((Int128)(object)a), (UInt128)Int128.Abs((Int128)(object)b));
        a = T.Abs(a);
        b = T.Abs(b);
        while (!T.IsZero(b)) (a, b) = (b, a % b);
        return a;
    }

    /// <summary>Stein's binary gcd: shifts and subtractions only (128-bit division is slow).</summary>
    private static UInt128 BinaryGcd(UInt128 a, UInt128 b)
    {
        if (a == 0) return b;
        if (b == 0) return a;
        int shift = (int)UInt128.TrailingZeroCount(a | b);
        a >>= (int)UInt128.TrailingZeroCount(a);
        while (b != 0)
        {
            b >>= (int)UInt128.TrailingZeroCount(b);
            if (a > b) (a, b) = (b, a);
            b -= a;
        }
        return a << shift;
    }
}
