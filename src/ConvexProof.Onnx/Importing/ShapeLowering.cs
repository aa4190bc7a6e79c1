using static ConvexProof.Onnx.Importing.MessageText;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Operators that move entries without arithmetic: Identity, Flatten, Reshape, Concat, Transpose.
/// Constants are rearranged freely; a traced value keeps one sample's features as its last
/// dimension (the other dimensions are batch dimensions).
/// </summary>
internal static class ShapeLowering
{
    /// <summary>The input itself (the same value, so an identity layer made of it is shared).</summary>
    public static GraphValue Identity(NodeContext node) => node.Input(0);

    public static GraphValue Flatten(NodeContext node)
    {
        var input = node.Input(0);
        long?[] dims = input.Shape;
        int rank = dims.Length;
        long axisAttribute = node.Int("axis", 1);
        long axis = axisAttribute < 0 ? axisAttribute + rank : axisAttribute;
        if (axis < 0 || axis > rank) throw node.Error($"axis {axisAttribute} is out of range for shape {ConstTensor.ShapeText(dims)}");
        return input.Match<GraphValue>(
            constant: c =>
            {
                long outer = ConstTensor.ElementCount(c.Dims.Take((int)axis)), inner = ConstTensor.ElementCount(c.Dims.Skip((int)axis));
                return c.Reshaped([outer, inner]);
            },
            traced: t =>
            {
                // The features (last dimension) must stay the last dimension: everything flattened
                // into them has to be of size 1.
                for (int k = (int)axis; k < rank - 1; k++)
                    if (dims[k] != 1)
                        throw node.Error($"flattening shape {ConstTensor.ShapeText(dims)} at axis {axis} would mix batch and feature dimensions");
                if (axis == rank)
                    throw node.Error($"flattening shape {ConstTensor.ShapeText(dims)} at axis {axis} would move the features into the batch dimension");
                long? batch = 1;
                for (int k = 0; k < axis; k++) batch = batch is long p && dims[k] is long q ? p * q : null;
                return t.WithDims([batch, t.Features]);
            });
    }

    public static GraphValue Reshape(NodeContext node)
    {
        var input = node.Input(0);
        var shapeTensor = node.ConstInput(1, "shape");
        if (shapeTensor.Rank != 1) throw node.Error("the shape must be a 1-D tensor");
        var target = shapeTensor.Data.Select(v => v.IsInteger && v.Numerator >= -1 && v.Numerator <= int.MaxValue
            ? (long)v.Numerator : throw node.Error($"the shape entry {v} is not a valid dimension")).ToArray();
        bool allowZero = node.Int("allowzero", 0) != 0;
        long?[] inDims = input.Shape;
        var resolved = new long?[target.Length];
        int inferred = -1;
        for (int k = 0; k < target.Length; k++)
        {
            if (target[k] == 0 && !allowZero)
            {
                if (k >= inDims.Length) throw node.Error("shape entry 0 copies a dimension the input does not have");
                resolved[k] = inDims[k];
            }
            else if (target[k] == -1)
            {
                if (inferred >= 0) throw node.Error("the shape has more than one -1");
                inferred = k;
            }
            else resolved[k] = target[k];
        }
        return input.Match(
            constant: c => ReshapeConstant(node, c, resolved, inferred),
            traced: t => ReshapeTraced(node, t, inDims, target, resolved, inferred));
    }

    private static GraphValue ReshapeConstant(NodeContext node, ConstTensor c, long?[] resolved, int inferred)
    {
        long known = ConstTensor.ElementCount(resolved.Where((_, k) => k != inferred).Select(d => d!.Value));
        if (inferred >= 0)
        {
            if (known == 0 || c.Data.Length % known != 0) throw node.Error("cannot infer the -1 dimension");
            resolved[inferred] = c.Data.Length / known;
        }
        var dims = resolved.Select(d => d!.Value).ToArray();
        if (ConstTensor.ElementCount(dims) != c.Data.Length)
            throw node.Error($"cannot reshape {ConstTensor.ShapeText(c.Dims)} to {ConstTensor.ShapeText(dims)}");
        return c.Reshaped(dims);
    }

