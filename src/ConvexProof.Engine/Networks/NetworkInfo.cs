using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>One layer as `convexproof info` describes it.</summary>
public sealed record LayerSummary(int Index, int Units, int Inputs, Activation Activation, bool Skip, long Parameters)
{
    /// <summary>The rectifier's slope below 0 (0 for ReLU and identity layers).</summary>
    public Rational Alpha { get; init; } = Rational.Zero;

    /// <summary>"relu", "leaky_relu" (α &gt; 0) or "identity", as net.json names it.</summary>
    public string ActivationName => Layer.NameOf(Activation, Alpha);
}

/// <summary>
/// The weight that makes the instant ICNN test fail: a negative weight <see cref="Value"/> applied
/// to an input of its layer that is a convex, non-affine function of x (a ReLU output, or a sum
/// that contains one).
/// </summary>
public sealed record IcnnObstacle(int Layer, int Row, int Column, Rational Value)
{
    public string JsonPath => $"$.layers[{Layer}].weights[{Row}][{Column}]";
}

/// <summary>
/// Facts about a network that need no region enumeration: architecture, parameter count, an
/// instant sufficient test for convexity (input-convex structure) and an upper bound on the number
/// of activation regions.
/// </summary>
public sealed record NetworkInfo(
    int InputDim,
    IReadOnlyList<LayerSummary> Layers,
    int ReluUnits,
    long Parameters,
    long Weights,
    long Biases,
    long SkipWeights,
    bool IsIcnn,
    IcnnObstacle? IcnnObstacle,
    BigInteger RegionBound)
{
    /// <summary>How <see cref="RegionBound"/> is computed, for the reader.</summary>
    public const string RegionBoundFormula =
        "product over ReLU layers of sum_{j=0..min(d,n)} C(n,j), n = the layer's width, d = input_dim";

    /// <summary>How <see cref="IsIcnn"/> is decided, for the reader.</summary>
    public const string IcnnRule =
        "every weight applied to a ReLU output (or to a sum containing one) is >= 0, in every layer after the first " +
        "including the output layer; skip weights and weights on affine inputs may have any sign";

    public static NetworkInfo Of(Network network)
    {
        var layers = new List<LayerSummary>();
        long weights = 0, biases = 0, skips = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            long w = (long)layer.Outputs * layer.Inputs, s = layer.Skip is null ? 0 : (long)layer.Outputs * network.InputDim;
            weights += w;
            biases += layer.Outputs;
            skips += s;
            layers.Add(new LayerSummary(l, layer.Outputs, layer.Inputs, layer.Activation, layer.Skip is not null, w + layer.Outputs + s) { Alpha = layer.Alpha });
        }
        var obstacle = FindIcnnObstacle(network);
        return new NetworkInfo(network.InputDim, layers, network.NeuronCount, weights + biases + skips, weights, biases, skips,
            obstacle is null, obstacle, RegionUpperBound(network));
    }

    /// <summary>
    /// The instant sufficient test for convexity. Each unit's output is tracked as affine in x or
    /// convex in x: inputs are affine; a pre-activation is affine when every input it weighs (weight
    /// ≠ 0) is affine, convex when every non-affine input it weighs has a weight ≥ 0 (a non-negative
    /// sum of convex functions plus an affine one); ReLU and identity are convex and non-decreasing,
    /// so they keep convexity, and ReLU of anything that is not constant is no longer affine.
    /// Returns the first weight that breaks this, or null when f is convex by construction. In the
    /// usual layout (ReLU hidden layers) this is exactly: all hidden-to-hidden and hidden-to-output
    /// weights ≥ 0, skips of any sign.
    /// </summary>
    public static IcnnObstacle? FindIcnnObstacle(Network network)
    {
        // affine[j]: is output j of the previous layer an affine function of x? (The input is.)
        var affine = Enumerable.Repeat(true, network.InputDim).ToArray();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var next = new bool[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                bool isAffine = true;
                var row = layer.Weights[i];
                for (int j = 0; j < row.Length; j++)
                {
                    if (row[j].IsZero || affine[j]) continue;
                    isAffine = false;
                    if (row[j].Sign < 0) return new IcnnObstacle(l, i, j, row[j]);
                }
                // ReLU(affine) is convex but not affine (a constant stays affine: it has no kink).
                next[i] = isAffine && (layer.Activation == Activation.Identity || IsConstantUnit(layer, i));
            }
            affine = next;
        }
        return null;
    }

    /// <summary>True when the unit's pre-activation is a constant (no input and no skip weight).</summary>
    private static bool IsConstantUnit(Layer layer, int unit)
    {
        if (layer.Weights[unit].Any(w => !w.IsZero)) return false;
        return layer.Skip is null || layer.Skip[unit].All(s => s.IsZero);
    }

    /// <summary>
    /// An upper bound on the number of activation regions (full-dimensional pieces with distinct
    /// patterns) on all of R^d, hence on any box: Π over ReLU layers of Σ_{j=0}^{min(d,n)} C(n, j).
    /// Inside one region of the layers before it, a layer's n units are n affine functions of x, so
    /// their zero sets are at most n hyperplanes of R^d, which cut a convex set into at most
    /// Σ_{j≤d} C(n, j) pieces (Zaslavsky); this holds with skip connections and identity layers too.
    /// </summary>
    public static BigInteger RegionUpperBound(Network network)
    {
        var bound = BigInteger.One;
        foreach (var layer in network.Layers)
            if (layer.Activation == Activation.Relu) bound *= HyperplaneRegions(layer.Outputs, network.InputDim);
        return bound;
    }

    /// <summary>Σ_{j=0}^{min(d,n)} C(n, j): the most pieces n hyperplanes cut R^d into.</summary>
    public static BigInteger HyperplaneRegions(int n, int d)
    {
        BigInteger sum = BigInteger.Zero, binomial = BigInteger.One; // C(n, 0)
        for (int j = 0; j <= Math.Min(n, d); j++)
        {
            sum += binomial;
            binomial = binomial * (n - j) / (j + 1);
        }
        return sum;
    }
}
