namespace ConvexProof.Checker;

/// <summary>
/// The number notations of net.json (docs/formats.md): decimal literals, "p/q" and hex floats, each
/// read to its exact value. The length and the exponent of a number are bounded (docs/formats.md,
/// "Limits") so a hostile file cannot demand huge values.
/// </summary>
public static class NetNumber
{
    public const int MaxLength = 10_000;
    public const int MaxExponent = 10_000;

    /// <summary>Parses <paramref name="text"/>; on failure returns false and says why.</summary>
    public static bool TryParse(string text, out Rational value, out string problem)
    {
        value = Rational.Zero;
        problem = text.Length == 0 ? "empty number" : $"\"{Shorten(text)}\" is not a number (decimal, p/q or hex float)";
        if (text.Length > MaxLength) problem = $"the number \"{Shorten(text)}\" is longer than {MaxLength} characters, the limit for one number";
        if (text.Length == 0 || text.Length > MaxLength || text.Trim() != text) return false;
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            string p = text[..slash], q = text[(slash + 1)..];
            if (!IsDigits(p.StartsWith('-') || p.StartsWith('+') ? p[1..] : p, false) || !IsDigits(q, false)) return false;
            var den = BigInteger.Parse(q, CultureInfo.InvariantCulture);
            if (den.IsZero) { problem = $"\"{Shorten(text)}\" has a zero denominator"; return false; }
            value = new Rational(BigInteger.Parse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), den);
            return true;
        }
        bool negative = text[0] == '-';
        string body = text[0] is '-' or '+' ? text[1..] : text;
        bool hex = body.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex) body = body[2..];
        // Mantissa digits, optional fraction, optional exponent ('e' for decimal, 'p' = power of two for hex).
        int e = body.IndexOfAny(hex ? ['p', 'P'] : ['e', 'E']);
        string mantissa = e < 0 ? body : body[..e];
        long exponent = 0;
        if (e >= 0)
        {
            string exp = body[(e + 1)..];
            if (!IsDigits(exp.StartsWith('-') || exp.StartsWith('+') ? exp[1..] : exp, false)) return false;
            if (!long.TryParse(exp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > MaxExponent)
            {
                problem = $"\"{Shorten(text)}\" has an exponent beyond ±{MaxExponent}";
                return false;
            }
        }
        int dot = mantissa.IndexOf('.');
        string whole = dot < 0 ? mantissa : mantissa[..dot], fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        if (whole.Length + fraction.Length == 0 || !IsDigits(whole, hex, allowEmpty: true) || !IsDigits(fraction, hex, allowEmpty: true)) return false;
        var digits = BigInteger.Parse("0" + whole + fraction, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative) digits = -digits;
        long scale = exponent - (hex ? 4L : 1L) * fraction.Length; // the value is digits·base^scale
        BigInteger power = hex ? BigInteger.One << (int)Math.Abs(scale) : PowerOfTen((int)Math.Abs(scale));
        value = scale >= 0 ? new Rational(digits * power, 1) : new Rational(digits, power);
        return true;
    }

    // The last power of ten made: a file repeats its exponents, and 10^9999 costs some 0.4 ms (1 000
    // of them were most of a hostile net.json's 2 s). A reference is written atomically, so threads may share it.
    private static Tuple<int, BigInteger>? _lastPower;

    private static BigInteger PowerOfTen(int n) => _lastPower is { } last && last.Item1 == n ? last.Item2 : (_lastPower = Tuple.Create(n, BigInteger.Pow(10, n))).Item2;

    /// <summary>A number's text for messages: long ones as their first and last 20 characters and the length.</summary>
    public static string Shorten(string text) => text.Length <= 60 ? text : $"{text[..20]}…{text[^20..]} ({text.Length} characters)";

    private static bool IsDigits(string s, bool hex, bool allowEmpty = false)
    {
        foreach (char c in s) if (!(hex ? char.IsAsciiHexDigit(c) : char.IsAsciiDigit(c))) return false;
        return allowEmpty || s.Length > 0;
    }
}
