using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>
/// Reads the exact real values a solver prints in models: numerals <c>2</c>, decimals <c>0.5</c>
/// and <c>2.0</c>, and the arithmetic around them that z3 and cvc5 use for rationals and negatives:
/// <c>(/ 1.0 3.0)</c>, <c>(- 2.0)</c>, <c>(- (/ 13.0 6.0))</c>, <c>(/ (- 1) 3)</c>, also wrapped in
/// extra parentheses such as <c>((- 1.0))</c>. Anything else (root-obj, to_real of a symbol, ...)
/// is refused rather than guessed.
/// </summary>
public static class SmtValues
{
    private const int MaxDepth = 64;

    public static bool TryParse(SExpr value, out Rational result, out string error) =>
        TryParse(value, 0, out result, out error);

    public static Rational Parse(SExpr value) =>
        TryParse(value, out var r, out var error) ? r : throw new FormatException(error);

    public static Rational Parse(string text) => Parse(SExpr.Parse(text));

    private static bool TryParse(SExpr e, int depth, out Rational result, out string error)
    {
        result = Rational.Zero;
        error = "";
        if (depth > MaxDepth) { error = "value nested too deeply"; return false; }
        if (e.Atom is string atom) return TryParseDecimal(atom, out result, out error);
        var items = e.Items!;
        if (items.Count == 0) { error = "empty list is not a value"; return false; }
        if (items.Count == 1) return TryParse(items[0], depth + 1, out result, out error);
        string? op = items[0].Atom;
        var args = new Rational[items.Count - 1];
        for (int i = 1; i < items.Count; i++)
            if (!TryParse(items[i], depth + 1, out args[i - 1], out error)) return false;
        switch (op)
        {
            case "-" when args.Length == 1:
                result = -args[0];
                return true;
            case "-":
                result = args[0];
                for (int i = 1; i < args.Length; i++) result -= args[i];
                return true;
            case "+":
                foreach (var a in args) result += a;
                return true;
            case "*":
                result = Rational.One;
                foreach (var a in args) result *= a;
                return true;
            case "/" when args.Length >= 2:
                result = args[0];
                for (int i = 1; i < args.Length; i++)
                {
                    if (args[i].IsZero) { error = $"division by zero in the value {e}"; return false; }
                    result /= args[i];
                }
                return true;
            default:
                error = $"'{e}' is not an exact rational value";
                return false;
        }
    }

    private static bool TryParseDecimal(string atom, out Rational result, out string error)
    {
        result = Rational.Zero;
        error = "";
        int dot = atom.IndexOf('.');
        string intPart = dot < 0 ? atom : atom[..dot];
        string fracPart = dot < 0 ? "" : atom[(dot + 1)..];
        if (intPart.Length == 0 || !intPart.All(char.IsAsciiDigit) || (dot >= 0 && (fracPart.Length == 0 || !fracPart.All(char.IsAsciiDigit))))
        {
            error = $"'{atom}' is not a numeral or decimal";
            return false;
        }
        if (intPart.Length + fracPart.Length > 100_000) { error = "numeral too long"; return false; }
        var digits = BigInteger.Parse(intPart + fracPart, System.Globalization.CultureInfo.InvariantCulture);
        result = new Rational(digits, BigInteger.Pow(10, fracPart.Length));
        return true;
    }
}
