using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// The weak-duality multipliers β_s ≥ 0 of one bound (the lower one, or the <see cref="Upper"/> one)
/// of one unit: each split s on the leaf's path gives a linear g_s(x) ≤ 0 valid on the leaf, and the
/// bound is the box minimum of the unit's form plus Σ β_s·g_s (docs/formats.md).
/// </summary>
public sealed record SplitMultipliers(int Neuron, bool Upper, (int Split, Rational Beta)[] Betas);

/// <summary>Where a ReLU unit's pre-activation lies on a leaf.</summary>
public enum UnitState
{
    /// <summary>Lower bound &gt; 0: on at every point of the leaf, with a positive margin.</summary>
    StablyOn,

    /// <summary>Upper bound &lt; 0: off at every point of the leaf, with a positive margin.</summary>
    StablyOff,

    /// <summary>Neither, strictly: the unit may switch (or sit at 0) on the leaf; it carries a condition.</summary>
    Unstable,
}

/// <summary>
/// Exact interval bounds of every unit's pre-activation over a leaf (a box and unit-sign splits),
/// by one forward pass of interval arithmetic in exact rationals: z ∈ b + Σ W·[h] + Σ S·[x], then
/// h ∈ σ([z]). A split unit's interval is intersected with [0, ∞) or (−∞, 0]; when that is empty
/// the leaf holds no point (<see cref="Empty"/>) and the pass stops.
/// </summary>
public sealed class PreActivationBounds
{
    internal PreActivationBounds(Network network, Interval[][] layers, int emptiedBy,
        IReadOnlyList<(int Neuron, Rational Slope)>? relaxation = null, IReadOnlyList<SplitMultipliers>? multipliers = null)
    {
        Multipliers = multipliers ?? [];
        Network = network;
        Layers = layers;
        EmptiedBy = emptiedBy;
        Relaxation = relaxation;
    }

    public Network Network { get; }

    /// <summary>Per layer, per unit: the pre-activation interval (layers after an empty split are not computed).</summary>
    public Interval[][] Layers { get; }

    /// <summary>True when the splits contradict the bounds: no point of the box satisfies them.</summary>
    public bool Empty => EmptiedBy >= 0;

    /// <summary>The split unit whose interval met the wrong side nowhere, or −1.</summary>
    public int EmptiedBy { get; }

    /// <summary>
    /// Null for the interval pass; for the linear pass (<see cref="LinearBounds"/>) the lower
    /// relaxation slope λ of each unit whose bounds straddle 0 there, in unit order.
    /// </summary>
    public IReadOnlyList<(int Neuron, Rational Slope)>? Relaxation { get; }

    /// <summary>For the linear pass: the split multipliers behind each bound that used any (unit order, lower first).</summary>
    public IReadOnlyList<SplitMultipliers> Multipliers { get; }

    public Interval OfNeuron(int neuron)
    {
        var id = Network.Neurons[neuron];
        return Layers[id.Layer][id.Unit];
    }

    /// <summary>Strict stability of a ReLU unit (global index).</summary>
    public UnitState StateOf(int neuron)
    {
        var z = OfNeuron(neuron);
        return z.Lo.Sign > 0 ? UnitState.StablyOn : z.Hi.Sign < 0 ? UnitState.StablyOff : UnitState.Unstable;
    }

    public static PreActivationBounds Compute(Network network, LeafDomain leaf)
    {
        int d = network.InputDim;
        var x = new Interval[d];
        for (int i = 0; i < d; i++) x[i] = new Interval(leaf.Lower[i], leaf.Upper[i]);
        var split = SplitSides(leaf);

        var layers = new Interval[network.Layers.Count][];
        var h = x;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var slopes = ActivationSlopes.Of(layer);
            var z = new Interval[layer.Outputs];
            var next = new Interval[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var sum = Dot(layer.Weights[i], h, layer.Bias[i]);
                if (layer.Skip is not null) sum = Dot(layer.Skip[i], x, Rational.Zero) + sum;
                int neuron = layer.Activation == Activation.Relu ? network.IndexOf(l, i) : -1;
                if (neuron >= 0 && split.TryGetValue(neuron, out bool nonNegative))
                {
                    sum = OnSide(sum, nonNegative);
                    if (sum.Lo > sum.Hi)
                    {
                        z[i] = sum;
                        layers[l] = z;
                        for (int m = l + 1; m < layers.Length; m++) layers[m] = [];
                        return new PreActivationBounds(network, layers, emptiedBy: neuron);
                    }
                }
                z[i] = sum;
                next[i] = slopes.Apply(sum);
            }
            layers[l] = z;
            h = next;
        }
        return new PreActivationBounds(network, layers, emptiedBy: -1);
    }

    /// <summary>The interval intersected with [0, ∞) or (−∞, 0]; Lo &gt; Hi when that is empty.</summary>
    internal static Interval OnSide(Interval z, bool nonNegative) =>
        nonNegative ? z with { Lo = Rational.Max(z.Lo, Rational.Zero) } : z with { Hi = Rational.Min(z.Hi, Rational.Zero) };

    /// <summary>The splits of a leaf by unit: true for the z ≥ 0 side.</summary>
    internal static Dictionary<int, bool> SplitSides(LeafDomain leaf)
    {
        var split = new Dictionary<int, bool>();
        foreach (var s in leaf.Splits) split[s.Neuron] = s.NonNegative;
        return split;
    }

    /// <summary>bias + Σ_j w_j·v_j over intervals, skipping zero weights.</summary>
    private static Interval Dot(Rational[] weights, Interval[] values, Rational bias)
    {
        Rational lo = bias, hi = bias;
        for (int j = 0; j < weights.Length; j++)
        {
            var w = weights[j];
            if (w.IsZero) continue;
            if (w.Sign > 0) { lo += w * values[j].Lo; hi += w * values[j].Hi; }
            else { lo += w * values[j].Hi; hi += w * values[j].Lo; }
        }
        return new Interval(lo, hi);
    }
}
