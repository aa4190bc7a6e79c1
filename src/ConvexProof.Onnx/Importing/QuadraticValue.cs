using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>c·(w·x + β)² of the graph input x (w dense over x): one square in an entry of a <see cref="QuadraticValue"/>.</summary>
internal sealed record SquareOfInput(Rational Coefficient, Rational Beta, SparseRow W);

/// <summary>
/// A value with squares of affine forms of the graph input: entry i is row i of <see cref="Affine"/>
/// (an affine map of the sources, like a traced value) plus Σ c·(w·x + β)² over <see cref="Squares"/>[i].
/// It is not a <see cref="TracedValue"/>, so the lowerings that know only affine values cannot drop
/// its squares: <see cref="Match"/> refuses, and only <see cref="QuadraticLowering"/> handles it.
/// </summary>
internal sealed class QuadraticValue : GraphValue
{
    public QuadraticValue(long[] dims, AffineMap affine, SquareOfInput[][] squares)
    {
        if (ConstTensor.ElementCount(dims) != affine.Rows || squares.Length != affine.Rows)
            throw new InvalidOperationException($"internal error: shape {ConstTensor.ShapeText(dims)} for {affine.Rows} entries");
        Dims = dims;
        Affine = affine;
        Squares = squares;
    }

    public long[] Dims { get; }
    public AffineMap Affine { get; }
    public SquareOfInput[][] Squares { get; }
    public int Features => Affine.Rows;
    public override long[] Shape => Dims;
    public override int Rank => Dims.Length;

    public override T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced) => throw new SquaredValueException();

    /// <summary>Entry i multiplied by c[i] (squares by their coefficients).</summary>
    public QuadraticValue ScaleRows(Rational[] c) =>
        new(Dims, Affine.ScaleRows(c), [.. Squares.Select((row, i) => row.Select(s => s with { Coefficient = s.Coefficient * c[i] }).ToArray())]);
}

/// <summary>A lowering met a squared value it cannot take (GraphImporter names the node).</summary>
internal sealed class SquaredValueException : Exception
{
    public SquaredValueException() : base("this operator does not accept a value with squares of the input (supported on them: Add, Sub, Mul and Div by constants, Neg, ReduceSum, Reshape, Flatten, Squeeze, Unsqueeze, Identity, Relu, LeakyRelu, and Conv, Gemm or MatMul after they become an identity layer of their own)")
    {
    }
}
