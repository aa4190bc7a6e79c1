using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// Tighter pre-activation bounds by forward linear (symbolic) propagation, exact: every unit gets a
/// lower and an upper affine function of x valid on the leaf, L(x) ≤ z(x) ≤ U(x), concretised over
/// the leaf's box. A ReLU whose bounds [l, u] straddle 0 is relaxed by its chord from above,
/// relu(z) ≤ u·(z − l)/(u − l), and by λ·z from below with λ ∈ [0, 1] (λ = 1 when u ≥ −l, else 0:
/// the smaller-area choice); a unit known ≥ 0 on the leaf (bounds or split) passes z's forms, one
/// known ≤ 0 passes 0. Unlike intervals, the forms keep the correlation between units: on the z ≥ 0
/// side of a sign split the unit's output is exactly its (affine) pre-activation.
/// </summary>
public static class LinearBounds
{
    /// <summary>The bounds (with <see cref="PreActivationBounds.Relaxation"/> set) of a leaf.</summary>
    public static PreActivationBounds Compute(Network network, LeafDomain leaf)
    {
        int d = network.InputDim;
        var split = PreActivationBounds.SplitSides(leaf);
        var relaxation = new List<(int, Rational)>();
        var multipliers = new List<SplitMultipliers>();
        // Linear consequences g(x) ≤ 0 of the splits already passed, by split unit.
        var constraints = new List<(int Neuron, Rational[] Form)>();
        var layers = new Interval[network.Layers.Count][];
        // Forms of the previous layer's outputs, as d coefficients and a constant (index d).
        Rational[][] lowerH = Identity(d), upperH = lowerH;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var z = new Interval[layer.Outputs];
            var nextLower = new Rational[layer.Outputs][];
            var nextUpper = new Rational[layer.Outputs][];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var (lower, upper) = Combine(layer, i, lowerH, upperH, d);
                int neuron = layer.Activation == Activation.Relu ? network.IndexOf(l, i) : -1;
                Interval bounds;
                if (neuron < 0 || constraints.Count == 0) bounds = new(Minimum(lower, leaf), -Minimum(Negate(upper), leaf));
                else
                {
                    var (lo, loBetas) = ConstrainedMinimum(lower, constraints, leaf);
                    var (negHi, hiBetas) = ConstrainedMinimum(Negate(upper), constraints, leaf);
                    bounds = new(lo, -negHi);
                    if (loBetas.Length > 0) multipliers.Add(new SplitMultipliers(neuron, Upper: false, loBetas));
                    if (hiBetas.Length > 0) multipliers.Add(new SplitMultipliers(neuron, Upper: true, hiBetas));
                }
                if (neuron >= 0 && split.TryGetValue(neuron, out bool nonNegative))
                {
                    bounds = PreActivationBounds.OnSide(bounds, nonNegative);
                    if (bounds.Lo > bounds.Hi)
                    {
                        z[i] = bounds;
                        layers[l] = z;
                        for (int m = l + 1; m < layers.Length; m++) layers[m] = [];
                        return new PreActivationBounds(network, layers, emptiedBy: neuron, relaxation, multipliers);
                    }
                    // On the leaf z ≥ 0 implies U(x) ≥ 0, and z ≤ 0 implies L(x) ≤ 0.
                    constraints.Add((neuron, nonNegative ? Negate(upper) : lower));
                }
                z[i] = bounds;
                if (layer.Activation == Activation.Identity || bounds.Lo.Sign >= 0)
                {
                    nextLower[i] = lower;
                    nextUpper[i] = upper;
                }
                else if (bounds.Hi.Sign <= 0)
                {
                    // Stably off: h = α·z (α ≥ 0 keeps the order of the forms; ReLU: 0).
                    nextLower[i] = Scale(lower, layer.Alpha, Rational.Zero);
                    nextUpper[i] = Scale(upper, layer.Alpha, Rational.Zero);
                }
                else
                {
                    // σ(z) = max(z, αz) ≥ λ·z for every λ ∈ [α, 1]; above, the chord from (lo, α·lo) to
                    // (hi, hi): k·(z − lo) + α·lo with k = (hi − α·lo)/(hi − lo) > 0, increasing in z.
                    Rational lo = bounds.Lo, hi = bounds.Hi, alpha = layer.Alpha;
                    var slope = hi >= -lo ? Rational.One : alpha;
                    relaxation.Add((neuron, slope));
                    nextLower[i] = Scale(lower, slope, Rational.Zero);
                    var chord = (hi - alpha * lo) / (hi - lo);
                    nextUpper[i] = Scale(upper, chord, alpha * lo / chord - lo);
                }
            }
            layers[l] = z;
            lowerH = nextLower;
            upperH = nextUpper;
        }
        return new PreActivationBounds(network, layers, emptiedBy: -1, relaxation, multipliers);
    }

    /// <summary>
    /// A lower bound of a form F over the leaf (box ∩ splits) by weak duality: for any β_s ≥ 0,
    /// min over the box of F + Σ β_s·g_s is one, since every g_s ≤ 0 on the leaf. Each β_s is chosen
    /// in turn (split order) as the exact maximiser of the concave piecewise-linear
    /// φ(β) = min_box (F′ + β·g_s): its slope at β is g_s at the box corner minimising F′ + β·g_s,
    /// and it only drops at the breakpoints β = −F′_i/g_i where a coordinate's corner flips. Returns
    /// the bound and the non-zero multipliers.
    /// </summary>
    private static (Rational Bound, (int Neuron, Rational Beta)[] Betas) ConstrainedMinimum(
        Rational[] form, List<(int Neuron, Rational[] Form)> constraints, LeafDomain leaf)
    {
        var current = form;
        var betas = new List<(int, Rational)>();
        foreach (var (neuron, g) in constraints)
        {
            var beta = BestMultiplier(current, g, leaf);
            if (beta.IsZero) continue;
            betas.Add((neuron, beta));
            current = [.. current.Zip(g, (f, gi) => f + beta * gi)];
        }
        return (Minimum(current, leaf), [.. betas]);
    }

    private static Rational BestMultiplier(Rational[] f, Rational[] g, LeafDomain leaf)
    {
        int d = f.Length - 1;
        // Slope of φ just above 0: g at the corner minimising F (ties broken by g, the side small β takes).
        Rational slope = g[d];
        var flips = new List<(Rational At, Rational Drop)>();
        for (int i = 0; i < d; i++)
        {
            if (g[i].IsZero) continue;
            int side = f[i].Sign != 0 ? f[i].Sign : g[i].Sign; // > 0: x_i at its lower end
            slope += g[i] * (side > 0 ? leaf.Lower[i] : leaf.Upper[i]);
            if (f[i].Sign != 0 && f[i].Sign != g[i].Sign)
                flips.Add((-f[i] / g[i], (g[i] * (leaf.Upper[i] - leaf.Lower[i])).Abs()));
        }
        if (slope.Sign <= 0) return Rational.Zero;
        flips.Sort((a, b) => a.At.CompareTo(b.At));
        foreach (var (at, drop) in flips)
        {
            slope -= drop;
            if (slope.Sign <= 0) return at;
        }
        // Still rising: the split cannot hold anywhere on the box; the last breakpoint is as good as any.
        return flips.Count > 0 ? flips[^1].At : Rational.Zero;
    }

    /// <summary>The forms of x_i (both bounds at once).</summary>
    private static Rational[][] Identity(int d) =>
        [.. Enumerable.Range(0, d).Select(i => Enumerable.Range(0, d + 1).Select(j => j == i ? Rational.One : Rational.Zero).ToArray())];

    /// <summary>Lower and upper forms of b + Σ W·h + S·x: a positive weight takes h's lower form for the lower bound, a negative one its upper form.</summary>
    private static (Rational[] Lower, Rational[] Upper) Combine(Layer layer, int i, Rational[][] lowerH, Rational[][] upperH, int d)
    {
        var lower = new Rational[d + 1];
        var upper = new Rational[d + 1];
        lower[d] = upper[d] = layer.Bias[i];
        var row = layer.Weights[i];
        for (int j = 0; j < row.Length; j++)
        {
            var w = row[j];
            if (w.IsZero) continue;
            AddScaled(lower, w.Sign > 0 ? lowerH[j] : upperH[j], w);
            AddScaled(upper, w.Sign > 0 ? upperH[j] : lowerH[j], w);
        }
        if (layer.Skip is not null)
            for (int j = 0; j < d; j++)
            {
                var s = layer.Skip[i][j];
                if (s.IsZero) continue;
                lower[j] += s;
                upper[j] += s;
            }
        return (lower, upper);
    }

    private static void AddScaled(Rational[] target, Rational[] form, Rational w)
    {
        for (int k = 0; k < form.Length; k++) if (!form[k].IsZero) target[k] += w * form[k];
    }

    /// <summary>factor·(form + shift) (the shift added to the constant).</summary>
    private static Rational[] Scale(Rational[] form, Rational factor, Rational shift)
    {
        var result = new Rational[form.Length];
        for (int k = 0; k < form.Length; k++) result[k] = factor * form[k];
        result[^1] += factor * shift;
        return result;
    }

    private static Rational[] Negate(Rational[] form) => [.. form.Select(v => -v)];

    /// <summary>The exact minimum of an affine form over the leaf's box.</summary>
    private static Rational Minimum(Rational[] form, LeafDomain leaf)
    {
        Rational m = form[^1];
        for (int k = 0; k < form.Length - 1; k++)
            if (form[k].Sign != 0) m += form[k] * (form[k].Sign > 0 ? leaf.Lower[k] : leaf.Upper[k]);
        return m;
    }
}
