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

    /// <summary>The shape; null for a dimension of unknown size (a batch dimension).</summary>
    public abstract long?[] Shape { get; }

    public abstract int Rank { get; }

    /// <summary>The one exhaustive case split: every lowering that treats constants and traced
    /// values differently goes through here, so a new case cannot be forgotten.</summary>
    public abstract T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced);
}

/// <summary>A value computed from the graph input: an affine function of the sources, with a shape
/// whose last dimension is the feature count (the other dimensions are batch dimensions).</summary>
internal abstract class TracedValue : GraphValue
{
    private protected TracedValue(long?[] dims, AffineMap expr)
    {
        Dims = dims;
        Expr = expr;
    }

    public long?[] Dims { get; }
    public AffineMap Expr { get; }
    public int Features => Expr.Rows;
    public override long?[] Shape => Dims;
    public override int Rank => Dims.Length;

    /// <summary>The same value (and the same kind of value) with another shape.</summary>
    public abstract TracedValue WithDims(long?[] dims);

    public sealed override T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced) => traced(this);
}

/// <summary>The graph input or a ReLU layer's output (or a concatenation, reshape or transpose of
/// those): rows of the sources themselves, so a matrix product reads it directly.</summary>
internal sealed class SourceValue(long?[] dims, AffineMap expr) : TracedValue(dims, expr)
{
    public override TracedValue WithDims(long?[] dims) => new SourceValue(dims, Expr);
}

/// <summary>The result of arithmetic (Gemm, MatMul, Add, Mul, …): a matrix product of it first
/// makes it an identity layer of its own (<see cref="LayerChain.Readable"/>).</summary>
internal sealed class ComputedValue(long?[] dims, AffineMap expr) : TracedValue(dims, expr)
{
    /// <summary>The identity layer made of this value, once made (so two consumers share it).</summary>
    public int? IdentityLayer { get; set; }

    /// <summary>A reshaped copy knows the identity layer made so far (not one made later).</summary>
    public override TracedValue WithDims(long?[] dims) => new ComputedValue(dims, Expr) { IdentityLayer = IdentityLayer };
}