    /// <summary>One sample's features must stay the last dimension; the other dimensions are batch
    /// dimensions (-1 or 0 keep the batch, 1 is a single sample).</summary>
    private static GraphValue ReshapeTraced(NodeContext node, TracedValue value, long?[] inDims, long[] target, long?[] resolved, int inferred)
    {
        if (target.Length == 0) throw node.Error("reshaping to a scalar is not supported");
        bool lastOk = resolved[^1] == value.Features
            || (inferred == target.Length - 1 && resolved.Take(target.Length - 1).All(d => d == 1) && inDims.Take(inDims.Length - 1).All(d => d == 1));
        if (!lastOk)
            throw node.Error($"reshaping {ConstTensor.ShapeText(inDims)} to {ConstTensor.ShapeText(target)} changes the feature dimension ({value.Features})");
        for (int k = 0; k < target.Length - 1; k++)
            if (k != inferred && resolved[k] is long d && d != 1 && !(k < inDims.Length - 1 && inDims[k] == d))
                throw node.Error($"reshaping {ConstTensor.ShapeText(inDims)} to {ConstTensor.ShapeText(target)} mixes batch and feature dimensions");
        var outDims = resolved.ToArray();
        outDims[^1] = value.Features;
        if (inferred >= 0 && inferred < target.Length - 1) outDims[inferred] = null;
        return value.WithDims(outDims);
    }

    /// <summary>Concatenation of traced values along the feature axis (the last).</summary>
    public static GraphValue Concat(NodeContext node)
    {
        int count = node.Node.Input.Count;
        if (count < 1) throw node.Error("Concat needs at least one input");
        node.CheckArity(1, int.MaxValue);
        var parts = new List<TracedValue>();
        for (int i = 0; i < count; i++)
            parts.Add(node.Input(i).Match(
                constant: _ => throw node.Error($"input {Quote(node.Node.Input[i])} is a constant; only values computed from the graph input can be concatenated"),
                traced: t => t));
        int rank = parts[0].Rank;
        if (parts.Any(p => p.Rank != rank)) throw node.Error("the inputs have different ranks");
        var axisAttribute = node.Attribute("axis") ?? throw node.Error("the attribute 'axis' is missing");
        long axis = axisAttribute.I < 0 ? axisAttribute.I + rank : axisAttribute.I;
        if (axis != rank - 1)
            throw node.Error($"Concat along axis {axisAttribute.I} is not supported; only the feature axis (the last, -1) is");
        int features = node.Width(parts.Sum(p => (long)p.Features));
        var dims = parts[0].Dims.ToArray();
        dims[^1] = features;
        var expr = AffineMap.Stack(parts.Select(p => p.Expr).ToList());
        return parts.Any(p => p is ComputedValue) ? new ComputedValue(dims, expr) : new SourceValue(dims, expr);
    }

    public static GraphValue Transpose(NodeContext node)
    {
        var input = node.Input(0);
        int rank = input.Rank;
        var permAttribute = node.Attribute("perm");
        int[] perm = permAttribute is null
            ? Enumerable.Range(0, rank).Reverse().ToArray()
            : permAttribute.Ints.Select(p => p >= 0 && p < rank ? (int)p : throw node.Error($"perm entry {p} is out of range")).ToArray();
        if (perm.Length != rank || perm.Distinct().Count() != rank) throw node.Error("perm is not a permutation of the axes");
        return input.Match<GraphValue>(
            constant: c => c.Transposed(perm),
            traced: t => rank == 0 || perm[^1] == rank - 1
                ? t.WithDims(perm.Select(p => t.Dims[p]).ToArray())
                : throw node.Error("transposing a value computed from the graph input is not supported"));
    }
}
