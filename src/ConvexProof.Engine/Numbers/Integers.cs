using System.Numerics;

namespace ConvexProof.Numbers;

/// <summary>
/// The few operations the integer path needs on its integer type T (64-bit, 128-bit or
/// BigInteger), written once. Arithmetic that can leave a fixed-width T is a Try… method that says
/// so (false or null) instead of throwing; for BigInteger it always succeeds.
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

    /// <summary>lcm(a, b) for a, b &gt; 0.</summary>
    public static BigInteger Lcm(BigInteger a, BigInteger b) => b.IsOne ? a : a / BigInteger.GreatestCommonDivisor(a, b) * b;

    /// <summary>The values as integers over their least common denominator q &gt; 0: v_i = result[i] / q.</summary>
    public static BigInteger[] OverCommonDenominator(IReadOnlyList<Rational> values, out BigInteger denominator)
    {
        var q = BigInteger.One;
        foreach (var v in values) q = Lcm(q, v.Denominator);
        var numerators = new BigInteger[values.Count];
        for (int i = 0; i < numerators.Length; i++) numerators[i] = values[i].Numerator * (q / values[i].Denominator);
        denominator = q;
        return numerators;
    }

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

    /// <summary>−v, or false when it does not fit T (only the most negative fixed-width value).</summary>
    public static bool TryNegate<T>(T v, out T result) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        bool mostNegative = typeof(T) == typeof(long) ? (long)(object)v == long.MinValue
            : typeof(T) == typeof(Int128) && (Int128)(object)v == Int128.MinValue;
        if (mostNegative)
        {
            result = default;
            return false;
        }
        result = -v;
        return true;
    }

    /// <summary>−row entry by entry, or null when an entry does not fit T.</summary>
    public static T[]? TryNegate<T>(T[] row) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        var result = new T[row.Length];
        for (int i = 0; i < result.Length; i++) if (!TryNegate(row[i], out result[i])) return null;
        return result;
    }

    /// <summary>a + b, or false when the sum does not fit T.</summary>
    public static bool TryAdd<T>(T a, T b, out T result) where T : struct, IBinaryInteger<T>
    {
        result = unchecked(a + b);
        if (typeof(T) == typeof(BigInteger)) return true;
        // Two's complement: overflow iff both operands have the sign the sum does not.
        return !(T.IsNegative(a) == T.IsNegative(b) && T.IsNegative(result) != T.IsNegative(a));
    }

    /// <summary>a·b, or false when the product does not fit T.</summary>
    public static bool TryMultiply<T>(T a, T b, out T result) where T : struct, IBinaryInteger<T> =>
        TryMultiplyAdd(T.Zero, a, b, out result);

    /// <summary>acc + a·b, or false when the product or the sum does not fit T.</summary>
    public static bool TryMultiplyAdd<T>(T acc, T a, T b, out T result) where T : struct, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(long))
        {
            long high = Math.BigMul((long)(object)a, (long)(object)b, out long low);
            bool fits = (high == low >> 63) & TryAdd((long)(object)acc, low, out long sum);
            result = (T)(object)sum;
            return fits;
        }
        if (typeof(T) == typeof(Int128))
        {
            Int128 high = Int128.BigMul((Int128)(object)a, (Int128)(object)b, out Int128 low);
            bool fits = (high == low >> 127) & TryAdd((Int128)(object)acc, low, out Int128 sum);
            result = (T)(object)sum;
            return fits;
        }
        if (typeof(T) == typeof(BigInteger))
        {
            result = acc + a * b;
            return true;
        }
        throw new NotSupportedException($"integer type {typeof(T).Name}");
    }
}
