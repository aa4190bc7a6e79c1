using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// The interval backward pass: for every unit, an interval containing its adjoint
/// δ_ν = ∂f/∂h_ν = Σ_j W_{j,ν}·σ'(z_j)·δ_j (δ_out = 1) for every choice of slopes σ'(z_j) the
/// leaf allows (exactly 1 or α on strictly stable units, anywhere in [α, 1] on the others). With
/// 0/1 slopes δ_ν is the kink value c_ν(a) = ⟨a, Φ^{ν→}⟩ of the downstream pattern a, so the lower
/// end bounds c_ν over every downstream pattern consistent with the leaf's bounds.
/// </summary>
public sealed class ConditionBounds
{
    private ConditionBounds(Interval[][] adjoints, int[] unstable, Rational[] lower)
    {
        Adjoints = adjoints;
        UnstableNeurons = unstable;
        LowerBounds = lower;
    }

    /// <summary>Per layer, per unit: the interval of δ (the output unit: [1, 1]).</summary>
    public Interval[][] Adjoints { get; }

    /// <summary>The ReLU units (global indices, increasing) that are not strictly stable: the ones with a condition.</summary>
    public int[] UnstableNeurons { get; }

    /// <summary>The lower bound of c_ν for each of <see cref="UnstableNeurons"/>, in the same order.</summary>
    public Rational[] LowerBounds { get; }

    /// <summary>True when every condition lower bound is ≥ 0: the leaf is certified.</summary>
    public bool Certifies => LowerBounds.All(b => b.Sign >= 0);

    /// <summary>The unstable unit with the most negative lower bound (lowest index on ties), or −1 when the leaf certifies.</summary>
    public int WorstNeuron()
    {
        int worst = -1;
        for (int k = 0; k < LowerBounds.Length; k++)
            if (LowerBounds[k].Sign < 0 && (worst < 0 || LowerBounds[k] < LowerBounds[worst])) worst = k;
        return worst < 0 ? -1 : UnstableNeurons[worst];
    }

    public static ConditionBounds Compute(PreActivationBounds bounds)
    {
        if (bounds.Empty) throw new ArgumentException("an empty leaf has no conditions", nameof(bounds));
        var network = bounds.Network;
        int layers = network.Layers.Count;
        var adjoints = new Interval[layers][];
        adjoints[layers - 1] = [Interval.Point(Rational.One)];
        for (int l = layers - 2; l >= 0; l--)
        {
            var above = network.Layers[l + 1];
            var slopes = ActivationSlopes.Of(above);
            // g_j = σ'(z_j)·δ_j for the units j of layer l+1.
            var g = new Interval[above.Outputs];
            for (int j = 0; j < above.Outputs; j++)
                g[j] = adjoints[l + 1][j].TimesNonNegative(slopes.Slopes(bounds.Layers[l + 1][j]));
            var delta = new Interval[network.Layers[l].Outputs];
            for (int nu = 0; nu < delta.Length; nu++)
            {
                Rational lo = Rational.Zero, hi = Rational.Zero;
                for (int j = 0; j < above.Outputs; j++)
                {
                    var w = above.Weights[j][nu];
                    if (w.IsZero) continue;
                    var term = g[j].Scale(w);
                    lo += term.Lo;
                    hi += term.Hi;
                }
                delta[nu] = new Interval(lo, hi);
            }
            adjoints[l] = delta;
        }
        var unstable = new List<int>();
        var lower = new List<Rational>();
        for (int k = 0; k < network.NeuronCount; k++)
        {
            if (bounds.StateOf(k) != UnitState.Unstable) continue;
            var id = network.Neurons[k];
            unstable.Add(k);
            lower.Add(adjoints[id.Layer][id.Unit].Lo);
        }
        return new ConditionBounds(adjoints, [.. unstable], [.. lower]);
    }
}
