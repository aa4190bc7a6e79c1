using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>Numpy-style broadcasting as the lowerings need it: of a constant over a traced value
/// (the value's entries are never repeated: one sample stays one sample), of two traced values of
/// one shape, and of two constants.</summary>
internal static class Broadcasting
{
    /// <summary>The constant's entry for each entry of a tensor of shape <paramref name="shape"/>,
    /// or null when it does not broadcast to that shape (without growing it).</summary>
    public static Rational[]? To(ConstTensor c, long[] shape)
    {
        var result = ConstTensor.BroadcastShape(shape, c.Dims);
        if (result is null || ConstTensor.ElementCount(result) != ConstTensor.ElementCount(shape)) return null;
        long count = ConstTensor.ElementCount(result);
        var values = new Rational[count];
        var index = new long[result.Length];
        for (long flat = 0; flat < count; flat++)
        {
            values[flat] = c.BroadcastAt(result, index);
            for (int k = result.Length - 1; k >= 0; k--)
            {
                if (++index[k] < result[k]) break;
                index[k] = 0;
            }
        }
        return values;
    }

    /// <summary>A constant broadcast over a traced value: one entry per entry of the value.</summary>
    public static Rational[] Over(ConstTensor c, TracedValue value, NodeContext node, string role) =>
        To(c, value.Dims) ?? throw node.Error(
            $"the {role} has shape {ConstTensor.ShapeText(c.Dims)}, which does not broadcast to the shape {ConstTensor.ShapeText(value.Dims)} of the value computed from the graph input (a per-sample constant is needed)");

    /// <summary>The shape of a traced value combined with a constant of higher rank (leading 1s).</summary>
    public static long[] Dims(TracedValue value, ConstTensor c)
    {
        if (c.Rank <= value.Rank) return value.Dims;
        var dims = new long[c.Rank];
        for (int k = 0; k < c.Rank - value.Rank; k++) dims[k] = 1;
        Array.Copy(value.Dims, 0, dims, c.Rank - value.Rank, value.Rank);
        return dims;
    }

    /// <summary>The shape of a ∘ b for two traced values, which must have the same entries (the
    /// shapes may differ only by leading 1s).</summary>
    public static long[] SameEntries(TracedValue a, TracedValue b, NodeContext node)
    {
        var shape = ConstTensor.BroadcastShape(a.Dims, b.Dims);
        if (shape is null || ConstTensor.ElementCount(shape) != a.Features || a.Features != b.Features)
            throw node.Error($"combines values of shapes {ConstTensor.ShapeText(a.Dims)} and {ConstTensor.ShapeText(b.Dims)}, which differ");
        return shape;
    }

    /// <summary>a ∘ b of two constants, folded exactly.</summary>
    public static ConstTensor Fold(NodeContext node, ConstTensor a, ConstTensor b, Func<Rational, Rational, Rational> op)
    {
        var shape = ConstTensor.BroadcastShape(a.Dims, b.Dims)
            ?? throw node.Error($"shapes {ConstTensor.ShapeText(a.Dims)} and {ConstTensor.ShapeText(b.Dims)} do not broadcast");
        if (ConstTensor.ElementCount(shape) > TensorDecoder.MaxElements) throw node.Error("the result is too large");
        return ConstTensor.Elementwise(a, b, shape, op);
    }
}
