using System.Text;

namespace ConvexProof.Smt;

/// <summary>
/// One solver response as an S-expression: an atom (symbol, numeral, keyword or string literal) or
/// a list. Strings keep their quotes in <see cref="Atom"/> and give their contents in
/// <see cref="StringValue"/>.
/// </summary>
public sealed class SExpr
{
    private SExpr(string? atom, IReadOnlyList<SExpr>? items)
    {
        Atom = atom;
        Items = items;
    }

    public static SExpr MakeAtom(string text) => new(text, null);
    public static SExpr MakeList(IReadOnlyList<SExpr> items) => new(null, items);

    /// <summary>The atom's text, or null for a list.</summary>
    public string? Atom { get; }

    /// <summary>The list's items, or null for an atom.</summary>
    public IReadOnlyList<SExpr>? Items { get; }

    public bool IsAtom => Atom is not null;
    public bool IsList => Items is not null;
    public bool IsString => Atom is { Length: >= 2 } a && a[0] == '"' && a[^1] == '"';

    /// <summary>The contents of a string literal ("" unescaped to "), else the atom itself.</summary>
    public string? StringValue => IsString ? Atom![1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : Atom;

    public bool IsSymbol(string name) => Atom == name;

    /// <summary>True for <c>(head ...)</c>.</summary>
    public bool HasHead(string head) => Items is { Count: > 0 } items && items[0].Atom == head;

    public override string ToString()
    {
        if (Atom is not null) return Atom;
        var sb = new StringBuilder("(");
        for (int i = 0; i < Items!.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(Items[i]);
        }
        return sb.Append(')').ToString();
    }

    /// <summary>Parses exactly one S-expression from the text (surrounding white space allowed).</summary>
    public static SExpr Parse(string text)
    {
        using var reader = new StringReader(text);
        var sexpr = new SExprReader(reader);
        var result = sexpr.Read() ?? throw new FormatException("empty S-expression");
        if (sexpr.Read() is not null) throw new FormatException("more than one S-expression");
        return result;
    }
}

/// <summary>
/// Reads S-expressions one at a time from a character stream (the solver's standard output).
/// Handles string literals ("" escapes a quote), |quoted symbols| and ; comments.
/// </summary>
public sealed class SExprReader(TextReader reader)
{
    /// <summary>Upper bound on one response, so a runaway solver cannot exhaust memory.</summary>
    public const int MaxResponseChars = 64 << 20;

    private int _consumed;
    private int _pushedBack = -1;

    /// <summary>The next S-expression, or null at the end of the stream.</summary>
    /// <exception cref="FormatException">Malformed text or the stream ending inside an expression.</exception>
    public SExpr? Read()
    {
        _consumed = 0;
        var stack = new Stack<List<SExpr>>();
        while (true)
        {
            int c = Next();
            if (c < 0)
            {
                if (stack.Count == 0) return null;
                throw new FormatException("the output ended inside an S-expression");
            }
            char ch = (char)c;
            if (char.IsWhiteSpace(ch)) continue;
            if (ch == ';')
            {
                while ((c = Next()) >= 0 && c != '\n') { }
                continue;
            }
            SExpr? done = null;
            if (ch == '(')
            {
                stack.Push([]);
                continue;
            }
            if (ch == ')')
            {
                if (stack.Count == 0) throw new FormatException("unbalanced ')' in solver output");
                done = SExpr.MakeList(stack.Pop());
            }
            else done = SExpr.MakeAtom(ReadAtom(ch));
            if (stack.Count == 0) return done;
            stack.Peek().Add(done);
        }
    }

    // One character of push-back instead of TextReader.Peek, which may report the end of a pipe
    // whose next bytes simply have not arrived yet.
    private int Next()
    {
        if (_pushedBack >= 0)
        {
            int pushed = _pushedBack;
            _pushedBack = -1;
            return pushed;
        }
        int c = reader.Read();
        if (c >= 0 && ++_consumed > MaxResponseChars) throw new FormatException($"a solver response longer than {MaxResponseChars} characters");
        return c;
    }

    private string ReadAtom(char first)
    {
        var sb = new StringBuilder();
        sb.Append(first);
        if (first == '"')
        {
            while (true)
            {
                int c = Next();
                if (c < 0) throw new FormatException("the output ended inside a string literal");
                sb.Append((char)c);
                if (c == '"')
                {
                    int after = Next();
                    if (after == '"') { sb.Append('"'); continue; }
                    _pushedBack = after;
                    return sb.ToString();
                }
            }
        }
        if (first == '|')
        {
            while (true)
            {
                int c = Next();
                if (c < 0) throw new FormatException("the output ended inside a |quoted symbol|");
                sb.Append((char)c);
                if (c == '|') return sb.ToString();
            }
        }
        while (true)
        {
            int p = Next();
            if (p < 0 || char.IsWhiteSpace((char)p) || p == '(' || p == ')' || p == '"' || p == ';')
            {
                _pushedBack = p;
                return sb.ToString();
            }
            sb.Append((char)p);
        }
    }
}
