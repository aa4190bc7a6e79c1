using System.Numerics;

namespace ConvexProof.Numbers;

/// <summary>
/// An exact rational number: always reduced, denominator positive, no NaN or infinity.
/// Every verdict and every certificate value in ConvexProof is computed with this type.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>, ILpNumber<Rational>
{
    private readonly BigInteger _num;
    private readonly BigInteger _den; // 0 only in default(Rational), which means 0/1

    public static readonly Rational Zero = new(BigInteger.Zero, BigInteger.One, reduced: true);
    public static readonly Rational One = new(BigInteger.One, BigInteger.One, reduced: true);
    public static readonly Rational MinusOne = new(BigInteger.MinusOne, BigInteger.One, reduced: true);

    static Rational ILpNumber<Rational>.Zero => Zero;
    static Rational ILpNumber<Rational>.One => One;
    static int ILpNumber<Rational>.SignOf(Rational a) => a.Sign;
    static int ILpNumber<Rational>.Compare(Rational a, Rational b) => a.CompareTo(b);

    private Rational(BigInteger num, BigInteger den, bool reduced)
    {
        _num = num;
        _den = den;
        _ = reduced;
    }

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("rational with zero denominator");
        if (denominator.Sign < 0) { numerator = -numerator; denominator = -denominator; }
        if (numerator.IsZero) { _num = BigInteger.Zero; _den = BigInteger.One; return; }
        if (!denominator.IsOne)
        {
            var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
            if (!g.IsOne) { numerator /= g; denominator /= g; }
        }
        _num = numerator;
        _den = denominator;
    }

    public BigInteger Numerator => _num;
    public BigInteger Denominator => _den.IsZero ? BigInteger.One : _den;
    public int Sign => _num.Sign;
    public bool IsZero => _num.IsZero;
    public bool IsInteger => Denominator.IsOne;

    public static implicit operator Rational(long value) => new(value, BigInteger.One, reduced: true);
    public static implicit operator Rational(BigInteger value) => new(value, BigInteger.One, reduced: true);

    public static Rational operator -(Rational a) => new(-a._num, a.Denominator, reduced: true);

    public static Rational operator +(Rational a, Rational b)
    {
        if (a.IsZero) return b;
        if (b.IsZero) return a;
        BigInteger ad = a.Denominator, bd = b.Denominator;
        if (ad.IsOne && bd.IsOne) return new(a._num + b._num, BigInteger.One, reduced: true);
        if (ad == bd) return new(a._num + b._num, ad);
        return new(a._num * bd + b._num * ad, ad * bd);
    }

    public static Rational operator -(Rational a, Rational b) => a + (-b);

    public static Rational operator *(Rational a, Rational b)
    {
        if (a.IsZero || b.IsZero) return Zero;
        BigInteger ad = a.Denominator, bd = b.Denominator;
        if (ad.IsOne && bd.IsOne) return new(a._num * b._num, BigInteger.One, reduced: true);
        // Cross-reduce first so the products stay small and no second gcd is needed.
        var g1 = BigInteger.GreatestCommonDivisor(a._num, bd);
        var g2 = BigInteger.GreatestCommonDivisor(b._num, ad);
        return new((a._num / g1) * (b._num / g2), (ad / g2) * (bd / g1), reduced: true);
    }

    public static Rational operator /(Rational a, Rational b)
    {
        if (b.IsZero) throw new DivideByZeroException("division of a rational by zero");
        return a * b.Reciprocal();
    }

    public Rational Reciprocal()
    {
        if (IsZero) throw new DivideByZeroException("reciprocal of zero");
        return _num.Sign > 0 ? new(Denominator, _num, reduced: true) : new(-Denominator, -_num, reduced: true);
    }

    public Rational Abs() => _num.Sign < 0 ? -this : this;

    public static Rational Min(Rational a, Rational b) => a <= b ? a : b;
    public static Rational Max(Rational a, Rational b) => a >= b ? a : b;

    public int CompareTo(Rational other)
    {
        BigInteger ad = Denominator, bd = other.Denominator;
        if (ad == bd) return _num.CompareTo(other._num);
        int sa = _num.Sign, sb = other._num.Sign;
        if (sa != sb) return sa.CompareTo(sb);
        return (_num * bd).CompareTo(other._num * ad);
    }

    public bool Equals(Rational other) => _num == other._num && Denominator == other.Denominator;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(_num, Denominator);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    /// <summary>The canonical text: "n" for integers, "p/q" otherwise (reduced, q &gt; 0).</summary>
    public override string ToString() => IsInteger ? _num.ToString() : $"{_num}/{Denominator}";

    /// <summary>
    /// The canonical text of <see cref="ToString"/> written into <paramref name="destination"/>
    /// without a string (a long's formatting for a part that fits one); false when it does not fit.
    /// </summary>
    public bool TryFormat(Span<char> destination, out int written)
    {
        written = 0;
        if (!TryFormatInteger(_num, destination, ref written)) return false;
        if (IsInteger) return true;
        if (written == destination.Length) return false;
        destination[written++] = '/';
        return TryFormatInteger(Denominator, destination, ref written);
    }

    /// <summary>Appends the decimal digits of <paramref name="value"/> at <paramref name="length"/>; false when they do not fit.</summary>
    private static bool TryFormatInteger(BigInteger value, Span<char> text, ref int length)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        bool done = value >= long.MinValue && value <= long.MaxValue
            ? ((long)value).TryFormat(text[length..], out int written, default, invariant)
            : value.TryFormat(text[length..], out written, default, invariant);
        length += written;
        return done;
    }

    /// <summary>Parses the canonical text written by <see cref="ToString"/> ("n" or "p/q").</summary>
    public static bool TryParseCanonical(string text, out Rational value)
    {
        value = Zero;
        int slash = text.IndexOf('/');
        if (slash < 0) return TryParseInteger(text, out var n) && Set(n, BigInteger.One, out value);
        if (!TryParseInteger(text[..slash], out var p) || !TryParseInteger(text[(slash + 1)..], out var q) || q.IsZero)
            return false;
        return Set(p, q, out value);
    }

    private static bool Set(BigInteger p, BigInteger q, out Rational value)
    {
        value = new Rational(p, q);
        return true;
    }

    private static bool TryParseInteger(string s, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (s.Length == 0) return false;
        int start = s[0] == '-' ? 1 : 0;
        if (start == s.Length) return false;
        for (int i = start; i < s.Length; i++) if (s[i] < '0' || s[i] > '9') return false;
        return BigInteger.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The nearest double (for floating-point proposals only; never used to decide).</summary>
    public double ToDouble()
    {
        if (IsInteger) return (double)_num;
        var abs = BigInteger.Abs(_num);
        // Keep about 64 significant bits in the integer quotient, then scale back by a power of two.
        int shift = 64 - (int)(abs.GetBitLength() - Denominator.GetBitLength());
        var q = shift >= 0 ? (abs << shift) / Denominator : abs / (Denominator << -shift);
        double magnitude = Math.ScaleB((double)q, -shift);
        return _num.Sign < 0 ? -magnitude : magnitude;
    }

    /// <summary>The exact binary value of a finite double.</summary>
    public static Rational FromDouble(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException("only finite doubles have a rational value", nameof(value));
        if (value == 0) return Zero;
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        exponent -= 1075;
        BigInteger m = negative ? -mantissa : mantissa;
        return exponent >= 0 ? new Rational(m << exponent, BigInteger.One) : new Rational(m, BigInteger.One << -exponent);
    }

    /// <summary>floor(this) as an integer.</summary>
    public BigInteger Floor()
    {
        var q = BigInteger.DivRem(_num, Denominator, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }
}
