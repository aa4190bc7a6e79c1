using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>
/// One encoded copy of the network: the pre-activation z of every unit and its rectified part a =
/// relu(z) (z for identity units); a leaky unit's output is α·z + (1 − α)·a.
/// </summary>
internal sealed class EncodedCopy(SmtSymbol[][] pre, SmtTerm[][] post, SmtSymbol output)
{
    public SmtSymbol[][] Pre { get; } = pre;
    public SmtTerm[][] Post { get; } = post;
    public SmtSymbol Output { get; } = output;
}

/// <summary>
/// Writes copies of a network into a query: declared reals for every pre-activation (equal to its
/// exact affine expression) and every ReLU output. Shared by <see cref="MidpointConvexityQuery"/>
/// and <see cref="LocalConvexityQuery"/>.
/// </summary>
internal sealed class NetworkEncoding(Network network)
{
    private static readonly SmtTerm Zero = Smt.Real(Rational.Zero);

    public List<SmtSymbol> Declarations { get; } = [];
    public List<SmtTerm> Assertions { get; } = [];

    public SmtSymbol Declare(string name)
    {
        var s = Smt.RealVar(name);
        Declarations.Add(s);
        return s;
    }

    /// <summary>f at the input terms: z = W h + S x + b, h' = relu(z) (or z for identity layers).</summary>
    public EncodedCopy Value(string prefix, SmtTerm[] input, ReluEncoding encoding) =>
        Encode(prefix, input, withBias: true, (l, u, z) =>
        {
            var a = Declare($"{prefix}_a{l}_{u}");
            if (encoding == ReluEncoding.Ite)
                Assertions.Add(Smt.Eq(a, Smt.Relu(z)));
            else
            {
                Assertions.Add(Smt.Ge(a, Zero));
                Assertions.Add(Smt.Ge(a, z));
                Assertions.Add(Smt.Or(Smt.Eq(a, Zero), Smt.Eq(a, z)));
            }
            return a;
        });

    /// <summary>
    /// The directional derivative f'(p; t) at the point encoded by <paramref name="at"/>: ż = W ḣ + S t
    /// (no bias), and for a ReLU unit ḣ = ż if z(p) &gt; 0, 0 if z(p) &lt; 0, relu(ż) if z(p) = 0.
    /// </summary>
    public EncodedCopy Derivative(string prefix, SmtTerm[] direction, EncodedCopy at) =>
        Encode(prefix, direction, withBias: false, (l, u, zdot) =>
        {
            var a = Declare($"{prefix}_a{l}_{u}");
            var z = at.Pre[l][u];
            Assertions.Add(Smt.Eq(a, Smt.Ite(Smt.Gt(z, Zero), zdot, Smt.Ite(Smt.Lt(z, Zero), Zero, Smt.Relu(zdot)))));
            return a;
        });

    /// <summary>
    /// Valid lemmas that make unsat proofs short. For each ReLU unit let g = Σ c_i·h_i and
    /// e = Σ c_i·z_i over the weighted copies (outputs h and pre-activations z). When the
    /// combination is a convex-type gap — (x + y)/2 − m for the midpoint query, ẋ⁺ + ẋ⁻ for the
    /// local one — convexity, monotonicity and 1-Lipschitz continuity of relu give g ≥ min(e, 0),
    /// asserted as the clauses (e &lt; 0 ∨ g ≥ 0) and (e ≥ 0 ∨ g ≥ e). They hold in every model of
    /// the query, so adding them changes no answer (docs/smt.md has the proof).
    /// </summary>
    public void AddGapLemmas(IReadOnlyList<(Rational Coefficient, EncodedCopy Copy)> combination)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (network.Layers[l].Activation != Activation.Relu) continue;
            for (int u = 0; u < network.Layers[l].Outputs; u++)
            {
                int layer = l, unit = u;
                var g = Smt.Linear(combination.Select(c => (c.Coefficient, c.Copy.Post[layer][unit])), Rational.Zero);
                var e = Smt.Linear(combination.Select(c => (c.Coefficient, (SmtTerm)c.Copy.Pre[layer][unit])), Rational.Zero);
                Assertions.Add(Smt.Or(Smt.Lt(e, Zero), Smt.Ge(g, Zero)));
                Assertions.Add(Smt.Or(Smt.Ge(e, Zero), Smt.Ge(g, e)));
            }
        }
    }

    private EncodedCopy Encode(string prefix, SmtTerm[] input, bool withBias, Func<int, int, SmtSymbol, SmtTerm> relu)
    {
        var pre = new SmtSymbol[network.Layers.Count][];
        var post = new SmtTerm[network.Layers.Count][];
        SmtTerm[] h = input;
        // A leaky unit is α·z + (1 − α)·relu(z): its rectified part is encoded as a ReLU's (and the
        // gap lemmas speak about that part), its output adds the linear part.
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            pre[l] = new SmtSymbol[layer.Outputs];
            post[l] = new SmtTerm[layer.Outputs];
            var output = new SmtTerm[layer.Outputs];
            for (int u = 0; u < layer.Outputs; u++)
            {
                var terms = new List<(Rational, SmtTerm)>();
                var row = layer.Weights[u];
                for (int j = 0; j < row.Length; j++) terms.Add((row[j], h[j]));
                if (layer.Skip is not null)
                    for (int j = 0; j < input.Length; j++) terms.Add((layer.Skip[u][j], input[j]));
                var z = Declare($"{prefix}_z{l}_{u}");
                Assertions.Add(Smt.Eq(z, Smt.Linear(terms, withBias ? layer.Bias[u] : Rational.Zero)));
                pre[l][u] = z;
                post[l][u] = layer.Activation == Activation.Relu ? relu(l, u, z) : z;
                output[u] = layer.IsLeaky ? Smt.Linear([(layer.Alpha, z), (Rational.One - layer.Alpha, post[l][u])], Rational.Zero) : post[l][u];
            }
            h = output;
        }
        var last = pre[^1];
        if (network.Layers[^1].Activation != Activation.Identity || last.Length != 1)
            throw new ArgumentException("the network's last layer must be an identity layer with one output");
        return new EncodedCopy(pre, post, last[0]);
    }
}
