using ConvexProof.Composition;
using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Keeps convolutions of composition models as kernels (docs/formats.md, "Weight-shared layers"):
/// a 2-D Conv whose dense matrix would have more than <see cref="MinDenseEntries"/> entries, reading
/// the graph input or a rectifier layer directly or through a zero, circular or reflect padding of it
/// (recognised exactly from the padded value's entries), becomes a <see cref="SharedValue"/>; sums of
/// such values on different sources, per-channel constants, the square of one on the input, and a
/// rectifier of the result (a weight-shared layer) keep the kernels. Anything else reads the exact
/// sparse form, as a dense import would have traced it.
/// </summary>
internal static class SharedLowering
{
    /// <summary>Smaller convolutions stay dense (as before: their models import as they always did).</summary>
    public const long MinDenseEntries = 1_000_000;

    /// <summary>The lowering of a Conv kept as kernels or of a node reading a shared value, or null for the ordinary lowering.</summary>
    public static GraphValue? TryLower(NodeContext node)
    {
        string op = node.Node.OpType;
        if (op == "Conv" && node.Layers.ShareConvolutions) return Conv(node);
        var inputs = Enumerable.Range(0, node.Node.Input.Count).Select(node.Optional).ToArray();
        if (!inputs.Any(i => i is SharedValue)) return null;
        GraphValue? kept = op switch
        {
            "Add" when inputs is [SharedValue a, SharedValue b] => Sum(a, b),
            "Add" when inputs is [SharedValue a, ConstTensor c] => Shifted(a, c),
            "Add" when inputs is [ConstTensor c, SharedValue a] => Shifted(a, c),
            "Pow" when inputs is [SharedValue a, ConstTensor e] && e.Data is [var two] && two == 2 => Squared(a),
            "Mul" when inputs is [SharedValue a, SharedValue b] && ReferenceEquals(a, b) => Squared(a),
            "Relu" when inputs is [SharedValue a] => node.Layers.AddShared(a, node.Place, Rational.Zero),
            "LeakyRelu" when inputs is [SharedValue a] => node.Layers.AddShared(a, node.Place, ActivationLowering.LeakySlope(node)),
            _ => null,
        };
        if (kept is not null) return kept;
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is SharedValue shared) node = node.WithInput(i, shared.Materialise());
        return QuadraticLowering.TryLower(node) ?? Operators.Find(op)!.Lower(node);
    }

    private static GraphValue? Conv(NodeContext node)
    {
        if (node.Optional(0) is not SourceValue input || input.Rank != 4 || input.Expr.Terms.Count != 1 || input.Expr.Bias.Any(b => !b.IsZero)) return null;
        var (source, gather) = input.Expr.Terms.First();
        if (node.Layers.DimsOf(source) is not [1, long c, long h, long w] || input.Dims[1] != c) return null;
        var (_, weight, bias, group) = ConvolutionLowering.Operands(node, "Conv");
        if (weight.Rank != 4) return null;
        var kernel = WindowGeometry.KernelShape(node, weight.Dims[2..], 2);
        var g = WindowGeometry.Read(node, input.Dims[2..], kernel, ceilMode: false);
        var sourceShape = new TensorShape((int)c, (int)h, (int)w);
        if ((double)weight.Dims[0] * g.Output[0] * g.Output[1] * sourceShape.Size <= MinDenseEntries) return null;
        if (Padding(gather, sourceShape, input.Dims, g) is not var (pads, mode)) return null;
        if (weight.Dims[0] * g.Output[0] * g.Output[1] > SharedLimits.MaxLayerUnits || weight.Data.Length > SharedLimits.MaxKernelEntries) return null;
        var conv = new SharedConv(sourceShape, (int)weight.Dims[0], (int)kernel[0], (int)kernel[1], weight.Data,
            ((int)g.Strides[0], (int)g.Strides[1]), ((int)g.Dilations[0], (int)g.Dilations[1]), (int)group, pads, mode);
        if (conv.Output.Height != g.Output[0] || conv.Output.Width != g.Output[1]) return null;
        return new SharedValue([1, conv.OutChannels, conv.Output.Height, conv.Output.Width], [new SharedPart(source, conv)], bias, null);
    }

    /// <summary>
    /// The padding of the source that the Conv's input is: the source itself with the Conv's own
    /// (zero) pads, or a zero, circular or reflect padding of it (the Conv then pads nothing), found by
    /// comparing every entry of the input with the padding's; null when it is neither.
    /// </summary>
    private static ((int, int, int, int), PaddingMode)? Padding(SparseMatrix gather, TensorShape source, long[] dims, WindowGeometry g)
    {
        int[] index = [.. gather.Rows.Select(r => r.Count == 0 ? -1 : r.Count == 1 && r.Values[0] == Rational.One ? r.Columns[0] : -2)];
        if (index.Contains(-2)) return null;
        int height = (int)dims[2], width = (int)dims[3];
        int extraH = height - source.Height, extraW = width - source.Width;
        if (extraH == 0 && extraW == 0 && index.Select((j, i) => j == i).All(ok => ok))
            return (((int)g.PadBegin[0], (int)g.PadBegin[1], (int)g.PadEnd[0], (int)g.PadEnd[1]), PaddingMode.Zeros);
        if (extraH < 0 || extraW < 0 || g.PadBegin.Concat(g.PadEnd).Any(p => p != 0)) return null;
        foreach (var mode in new[] { PaddingMode.Zeros, PaddingMode.Circular, PaddingMode.Reflect })
            for (int top = 0; top <= extraH; top++)
                for (int left = 0; left <= extraW; left++)
                {
                    int slack = mode == PaddingMode.Reflect ? 1 : 0, bottom = extraH - top, right = extraW - left;
                    if (mode != PaddingMode.Zeros && (Math.Max(top, bottom) > source.Height - slack || Math.Max(left, right) > source.Width - slack)) continue;
                    if (Matches(index, source, height, width, top, left, mode)) return ((top, left, bottom, right), mode);
                }
        return null;
    }

    private static bool Matches(int[] index, TensorShape source, int height, int width, int top, int left, PaddingMode mode)
    {
        for (int c = 0, i = 0; c < source.Channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++, i++)
                {
                    int r = SharedConv.Source(y - top, source.Height, mode), col = SharedConv.Source(x - left, source.Width, mode);
                    if (index[i] != (r < 0 || col < 0 ? -1 : (c * source.Height + r) * source.Width + col)) return false;
                }
        return true;
    }

    /// <summary>a + b when they make the same units from different sources and at most one has squares.</summary>
    private static SharedValue? Sum(SharedValue a, SharedValue b) =>
        a.Output == b.Output && !a.Parts.Any(p => b.Parts.Any(q => q.Source == p.Source)) && (a.Square is null || b.Square is null)
            ? new SharedValue(a.Dims, [.. a.Parts, .. b.Parts], [.. a.Bias.Zip(b.Bias, (x, y) => x + y)], a.Square ?? b.Square) : null;

    /// <summary>a + c for a constant c that is one value per channel ([O, 1, 1], [1, O, 1, 1]) or a scalar.</summary>
    private static SharedValue? Shifted(SharedValue a, ConstTensor c)
    {
        int channels = a.Output.Channels;
        bool perChannel = c.Data.Length == channels && c.Rank >= 3 && c.Rank <= 4 && c.Dims[c.Rank - 3] == channels;
        if (c.Data.Length != 1 && !perChannel) return null;
        return new SharedValue(a.Dims, a.Parts, [.. a.Bias.Select((b, o) => b + c.Data[c.Data.Length == 1 ? 0 : o])], a.Square);
    }

    /// <summary>(K * x + b)² of one convolution of the graph input.</summary>
    private static SharedValue? Squared(SharedValue a) =>
        a is { Square: null, Parts: [{ Source: 0 } part] } ? new SharedValue(a.Dims, [], AffineMap.Zeros(a.Output.Channels), new SquaredConv(part.Conv, a.Bias, Rational.One)) : null;
}
