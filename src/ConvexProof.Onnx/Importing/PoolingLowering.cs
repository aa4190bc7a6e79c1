using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Pooling: AveragePool and GlobalAveragePool are linear (each output is the mean of its window,
/// weights exactly 1/count) and fold into the value like arithmetic; MaxPool is not affine and
/// is rejected.
/// </summary>
internal static class PoolingLowering
{
    public static GraphValue AveragePool(NodeContext node)
    {
        var input = Spatial(node, "AveragePool");
        long batch = input.Dims[0], channels = input.Dims[1];
        var spatial = input.Dims[2..];
        var kernel = WindowGeometry.KernelShape(node, null, spatial.Length);
        var g = WindowGeometry.Read(node, spatial, kernel, ceilMode: node.Int("ceil_mode", 0) != 0);
        bool includePad = node.Int("count_include_pad", 0) != 0;
        var outDims = new long[] { batch, channels }.Concat(g.Output).ToArray();
        int outCount = node.Width(ConstTensor.ElementCount(outDims));
        long inPlane = ConstTensor.ElementCount(spatial);
        long window = ConstTensor.ElementCount(kernel);
        if (window > 0 && outCount > LayerChain.MaxDenseParameters / window)
            throw node.Error($"the pooling would visit more than {LayerChain.MaxDenseParameters} entries");
        var inStrides = ConstTensor.Strides(spatial);
        var rows = new SparseRow[outCount];
        var columns = new List<int>();
        int row = 0;
        for (long plane = 0; plane < batch * channels; plane++)
            TensorIndexing.ForEach(g.Output, (o, _) =>
            {
                // The divisor counts the window's positions inside the input, or (count_include_pad)
                // inside the padded input, as PyTorch does: positions past the end padding, which
                // ceil_mode can reach, never count.
                long counted = 1;
                for (int i = 0; i < g.Axes; i++)
                {
                    long n = 0;
                    for (long k = 0; k < kernel[i]; k++)
                    {
                        long p = o[i] * g.Strides[i] - g.PadBegin[i] + k * g.Dilations[i];
                        if (includePad ? p >= -g.PadBegin[i] && p < spatial[i] + g.PadEnd[i] : p >= 0 && p < spatial[i]) n++;
                    }
                    counted *= n;
                }
                TensorIndexing.ForEach(kernel, (k, _) =>
                {
                    long position = 0;
                    for (int i = 0; i < g.Axes; i++)
                    {
                        long p = o[i] * g.Strides[i] - g.PadBegin[i] + k[i] * g.Dilations[i];
                        if (p < 0 || p >= spatial[i]) return;
                        position += p * inStrides[i];
                    }
                    columns.Add((int)(plane * inPlane + position));
                });
                var weight = counted == 0 ? Rational.Zero : new Rational(1, counted);
                rows[row++] = new SparseRow([.. columns], columns.Select(_ => weight).ToArray());
                columns.Clear();
            });
        return new ComputedValue(outDims, input.Expr.Apply(new SparseMatrix(input.Features, rows)));
    }

    public static GraphValue GlobalAveragePool(NodeContext node)
    {
        var input = Spatial(node, "GlobalAveragePool");
        long planes = input.Dims[0] * input.Dims[1];
        long plane = ConstTensor.ElementCount(input.Dims[2..]);
        var weight = new Rational(1, plane);
        var rows = new SparseRow[planes];
        for (long c = 0; c < planes; c++)
        {
            var columns = new int[plane];
            for (long j = 0; j < plane; j++) columns[j] = (int)(c * plane + j);
            rows[c] = new SparseRow(columns, Enumerable.Repeat(weight, (int)plane).ToArray());
        }
        var outDims = input.Dims.Select((d, k) => k < 2 ? d : 1).ToArray();
        return new ComputedValue(outDims, input.Expr.Apply(new SparseMatrix(input.Features, rows)));
    }

    /// <summary>MaxPool and GlobalMaxPool: a maximum is not affine.</summary>
    public static GraphValue MaxPool(NodeContext node) =>
        throw node.Error($"{node.Node.OpType} is not supported: a maximum is not an affine map (replace it by AveragePool or a strided Conv before exporting)");

    private static TracedValue Spatial(NodeContext node, string op)
    {
        var input = node.Input(0).Match(
            constant: _ => throw node.Error($"the input is a constant; {op} is supported on values computed from the graph input"),
            traced: t => t);
        if (input.Rank < 3) throw node.Error($"the input must be [batch, channels, spatial…], found shape {ConstTensor.ShapeText(input.Dims)}");
        return input;
    }
}
