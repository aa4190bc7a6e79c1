using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// The layers found so far, in graph order: each Relu makes a ReLU layer, each matrix product of a
/// <see cref="ComputedValue"/> an identity layer, and the graph output the last identity layer.
/// Layer k is source k of <see cref="AffineMap"/> (source 0 is the graph input).
/// </summary>
internal sealed class LayerChain(string file)
{
    private sealed record PendingLayer(AffineMap Pre, Activation Activation, string Place, Rational Alpha = default)
    {
        /// <summary>The layer in weight-shared form (then <see cref="Pre"/> has only the bias of every unit), or null.</summary>
        public Composition.SharedLayer? Shared { get; init; }

        /// <summary>The shape of the layer's output value (to recognise a convolution of it).</summary>
        public long[]? Dims { get; init; }

        /// <summary>Squares of affine forms of the input added to each unit's pre-activation (composition models), or null.</summary>
        public SquareOfInput[][]? Squares { get; init; }

        /// <summary>Whether the outputs are squared (h = σ(z)²).</summary>
        public bool SquareOutput { get; set; }
    }

    private readonly List<PendingLayer> _layers = [];

    /// <summary>The most dense weights and biases a network may have (a 28×28 convolutional model has about 6·10⁵).</summary>
    public const long MaxDenseParameters = TensorDecoder.MaxElements;

    /// <summary>A ReLU layer (leaky when <paramref name="alpha"/> &gt; 0) of <paramref name="value"/>; its output is a new source.</summary>
    public SourceValue AddRelu(TracedValue value, string place, Rational alpha = default)
    {
        _layers.Add(new PendingLayer(value.Expr, Activation.Relu, place, alpha) { Dims = value.Dims });
        return new SourceValue(value.Dims, AffineMap.Source(_layers.Count, value.Features));
    }

    /// <summary>A rectifier layer (ReLU for α = 0) of a value with squares of the input: they become the layer's quadratic terms.</summary>
    public SourceValue AddRelu(QuadraticValue value, string place, Rational alpha)
    {
        _layers.Add(new PendingLayer(value.Affine, Activation.Relu, place, alpha) { Squares = value.Squares, Dims = value.Dims });
        return new SourceValue(value.Dims, AffineMap.Source(_layers.Count, value.Features));
    }

    /// <summary>An identity layer of a value with squares (so that a matrix product can read it).</summary>
    public SourceValue IdentityLayerOf(QuadraticValue value, string place)
    {
        _layers.Add(new PendingLayer(value.Affine, Activation.Identity, place) { Squares = value.Squares, Dims = value.Dims });
        return new SourceValue(value.Dims, AffineMap.Source(_layers.Count, value.Features));
    }

    /// <summary>
    /// Squares the outputs of the last layer when <paramref name="expr"/> is exactly its whole output
    /// (every unit once, in order, nothing added), it is a rectifier layer, not yet squared, and
    /// nothing but the square reads that value (<paramref name="name"/>, the square's input, is the
    /// output of the node that made the layer, and <paramref name="consumers"/> = 1): then every
    /// later use sees the square. False otherwise (nothing changes).
    /// </summary>
    public bool SquareLatest(AffineMap expr, string name, int consumers)
    {
        if (consumers != 1 || _layers.Count == 0 || _latestName != name || expr.Terms.Count != 1 || !expr.Terms.TryGetValue(_layers.Count, out var m)) return false;
        var layer = _layers[^1];
        bool whole = m.RowCount == layer.Pre.Rows && expr.Bias.All(b => b.IsZero)
            && m.Rows.Select((row, i) => row.Count == 1 && row.Columns[0] == i && row.Values[0] == Rational.One).All(ok => ok);
        if (!whole || layer.Activation != Activation.Relu || layer.SquareOutput) return false;
        layer.SquareOutput = true;
        return true;
    }

    private string? _latestName;

    /// <summary>Whether convolutions may be kept as kernels (the graph squares something: a composition model; plain networks stay dense).</summary>
    public bool ShareConvolutions { get; set; }

    /// <summary>The graph input's shape, for <see cref="DimsOf"/>.</summary>
    public long[]? InputDims { get; set; }

    /// <summary>The shape of source k's value (0: the graph input), when known.</summary>
    public long[]? DimsOf(int source) => source == 0 ? InputDims : source <= _layers.Count ? _layers[source - 1].Dims : null;

    /// <summary>
    /// A rectifier of a shared value as a weight-shared layer: one convolution of the previous layer
    /// (of the input for the first layer), at most one of the input besides, and the squares. Null
    /// when the value is not of that form (it is then read in its sparse form).
    /// </summary>
    public SourceValue? AddShared(SharedValue value, string place, Rational alpha)
    {
        int previous = _layers.Count;
        var main = value.Parts.Where(p => p.Source == previous).ToList();
        var skip = value.Parts.Where(p => p.Source == 0 && previous != 0).ToList();
        if (main.Count != 1 || skip.Count > 1 || main.Count + skip.Count != value.Parts.Count) return null;
        var shared = new Composition.SharedLayer(main[0].Conv, skip.Count == 1 ? skip[0].Conv : null, value.Square, value.Bias);
        _layers.Add(new PendingLayer(AffineMap.Constant(shared.UnitBias()), Activation.Relu, place, alpha) { Shared = shared, Dims = value.Dims });
        return new SourceValue(value.Dims, AffineMap.Source(_layers.Count, value.Features));
    }

