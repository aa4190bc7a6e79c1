namespace ConvexProof.Checker;

/// <summary>One layer: z = W·h + S·x + b, then a rectifier max(z, α·z) (ReLU: α = 0, leaky: 0 &lt; α &lt; 1) or the identity.</summary>
internal sealed record Layer(Rational[][] W, Rational[] B, Rational[][]? S, bool Relu, Rational Alpha = default)
{
    public Rational Activate(Rational z) => Relu && z.Sign < 0 ? Alpha * z : z;

    /// <summary>For α = p/q: H = m·Z with m = q for a unit on (1 for identity units) and p for a unit off (see LocalMaps).</summary>
    public Integer OnFactor { get; } = Relu ? Alpha.Denominator : 1;
    public Integer OffFactor { get; } = Relu ? Alpha.Numerator : 1;

    public int Out => B.Length;
    public int In => W.Length == 0 ? 0 : W[0].Length; // 0: a weight-shared layer (Composition/SharedNetwork.cs)

    /// <summary>Index of this layer's first unit among all units of all layers.</summary>
    public int FirstUnit { get; set; }

    /// <summary>Global ReLU number of this layer's first unit (the count so far for identity layers).</summary>
    public int FirstNeuron { get; set; }
}

/// <summary>
/// A network read from net.json. "Units" are all outputs of all layers (identity layers included);
/// "neurons" are the ReLU units only, numbered as in docs/formats.md.
/// </summary>
internal class Network
{
    public Network(int inputDim, Layer[] layers)
    {
        InputDim = inputDim;
        Layers = layers;
        var neuronUnit = new List<int>();
        int units = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l].FirstUnit = units;
            layers[l].FirstNeuron = neuronUnit.Count;
            if (layers[l].Relu) neuronUnit.AddRange(Enumerable.Range(units, layers[l].Out));
            units += layers[l].Out;
        }
        NeuronUnit = [.. neuronUnit];
    }

    public int InputDim { get; }
    public Layer[] Layers { get; }
    public int UnitCount => Layers[^1].FirstUnit + Layers[^1].Out;
    public int NeuronCount => NeuronUnit.Length;

    /// <summary>The quadratic parts of a composition model (Composition/Squares.cs), null for a plain network.</summary>
    public Squares? Squares { get; init; }

    /// <summary>For ReLU neuron k: its unit index.</summary>
    public int[] NeuronUnit { get; }

    /// <summary>The output unit (the last layer has exactly one unit).</summary>
    public int OutputUnit => UnitCount - 1;

    /// <summary>The layer of ReLU neuron k.</summary>
    public Layer LayerOf(int neuron) => Layers.First(l => l.Relu && neuron < l.FirstNeuron + l.Out);

    /// <summary>Number of ReLU neurons before those after neuron k's layer (where its downstream pattern starts).</summary>
    public int DownstreamStart(int neuron) => LayerOf(neuron) is var l ? l.FirstNeuron + l.Out : 0;

    /// <summary>f(x) by an exact forward pass (no pattern is assumed), quadratic parts included.</summary>
    public virtual Rational Evaluate(Rational[] x)
    {
        Rational[] h = x;
        for (int l = 0; l < Layers.Length; l++)
        {
            var (layer, next) = (Layers[l], new Rational[Layers[l].Out]);
            for (int i = 0; i < layer.Out; i++)
            {
                Rational z = layer.B[i] + (Squares?.Term(l, i, x) ?? Rational.Zero);
                var row = layer.W[i];
                for (int j = 0; j < row.Length; j++) if (!row[j].IsZero) z += row[j] * h[j];
                for (int j = 0; layer.S is not null && j < InputDim; j++) if (!layer.S[i][j].IsZero) z += layer.S[i][j] * x[j];
                next[i] = Squares?.Output(l, layer.Activate(z)) ?? layer.Activate(z);
            }
            h = next;
        }
        return h[0] + (Squares?.Input(x) ?? Rational.Zero);
    }
}
