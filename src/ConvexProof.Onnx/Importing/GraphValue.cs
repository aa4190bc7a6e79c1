namespace ConvexProof.Onnx.Importing;

/// <summary>
/// What a name in the graph holds while the importer walks it. The cases are closed (the
/// constructor is private to this project): a <see cref="ConstTensor"/>, known when the model is
/// read, or a <see cref="TracedValue"/>, an exact affine function of the graph input and the
/// hidden layers found so far (<see cref="SourceValue"/> or <see cref="ComputedValue"/>).
/// </summary>
internal abstract class GraphValue
{
    private protected GraphValue()
    {
    }

    /// <summary>The shape. Values from the graph input have the shape they have for one sample
    /// (a batch dimension of size 1), so every dimension is known.</summary>
    public abstract long[] Shape { get; }

    public abstract int Rank { get; }

    /// <summary>The one exhaustive case split: every lowering that treats constants and traced
    /// values differently goes through here, so a new case cannot be forgotten.</summary>
    public abstract T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced);
}

/// <summary>A value computed from the graph input: a tensor (for one sample) whose entries, in
/// row-major order, are the rows of an affine function of the sources.</summary>
internal abstract class TracedValue : GraphValue
{
    private protected TracedValue(long[] dims, AffineMap expr)
    {
        if (ConstTensor.ElementCount(dims) != expr.Rows)
            throw new InvalidOperationException($"internal error: shape {ConstTensor.ShapeText(dims)} for {expr.Rows} entries");
        Dims = dims;
        Expr = expr;
    }

    public long[] Dims { get; }
    public AffineMap Expr { get; }

    /// <summary>The number of entries (per sample).</summary>
    public int Features => Expr.Rows;
    public override long[] Shape => Dims;
    public override int Rank => Dims.Length;

    /// <summary>The same value (and the same kind of value) with another shape of as many entries.</summary>
    public abstract TracedValue WithDims(long[] dims);

    /// <summary>The entries rearranged (index[o] is the entry that becomes entry o; −1 a zero):
    /// the same kind of value, since no arithmetic is done.</summary>
    public abstract TracedValue Rearranged(long[] dims, int[] index);

    public sealed override T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced) => traced(this);
}

/// <summary>The graph input or a ReLU layer's output (or a concatenation, reshape, transpose or
/// zero padding of those): rows of the sources themselves (or zero), so a matrix product reads it
/// directly.</summary>
internal sealed class SourceValue(long[] dims, AffineMap expr) : TracedValue(dims, expr)
{
    public override TracedValue WithDims(long[] dims) => new SourceValue(dims, Expr);

    public override TracedValue Rearranged(long[] dims, int[] index) => new SourceValue(dims, Expr.Gather(index));
}

/// <summary>The result of arithmetic (Gemm, MatMul, Add, Mul, …): a matrix product of it first
/// makes it an identity layer of its own (<see cref="LayerChain.Readable"/>).</summary>
internal sealed class ComputedValue(long[] dims, AffineMap expr) : TracedValue(dims, expr)
{
    /// <summary>The identity layer made of this value, once made (so two consumers share it).</summary>
    public int? IdentityLayer { get; set; }

    /// <summary>A reshaped copy knows the identity layer made so far (not one made later).</summary>
    public override TracedValue WithDims(long[] dims) => new ComputedValue(dims, Expr) { IdentityLayer = IdentityLayer };

    public override TracedValue Rearranged(long[] dims, int[] index) => new ComputedValue(dims, Expr.Gather(index));
}
