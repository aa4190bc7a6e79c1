using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>A tensor whose value is known when the model is read (an initializer, a Constant node or
/// something computed only from those), with exact entries in row-major order.</summary>
internal sealed class ConstTensor : GraphValue
{
    public ConstTensor(long[] dims, Rational[] data)
    {
        Dims = dims;
        Data = data;
    }

    public long[] Dims { get; }
    public Rational[] Data { get; }
    public override int Rank => Dims.Length;
    public override long[] Shape => Dims;

    public override T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced) => constant(this);

    /// <summary>The number of entries of a shape (dimensions ≥ 0); long.MaxValue when it does not
    /// fit in a long, which is more than any tensor that was read can hold.</summary>
    public static long ElementCount(IEnumerable<long> dims)
    {
        if (dims.Contains(0)) return 0;
        long n = 1;
        foreach (var d in dims) n = n > long.MaxValue / d ? long.MaxValue : n * d;
        return n;
    }

    public static string ShapeText(IEnumerable<long> dims) => "[" + string.Join(", ", dims) + "]";

    public static string ShapeText(IEnumerable<long?> dims) =>
        "[" + string.Join(", ", dims.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")) + "]";

    /// <summary>Entry (i, j) of a 2-D tensor.</summary>
    public Rational At(long i, long j) => Data[i * Dims[1] + j];

    /// <summary>Every entry mapped by <paramref name="f"/>, same shape.</summary>
    public ConstTensor Select(Func<Rational, Rational> f) => new(Dims, Data.Select(f).ToArray());

    /// <summary>The same entries with another shape of equal size.</summary>
    public ConstTensor Reshaped(long[] dims) => new(dims, Data);

    /// <summary>Axes permuted: result dimension k is input dimension perm[k].</summary>
    public ConstTensor Transposed(int[] perm)
    {
        int rank = Rank;
        var newDims = new long[rank];
        for (int k = 0; k < rank; k++) newDims[k] = Dims[perm[k]];
        var inStrides = Strides(Dims);
        var result = new Rational[Data.Length];
        var index = new long[rank];
        for (long flat = 0; flat < result.Length; flat++)
        {
            long source = 0;
            for (int k = 0; k < rank; k++) source += index[k] * inStrides[perm[k]];
            result[flat] = Data[source];
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++index[k] < newDims[k]) break;
                index[k] = 0;
            }
        }
        return new ConstTensor(newDims, result);
    }

    public static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (int k = dims.Length - 1; k >= 0; k--)
        {
            strides[k] = s;
            s *= dims[k];
        }
        return strides;
    }

    /// <summary>Numpy-style broadcasting of two shapes, or null when they do not broadcast.</summary>
    public static long[]? BroadcastShape(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            long da = k - (rank - a.Length) >= 0 ? a[k - (rank - a.Length)] : 1;
            long db = k - (rank - b.Length) >= 0 ? b[k - (rank - b.Length)] : 1;
            if (da == db || db == 1) result[k] = da;
            else if (da == 1) result[k] = db;
            else return null;
        }
        return result;
    }

    /// <summary>The entry of this tensor that broadcasting maps to position <paramref name="index"/> of <paramref name="shape"/>.</summary>
    public Rational BroadcastAt(long[] shape, long[] index)
    {
        int offset = shape.Length - Rank;
        long flat = 0;
        var strides = Strides(Dims);
        for (int k = 0; k < Rank; k++)
            if (Dims[k] != 1) flat += index[k + offset] * strides[k];
        return Data[flat];
    }

    /// <summary>Elementwise a ∘ b with numpy broadcasting (the caller checked the shapes).</summary>
    public static ConstTensor Elementwise(ConstTensor a, ConstTensor b, long[] shape, Func<Rational, Rational, Rational> op)
    {
        long count = ElementCount(shape);
        var result = new Rational[count];
        var index = new long[shape.Length];
        for (long flat = 0; flat < count; flat++)
        {
            result[flat] = op(a.BroadcastAt(shape, index), b.BroadcastAt(shape, index));
            for (int k = shape.Length - 1; k >= 0; k--)
            {
                if (++index[k] < shape[k]) break;
                index[k] = 0;
            }
        }
        return new ConstTensor(shape, result);
    }
}
