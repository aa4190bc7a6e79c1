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
    private sealed record PendingLayer(AffineMap Pre, Activation Activation, string Place, Rational Alpha = default);

    private readonly List<PendingLayer> _layers = [];

    /// <summary>The most dense weights and biases a network may have (a 28×28 convolutional model has about 6·10⁵).</summary>
    public const long MaxDenseParameters = TensorDecoder.MaxElements;

    /// <summary>A ReLU layer (leaky when <paramref name="alpha"/> &gt; 0) of <paramref name="value"/>; its output is a new source.</summary>
    public SourceValue AddRelu(TracedValue value, string place, Rational alpha = default)
    {
        _layers.Add(new PendingLayer(value.Expr, Activation.Relu, place, alpha));
        return new SourceValue(value.Dims, AffineMap.Source(_layers.Count, value.Features));
    }

    /// <summary>The affine expression a matrix product multiplies: the value itself, or the identity
    /// layer made of it when it is the result of arithmetic (made once, then shared).</summary>
    public AffineMap Readable(TracedValue value, string place)
    {
        if (value is not ComputedValue computed) return value.Expr;
        if (computed.IdentityLayer is null)
        {
            _layers.Add(new PendingLayer(computed.Expr, Activation.Identity, place));
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
            dense += pending.Pre.Rows * (previous + (k > 0 && pending.Pre.Terms.ContainsKey(0) ? inputDim : 0) + 1L);
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
            Rational[][] weights = pre.Terms.TryGetValue(k, out var w) ? w.ToDense() : AffineMap.ZeroMatrix(pre.Rows, inputs);
            Rational[][]? skip = k > 0 && pre.Terms.TryGetValue(0, out var s) ? s.ToDense() : null;
            layers.Add(new Layer(weights, (Rational[])pre.Bias.Clone(), skip, pending.Activation) { Alpha = pending.Alpha });
            widths.Add(pre.Rows);
        }
        return new Network(inputDim, layers);
    }
}
