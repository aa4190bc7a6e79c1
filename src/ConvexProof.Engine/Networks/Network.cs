using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>
/// How a layer's units turn pre-activations into outputs: a rectifier σ(z) = max(z, αz) with the
/// layer's slope 0 ≤ α &lt; 1 (α = 0: ReLU; α &gt; 0: leaky ReLU), or the identity.
/// </summary>
public enum Activation
{
    Relu,
    Identity,
}

/// <summary>
/// One affine layer: z = W·h_prev + S·x + b, then the activation. <see cref="Skip"/> is the optional
/// direct connection from the network input (as in input-convex networks).
/// </summary>
public sealed record Layer(Rational[][] Weights, Rational[] Bias, Rational[][]? Skip, Activation Activation)
{
    public int Outputs => Bias.Length;
    public int Inputs => Weights.Length == 0 ? 0 : Weights[0].Length;

    /// <summary>
    /// The rectifier's slope for z &lt; 0, exactly: 0 for ReLU, α ∈ (0, 1) for a leaky ReLU
    /// (meaningless for identity layers, where it stays 0). A unit that is off passes α·z.
    /// </summary>
    public Rational Alpha { get; init; } = Rational.Zero;

    /// <summary>Whether this layer's rectifier is leaky (α &gt; 0).</summary>
    public bool IsLeaky => Activation == Activation.Relu && !Alpha.IsZero;

    /// <summary>σ(z): z for identity units and for z ≥ 0, α·z below 0.</summary>
    public Rational Activate(Rational z) => Activation == Activation.Relu && z.Sign < 0 ? Alpha * z : z;

    /// <summary>"relu", "leaky_relu" or "identity", as net.json and the network hash name this layer's activation.</summary>
    public string ActivationName => NameOf(Activation, Alpha);

    /// <summary>The net.json name of an activation with slope <paramref name="alpha"/> below 0 (α = 0: "relu").</summary>
    public static string NameOf(Activation activation, Rational alpha) =>
        activation == Activation.Identity ? "identity" : alpha.IsZero ? "relu" : "leaky_relu";
}

/// <summary>A hidden ReLU unit, addressed by its layer and its row in that layer.</summary>
public readonly record struct NeuronId(int Layer, int Unit)
{
    public override string ToString() => $"layer {Layer + 1} unit {Unit + 1}";
}

/// <summary>
/// A feed-forward ReLU network with exact rational parameters. Hidden layers are ReLU or identity;
/// the last layer is an identity layer with one output. ReLU units are numbered globally in layer
/// order ("neuron indices"); activation patterns, constraints and certificates use that numbering.
/// </summary>
public sealed class Network
{
    public Network(int inputDim, IReadOnlyList<Layer> layers)
    {
        InputDim = inputDim;
        Layers = layers;
        var neurons = new List<NeuronId>();
        var first = new int[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            first[l] = neurons.Count;
            if (layers[l].Activation == Activation.Relu)
                for (int u = 0; u < layers[l].Outputs; u++) neurons.Add(new NeuronId(l, u));
        }
        Neurons = neurons;
        FirstNeuronOfLayer = first;
    }

    public int InputDim { get; }
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>All ReLU units in global order.</summary>
    public IReadOnlyList<NeuronId> Neurons { get; }

    /// <summary>Global index of the first ReLU unit of each layer (the count so far for non-ReLU layers).</summary>
    public IReadOnlyList<int> FirstNeuronOfLayer { get; }

    public int NeuronCount => Neurons.Count;

    public int ParameterCount
    {
        get
        {
            int n = 0;
            foreach (var layer in Layers)
                n += layer.Outputs * layer.Inputs + layer.Outputs + (layer.Skip is null ? 0 : layer.Outputs * InputDim);
            return n;
        }
    }

    /// <summary>Global neuron index of a ReLU unit.</summary>
    public int IndexOf(int layer, int unit) => FirstNeuronOfLayer[layer] + unit;

    /// <summary>Exact value of f at x (the network's output).</summary>
    public Rational Evaluate(IReadOnlyList<Rational> x)
    {
        Rational[] h = [.. x];
        foreach (var layer in Layers)
        {
            var next = new Rational[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                Rational z = layer.Bias[i];
                var row = layer.Weights[i];
                for (int j = 0; j < row.Length; j++) if (!row[j].IsZero) z += row[j] * h[j];
                if (layer.Skip is not null)
                    for (int j = 0; j < InputDim; j++) if (!layer.Skip[i][j].IsZero) z += layer.Skip[i][j] * x[j];
                next[i] = layer.Activate(z);
            }
            h = next;
        }
        return h[0];
    }
}
