using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>The two sorts the queries need.</summary>
public enum SmtSort
{
    Real,
    Bool,
}

/// <summary>
/// A solver-independent SMT term (real linear arithmetic with Boolean structure). Terms are built
/// with <see cref="Smt"/> and turned into SMT-LIB 2 text by <see cref="SmtPrinter"/>; nothing here
/// knows which solver will read them.
/// </summary>
public abstract class SmtTerm
{
    private protected SmtTerm(SmtSort sort) => Sort = sort;

    public SmtSort Sort { get; }

    /// <summary>The SMT-LIB 2 text of this term.</summary>
    public override string ToString() => SmtPrinter.Print(this);
}

/// <summary>An exact real constant.</summary>
public sealed class SmtReal(Rational value) : SmtTerm(SmtSort.Real)
{
    public Rational Value { get; } = value;
}

/// <summary>true or false.</summary>
public sealed class SmtBool(bool value) : SmtTerm(SmtSort.Bool)
{
    public bool Value { get; } = value;
}

/// <summary>A declared constant (a variable of the query).</summary>
public sealed class SmtSymbol(string name, SmtSort sort) : SmtTerm(sort)
{
    public string Name { get; } = name;
}

/// <summary>An application of a built-in operator (+, -, *, /, &lt;, &lt;=, =, distinct, and, or, not, ite, ...).</summary>
public sealed class SmtApply : SmtTerm
{
    internal SmtApply(string op, SmtSort sort, SmtTerm[] args) : base(sort)
    {
        Operator = op;
        Arguments = args;
    }

    public string Operator { get; }
    public IReadOnlyList<SmtTerm> Arguments { get; }
}

/// <summary>
/// Builds terms. Linear forms are the workhorse: <see cref="Linear"/> makes Σ c_i·t_i + c0 with
/// zero coefficients left out, so the printed queries stay small.
/// </summary>
public static class Smt
{
    public static SmtTerm True { get; } = new SmtBool(true);
    public static SmtTerm False { get; } = new SmtBool(false);

    public static SmtTerm Real(Rational value) => new SmtReal(value);
    public static SmtSymbol RealVar(string name) => new(CheckName(name), SmtSort.Real);
    public static SmtSymbol BoolVar(string name) => new(CheckName(name), SmtSort.Bool);

    public static SmtTerm Add(params SmtTerm[] terms)
    {
        RequireAll(terms, SmtSort.Real, "+");
        return terms.Length switch
        {
            0 => Real(Rational.Zero),
            1 => terms[0],
            _ => new SmtApply("+", SmtSort.Real, terms),
        };
    }

    public static SmtTerm Sub(SmtTerm a, SmtTerm b) => Apply("-", SmtSort.Real, SmtSort.Real, a, b);
    public static SmtTerm Neg(SmtTerm a) => Apply("-", SmtSort.Real, SmtSort.Real, a);

    /// <summary>c·t (c = 1 gives t itself, c = −1 gives (- t), c = 0 gives 0).</summary>
    public static SmtTerm Scale(Rational c, SmtTerm t)
    {
        Require(t, SmtSort.Real, "*");
        if (c.IsZero) return Real(Rational.Zero);
        if (c == Rational.One) return t;
        if (c == Rational.MinusOne) return Neg(t);
        return new SmtApply("*", SmtSort.Real, [Real(c), t]);
    }

    /// <summary>Σ c_i·t_i + constant, leaving out zero coefficients (a zero constant too).</summary>
    public static SmtTerm Linear(IEnumerable<(Rational Coefficient, SmtTerm Term)> terms, Rational constant)
    {
        var parts = new List<SmtTerm>();
        foreach (var (c, t) in terms) if (!c.IsZero) parts.Add(Scale(c, t));
        if (!constant.IsZero || parts.Count == 0) parts.Add(Real(constant));
        return Add([.. parts]);
    }

    public static SmtTerm Lt(SmtTerm a, SmtTerm b) => Apply("<", SmtSort.Bool, SmtSort.Real, a, b);
    public static SmtTerm Le(SmtTerm a, SmtTerm b) => Apply("<=", SmtSort.Bool, SmtSort.Real, a, b);
    public static SmtTerm Gt(SmtTerm a, SmtTerm b) => Apply(">", SmtSort.Bool, SmtSort.Real, a, b);
    public static SmtTerm Ge(SmtTerm a, SmtTerm b) => Apply(">=", SmtSort.Bool, SmtSort.Real, a, b);

    public static SmtTerm Eq(SmtTerm a, SmtTerm b)
    {
        if (a.Sort != b.Sort) throw new ArgumentException("= needs two terms of one sort");
        return new SmtApply("=", SmtSort.Bool, [a, b]);
    }

    public static SmtTerm Distinct(SmtTerm a, SmtTerm b)
    {
        if (a.Sort != b.Sort) throw new ArgumentException("distinct needs two terms of one sort");
        return new SmtApply("distinct", SmtSort.Bool, [a, b]);
    }

    public static SmtTerm And(params SmtTerm[] terms) => Connective("and", True, terms);

    public static SmtTerm Or(params SmtTerm[] terms) => Connective("or", False, terms);

    /// <summary>An n-ary Boolean connective: its unit for no terms, the term itself for one.</summary>
    private static SmtTerm Connective(string name, SmtTerm unit, SmtTerm[] terms)
    {
        RequireAll(terms, SmtSort.Bool, name);
        return terms.Length switch
        {
            0 => unit,
            1 => terms[0],
            _ => new SmtApply(name, SmtSort.Bool, terms),
        };
    }

    public static SmtTerm Not(SmtTerm a) => Apply("not", SmtSort.Bool, SmtSort.Bool, a);

    public static SmtTerm Ite(SmtTerm condition, SmtTerm then, SmtTerm otherwise)
    {
        Require(condition, SmtSort.Bool, "ite");
        if (then.Sort != otherwise.Sort) throw new ArgumentException("ite branches must have one sort");
        return new SmtApply("ite", then.Sort, [condition, then, otherwise]);
    }

    /// <summary>max(t, 0) as an if-then-else (exactly the ReLU).</summary>
    public static SmtTerm Relu(SmtTerm t) => Ite(Gt(t, Real(Rational.Zero)), t, Real(Rational.Zero));

    private static SmtApply Apply(string op, SmtSort result, SmtSort argSort, params SmtTerm[] args)
    {
        RequireAll(args, argSort, op);
        return new SmtApply(op, result, args);
    }

    private static void RequireAll(SmtTerm[] terms, SmtSort sort, string op)
    {
        foreach (var t in terms) Require(t, sort, op);
    }

    private static void Require(SmtTerm t, SmtSort sort, string op)
    {
        if (t.Sort != sort) throw new ArgumentException($"{op} expects {sort} arguments, got a {t.Sort} term");
    }

    private static string CheckName(string name)
    {
        if (!SmtPrinter.IsSimpleSymbol(name)) throw new ArgumentException($"'{name}' is not a simple SMT-LIB symbol", nameof(name));
        return name;
    }
}
