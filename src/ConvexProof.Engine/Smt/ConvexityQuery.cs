using System.Text;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>
/// An exact QF_LRA query that is satisfiable iff the network is not convex on the domain, plus the
/// way back from a model to a candidate pair (x, y) that is then re-verified with exact
/// evaluation. Two formulations: <see cref="MidpointConvexityQuery"/> and <see cref="LocalConvexityQuery"/>.
/// </summary>
public abstract class ConvexityQuery
{
    public const string Logic = "QF_LRA";

    private protected ConvexityQuery(Network network, Domain domain, NetworkEncoding encoding, SmtSymbol[] modelTerms)
    {
        Network = network;
        Domain = domain;
        Declarations = encoding.Declarations;
        Assertions = encoding.Assertions;
        ModelTerms = modelTerms;
    }

    public Network Network { get; }
    public Domain Domain { get; }

    /// <summary>"midpoint" or "local".</summary>
    public abstract string Name { get; }

    /// <summary>Every declared constant, in declaration order.</summary>
    public IReadOnlyList<SmtSymbol> Declarations { get; }

    /// <summary>Every assertion; the last one is the strict violation.</summary>
    public IReadOnlyList<SmtTerm> Assertions { get; }

    /// <summary>The terms whose model values <see cref="TryCounterexample"/> needs.</summary>
    public IReadOnlyList<SmtSymbol> ModelTerms { get; }

    /// <summary>
    /// Turns the model values of <see cref="ModelTerms"/> into x, y with an exactly re-verified
    /// midpoint violation; false (with the reason) when that fails.
    /// </summary>
    public abstract bool TryCounterexample(IReadOnlyList<Rational> values, out Rational[] x, out Rational[] y,
        out MidpointViolation violation, out string problem);

    /// <summary>The whole query as an SMT-LIB 2 script (for reading, or for running by hand).</summary>
    public string ToSmtLib()
    {
        var sb = new StringBuilder();
        sb.Append($"; convexproof {Name} convexity query on {Domain}: sat iff the network is not convex there\n");
        sb.Append(SmtCommands.SetOption("produce-models", "true")).Append('\n');
        sb.Append(SmtCommands.SetLogic(Logic)).Append('\n');
        foreach (var s in Declarations) sb.Append(SmtCommands.Declare(s)).Append('\n');
        foreach (var a in Assertions) sb.Append(SmtCommands.Assert(a)).Append('\n');
        sb.Append(SmtCommands.CheckSat).Append('\n');
        sb.Append(SmtCommands.GetValue(ModelTerms)).Append('\n');
        return sb.ToString();
    }

    private protected static NetworkEncoding StartEncoding(Network network, Domain domain)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Dimension != network.InputDim)
            throw new ArgumentException($"the domain has dimension {domain.Dimension} but the network has {network.InputDim} inputs");
        return new NetworkEncoding(network);
    }

    private protected static SmtSymbol[] Inputs(NetworkEncoding encoding, string name, int d) =>
        [.. Enumerable.Range(0, d).Select(i => encoding.Declare($"{name}_{i}"))];

    /// <summary>lo ≤ v ≤ hi (or strict) for every coordinate of a box.</summary>
    private protected static void InBox(NetworkEncoding encoding, Domain domain, SmtSymbol[] v, bool strict)
    {
        if (!domain.IsBox) return;
        for (int i = 0; i < v.Length; i++)
        {
            var lo = Smt.Real(domain.Lower![i]);
            var hi = Smt.Real(domain.Upper![i]);
            encoding.Assertions.Add(strict
                ? Smt.And(Smt.Lt(lo, v[i]), Smt.Lt(v[i], hi))
                : Smt.And(Smt.Le(lo, v[i]), Smt.Le(v[i], hi)));
        }
    }
}

/// <summary>
/// "∃ x, y in the domain: f((x+y)/2) &gt; (f(x)+f(y))/2" with three exact copies of the network
/// (at x, at y and at m = (x+y)/2). Unsat means f is midpoint convex on the domain, which for a
/// continuous function is convexity; a model's x, y are re-verified with exact evaluation.
/// </summary>
public sealed class MidpointConvexityQuery : ConvexityQuery
{
    private MidpointConvexityQuery(Network network, Domain domain, NetworkEncoding encoding, SmtSymbol[] x, SmtSymbol[] y)
        : base(network, domain, encoding, [.. x, .. y])
    {
        X = x;
        Y = y;
    }

    public override string Name => "midpoint";

    public IReadOnlyList<SmtSymbol> X { get; }
    public IReadOnlyList<SmtSymbol> Y { get; }

