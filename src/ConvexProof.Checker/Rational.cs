using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvexProof.Checker;

/// <summary>
/// The checker's own exact rational: always reduced, denominator positive. It is deliberately a
/// separate implementation from the engine's, so a bug there cannot hide a bug here.
/// Values whose numerator and denominator fit in 64 bits are kept as two longs and computed with
/// exact 128-bit intermediates (most certificate numbers are small; BigInteger costs ~1 µs per
/// operation even then); anything larger moves to BigInteger. The form is canonical: a value is
/// small exactly when it fits, so equal values have equal fields.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    private readonly long _n, _d;  // small form (when _big is null); _d == 0 only in default(Rational) = 0
    private readonly Big? _big;    // large form, reduced, D > 0

    private sealed class Big(BigInteger n, BigInteger d)
    {
        public readonly BigInteger N = n, D = d;
    }

    public static readonly Rational Zero;
    public static readonly Rational One = new(1, 1, null);

    private Rational(long n, long d, Big? big)
    {
        _n = n;
        _d = d;
        _big = big;
    }

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("rational with zero denominator");
        if (denominator.Sign < 0) { numerator = -numerator; denominator = -denominator; }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!g.IsOne && !g.IsZero) { numerator /= g; denominator /= g; }
        this = FromReduced(numerator, numerator.IsZero ? BigInteger.One : denominator);
    }

    public BigInteger Numerator => _big?.N ?? _n;
    public BigInteger Denominator => _big?.D ?? (_d == 0 ? 1 : _d);
    public int Sign => _big is null ? Math.Sign(_n) : _big.N.Sign;
    public bool IsZero => _big is null && _n == 0;

    public static implicit operator Rational(long value) =>
        value == long.MinValue ? FromReduced(value, BigInteger.One) : new(value, 1, null);

    /// <summary>Builds a reduced value (den &gt; 0, gcd 1), in the small form whenever it fits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Rational FromReduced(BigInteger num, BigInteger den) =>
        num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue
            ? new((long)num, (long)den, null)
            : new(0, 1, new Big(num, den));

    /// <summary>Reduces num/den (den &gt; 0) computed exactly in 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Rational FromInt128(Int128 num, Int128 den)
    {
        if (num == 0) return Zero;
        if (den == 1 && num > long.MinValue && num <= long.MaxValue) return new((long)num, 1, null);
        var g = Gcd(UInt128.CreateTruncating(Int128.Abs(num)), UInt128.CreateTruncating(den));
        if (g != 1) { num /= (Int128)g; den /= (Int128)g; }
        return num > long.MinValue && num <= long.MaxValue && den <= long.MaxValue
            ? new((long)num, (long)den, null)
            : new(0, 1, new Big((BigInteger)num, (BigInteger)den));
    }

    private long D => _d == 0 ? 1 : _d;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rational operator -(Rational a) =>
        a._big is null && a._n != long.MinValue ? new(-a._n, a.D, null) : FromReduced(-a.Numerator, a.Denominator);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rational operator +(Rational a, Rational b)
    {
        if (a.IsZero) return b;
        if (b.IsZero) return a;
        if (a._big is null && b._big is null)
            return a.D == b.D ? FromInt128((Int128)a._n + b._n, a.D) : FromInt128((Int128)a._n * b.D + (Int128)b._n * a.D, (Int128)a.D * b.D);
        // Knuth's addition: only gcds of denominator-sized numbers, and the result comes out reduced.
        BigInteger an = a.Numerator, ad = a.Denominator, bn = b.Numerator, bd = b.Denominator;
        var g = BigInteger.GreatestCommonDivisor(ad, bd);
        if (g.IsOne) return FromReduced(an * bd + bn * ad, ad * bd);
        var t = an * (bd / g) + bn * (ad / g);
        if (t.IsZero) return Zero;
        var g2 = BigInteger.GreatestCommonDivisor(t, g);
        return FromReduced(t / g2, (ad / g) * (bd / g2));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rational operator -(Rational a, Rational b) => a + (-b);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rational operator *(Rational a, Rational b)
    {
        if (a.IsZero || b.IsZero) return Zero;
        if (a._big is null && b._big is null) return FromInt128((Int128)a._n * b._n, (Int128)a.D * b.D);
        // Cross-reduce: the product of reduced parts is reduced.
        BigInteger an = a.Numerator, ad = a.Denominator, bn = b.Numerator, bd = b.Denominator;
        var g1 = BigInteger.GreatestCommonDivisor(an, bd);
        var g2 = BigInteger.GreatestCommonDivisor(bn, ad);
        return FromReduced((an / g1) * (bn / g2), (ad / g2) * (bd / g1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rational operator /(Rational a, Rational b)
    {
        if (b.IsZero) throw new DivideByZeroException("division of a rational by zero");
        var reciprocal = b.Sign > 0 ? FromReduced(b.Denominator, b.Numerator) : FromReduced(-b.Denominator, -b.Numerator);
        return a * reciprocal;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int CompareTo(Rational other)
    {
        int sa = Sign, sb = other.Sign;
        if (sa != sb) return sa.CompareTo(sb);
        if (_big is null && other._big is null) return ((Int128)_n * other.D).CompareTo((Int128)other._n * D);
        return (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Equals(Rational other) => _big is null
        ? other._big is null && _n == other._n && D == other.D
        : other._big is not null && _big.N == other._big.N && _big.D == other._big.D;

    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => _big is null ? HashCode.Combine(_n, D) : HashCode.Combine(_big.N, _big.D);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    /// <summary>The canonical text of docs/formats.md: "n" for integers, else "p/q" reduced with q &gt; 1.</summary>
    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Accepts exactly the canonical spelling (no '+', no leading zeros, no "-0", q &gt; 1, gcd 1),
    /// so every value has one spelling and a certificate cannot smuggle in an unreduced form.
    /// </summary>
    public static bool TryParseCanonical(string text, out Rational value) =>
        TryParseCanonical(System.Text.Encoding.UTF8.GetBytes(text), out value);

    /// <summary>The same, on UTF-8 bytes (certificates are read without allocating a string per number).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseCanonical(ReadOnlySpan<byte> text, out Rational value)
    {
        value = Zero;
        int slash = text.IndexOf((byte)'/');
        if (slash < 0)
        {
            if (!TryParseInteger(text, allowSign: true, out var n)) return false;
            value = FromReduced(n, BigInteger.One);
            return true;
        }
        if (!TryParseInteger(text[..slash], allowSign: true, out var p) || !TryParseInteger(text[(slash + 1)..], allowSign: false, out var q))
            return false;
        if (p.IsZero || q <= BigInteger.One || !BigInteger.GreatestCommonDivisor(p, q).IsOne) return false;
        value = FromReduced(p, q);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseInteger(ReadOnlySpan<byte> s, bool allowSign, out BigInteger value)
    {
        value = BigInteger.Zero;
        int start = allowSign && s.Length > 0 && s[0] == '-' ? 1 : 0;
        if (start == s.Length) return false;
        if (s[start] == '0' && (s.Length > start + 1 || start == 1)) return false; // leading zero or "-0"
        foreach (byte c in s[start..]) if (c < '0' || c > '9') return false;
        // Chunks of up to 38 digits are exact in a UInt128; longer numbers combine them, most significant first.
        int length = (s.Length - start - 1) % 38 + 1;
        for (int i = start; i < s.Length; i += length, length = 38)
        {
            UInt128 chunk = 0;
            foreach (byte c in s.Slice(i, length)) chunk = chunk * 10 + (uint)(c - '0');
            value = i == start ? chunk : value * ChunkBase + chunk;
        }
        if (start == 1) value = -value;
        return true;
    }

    private static readonly BigInteger ChunkBase = BigInteger.Pow(10, 38);

    /// <summary>gcd by Euclid down to 64 bits, then the binary algorithm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static UInt128 Gcd(UInt128 a, UInt128 b)
    {
        while (b > ulong.MaxValue) (a, b) = (b, a % b);
        if (b == 0) return a;
        ulong y = (ulong)b, x = a <= ulong.MaxValue ? (ulong)a % y : (ulong)(a % b);
        if (x == 0) return y;
        int shift = BitOperations.TrailingZeroCount(x | y);
        x >>= BitOperations.TrailingZeroCount(x);
        do
        {
            y >>= BitOperations.TrailingZeroCount(y);
            if (x > y) (x, y) = (y, x);
            y -= x;
        } while (y != 0);
        return x << shift;
    }
}
