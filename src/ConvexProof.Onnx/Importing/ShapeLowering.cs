using System.Numerics;
using ConvexProof.Numbers;
using static ConvexProof.Onnx.Importing.MessageText;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Operators that move entries without arithmetic: Identity, Flatten, Reshape, Squeeze, Unsqueeze,
/// Concat, Transpose, Slice, Pad. A traced value is one sample's tensor (its batch dimension has size 1), so a
/// change of shape keeps its rows and a rearrangement permutes them; constants are rearranged the
/// same way.
/// </summary>
internal static class ShapeLowering
{
    /// <summary>The input itself (the same value, so an identity layer made of it is shared).</summary>
    public static GraphValue Identity(NodeContext node) => node.Input(0);

    public static GraphValue Flatten(NodeContext node)
    {
        var input = node.Input(0);
        long[] dims = input.Shape;
        int rank = dims.Length;
        long axisAttribute = node.Int("axis", 1);
        long axis = axisAttribute < 0 ? axisAttribute + rank : axisAttribute;
        if (axis < 0 || axis > rank) throw node.Error($"axis {axisAttribute} is out of range for shape {ConstTensor.ShapeText(dims)}");
        long outer = ConstTensor.ElementCount(dims.Take((int)axis)), inner = ConstTensor.ElementCount(dims.Skip((int)axis));
        return WithShape(input, [outer, inner]);
    }

    public static GraphValue Reshape(NodeContext node)
    {
        var input = node.Input(0);
        var shapeTensor = node.ConstInput(1, "shape");
        if (shapeTensor.Rank != 1) throw node.Error("the shape must be a 1-D tensor");
        var target = shapeTensor.Data.Select(v => v.IsInteger && v.Numerator >= -1 && v.Numerator <= int.MaxValue
            ? (long)v.Numerator : throw node.Error($"the shape entry {v} is not a valid dimension")).ToArray();
        bool allowZero = node.Int("allowzero", 0) != 0;
        long[] inDims = input.Shape;
        // An export with a fixed batch size writes it into reshapes ([batch, -1]); a traced value
        // is one sample, so that entry is its batch dimension of size 1.
        if (input is TracedValue && target.Length > 0 && inDims.Length > 0 && inDims[0] == 1 && target[0] > 1 && target[0] == node.DeclaredBatch)
            target[0] = 1;
        var resolved = new long[target.Length];
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
        long count = ConstTensor.ElementCount(inDims);
        if (inferred >= 0)
        {
            long known = ConstTensor.ElementCount(resolved.Where((_, k) => k != inferred));
            if (known == 0 || count % known != 0) throw node.Error("cannot infer the -1 dimension");
            resolved[inferred] = count / known;
        }
        if (ConstTensor.ElementCount(resolved) != count)
            throw node.Error($"cannot reshape {ConstTensor.ShapeText(inDims)} to {ConstTensor.ShapeText(target)}");
        return WithShape(input, resolved);
    }

    /// <summary>Squeeze: the axes given (an attribute before opset 13, an input since), or every axis of size 1.</summary>
    public static GraphValue Squeeze(NodeContext node)
    {
        var input = node.Input(0);
        long[] dims = input.Shape;
        var axes = Axes(node, dims.Length);
        if (axes is null) return WithShape(input, dims.Where(d => d != 1).ToArray());
        foreach (int a in axes)
            if (dims[a] != 1) throw node.Error($"axis {a} of shape {ConstTensor.ShapeText(dims)} has size {dims[a]}, not 1");
        return WithShape(input, dims.Where((_, k) => !axes.Contains(k)).ToArray());
    }

    /// <summary>Unsqueeze: a dimension of size 1 at each of the axes (of the result).</summary>
    public static GraphValue Unsqueeze(NodeContext node)
    {
        var input = node.Input(0);
        long[] dims = input.Shape;
        var axes = Axes(node, dims.Length + AxisCount(node)) ?? throw node.Error("the axes are missing");
        var result = new List<long>(dims);
        foreach (int a in axes.Order()) result.Insert(a, 1);
        return WithShape(input, [.. result]);
    }

    private static int AxisCount(NodeContext node) =>
        node.Attribute("axes")?.Ints.Count ?? (node.Optional(1) is ConstTensor c ? c.Data.Length : 0);

    /// <summary>The axes of Squeeze/Unsqueeze (attribute or constant input), normalised and distinct; null when none are given.</summary>
    private static int[]? Axes(NodeContext node, int rank)
    {
        IEnumerable<long>? raw = node.Attribute("axes")?.Ints;
        if (node.Optional(1) is not null)
            raw = node.ConstInput(1, "axes").Data.Select(v => v.IsInteger && v.Numerator >= -rank && v.Numerator < rank ? (long)v.Numerator : long.MaxValue);
        if (raw is null) return null;
        var axes = raw.Select(a => a >= -rank && a < rank ? (int)(a < 0 ? a + rank : a) : throw node.Error($"an axis is out of range for rank {rank}")).ToArray();
        if (axes.Distinct().Count() != axes.Length) throw node.Error("an axis is given twice");
        return axes;
    }

