using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Census;

/// <summary>How the census draws weights and biases (docs/census.md).</summary>
public enum CensusInit
{
    /// <summary>PyTorch's nn.Linear default: weights and biases U(-1/√fan_in, 1/√fan_in), float32.</summary>
    TorchDefault,

    /// <summary>Weights and biases N(0, σ²), σ = 1/√fan_in, rounded to float32.</summary>
    Normal,

    /// <summary>As <see cref="TorchDefault"/>, but the output layer's weights are |N(0, σ²)|, σ = 1/√fan_in (folded normal).</summary>
    FoldedLast,
}

/// <summary>
/// Draws one random ReLU network: input_dim inputs, the given hidden widths (ReLU), one identity
/// output. Layer by layer, the weights row by row (output unit, then input), then the biases — the
/// order in which nn.Linear initialises them. Every value is a float32, stored as its exact rational.
/// </summary>
public static class NetworkSampler
{
    public static string Name(CensusInit init) => init switch
    {
        CensusInit.TorchDefault => "torch-default",
        CensusInit.Normal => "normal",
        CensusInit.FoldedLast => "folded-last",
        _ => throw new ArgumentOutOfRangeException(nameof(init)),
    };

    public static CensusInit? Parse(string name) => name switch
    {
        "torch-default" => CensusInit.TorchDefault,
        "normal" => CensusInit.Normal,
        "folded-last" => CensusInit.FoldedLast,
        _ => null,
    };

    public static Network Sample(int inputDim, IReadOnlyList<int> hidden, CensusInit init, CensusRandom random)
    {
        var layers = new List<Layer>();
        int fanIn = inputDim;
        for (int l = 0; l <= hidden.Count; l++)
        {
            bool output = l == hidden.Count;
            int units = output ? 1 : hidden[l];
            // PyTorch computes the bound in double and uniform_ takes it as a float32.
            float bound = (float)(1.0 / Math.Sqrt(fanIn));
            Func<float> weight = init switch
            {
                CensusInit.Normal => () => (float)(random.NextNormal() * bound),
                CensusInit.FoldedLast when output => () => (float)Math.Abs(random.NextNormal() * bound),
                _ => () => Uniform(random, bound),
            };
            Func<float> bias = init == CensusInit.Normal ? () => (float)(random.NextNormal() * bound) : () => Uniform(random, bound);
            var weights = new Rational[units][];
            for (int i = 0; i < units; i++)
            {
                weights[i] = new Rational[fanIn];
                for (int j = 0; j < fanIn; j++) weights[i][j] = Exact(weight());
            }
            var biases = new Rational[units];
            for (int i = 0; i < units; i++) biases[i] = Exact(bias());
            layers.Add(new Layer(weights, biases, null, output ? Activation.Identity : Activation.Relu));
            fanIn = units;
        }
        return new Network(inputDim, layers);
    }

    /// <summary>
    /// U(-b, b) as PyTorch's CPU uniform_ computes it in float32: u·(b − (−b)) + (−b), u a 24-bit
    /// float in [0, 1), each operation rounded to float32.
    /// </summary>
    private static float Uniform(CensusRandom random, float bound)
    {
        float u = random.NextFloat();
        float range = bound - -bound;
        float scaled = u * range;
        return scaled + -bound;
    }

    private static Rational Exact(float value) => Rational.FromDouble(value);
}
