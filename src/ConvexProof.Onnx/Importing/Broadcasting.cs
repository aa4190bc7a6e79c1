using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>Numpy-style broadcasting as the lowerings need it: of a constant over the features of a
/// traced value, and of two constants.</summary>
internal static class Broadcasting
{
    /// <summary>A constant broadcast over a value of <paramref name="features"/> features: one
    /// entry per feature (or one for all), and size 1 in every other dimension.</summary>
    public static Rational[] PerFeature(ConstTensor c, int features, NodeContext node, string role)
    {
        bool ok = c.Rank == 0 || c.Dims[^1] == features || c.Dims[^1] == 1;
        for (int k = 0; k < c.Rank - 1; k++) ok &= c.Dims[k] == 1;
        if (!ok)
            throw node.Error($"the {role} has shape {ConstTensor.ShapeText(c.Dims)}, which does not broadcast to one entry per feature of a value with {features} features (a per-sample constant is needed)");
        var vector = new Rational[features];
        for (int i = 0; i < features; i++) vector[i] = c.Data.Length == 1 ? c.Data[0] : c.Data[i];
        return vector;
    }

    /// <summary>The shape of a traced value combined with a constant of higher rank (leading 1s).</summary>
    public static long?[] Dims(TracedValue value, ConstTensor c)
    {
        if (c.Rank <= value.Rank) return value.Dims;
        var dims = new long?[c.Rank];
        for (int k = 0; k < c.Rank - value.Rank; k++) dims[k] = 1;
        Array.Copy(value.Dims, 0, dims, c.Rank - value.Rank, value.Rank);
        return dims;
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
