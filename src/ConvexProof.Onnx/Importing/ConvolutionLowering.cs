using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Conv and ConvTranspose by constant weights, of any number of spatial axes, with strides,
/// dilations, padding (pads or auto_pad) and groups. Each becomes the sparse operator whose
/// row for an output entry lists the input entries its window reads with the exact float
/// weights, applied to the value like a matrix product (so a computed value is made an identity
/// layer first, as for Gemm).
/// </summary>
internal static class ConvolutionLowering
{
    public static GraphValue Conv(NodeContext node)
    {
        var (input, weight, bias, group) = Operands(node, "Conv");
        long batch = input.Dims[0], channels = input.Dims[1];
        long outChannels = weight.Dims[0], groupChannels = weight.Dims[1];
        if (channels != groupChannels * group)
            throw node.Error($"the weight has shape {ConstTensor.ShapeText(weight.Dims)}, which with group={group} needs {groupChannels * group} input channels, but the input has shape {ConstTensor.ShapeText(input.Dims)}");
        if (outChannels % group != 0) throw node.Error($"{outChannels} output channels do not split into {group} groups");
        var spatial = input.Dims[2..];
        var kernel = WindowGeometry.KernelShape(node, weight.Dims[2..], spatial.Length);
        var g = WindowGeometry.Read(node, spatial, kernel, ceilMode: false);
        var outDims = new long[] { batch, outChannels }.Concat(g.Output).ToArray();
        int outCount = node.Width(ConstTensor.ElementCount(outDims));
        long inPlane = ConstTensor.ElementCount(spatial), outPlane = ConstTensor.ElementCount(g.Output), kernelSize = ConstTensor.ElementCount(kernel);
        CheckWork(node, outCount, groupChannels * kernelSize);
        var inStrides = ConstTensor.Strides(spatial);
        var rows = new SparseRow[outCount];
        var columns = new List<int>();
        var values = new List<Rational>();
        long outPerGroup = outChannels / group;
        int row = 0;
        for (long n = 0; n < batch; n++)
            for (long m = 0; m < outChannels; m++)
            {
                long firstChannel = m / outPerGroup * groupChannels;
                TensorIndexing.ForEach(g.Output, (o, _) =>
                {
                    for (long c = 0; c < groupChannels; c++)
                    {
                        long channelBase = (n * channels + firstChannel + c) * inPlane;
                        long weightBase = (m * groupChannels + c) * kernelSize;
                        TensorIndexing.ForEach(kernel, (k, kFlat) =>
                        {
                            var w = weight.Data[weightBase + kFlat];
                            if (w.IsZero) return;
                            long position = 0;
                            for (int i = 0; i < g.Axes; i++)
                            {
                                long p = o[i] * g.Strides[i] - g.PadBegin[i] + k[i] * g.Dilations[i];
                                if (p < 0 || p >= spatial[i]) return;
                                position += p * inStrides[i];
                            }
                            columns.Add((int)(channelBase + position));
                            values.Add(w);
                        });
                    }
                    rows[row++] = new SparseRow([.. columns], [.. values]);
                    columns.Clear();
                    values.Clear();
                });
            }
        return Result(node, input, new SparseMatrix(input.Features, rows), outDims, bias, outPlane);
    }

    public static GraphValue ConvTranspose(NodeContext node)
    {
        var (input, weight, bias, group) = Operands(node, "ConvTranspose");
        long batch = input.Dims[0], channels = input.Dims[1];
        if (weight.Dims[0] != channels)
            throw node.Error($"the weight has shape {ConstTensor.ShapeText(weight.Dims)}, whose first dimension must be the input's {channels} channels (input shape {ConstTensor.ShapeText(input.Dims)})");
        if (channels % group != 0) throw node.Error($"{channels} input channels do not split into {group} groups");
        long outPerGroup = weight.Dims[1], outChannels = outPerGroup * group, inPerGroup = channels / group;
        var spatial = input.Dims[2..];
        int axes = spatial.Length;
        var kernel = WindowGeometry.KernelShape(node, weight.Dims[2..], axes);
        var strides = WindowGeometry.PerAxis(node, "strides", axes, 1);
        var dilations = WindowGeometry.PerAxis(node, "dilations", axes, 1);
        var outputPadding = WindowGeometry.PerAxis(node, "output_padding", axes, 0);
        if (strides.Any(s => s < 1) || dilations.Any(d => d < 1) || outputPadding.Any(p => p < 0))
            throw node.Error("strides and dilations must be positive and output_padding not negative");
        var (begin, output) = TransposedPadding(node, spatial, kernel, strides, dilations, outputPadding);
        var outDims = new long[] { batch, outChannels }.Concat(output).ToArray();
        int outCount = node.Width(ConstTensor.ElementCount(outDims));
        long inPlane = ConstTensor.ElementCount(spatial), outPlane = ConstTensor.ElementCount(output), kernelSize = ConstTensor.ElementCount(kernel);
        CheckWork(node, input.Features, outPerGroup * kernelSize);
        var outStrides = ConstTensor.Strides(output);
        var columns = new List<int>[outCount];
        var values = new List<Rational>[outCount];
        for (int r = 0; r < outCount; r++) { columns[r] = []; values[r] = []; }
        // Input entries are visited in increasing order, so every output row's columns come out sorted.
        for (long n = 0; n < batch; n++)
            for (long c = 0; c < channels; c++)
            {
                long column = (n * channels + c) * inPlane;
                TensorIndexing.ForEach(spatial, (at, inFlat) =>
                {
                    for (long mLocal = 0; mLocal < outPerGroup; mLocal++)
                    {
                        long m = c / inPerGroup * outPerGroup + mLocal;
                        long weightBase = (c * outPerGroup + mLocal) * kernelSize;
                        long rowBase = (n * outChannels + m) * outPlane;
                        TensorIndexing.ForEach(kernel, (k, kFlat) =>
                        {
                            var w = weight.Data[weightBase + kFlat];
                            if (w.IsZero) return;
                            long position = 0;
                            for (int i = 0; i < axes; i++)
                            {
                                long p = at[i] * strides[i] + k[i] * dilations[i] - begin[i];
                                if (p < 0 || p >= output[i]) return;
                                position += p * outStrides[i];
                            }
                            columns[rowBase + position].Add((int)(column + inFlat));
                            values[rowBase + position].Add(w);
                        });
                    }
                });
            }
        var rows = Enumerable.Range(0, outCount).Select(r => new SparseRow([.. columns[r]], [.. values[r]])).ToArray();
        return Result(node, input, new SparseMatrix(input.Features, rows), outDims, bias, outPlane);
    }

