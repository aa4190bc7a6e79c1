using System.Numerics;

namespace ConvexProof.Numbers;

/// <summary>
/// Reads the number notations of net.json exactly: decimal literals ("0.1" is 1/10, "1.5e-3" is
/// 3/2000), fractions "p/q", and hex floats "0x1.99999ap-4" (the exact binary value). Nothing is
/// rounded. Exponents are bounded so a hostile file cannot ask for a googolplex of digits.
/// </summary>
public static class ExactNumberParser
{
    /// <summary>Largest decimal or binary exponent accepted (magnitude).</summary>
    public const int MaxExponent = 100_000;

    public static bool TryParse(string text, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "empty number"; return false; }
        string s = text.Trim();
        if (s != text) { error = $"number \"{text}\" has surrounding spaces"; return false; }
        if (s.Contains('/')) return TryParseFraction(s, out value, out error);
        bool negative = false;
        string body = s;
        if (body[0] == '-' || body[0] == '+') { negative = body[0] == '-'; body = body[1..]; }
        bool ok = body.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? TryParseHex(body[2..], out value, out error)
            : TryParseDecimal(body, out value, out error);
        if (!ok) { error = $"\"{text}\" is not a number: {error}"; return false; }
        if (negative) value = -value;
        return true;
    }

    private static bool TryParseFraction(string s, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        int slash = s.IndexOf('/');
        string p = s[..slash], q = s[(slash + 1)..];
        if (!IsInteger(p) || !IsInteger(q, allowSign: false))
        {
            error = $"\"{s}\" is not a fraction p/q of integers";
            return false;
        }
        var den = BigInteger.Parse(q, System.Globalization.CultureInfo.InvariantCulture);
        if (den.IsZero) { error = $"\"{s}\" has a zero denominator"; return false; }
        value = new Rational(BigInteger.Parse(p.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture), den);
        return true;
    }

    private static bool IsInteger(string s, bool allowSign = true)
    {
        int i = 0;
        if (allowSign && s.Length > 0 && (s[0] == '-' || s[0] == '+')) i = 1;
        if (i >= s.Length) return false;
        for (; i < s.Length; i++) if (!char.IsAsciiDigit(s[i])) return false;
        return true;
    }

    private static bool TryParseDecimal(string s, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        int e = s.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? s : s[..e];
        long exponent = 0;
        if (e >= 0)
        {
            string exp = s[(e + 1)..];
            if (!IsInteger(exp)) { error = "bad exponent"; return false; }
            if (!long.TryParse(exp, System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > MaxExponent)
            {
                error = $"exponent beyond ±{MaxExponent}";
                return false;
            }
        }
        int dot = mantissa.IndexOf('.');
        string intPart = dot < 0 ? mantissa : mantissa[..dot];
        string fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        if (intPart.Length + fracPart.Length == 0 || !AllDigits(intPart) || !AllDigits(fracPart))
        {
            error = "expected digits";
            return false;
        }
        var digits = BigInteger.Parse("0" + intPart + fracPart, System.Globalization.CultureInfo.InvariantCulture);
        long scale = exponent - fracPart.Length;
        value = scale >= 0
            ? new Rational(digits * BigInteger.Pow(10, (int)scale), BigInteger.One)
            : new Rational(digits, BigInteger.Pow(10, (int)-scale));
        return true;
    }

    private static bool TryParseHex(string s, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        int p = s.IndexOfAny(['p', 'P']);
        string mantissa = p < 0 ? s : s[..p];
        long exponent = 0;
        if (p >= 0)
        {
            string exp = s[(p + 1)..];
            if (!IsInteger(exp)) { error = "bad binary exponent"; return false; }
            if (!long.TryParse(exp, System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > MaxExponent)
            {
                error = $"binary exponent beyond ±{MaxExponent}";
                return false;
            }
        }
        int dot = mantissa.IndexOf('.');
        string intPart = dot < 0 ? mantissa : mantissa[..dot];
        string fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        if (intPart.Length + fracPart.Length == 0 || !AllHex(intPart) || !AllHex(fracPart))
        {
            error = "expected hexadecimal digits";
            return false;
        }
        var digits = BigInteger.Parse("0" + intPart + fracPart, System.Globalization.NumberStyles.AllowHexSpecifier,
            System.Globalization.CultureInfo.InvariantCulture);
        long shift = exponent - 4L * fracPart.Length;
        value = shift >= 0
            ? new Rational(digits << (int)shift, BigInteger.One)
            : new Rational(digits, BigInteger.One << (int)-shift);
        return true;
    }

    private static bool AllDigits(string s)
    {
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static bool AllHex(string s)
    {
        foreach (char c in s) if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
