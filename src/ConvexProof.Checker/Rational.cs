namespace ConvexProof.Checker;

/// <summary>
/// The checker's own exact rational: always reduced, denominator positive. It is deliberately a
/// separate implementation from the engine's, so a bug there cannot hide a bug here. The checks
/// themselves run on integer rows (<see cref="Integer"/>); rationals are read from the certificate
/// (millions of them), compared, and computed with only for counterexamples, condition values and
/// messages. So the storage has a small form (a value whose numerator and denominator fit in 64 bits
/// is two longs: no BigInteger array per number read), and the arithmetic is plain BigInteger. The
/// form is canonical: a value is small exactly when it fits, so equal values have equal fields.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    /// <summary>Longest text of one certificate number, in characters (docs/formats.md, "Limits").</summary>
    public const int MaxLength = 10_000;

    private readonly long _n, _d;  // small form (when _big is null); _d == 0 only in default(Rational) = 0
    private readonly Big? _big;    // large form, reduced, D > 0

    private sealed record Big(BigInteger N, BigInteger D);

    public static readonly Rational Zero;
    public static readonly Rational One = 1;

    private Rational(long n, long d, Big? big) => (_n, _d, _big) = (n, d, big);

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

    public static implicit operator Rational(long value) => FromReduced(value, 1);

    /// <summary>Builds a reduced value (den &gt; 0, gcd 1), in the small form whenever it fits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Rational FromReduced(Integer num, Integer den) =>
        num.IsLong && num != long.MinValue && den.IsLong ? new((long)num, (long)den, null) : new(0, 1, new Big(num.Value, den.Value));

    public static Rational operator -(Rational a) => FromReduced(-a.Numerator, a.Denominator);

    public static Rational operator +(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + (-b);

    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Equals(Rational other) => _big is null
        ? other._big is null && _n == other._n && (_d == 0 ? 1 : _d) == (other._d == 0 ? 1 : other._d)
        : other._big is not null && _big.N == other._big.N && _big.D == other._big.D;

    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    /// <summary>
    /// For messages: the canonical text ("n" or "p/q"), with a numerator or denominator beyond 200
    /// bits shortened to its first and last 20 digits and its digit count (a full conversion of a
    /// million digits takes tens of seconds; the network hash writes the exact text, NetworkFile).
    /// </summary>
    public override string ToString() => Denominator.IsOne ? Short(Numerator) : $"{Short(Numerator)}/{Short(Denominator)}";

    private static string Short(BigInteger v)
    {
        if (v.GetBitLength() <= 200) return v.ToString(CultureInfo.InvariantCulture);
        var magnitude = BigInteger.Abs(v);
        int e = (int)((v.GetBitLength() - 1) * 0.30102999566398120); // 10^e ≤ 2^(bits−1) ≤ |v| < 2·10^(e+1)
        string head = (magnitude / BigInteger.Pow(10, e - 19)).ToString(CultureInfo.InvariantCulture); // 20 or 21 digits
        string tail = (magnitude % BigInteger.Pow(10, 20)).ToString("D20", CultureInfo.InvariantCulture);
        return $"{(v.Sign < 0 ? "-" : "")}{head[..20]}…{tail} ({e - 19 + head.Length} digits)";
    }

    /// <summary>
    /// Accepts exactly the canonical spelling (no '+', no leading zeros, no "-0", q &gt; 1, gcd 1),
    /// so every value has one spelling and a certificate cannot smuggle in an unreduced form; and at
    /// most <see cref="MaxLength"/> characters, which bounds the (quadratic) parse and gcd per number.
    /// </summary>
    public static bool TryParseCanonical(string text, out Rational value) =>
        TryParseCanonical(System.Text.Encoding.UTF8.GetBytes(text), out value);

    /// <summary>
    /// The same, on UTF-8 bytes (certificates are read without allocating a string per number, and
    /// numbers of up to 38 digits, nearly all of them, are read and tested without a BigInteger).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseCanonical(ReadOnlySpan<byte> text, out Rational value)
    {
        bool canonical = TryParseFraction(text, out var p, out var q) && (!text.Contains((byte)'/') || !p.IsZero && q != 1 && Integer.Coprime(p, q));
        value = canonical ? FromReduced(p, q) : Zero;
        return canonical;
    }

    /// <summary>
    /// "n" (q = 1) or "p/q" with canonical integers p and q &gt; 0, not necessarily reduced: the
    /// spelling of Farkas multipliers, which share their list's denominator (formats.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryParseFraction(ReadOnlySpan<byte> text, out Integer p, out Integer q)
    {
        int slash = text.IndexOf((byte)'/');
        p = q = default;
        return text.Length <= MaxLength && TryParseInteger(slash < 0 ? text : text[..slash], allowSign: true, out p)
            && TryParseInteger(slash < 0 ? "1"u8 : text[(slash + 1)..], allowSign: false, out q) && q.Sign > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseInteger(ReadOnlySpan<byte> s, bool allowSign, out Integer value)
    {
        value = default;
        int start = allowSign && s.Length > 0 && s[0] == '-' ? 1 : 0;
        if (start == s.Length) return false;
        if (s[start] == '0' && (s.Length > start + 1 || start == 1)) return false; // leading zero or "-0"
        foreach (byte c in s[start..]) if (c < '0' || c > '9') return false;
        // Chunks of up to 38 digits are exact in a UInt128; longer numbers combine them, most significant first.
        int length = (s.Length - start - 1) % 38 + 1;
        for (int i = start; i < s.Length; i += length, length = 38)
            value = i == start ? (Int128)Chunk(s.Slice(i, length)) : value * ChunkBase + (Int128)Chunk(s.Slice(i, length));
        if (start == 1) value = -value;
        return true;
    }

    /// <summary>Up to 38 digits, read as two 64-bit halves of at most 19 (one 128-bit product per digit is several times slower).</summary>
    private static UInt128 Chunk(ReadOnlySpan<byte> d) => d.Length <= 19 ? Half(d) : (UInt128)Half(d[..^19]) * 10_000_000_000_000_000_000UL + Half(d[^19..]);

    private static ulong Half(ReadOnlySpan<byte> d) { ulong v = 0; foreach (byte c in d) v = v * 10 + (uint)(c - '0'); return v; }

    private static readonly Integer ChunkBase = (Int128)BigInteger.Pow(10, 38);
}