    /// <summary>The same entries with another shape (the caller checked the size).</summary>
    private static GraphValue WithShape(GraphValue value, long[] dims) => value.Match<GraphValue>(
        constant: c => c.Reshaped(dims),
        traced: t => t.WithDims(dims));

    /// <summary>Concatenation along one axis, of traced values and constants.</summary>
    public static GraphValue Concat(NodeContext node)
    {
        int count = node.Node.Input.Count;
        if (count < 1) throw node.Error("Concat needs at least one input");
        node.CheckArity(1, int.MaxValue);
        var parts = Enumerable.Range(0, count).Select(node.Input).ToList();
        int rank = parts[0].Rank;
        if (parts.Any(p => p.Rank != rank)) throw node.Error("the inputs have different ranks");
        var axisAttribute = node.Attribute("axis") ?? throw node.Error("the attribute 'axis' is missing");
        long axis = axisAttribute.I < 0 ? axisAttribute.I + rank : axisAttribute.I;
        if (axis < 0 || axis >= rank) throw node.Error($"axis {axisAttribute.I} is out of range for rank {rank}");
        for (int k = 0; k < rank; k++)
            if (k != axis && parts.Any(p => p.Shape[k] != parts[0].Shape[k]))
                throw node.Error($"the inputs' shapes ({string.Join(", ", parts.Select(p => ConstTensor.ShapeText(p.Shape)))}) differ outside axis {axis}");
        var dims = parts[0].Shape.ToArray();
        dims[axis] = parts.Sum(p => p.Shape[axis]);
        var index = TensorIndexing.Concatenate(parts.Select(p => p.Shape).ToList(), (int)axis);
        if (parts.All(p => p is ConstTensor))
        {
            var data = parts.SelectMany(p => ((ConstTensor)p).Data).ToArray();
            return new ConstTensor(dims, index.Select(i => data[i]).ToArray());
        }
        node.Width(ConstTensor.ElementCount(dims));
        var expr = AffineMap.Stack(parts.Select(p => p.Match(constant: c => AffineMap.Constant(c.Data), traced: t => t.Expr)).ToList());
        if (!IsIdentity(index)) expr = expr.Gather(index);
        return parts.All(p => p is SourceValue) ? new SourceValue(dims, expr) : new ComputedValue(dims, expr);
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
            traced: t => Permuted(t, perm));
    }

    /// <summary>A traced value with its axes permuted (dimension k of the result is dimension perm[k]).</summary>
    public static TracedValue Permuted(TracedValue value, int[] perm)
    {
        var dims = perm.Select(p => value.Dims[p]).ToArray();
        var index = TensorIndexing.Transpose(value.Dims, perm);
        return IsIdentity(index) ? value.WithDims(dims) : value.Rearranged(dims, index);
    }

    private static bool IsIdentity(int[] index)
    {
        for (int i = 0; i < index.Length; i++) if (index[i] != i) return false;
        return true;
    }

    /// <summary>Pad (constant, reflect or edge; negative pads crop): pads and the constant are
    /// attributes before opset 11 and inputs since.</summary>
    public static GraphValue Pad(NodeContext node)
    {
        var input = node.Input(0);
        long[] dims = input.Shape;
        int rank = dims.Length;
        string mode = node.String("mode", "constant");
        long[] pads;
        Rational fill = Rational.Zero;
        if (node.Attribute("pads") is { } padsAttribute)
        {
            pads = [.. padsAttribute.Ints];
            fill = node.Float("value", Rational.Zero);
        }
        else
        {
            pads = node.ConstInput(1, "pads").Data.Select(v => v.IsInteger && BigIntegerFits(v) ? (long)v.Numerator : throw node.Error($"pad {v} is not a valid size")).ToArray();
            if (node.Optional(2) is not null)
            {
                var c = node.ConstInput(2, "constant value");
                if (c.Data.Length != 1) throw node.Error("the constant value must be a scalar");
                fill = c.Data[0];
            }
        }
        int[] axes = Enumerable.Range(0, rank).ToArray();
        if (node.Optional(3) is not null)
            axes = node.ConstInput(3, "axes").Data.Select(v => v.IsInteger && v >= -rank && v < rank ? (int)(v.Sign < 0 ? v.Numerator + rank : v.Numerator) : throw node.Error($"axis {v} is out of range")).ToArray();
        if (pads.Length != 2 * axes.Length)
            throw node.Error($"{pads.Length} pads for {axes.Length} axes (expected {2 * axes.Length}: the begins, then the ends)");
        var begin = new long[rank];
        var end = new long[rank];
        for (int i = 0; i < axes.Length; i++)
        {
            begin[axes[i]] = pads[i];
            end[axes[i]] = pads[i + axes.Length];
        }
        var outDims = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            outDims[k] = dims[k] + begin[k] + end[k];
            if (outDims[k] < 0) throw node.Error($"the pads crop axis {k} of shape {ConstTensor.ShapeText(dims)} below size 0");
            if (mode is "reflect" or "edge" or "wrap" && (begin[k] > 0 || end[k] > 0) && dims[k] == 0)
                throw node.Error($"{mode} padding of an empty axis");
            if (mode == "reflect" && (begin[k] > dims[k] - 1 || end[k] > dims[k] - 1))
                throw node.Error($"reflect padding of axis {k} by more than its size minus one");
        }
        if (mode is not ("constant" or "reflect" or "edge" or "wrap")) throw node.Error($"pad mode {Quote(mode)} is not supported (constant, reflect, edge and wrap are)");
        if (ConstTensor.ElementCount(outDims) > TensorDecoder.MaxElements) throw node.Error("the result is too large");
        var strides = ConstTensor.Strides(dims);
        var index = new int[ConstTensor.ElementCount(outDims)];
        TensorIndexing.ForEach(outDims, (at, flat) =>
        {
            long source = 0;
            for (int k = 0; k < rank && source >= 0; k++)
            {
                long j = at[k] - begin[k];
                if (j < 0 || j >= dims[k])
                    j = mode switch
                    {
                        "reflect" => j < 0 ? -j : 2 * (dims[k] - 1) - j,
                        "edge" => j < 0 ? 0 : dims[k] - 1,
                        "wrap" => ((j % dims[k]) + dims[k]) % dims[k], // circular padding (opset 19)
                        _ => long.MinValue,
                    };
                source = j == long.MinValue ? -1 : source + j * strides[k];
            }
            index[flat] = (int)source;
        });
        return input.Match<GraphValue>(
            constant: c => new ConstTensor(outDims, index.Select(i => i < 0 ? fill : c.Data[i]).ToArray()),
            traced: t =>
            {
                node.Width(index.Length);
                var padded = t.Rearranged(outDims, index);
                return fill.IsZero ? padded : new ComputedValue(outDims, padded.Expr.Shift(index.Select(i => i < 0 ? fill : Rational.Zero).ToArray()));
            });
    }

    /// <summary>Slice (starts, ends, axes, steps: inputs since opset 10, attributes before), with
    /// ONNX's clamping of out-of-range bounds and negative steps.</summary>
    public static GraphValue Slice(NodeContext node)
    {
        var input = node.Input(0);
        long[] dims = input.Shape;
        int rank = dims.Length;
        long[] Bounds(int i, string name, bool required)
        {
            if (node.Ints(name) is { } attribute) return attribute;
            if (node.Optional(i) is null)
                return required ? throw node.Error($"the {name} are missing") : [];
            return node.ConstInput(i, name).Data.Select(v => v.IsInteger
                ? (long)BigInteger.Clamp(v.Numerator, long.MinValue / 4, long.MaxValue / 4)
                : throw node.Error($"{name} entry {v} is not an integer")).ToArray();
        }
        var starts = Bounds(1, "starts", true);
        var ends = Bounds(2, "ends", true);
        var axes = Bounds(3, "axes", false);
        var steps = Bounds(4, "steps", false);
        if (axes.Length == 0) axes = Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        if (steps.Length == 0) steps = Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw node.Error("starts, ends, axes and steps have different lengths");
        var first = new long[rank];
        var step = Enumerable.Repeat(1L, rank).ToArray();
        var outDims = dims.ToArray();
        var seen = new bool[rank];
        for (int i = 0; i < starts.Length; i++)
        {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank || seen[a]) throw node.Error($"axis {axes[i]} is out of range or repeated");
            seen[a] = true;
            long n = dims[a], s = steps[i];
            if (s == 0) throw node.Error("a step is 0");
            long start = starts[i] < 0 ? starts[i] + n : starts[i], end = ends[i] < 0 ? ends[i] + n : ends[i];
            if (s > 0) { start = Math.Clamp(start, 0, n); end = Math.Clamp(end, 0, n); }
            else { start = Math.Clamp(start, 0, n - 1); end = Math.Clamp(end, -1, n - 1); }
            first[a] = start;
            step[a] = s;
            outDims[a] = s > 0 ? Math.Max(0, (end - start + s - 1) / s) : Math.Max(0, (start - end + -s - 1) / -s);
        }
        var strides = ConstTensor.Strides(dims);
        var index = new int[ConstTensor.ElementCount(outDims)];
        TensorIndexing.ForEach(outDims, (at, flat) =>
        {
            long source = 0;
            for (int k = 0; k < rank; k++) source += (first[k] + at[k] * step[k]) * strides[k];
            index[flat] = (int)source;
        });
        return input.Match<GraphValue>(
            constant: c => new ConstTensor(outDims, index.Select(i => c.Data[i]).ToArray()),
            traced: t => IsIdentity(index) && index.Length == t.Features ? t.WithDims(outDims) : t.Rearranged(outDims, index)); // a leading part is no identity
    }

    private static bool BigIntegerFits(Rational v) => v.Numerator >= int.MinValue && v.Numerator <= int.MaxValue;
}
