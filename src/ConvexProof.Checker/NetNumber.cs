using System.Globalization;
using System.Numerics;

namespace ConvexProof.Checker;

/// <summary>
/// The number notations of net.json (docs/formats.md): decimal literals, "p/q" and hex floats, each
/// read to its exact value. Exponents are bounded so a hostile file cannot demand huge powers.
/// </summary>
public static class NetNumber
{
    public const int MaxExponent = 100_000;

    /// <summary>Parses <paramref name="text"/>; on failure returns false and says why.</summary>
    public static bool TryParse(string text, out Rational value, out string problem)
    {
        value = Rational.Zero;
        problem = text.Length == 0 ? "empty number" : $"\"{text}\" is not a number (decimal, p/q or hex float)";
        if (text.Length == 0 || text.Trim() != text) return false;
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            string p = text[..slash], q = text[(slash + 1)..];
            if (!IsDigits(p.StartsWith('-') || p.StartsWith('+') ? p[1..] : p) || !IsDigits(q)) return false;
            var den = BigInteger.Parse(q, CultureInfo.InvariantCulture);
            if (den.IsZero) { problem = $"\"{text}\" has a zero denominator"; return false; }
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
            if (!IsDigits(exp.StartsWith('-') || exp.StartsWith('+') ? exp[1..] : exp)) return false;
            if (!long.TryParse(exp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > MaxExponent)
            {
                problem = $"\"{text}\" has an exponent beyond ±{MaxExponent}";
                return false;
            }
        }
        int dot = mantissa.IndexOf('.');
        string whole = dot < 0 ? mantissa : mantissa[..dot], fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        bool digitsOk = hex ? IsHexDigits(whole) && IsHexDigits(fraction) : IsDigitsOrEmpty(whole) && IsDigitsOrEmpty(fraction);
        if (whole.Length + fraction.Length == 0 || !digitsOk) return false;
        var digits = BigInteger.Parse("0" + whole + fraction, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative) digits = -digits;
        if (hex)
        {
            long shift = exponent - 4L * fraction.Length;
            value = shift >= 0 ? new Rational(digits << (int)shift, 1) : new Rational(digits, BigInteger.One << (int)-shift);
        }
        else
        {
            long scale = exponent - fraction.Length;
            value = scale >= 0 ? new Rational(digits * BigInteger.Pow(10, (int)scale), 1) : new Rational(digits, BigInteger.Pow(10, (int)-scale));
        }
        return true;
    }

    private static bool IsDigits(string s) => s.Length > 0 && IsDigitsOrEmpty(s);

    private static bool IsDigitsOrEmpty(string s)
    {
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static bool IsHexDigits(string s)
    {
        foreach (char c in s) if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
