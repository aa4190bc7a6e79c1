using System.Text;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>
/// Turns terms and commands into SMT-LIB 2 text. Real constants are printed exactly and with the
/// Real sort's own notation: 3 as <c>3.0</c>, −2 as <c>(- 2.0)</c>, 1/3 as <c>(/ 1.0 3.0)</c>,
/// −5/2 as <c>(- (/ 5.0 2.0))</c>, so every solver reads precisely the value the engine holds.
/// </summary>
public static class SmtPrinter
{
    public static string Print(SmtTerm term)
    {
        var sb = new StringBuilder();
        Append(sb, term);
        return sb.ToString();
    }

    /// <summary>The exact SMT-LIB text of a real constant.</summary>
    public static string Numeral(Rational value)
    {
        var sb = new StringBuilder();
        AppendNumeral(sb, value);
        return sb.ToString();
    }

    /// <summary>Letters, digits and <c>_ . ' ! ? $ ~ @ %</c>, not starting with a digit (no quoting needed).</summary>
    public static bool IsSimpleSymbol(string name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0])) return false;
        foreach (char c in name)
            if (!char.IsAsciiLetterOrDigit(c) && "_.'!?$~@%".IndexOf(c) < 0) return false;
        return true;
    }

    private static void Append(StringBuilder sb, SmtTerm term)
    {
        switch (term)
        {
            case SmtReal r: AppendNumeral(sb, r.Value); break;
            case SmtBool b: sb.Append(b.Value ? "true" : "false"); break;
            case SmtSymbol s: sb.Append(s.Name); break;
            case SmtApply a:
                sb.Append('(').Append(a.Operator);
                foreach (var arg in a.Arguments)
                {
                    sb.Append(' ');
                    Append(sb, arg);
                }
                sb.Append(')');
                break;
            default: throw new ArgumentException($"unknown term type {term.GetType().Name}");
        }
    }

    private static void AppendNumeral(StringBuilder sb, Rational value)
    {
        if (value.Sign < 0) sb.Append("(- ");
        var num = System.Numerics.BigInteger.Abs(value.Numerator);
        if (value.IsInteger) sb.Append(num).Append(".0");
        else sb.Append("(/ ").Append(num).Append(".0 ").Append(value.Denominator).Append(".0)");
        if (value.Sign < 0) sb.Append(')');
    }
}

/// <summary>The SMT-LIB 2 commands the queries send, as text.</summary>
public static class SmtCommands
{
    public static string SetOption(string keyword, string value) => $"(set-option :{keyword} {value})";
    public static string SetLogic(string logic) => $"(set-logic {logic})";
    public static string Declare(SmtSymbol symbol) => $"(declare-fun {symbol.Name} () {(symbol.Sort == SmtSort.Real ? "Real" : "Bool")})";
    public static string Assert(SmtTerm term)
    {
        if (term.Sort != SmtSort.Bool) throw new ArgumentException("only Boolean terms can be asserted");
        return $"(assert {SmtPrinter.Print(term)})";
    }

    public const string CheckSat = "(check-sat)";
    public const string Exit = "(exit)";

    public static string GetValue(IEnumerable<SmtTerm> terms) => $"(get-value ({string.Join(' ', terms.Select(SmtPrinter.Print))}))";
    public static string GetInfo(string keyword) => $"(get-info :{keyword})";
}
