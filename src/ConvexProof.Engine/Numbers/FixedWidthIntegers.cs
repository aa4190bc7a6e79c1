using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvexProof.Numbers;

/// <summary>
/// Signed integers of a fixed number of 64-bit words (two's complement, least significant word
/// first) in caller-provided spans: arithmetic modulo 2^(64·words), without allocation. It equals
/// exact integer arithmetic as long as every true value fits, |v| &lt; 2^(64·words − 1); the caller
/// proves that bound beforehand (a wrapped value is never detected here). Division is exact
/// division only: by a divisor known to divide the dividend.
/// </summary>
internal static class FixedWidthIntegers
{
    /// <summary>r = v, sign-extended to r's width (v must fit).</summary>
    public static void Set<T>(Span<ulong> r, T v) where T : IBinaryInteger<T>
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(Int128))
        {
            // These write all their bytes, which may be more than a narrow slot holds.
            var wide = Int128.CreateTruncating(v);
            r.Fill(Int128.IsNegative(wide) ? ulong.MaxValue : 0);
            r[0] = (ulong)wide;
            if (r.Length > 1) r[1] = (ulong)(wide >> 64);
            return;
        }
        var bytes = MemoryMarshal.AsBytes(r);
        if (!v.TryWriteLittleEndian(bytes, out int written))
            throw new InvalidOperationException("internal error: a value wider than its fixed-width slot");
        bytes[written..].Fill(T.IsNegative(v) ? (byte)0xFF : (byte)0);
    }

    public static bool IsZero(ReadOnlySpan<ulong> a) => !a.ContainsAnyExcept(0UL);

    public static bool IsNegative(ReadOnlySpan<ulong> a) => (long)a[^1] < 0;

    /// <summary>a = −a.</summary>
    public static void Negate(Span<ulong> a)
    {
        ulong carry = 1;
        for (int i = 0; i < a.Length; i++)
        {
            ulong v = ~a[i] + carry;
            carry = v < carry ? 1UL : 0UL;
            a[i] = v;
        }
    }

    /// <summary>a = a + b.</summary>
    public static void Add(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong carry = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ulong x = a[i] + carry;
            ulong c = x < carry ? 1UL : 0UL;
            ulong sum = x + b[i];
            a[i] = sum;
            carry = c + (sum < x ? 1UL : 0UL);
        }
    }

    /// <summary>The sign of a: −1, 0 or 1.</summary>
    public static int Sign(ReadOnlySpan<ulong> a) => IsNegative(a) ? -1 : IsZero(a) ? 0 : 1;

    /// <summary>a = a − b.</summary>
    public static void Subtract(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ulong x = a[i], d = x - b[i] - borrow;
            borrow = x < b[i] || (x == b[i] && borrow != 0) ? 1UL : 0UL;
            a[i] = d;
        }
    }

    /// <summary>
    /// r = a·b modulo 2^(64·words) (r must not overlap a or b): the product of the magnitudes on
    /// their significant words only (entries are usually far narrower than the width), then the sign.
    /// </summary>
    public static void Multiply(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> r)
    {
        bool negativeA = IsNegative(a), negativeB = IsNegative(b);
        Span<ulong> magnitudes = stackalloc ulong[(negativeA ? a.Length : 0) + (negativeB ? b.Length : 0)];
        scoped ReadOnlySpan<ulong> x = a, y = b;
        if (negativeA)
        {
            var copy = magnitudes[..a.Length];
            a.CopyTo(copy);
            Negate(copy);
            x = copy;
        }
        if (negativeB)
        {
            var copy = magnitudes[^b.Length..];
            b.CopyTo(copy);
            Negate(copy);
            y = copy;
        }
        MultiplyMagnitudes(x[..SignificantWords(x)], y[..SignificantWords(y)], r);
        if (negativeA != negativeB) Negate(r);
    }

    /// <summary>r = a·b modulo 2^(64·r.Length) for unsigned a and b.</summary>
    private static void MultiplyMagnitudes(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> r)
    {
        int n = r.Length;
        r.Clear();
        for (int i = 0; i < a.Length && i < n; i++)
        {
            ulong ai = a[i];
            if (ai == 0) continue;
            ulong carry = 0;
            int j = 0;
            for (; j < b.Length && i + j < n; j++)
            {
                ulong high = Math.BigMul(ai, b[j], out ulong low);
                low += carry;
                if (low < carry) high++;
                ulong sum = r[i + j] + low;
                if (sum < low) high++;
                r[i + j] = sum;
                carry = high;
            }
            if (i + j < n) r[i + j] = carry; // not written yet by an earlier row
        }
    }

    /// <summary>The number of words up to the highest non-zero one of an unsigned value.</summary>
    private static int SignificantWords(ReadOnlySpan<ulong> a)
    {
        int n = a.Length;
        while (n > 0 && a[n - 1] == 0) n--;
        return n;
    }

    /// <summary>
    /// Prepares exact division by d ≠ 0: |d| = 2^shift·o with o odd, o⁻¹ modulo 2^(64·words) in
    /// <paramref name="inverse"/>, and whether d is negative (scratch: 3·words).
    /// </summary>
    public static int PrepareDivisor(ReadOnlySpan<ulong> d, Span<ulong> inverse, Span<ulong> scratch, out bool negative)
    {
        int n = d.Length;
        var odd = scratch[..n];
        d.CopyTo(odd);
        negative = IsNegative(odd);
        if (negative) Negate(odd);
        int shift = TrailingZeroCount(odd);
        ShiftRight(odd, shift);
        InverseOfOdd(odd, inverse, scratch.Slice(n, 2 * n));
        return shift;
    }

    /// <summary>
    /// a = a / d in place, for a divisor d prepared by <see cref="PrepareDivisor"/> that divides a:
    /// |a|/2^shift by a shift, times o⁻¹ on as many words as |a| has (the quotient is no wider), then
    /// the sign (scratch: words).
    /// </summary>
    public static void DivideExact(Span<ulong> a, int shift, bool negativeDivisor, ReadOnlySpan<ulong> inverse, Span<ulong> scratch)
    {
        bool negative = IsNegative(a);
        if (negative) Negate(a);
        ShiftRight(a, shift);
        int words = SignificantWords(a);
        MultiplyMagnitudes(a[..words], inverse[..words], scratch[..words]);
        a.Clear();
        scratch[..words].CopyTo(a);
        if (negative != negativeDivisor) Negate(a);
    }

    private static int TrailingZeroCount(ReadOnlySpan<ulong> a)
    {
        for (int i = 0; i < a.Length; i++)
            if (a[i] != 0) return 64 * i + BitOperations.TrailingZeroCount(a[i]);
        throw new DivideByZeroException("internal error: exact division by zero");
    }

    /// <summary>a = a / 2^shift for a non-negative a.</summary>
    private static void ShiftRight(Span<ulong> a, int shift)
    {
        if (shift == 0) return;
        int n = a.Length, words = shift / 64, bits = shift % 64;
        const ulong fill = 0;
        for (int i = 0; i < n; i++)
        {
            ulong low = i + words < n ? a[i + words] : fill;
            ulong high = i + words + 1 < n ? a[i + words + 1] : fill;
            a[i] = bits == 0 ? low : (low >> bits) | (high << (64 - bits));
        }
    }

    /// <summary>o⁻¹ modulo 2^(64·words) for odd o, by Newton's iteration x ← x·(2 − o·x) (each step doubles the correct low bits).</summary>
    private static void InverseOfOdd(ReadOnlySpan<ulong> odd, Span<ulong> inverse, Span<ulong> scratch)
    {
        int n = odd.Length;
        ulong x = odd[0]; // correct modulo 2^3
        for (int i = 0; i < 5; i++) x *= 2 - odd[0] * x; // 3 → 96 ≥ 64 bits
        inverse.Clear();
        inverse[0] = x;
        var t = scratch[..n];
        var next = scratch.Slice(n, n);
        for (int correct = 1; correct < n; correct *= 2)
        {
            int m = Math.Min(n, 2 * correct); // this step is correct modulo 2^(64·m): compute modulo that
            Multiply(odd[..m], inverse[..m], t[..m]); // o·x ≡ 1 modulo 2^(64·correct)
            Negate(t[..m]);
            AddTwo(t[..m]); // 2 − o·x
            Multiply(inverse[..m], t[..m], next[..m]);
            next[..m].CopyTo(inverse);
        }
    }

    private static void AddTwo(Span<ulong> a)
    {
        ulong carry = 2;
        for (int i = 0; i < a.Length && carry != 0; i++)
        {
            ulong v = a[i] + carry;
            carry = v < carry ? 1UL : 0UL;
            a[i] = v;
        }
    }

    public static BigInteger ToBigInteger(ReadOnlySpan<ulong> a) =>
        new(MemoryMarshal.AsBytes(a), isUnsigned: false, isBigEndian: false);
}