    public static MidpointConvexityQuery Build(Network network, Domain domain, ReluEncoding relu = ReluEncoding.Ite, bool lemmas = true)
    {
        var enc = StartEncoding(network, domain);
        int d = network.InputDim;
        var x = Inputs(enc, "x", d);
        var y = Inputs(enc, "y", d);
        InBox(enc, domain, x, strict: false);
        InBox(enc, domain, y, strict: false);
        var half = new Rational(1, 2);
        var mid = new SmtTerm[d];
        for (int i = 0; i < d; i++) mid[i] = Smt.Linear([(half, x[i]), (half, y[i])], Rational.Zero);
        var fx = enc.Value("x", [.. x], relu);
        var fy = enc.Value("y", [.. y], relu);
        var fm = enc.Value("m", mid, relu);
        if (lemmas) enc.AddGapLemmas([(half, fx), (half, fy), (-1, fm)]);
        // 2 f(m) − f(x) − f(y) > 0: the strict violation of midpoint convexity.
        enc.Assertions.Add(Smt.Gt(Smt.Linear([(2, fm.Output), (-1, fx.Output), (-1, fy.Output)], Rational.Zero), Smt.Real(Rational.Zero)));
        return new MidpointConvexityQuery(network, domain, enc, x, y);
    }

    public override bool TryCounterexample(IReadOnlyList<Rational> values, out Rational[] x, out Rational[] y,
        out MidpointViolation violation, out string problem)
    {
        int d = Network.InputDim;
        x = [.. values.Take(d)];
        y = [.. values.Skip(d).Take(d)];
        return SmtConvexityChecker.TryReverify(Network, Domain, x, y, out violation, out problem);
    }
}

/// <summary>
/// The local form: "∃ m in the domain's interior and a direction t with f'(m; t) + f'(m; −t) &lt; 0",
/// with f's exact value copy at m and two forward-mode directional-derivative copies (for t and
/// −t). For a continuous piecewise-linear f this is equivalent to non-convexity on the domain
/// (docs/smt.md), and solvers find such kinks much faster than far-apart pairs. A model (m, t)
/// becomes x = m − εt, y = m + εt for the first ε = 1, 1/2, 1/4, … that re-verifies exactly.
/// </summary>
public sealed class LocalConvexityQuery : ConvexityQuery
{
    /// <summary>How many halvings of ε are tried before giving up (the answer is then Unknown).</summary>
    public const int MaxHalvings = 300;

    private LocalConvexityQuery(Network network, Domain domain, NetworkEncoding encoding, SmtSymbol[] m, SmtSymbol[] t)
        : base(network, domain, encoding, [.. m, .. t])
    {
        M = m;
        T = t;
    }

    public override string Name => "local";

    public IReadOnlyList<SmtSymbol> M { get; }
    public IReadOnlyList<SmtSymbol> T { get; }

    public static LocalConvexityQuery Build(Network network, Domain domain, ReluEncoding relu = ReluEncoding.Ite, bool lemmas = true)
    {
        var enc = StartEncoding(network, domain);
        int d = network.InputDim;
        var m = Inputs(enc, "m", d);
        var t = Inputs(enc, "t", d);
        InBox(enc, domain, m, strict: true);
        var value = enc.Value("m", [.. m], relu);
        var plus = enc.Derivative("p", [.. t], value);
        var minus = enc.Derivative("n", [.. t.Select(Smt.Neg)], value);
        if (lemmas) enc.AddGapLemmas([(1, plus), (1, minus)]);
        enc.Assertions.Add(Smt.Lt(Smt.Add(plus.Output, minus.Output), Smt.Real(Rational.Zero)));
        return new LocalConvexityQuery(network, domain, enc, m, t);
    }

    public override bool TryCounterexample(IReadOnlyList<Rational> values, out Rational[] x, out Rational[] y,
        out MidpointViolation violation, out string problem)
    {
        int d = Network.InputDim;
        var m = values.Take(d).ToArray();
        var t = values.Skip(d).Take(d).ToArray();
        Rational epsilon = Rational.One;
        var half = new Rational(1, 2);
        problem = "";
        for (int k = 0; k <= MaxHalvings; k++, epsilon *= half)
        {
            x = [.. m.Zip(t, (mi, ti) => mi - epsilon * ti)];
            y = [.. m.Zip(t, (mi, ti) => mi + epsilon * ti)];
            if (SmtConvexityChecker.TryReverify(Network, Domain, x, y, out violation, out problem)) return true;
        }
        x = [];
        y = [];
        violation = default;
        problem = $"no ε = 2^-k (k ≤ {MaxHalvings}) gives a violation around m = ({string.Join(", ", m)}) along t = ({string.Join(", ", t)}): {problem}";
        return false;
    }
}
