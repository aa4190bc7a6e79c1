using System.Text;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>
/// The query "∃ x, y in the domain: f((x+y)/2) &gt; (f(x)+f(y))/2" in QF_LRA, with three exact
/// copies of the network (at x, at y and at the midpoint m = (x+y)/2). Each layer's pre-activations
/// are declared reals equal to their affine expressions; each ReLU output is a declared real tied
/// to its pre-activation by <see cref="ReluEncoding"/>. Every coefficient is the network's exact
/// rational. Unsat means f is midpoint convex on the domain, which for a continuous function is
/// convexity; sat gives a candidate (x, y) that the checker re-verifies with exact evaluation.
/// </summary>
public sealed class MidpointConvexityQuery
{
    public const string Logic = "QF_LRA";

    private MidpointConvexityQuery(SmtSymbol[] x, SmtSymbol[] y, List<SmtSymbol> declarations, List<SmtTerm> assertions)
    {
        X = x;
        Y = y;
        Declarations = declarations;
        Assertions = assertions;
    }

    /// <summary>The input variables x_0 … x_{d−1}.</summary>
    public IReadOnlyList<SmtSymbol> X { get; }

    /// <summary>The input variables y_0 … y_{d−1}.</summary>
    public IReadOnlyList<SmtSymbol> Y { get; }

    /// <summary>Every declared constant, in declaration order.</summary>
    public IReadOnlyList<SmtSymbol> Declarations { get; }

    /// <summary>Every assertion; the last one is the strict midpoint violation.</summary>
    public IReadOnlyList<SmtTerm> Assertions { get; }

    public static MidpointConvexityQuery Build(Network network, Domain domain, ReluEncoding encoding = ReluEncoding.Ite)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Dimension != network.InputDim)
            throw new ArgumentException($"the domain has dimension {domain.Dimension} but the network has {network.InputDim} inputs");
        int d = network.InputDim;
        var declarations = new List<SmtSymbol>();
        var assertions = new List<SmtTerm>();
        SmtSymbol Declare(string name)
        {
            var s = Smt.RealVar(name);
            declarations.Add(s);
            return s;
        }

        var x = new SmtSymbol[d];
        var y = new SmtSymbol[d];
        for (int i = 0; i < d; i++) x[i] = Declare($"x_{i}");
        for (int i = 0; i < d; i++) y[i] = Declare($"y_{i}");
        if (domain.IsBox)
        {
            for (int i = 0; i < d; i++)
            {
                var lo = Smt.Real(domain.Lower![i]);
                var hi = Smt.Real(domain.Upper![i]);
                assertions.Add(Smt.And(Smt.Le(lo, x[i]), Smt.Le(x[i], hi)));
                assertions.Add(Smt.And(Smt.Le(lo, y[i]), Smt.Le(y[i], hi)));
            }
        }
        var half = new Rational(1, 2);
        var mid = new SmtTerm[d];
        for (int i = 0; i < d; i++) mid[i] = Smt.Linear([(half, x[i]), (half, y[i])], Rational.Zero);

        var fx = Encode(network, "x", x, Declare, assertions, encoding);
        var fy = Encode(network, "y", y, Declare, assertions, encoding);
        var fm = Encode(network, "m", mid, Declare, assertions, encoding);
        // 2 f(m) − f(x) − f(y) > 0, the strict violation of midpoint convexity.
        assertions.Add(Smt.Gt(Smt.Linear([(2, fm), (-1, fx), (-1, fy)], Rational.Zero), Smt.Real(Rational.Zero)));
        return new MidpointConvexityQuery(x, y, declarations, assertions);
    }

    /// <summary>The whole query as an SMT-LIB 2 script (for reading, or for running by hand).</summary>
    public string ToSmtLib()
    {
        var sb = new StringBuilder();
        sb.Append("; convexproof midpoint-convexity query: sat iff some x, y violate f((x+y)/2) <= (f(x)+f(y))/2\n");
        sb.Append(SmtCommands.SetOption("produce-models", "true")).Append('\n');
        sb.Append(SmtCommands.SetLogic(Logic)).Append('\n');
        foreach (var s in Declarations) sb.Append(SmtCommands.Declare(s)).Append('\n');
        foreach (var a in Assertions) sb.Append(SmtCommands.Assert(a)).Append('\n');
        sb.Append(SmtCommands.CheckSat).Append('\n');
        sb.Append(SmtCommands.GetValue([.. X, .. Y])).Append('\n');
        return sb.ToString();
    }

    /// <summary>Declares one copy of the network on the given input terms; returns the output symbol.</summary>
    private static SmtSymbol Encode(Network network, string copy, SmtTerm[] input, Func<string, SmtSymbol> declare,
        List<SmtTerm> assertions, ReluEncoding encoding)
    {
        SmtTerm[] h = input;
        SmtSymbol? output = null;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var next = new SmtTerm[layer.Outputs];
            for (int u = 0; u < layer.Outputs; u++)
            {
                var terms = new List<(Rational, SmtTerm)>();
                var row = layer.Weights[u];
                for (int j = 0; j < row.Length; j++) terms.Add((row[j], h[j]));
                if (layer.Skip is not null)
                    for (int j = 0; j < input.Length; j++) terms.Add((layer.Skip[u][j], input[j]));
                var z = declare($"{copy}_z{l}_{u}");
                assertions.Add(Smt.Eq(z, Smt.Linear(terms, layer.Bias[u])));
                if (layer.Activation == Activation.Identity)
                {
                    next[u] = z;
                    output = z;
                    continue;
                }
                var a = declare($"{copy}_a{l}_{u}");
                var zero = Smt.Real(Rational.Zero);
                if (encoding == ReluEncoding.Ite)
                    assertions.Add(Smt.Eq(a, Smt.Relu(z)));
                else
                {
                    assertions.Add(Smt.Ge(a, zero));
                    assertions.Add(Smt.Ge(a, z));
                    assertions.Add(Smt.Or(Smt.Eq(a, zero), Smt.Eq(a, z)));
                }
                next[u] = a;
            }
            h = next;
        }
        return output ?? throw new ArgumentException("the network's last layer must be an identity layer");
    }
}
