using System.Numerics;

namespace ConvexProof.Numbers;

/// <summary>
/// The few operations the integer fast path needs on its integer type T (64-bit or BigInteger),
/// written once. Checked arithmetic on T throws <see cref="OverflowException"/> for 64-bit values
/// that do not fit, and never for BigInteger.
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
        if (v < long.MinValue + 1L || v > long.MaxValue) // MinValue excluded: −v must fit too
        {
            result = default;
            return false;
        }
        result = T.CreateTruncating((long)v);
        return true;
    }

    public static BigInteger ToBig<T>(T v) where T : struct, IBinaryInteger<T> =>
        typeof(T) == typeof(BigInteger) ? (BigInteger)(object)v : BigInteger.CreateTruncating(v);

    public static Rational ToRational<T>(T v) where T : struct, IBinaryInteger<T> => ToBig(v);

    public static double ToDouble<T>(T v) where T : struct, IBinaryInteger<T> => double.CreateTruncating(v);

    /// <summary>gcd(|a|, |b|) (checked: a 64-bit value whose magnitude does not fit throws).</summary>
    public static T Gcd<T>(T a, T b) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        if (typeof(T) == typeof(BigInteger))
            return (T)(object)BigInteger.GreatestCommonDivisor((BigInteger)(object)a, (BigInteger)(object)b);
        a = T.Abs(a);
        b = T.Abs(b);
        while (!T.IsZero(b)) (a, b) = (b, a % b);
        return a;
    }

    /// <summary>Bits of the largest magnitude in a row (at least 1).</summary>
    public static long MaxBits<T>(T[] row) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        long bits = 1;
        foreach (var v in row)
        {
            long b = typeof(T) == typeof(BigInteger)
                ? (long)BigInteger.Abs((BigInteger)(object)v).GetBitLength()
                : 64 - BitOperations.LeadingZeroCount((ulong)Math.Abs(Math.Max(long.CreateTruncating(v), long.MinValue + 1)));
            if (b > bits) bits = b;
        }
        return bits;
    }
}
