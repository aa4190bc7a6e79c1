namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Where the windows of a convolution or a pooling lie along each spatial axis: kernel size,
/// stride, dilation, the padding before and after, and the output size, from the attributes
/// kernel_shape, strides, dilations, pads and auto_pad as ONNX defines them.
/// </summary>
internal sealed record WindowGeometry(long[] Kernel, long[] Strides, long[] Dilations, long[] PadBegin, long[] PadEnd, long[] Output)
{
    public int Axes => Kernel.Length;

    /// <summary>The extent of a dilated kernel along axis i: (k − 1)·d + 1.</summary>
    public long Extent(int i) => (Kernel[i] - 1) * Dilations[i] + 1;

    /// <summary>The geometry of a convolution or a pooling window over <paramref name="input"/>
    /// (the spatial sizes); <paramref name="ceilMode"/> rounds the output size up (pooling only).</summary>
    public static WindowGeometry Read(NodeContext node, long[] input, long[] kernel, bool ceilMode)
    {
        int n = input.Length;
        var strides = PerAxis(node, "strides", n, 1);
        var dilations = PerAxis(node, "dilations", n, 1);
        for (int i = 0; i < n; i++)
        {
            if (kernel[i] < 1) throw node.Error($"the kernel size {kernel[i]} along spatial axis {i} is not positive");
            if (strides[i] < 1) throw node.Error($"the stride {strides[i]} along spatial axis {i} is not positive");
            if (dilations[i] < 1) throw node.Error($"the dilation {dilations[i]} along spatial axis {i} is not positive");
        }
        var begin = new long[n];
        var end = new long[n];
        var output = new long[n];
        string autoPad = node.String("auto_pad", "NOTSET");
        var geometry = new WindowGeometry(kernel, strides, dilations, begin, end, output);
        switch (autoPad)
        {
            case "NOTSET":
            {
                var pads = node.Ints("pads") ?? new long[2 * n];
                if (pads.Length != 2 * n) throw node.Error($"{pads.Length} pads for {n} spatial axes (expected {2 * n})");
                for (int i = 0; i < n; i++)
                {
                    begin[i] = pads[i];
                    end[i] = pads[i + n];
                    if (begin[i] < 0 || end[i] < 0) throw node.Error("a pad is negative");
                    long span = input[i] + begin[i] + end[i] - geometry.Extent(i);
                    if (span < 0) throw node.Error($"the kernel (extent {geometry.Extent(i)}) is larger than the padded input ({input[i] + begin[i] + end[i]}) along spatial axis {i}");
                    output[i] = (ceilMode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1;
                    // A window that starts in the padding after the input is dropped (as ONNX and PyTorch do).
                    if (ceilMode && (output[i] - 1) * strides[i] >= input[i] + begin[i]) output[i]--;
                }
                break;
            }
            case "VALID":
                for (int i = 0; i < n; i++)
                {
                    long span = input[i] - geometry.Extent(i);
                    if (span < 0) throw node.Error($"the kernel (extent {geometry.Extent(i)}) is larger than the input ({input[i]}) along spatial axis {i}");
                    output[i] = span / strides[i] + 1;
                }
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (int i = 0; i < n; i++)
                {
                    output[i] = (input[i] + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (output[i] - 1) * strides[i] + geometry.Extent(i) - input[i]);
                    long small = total / 2;
                    (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }
                break;
            default:
                throw node.Error($"auto_pad {MessageText.Quote(autoPad)} is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        }
        return geometry;
    }

    /// <summary>An attribute with one value per spatial axis (every value <paramref name="fallback"/> when absent).</summary>
    public static long[] PerAxis(NodeContext node, string name, int axes, long fallback)
    {
        var values = node.Ints(name) ?? Enumerable.Repeat(fallback, axes).ToArray();
        if (values.Length != axes) throw node.Error($"attribute '{name}' has {values.Length} values for {axes} spatial axes");
        return values;
    }

    /// <summary>The kernel_shape attribute, which must agree with the weight's shape when both are given.</summary>
    public static long[] KernelShape(NodeContext node, long[]? fromWeight, int axes)
    {
        var attribute = node.Ints("kernel_shape");
        if (attribute is not null && attribute.Length != axes) throw node.Error($"kernel_shape has {attribute.Length} values for {axes} spatial axes");
        if (attribute is not null && fromWeight is not null && !attribute.SequenceEqual(fromWeight))
            throw node.Error($"kernel_shape {ConstTensor.ShapeText(attribute)} does not match the weight's kernel {ConstTensor.ShapeText(fromWeight)}");
        return attribute ?? fromWeight ?? throw node.Error("the attribute 'kernel_shape' is missing");
    }
}
