using System.Globalization;
using System.Numerics;

namespace ConvexProof.Numbers;

/// <summary>
/// Reads the number notations of net.json exactly: decimal literals ("0.1" is 1/10, "1.5e-3" is
/// 3/2000), fractions "p/q", and hex floats "0x1.99999ap-4" (the exact binary value). Nothing is
/// rounded. The digits and the exponent of one number are bounded (docs/formats.md, "Limits"), so
/// a hostile file cannot ask for a googolplex of digits, and every error message shows a long
/// number shortened.
/// </summary>
public static class ExactNumberParser
{
    /// <summary>Longest text of one number, in characters (digits, sign, point, slash, exponent).</summary>
    public const int MaxLength = 10_000;

    /// <summary>Largest decimal or binary exponent accepted (magnitude).</summary>
    public const int MaxExponent = 10_000;

    public static bool TryParse(string text, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "empty number"; return false; }
        if (text.Trim() != text) { error = $"number \"{Shorten(text)}\" has surrounding spaces"; return false; }
        if (text.Length > MaxLength) { error = TooLong(text, MaxLength); return false; }
        bool negative = text[0] == '-';
        string body = text[0] is '-' or '+' ? text[1..] : text;
        bool ok = text.Contains('/') ? TryParseFraction(text, out value, out error)
            : body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? TryParsePositional(body[2..], hex: true, out value, out error)
            : TryParsePositional(body, hex: false, out value, out error);
        if (!ok) { error = $"\"{Shorten(text)}\" is not a number: {error}"; return false; }
        if (negative && !text.Contains('/')) value = -value;
        return true;
    }

    /// <summary>
    /// Text for messages: up to 60 characters as they are, longer ones as their first and last 20
    /// characters and the length (a megabyte-long number must not become a megabyte-long line).
    /// </summary>
    public static string Shorten(string text) =>
        text.Length <= 60 ? text : $"{text[..20]}…{text[^20..]} ({text.Length} characters)";

    /// <summary>The message for a number longer than the limit (shared by every reader of numbers).</summary>
    public static string TooLong(string text, int limit) =>
        $"the number \"{Shorten(text)}\" is longer than {limit} characters, the limit for one number (docs/formats.md)";

    private static bool TryParseFraction(string s, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        int slash = s.IndexOf('/');
        string p = s[..slash], q = s[(slash + 1)..];
        if (!IsInteger(p) || !IsInteger(q, allowSign: false))
        {
            error = "expected a fraction p/q of integers";
            return false;
        }
        var den = BigInteger.Parse(q, CultureInfo.InvariantCulture);
        if (den.IsZero) { error = "the denominator is zero"; return false; }
        value = new Rational(BigInteger.Parse(p.TrimStart('+'), CultureInfo.InvariantCulture), den);
        return true;
    }

    private static bool IsInteger(string s, bool allowSign = true)
    {
        int i = allowSign && s.Length > 0 && s[0] is '-' or '+' ? 1 : 0;
        return i < s.Length && AllDigits(s[i..], hex: false);
    }

    /// <summary>
    /// Digits with an optional fraction and exponent: decimal with 'e' (a power of ten), or hex
    /// with 'p' (a power of two), so the value is digits·base^(exponent − fraction digits).
    /// </summary>
    private static bool TryParsePositional(string s, bool hex, out Rational value, out string error)
    {
        value = Rational.Zero;
        error = "";
        int e = s.IndexOfAny(hex ? ['p', 'P'] : ['e', 'E']);
        string mantissa = e < 0 ? s : s[..e];
        long exponent = 0;
        if (e >= 0)
        {
            string exp = s[(e + 1)..];
            if (!IsInteger(exp)) { error = hex ? "bad binary exponent" : "bad exponent"; return false; }
            if (!long.TryParse(exp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > MaxExponent)
            {
                error = $"{(hex ? "binary exponent" : "exponent")} beyond ±{MaxExponent}";
                return false;
            }
        }
        int dot = mantissa.IndexOf('.');
        string intPart = dot < 0 ? mantissa : mantissa[..dot];
        string fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        if (intPart.Length + fracPart.Length == 0 || !AllDigits(intPart, hex) || !AllDigits(fracPart, hex))
        {
            error = hex ? "expected hexadecimal digits" : "expected digits";
            return false;
        }
        var digits = BigInteger.Parse("0" + intPart + fracPart, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture);
        if (hex)
        {
            long shift = exponent - 4L * fracPart.Length;
            value = shift >= 0 ? new Rational(digits << (int)shift, BigInteger.One) : new Rational(digits, BigInteger.One << (int)-shift);
        }
        else
        {
            long scale = exponent - fracPart.Length;
            value = scale >= 0
                ? new Rational(digits * BigInteger.Pow(10, (int)scale), BigInteger.One)
                : new Rational(digits, BigInteger.Pow(10, (int)-scale));
        }
        return true;
    }

    private static bool AllDigits(string s, bool hex)
    {
        foreach (char c in s) if (!(hex ? char.IsAsciiHexDigit(c) : char.IsAsciiDigit(c))) return false;
        return true;
    }
}