    /// <summary>The padding before each axis and the output size of a transposed convolution:
    /// from output_shape, from auto_pad SAME_* (output = input × stride), or from pads.</summary>
    private static (long[] Begin, long[] Output) TransposedPadding(NodeContext node, long[] input, long[] kernel, long[] strides, long[] dilations, long[] outputPadding)
    {
        int axes = input.Length;
        string autoPad = node.String("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
            throw node.Error($"auto_pad {MessageText.Quote(autoPad)} is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        var full = new long[axes];
        for (int i = 0; i < axes; i++) full[i] = strides[i] * (input[i] - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1;
        var begin = new long[axes];
        var output = new long[axes];
        var outputShape = node.Ints("output_shape");
        if (outputShape is not null && outputShape.Length == axes + 2) outputShape = outputShape[2..];
        if (outputShape is not null || autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            if (outputShape is not null && outputShape.Length != axes)
                throw node.Error($"output_shape has {outputShape.Length} values for {axes} spatial axes");
            for (int i = 0; i < axes; i++)
            {
                output[i] = outputShape?[i] ?? input[i] * strides[i];
                long total = full[i] - output[i];
                if (total < 0 || output[i] < 1) throw node.Error($"output size {output[i]} along spatial axis {i} cannot be produced (at most {full[i]})");
                begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            }
            return (begin, output);
        }
        var pads = autoPad == "VALID" ? new long[2 * axes] : node.Ints("pads") ?? new long[2 * axes];
        if (pads.Length != 2 * axes) throw node.Error($"{pads.Length} pads for {axes} spatial axes (expected {2 * axes})");
        for (int i = 0; i < axes; i++)
        {
            if (pads[i] < 0 || pads[i + axes] < 0) throw node.Error("a pad is negative");
            begin[i] = pads[i];
            output[i] = full[i] - pads[i] - pads[i + axes];
            if (output[i] < 1) throw node.Error($"the pads leave no output along spatial axis {i}");
        }
        return (begin, output);
    }

    /// <summary>Refuses an operator whose windows would visit more than <see cref="LayerChain.MaxDenseParameters"/> weights.</summary>
    private static void CheckWork(NodeContext node, long outputs, long weightsPerOutput)
    {
        if (weightsPerOutput > 0 && outputs > LayerChain.MaxDenseParameters / weightsPerOutput)
            throw node.Error($"the convolution would visit more than {LayerChain.MaxDenseParameters} weights");
    }

    /// <summary>The traced input [N, C, spatial…], the constant weight, the bias (zeros when absent) and the group count.</summary>
    internal static (TracedValue Input, ConstTensor Weight, Rational[] Bias, long Group) Operands(NodeContext node, string op)
    {
        var input = node.Input(0).Match(
            constant: _ => throw node.Error($"input X is a constant; {op} is supported on values computed from the graph input"),
            traced: t => t);
        var weight = node.ConstInput(1, "weight");
        if (input.Rank < 3) throw node.Error($"the input must be [batch, channels, spatial…], found shape {ConstTensor.ShapeText(input.Dims)}");
        if (weight.Rank != input.Rank) throw node.Error($"the weight has shape {ConstTensor.ShapeText(weight.Dims)}, expected rank {input.Rank} like the input {ConstTensor.ShapeText(input.Dims)}");
        long group = node.Int("group", 1);
        if (group < 1 || group > input.Dims[1]) throw node.Error($"group {group} is not between 1 and the {input.Dims[1]} input channels");
        long outChannels = node.Width(op == "Conv" ? weight.Dims[0] : weight.Dims[1] * group);
        var bias = AffineMap.Zeros((int)outChannels);
        if (node.Optional(2) is not null)
        {
            var b = node.ConstInput(2, "bias");
            if (b.Rank != 1 || b.Dims[0] != outChannels)
                throw node.Error($"the bias has shape {ConstTensor.ShapeText(b.Dims)}, expected [{outChannels}] (one per output channel)");
            bias = b.Data;
        }
        return (input, weight, bias, group);
    }

    /// <summary>The operator applied to the input (read like a matrix product), plus the bias of each output channel.</summary>
    private static ComputedValue Result(NodeContext node, TracedValue input, SparseMatrix op, long[] outDims, Rational[] bias, long outPlane)
    {
        var product = node.Layers.Readable(input, node.Place).Apply(op);
        if (bias.Any(b => !b.IsZero))
            product = product.Shift(Enumerable.Range(0, op.RowCount).Select(r => bias[r / outPlane % bias.Length]).ToArray());
        return new ComputedValue(outDims, product);
    }
}