    /// <summary>Whether some layer is in weight-shared form.</summary>
    public bool HasShared => _layers.Any(l => l.Shared is not null);

    /// <summary>The layers made so far (to see whether a node made one).</summary>
    public int Count => _layers.Count;

    /// <summary>
    /// Records the graph name of the last layer's output (the output of the node that made it): only
    /// a square of that very name may square the layer, since a reshape or copy of it may have other readers.
    /// </summary>
    public void NameLatest(string name) => _latestName = name;

    /// <summary>Whether some layer has squares (the model is a composition model).</summary>
    public bool HasSquares => _layers.Any(l => l.Squares is not null || l.SquareOutput || l.Shared is not null);

    /// <summary>The quadratic parts of the layers built by <see cref="Build"/>, the output's squares last (dense rows over x).</summary>
    public IReadOnlyList<Composition.LayerSquares> Squares(int inputDim, SquareOfInput[][]? output) =>
        [.. _layers.Select(l => (l.Squares, l.SquareOutput, l.Shared)).Append((output, false, null)).Select(p => p.Item1 is null && !p.Item2 && p.Item3 is null ? Composition.LayerSquares.None
            : new Composition.LayerSquares([.. (p.Item1 ?? []).SelectMany((row, u) => row.Select(s => new Composition.SquareTerm(u, s.Coefficient, s.Beta, Dense(s.W, inputDim))))], p.Item2) { Shared = p.Item3 })];

    private static Rational[] Dense(SparseRow row, int columns)
    {
        var dense = AffineMap.Zeros(columns);
        for (int k = 0; k < row.Count; k++) dense[row.Columns[k]] = row.Values[k];
        return dense;
    }

    /// <summary>The affine expression a matrix product multiplies: the value itself, or the identity
    /// layer made of it when it is the result of arithmetic (made once, then shared).</summary>
    public AffineMap Readable(TracedValue value, string place)
    {
        if (value is not ComputedValue computed) return value.Expr;
        if (computed.IdentityLayer is null)
        {
            _layers.Add(new PendingLayer(computed.Expr, Activation.Identity, place) { Dims = computed.Dims });
            computed.IdentityLayer = _layers.Count;
        }
        return AffineMap.Source(computed.IdentityLayer.Value, computed.Features);
    }

    /// <summary>The network: these layers, then <paramref name="output"/> as the last (identity)
    /// layer. Each layer may read the previous layer and, through a skip, the input.</summary>
    public Network Build(int inputDim, AffineMap output, string place)
    {
        var pendings = _layers.Append(new PendingLayer(output, Activation.Identity, place)).ToList();
        // The layers are dense (a convolution's zeros included): refuse before allocating them.
        long dense = 0, previous = inputDim;
        for (int k = 0; k < pendings.Count; k++)
        {
            var pending = pendings[k];
            dense += pending.Shared is not null ? pending.Pre.Rows : pending.Pre.Rows * (previous + (k > 0 && pending.Pre.Terms.ContainsKey(0) ? inputDim : 0) + 1L);
            previous = pending.Pre.Rows;
            if (dense > MaxDenseParameters)
                throw new InputException(file, pending.Place, $"the dense network would have more than {MaxDenseParameters} parameters (ConvexProof's layers are dense matrices, a convolution's zeros included)");
        }
        var layers = new List<Layer>();
        var widths = new List<int> { inputDim };
        for (int k = 0; k < pendings.Count; k++)
        {
            var pending = pendings[k];
            var pre = pending.Pre;
            foreach (var source in pre.Terms.Keys)
                if (source != 0 && source != k)
                    throw new InputException(file, pending.Place, source > k
                        ? "internal error: a layer reads a later layer"
                        : $"{(k == pendings.Count - 1 ? "the output layer" : $"hidden layer {k + 1}")} reads hidden layer {source} directly, not only the previous layer {k}; a ConvexProof network feeds each layer from the previous layer and, through skip connections, from the input");
            int inputs = widths[k];
            Rational[][] weights = pending.Shared is not null ? [] : pre.Terms.TryGetValue(k, out var w) ? w.ToDense() : AffineMap.ZeroMatrix(pre.Rows, inputs);
            Rational[][]? skip = k > 0 && pre.Terms.TryGetValue(0, out var s) ? s.ToDense() : null;
            layers.Add(new Layer(weights, (Rational[])pre.Bias.Clone(), skip, pending.Activation) { Alpha = pending.Alpha });
            widths.Add(pre.Rows);
        }
        return new Network(inputDim, layers);
    }
}
