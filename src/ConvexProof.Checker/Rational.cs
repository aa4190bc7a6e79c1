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

    /// <summary>
    /// The sign of Σ a_t·b_t + c, exactly, in 128-bit integers (see <see cref="TrySum"/>); null
    /// when the values are too large, and the caller computes with rationals. This keeps the hot
    /// checks (Farkas identities, dismissed constraints) free of a gcd per operation.
    /// </summary>
    internal static int? SignOfSum(ReadOnlySpan<Rational> a, ReadOnlySpan<Rational> b, Rational c) =>
        TrySum(a, b, c, out var numerator, out _) ? Int128.Sign(numerator) : null;

    /// <summary>Σ a_t·b_t + c with a single normalization, or null when the values are too large.</summary>
    internal static Rational? SumOfProducts(ReadOnlySpan<Rational> a, ReadOnlySpan<Rational> b, Rational c) =>
        TrySum(a, b, c, out var numerator, out var denominator) ? FromInt128(numerator, denominator) : null;

    /// <summary>n/d for d &gt; 0, reduced.</summary>
    internal static Rational Fraction(long n, long d) => FromInt128(n, d);

    /// <summary>v_t = numerators_t / denominator (the lcm of the denominators); false when a value is large or anything overflows.</summary>
    internal static bool TryCommonDenominator(ReadOnlySpan<Rational> v, Span<long> numerators, out long denominator)
    {
        denominator = 1;
        foreach (var x in v) if (x._big is not null || !Lcm(ref denominator, x.D)) return false;
        for (int t = 0; t < v.Length; t++)
        {
            var n = Product(v[t]._n, denominator / v[t].D);
            if (n < long.MinValue || n > long.MaxValue) return false;
            numerators[t] = (long)n;
        }
        return true;
    }

    /// <summary>
    /// With A = lcm of the a_t's denominators and B = lcm of the b_t's and c's, (Σ a_t·b_t + c)·A·B
    /// is Σ (a_t·A)(b_t·B) + c·A·B, a sum of integer products, computed exactly in 128 bits (false
    /// when a value is large or anything would overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TrySum(ReadOnlySpan<Rational> a, ReadOnlySpan<Rational> b, Rational c, out Int128 numerator, out Int128 denominator)
    {
        numerator = denominator = 0;
        if (c._big is not null) return false;
        long la = 1, lb = c.D;
        for (int t = 0; t < a.Length; t++)
            if (a[t]._big is not null || b[t]._big is not null || !Lcm(ref la, a[t].D) || !Lcm(ref lb, b[t].D)) return false;
        // Each factor below is an exact 128-bit product of two longs; their product must fit too.
        if (!TryProduct(Product(c._n, la), lb / c.D, out var sum)) return false;
        for (int t = 0; t < a.Length; t++)
        {
            if (a[t]._n == 0 || b[t]._n == 0) continue;
            Int128 x = Product(a[t]._n, la / a[t].D), y = Product(b[t]._n, lb / b[t].D);
            if (x < long.MinValue || x > long.MaxValue || !TryProduct(y, (long)x, out var term)) return false;
            var next = sum + term;
            if (((sum ^ next) & (term ^ next)) < 0) return false; // signed overflow of the sum
            sum = next;
        }
        (numerator, denominator) = (sum, Product(la, lb));
        return true;
    }

    private static Int128 Product(long x, long y)
    {
        long high = Math.BigMul(x, y, out long low);
        return new Int128((ulong)high, (ulong)low);
    }

    private static bool TryProduct(Int128 x, long y, out Int128 product)
    {
        if (x >= long.MinValue && x <= long.MaxValue) { product = Product((long)x, y); return true; }
        return TryCheckedProduct(x, y, out product);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryCheckedProduct(Int128 x, long y, out Int128 product)
    {
        product = 0;
        try { product = checked(x * y); return true; }
        catch (OverflowException) { return false; }
    }

    /// <summary>l = lcm(l, d) for positive longs, false on overflow; cheap when one divides the other.</summary>
    private static bool Lcm(ref long l, long d)
    {
        if (l == d || l % d == 0) return true;
        if (d % l == 0) { l = d; return true; }
        long factor = d / (long)Gcd((ulong)l, (ulong)d);
        if (long.LeadingZeroCount(l) + long.LeadingZeroCount(factor) < 65) return false;
        l *= factor;
        return true;
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
        long small = 0;
        for (int i = start; i < s.Length; i++)
        {
            if (s[i] < '0' || s[i] > '9') return false;
            small = small * 10 + (s[i] - '0'); // exact while at most 18 digits
        }
        if (s.Length - start <= 18) { value = start == 1 ? -small : small; return true; }
        value = BigInteger.Parse(System.Text.Encoding.ASCII.GetString(s), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return true;
    }

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
