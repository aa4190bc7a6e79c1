using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>What a convolution reads outside its input: zeros, the input wrapped around, or the input mirrored (no edge repeated).</summary>
public enum PaddingMode
{
    Zeros,
    Circular,
    Reflect,
}

/// <summary>A C×H×W tensor shape, entries in row-major order (channel, row, column).</summary>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    public int Plane => Height * Width;
    public long Size => (long)Channels * Height * Width;
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}

/// <summary>
/// A 2-D convolution with shared weights (docs/formats.md, "Weight-shared layers"): output channel o
/// at (y, x) is Σ K[o, c, ky, kx] · in[g·C/G + c, y·sh + ky·dh − top, x·sw + kx·dw − left] over the
/// channels c of o's group g and the kernel positions, a position outside the input read as
/// <see cref="Mode"/> says (0, wrapped, or mirrored). No bias: the layer adds its own. The kernel is
/// exact, flat in PyTorch's order [O, C/G, kh, kw]; nothing here materialises the dense matrix.
/// </summary>
public sealed class SharedConv
{
    private readonly int[][] _rowSource, _columnSource; // [output row][ky] → input row (−1: a zero), likewise columns
    private double[]? _floatKernel;

    public SharedConv(TensorShape input, int outChannels, int kernelHeight, int kernelWidth, Rational[] kernel,
        (int H, int W) stride, (int H, int W) dilation, int groups, (int Top, int Left, int Bottom, int Right) padding, PaddingMode mode)
    {
        Input = input;
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Kernel = kernel;
        Stride = stride;
        Dilation = dilation;
        Groups = groups;
        Padding = padding;
        Mode = mode;
        int height = OutputSize(input.Height, padding.Top + padding.Bottom, kernelHeight, stride.H, dilation.H);
        int width = OutputSize(input.Width, padding.Left + padding.Right, kernelWidth, stride.W, dilation.W);
        if (height < 1 || width < 1 || kernel.Length != (long)outChannels * GroupChannels * kernelHeight * kernelWidth)
            throw new ArgumentException("internal error: an inconsistent convolution");
        Output = new TensorShape(outChannels, height, width);
        _rowSource = Sources(height, kernelHeight, stride.H, dilation.H, padding.Top, input.Height, mode);
        _columnSource = Sources(width, kernelWidth, stride.W, dilation.W, padding.Left, input.Width, mode);
    }

    public TensorShape Input { get; }
    public TensorShape Output { get; }
    public int OutChannels { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public Rational[] Kernel { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Dilation { get; }
    public int Groups { get; }
    public (int Top, int Left, int Bottom, int Right) Padding { get; }
    public PaddingMode Mode { get; }

    /// <summary>Input channels each output channel reads (C/G).</summary>
    public int GroupChannels => Input.Channels / Groups;

    /// <summary>The size of the output along an axis (floor division; below 1 when the kernel does not fit).</summary>
    public static int OutputSize(int size, int pads, int kernel, int stride, int dilation) =>
        (int)Math.Floor((size + pads - (long)dilation * (kernel - 1) - 1) / (double)stride) + 1;

    /// <summary>The net.json and hash name of a padding mode.</summary>
    public static string ModeName(PaddingMode mode) => mode switch { PaddingMode.Circular => "circular", PaddingMode.Reflect => "reflect", _ => "zeros" };

    /// <summary>The flat index of kernel entry [o, c, ky, kx] (c within the group).</summary>
    public int KernelIndex(int o, int c, int ky, int kx) => ((o * GroupChannels + c) * KernelHeight + ky) * KernelWidth + kx;

    /// <summary>The input channel that channel c of output channel o's group is.</summary>
    public int InputChannel(int o, int c) => o / (OutChannels / Groups) * GroupChannels + c;

    /// <summary>The hash's description of the geometry (docs/formats.md, "Network hash").</summary>
    public string GeometryText =>
        $"{Input.Channels} {Input.Height} {Input.Width} {OutChannels} {KernelHeight} {KernelWidth} {Stride.H} {Stride.W} {Dilation.H} {Dilation.W} {Groups} " +
        $"{Padding.Top} {Padding.Left} {Padding.Bottom} {Padding.Right} {ModeName(Mode)}";

    private static int[][] Sources(int outSize, int kernel, int stride, int dilation, int before, int size, PaddingMode mode)
    {
        var table = new int[outSize][];
        for (int y = 0; y < outSize; y++)
        {
            table[y] = new int[kernel];
            for (int k = 0; k < kernel; k++) table[y][k] = Source((long)y * stride + (long)k * dilation - before, size, mode);
        }
        return table;
    }

    /// <summary>The input index a padded position p reads along an axis of the given size, or −1 for a zero.</summary>
    public static int Source(long p, int size, PaddingMode mode)
    {
        if (p >= 0 && p < size) return (int)p;
        return mode switch
        {
            PaddingMode.Circular => (int)(((p % size) + size) % size),
            PaddingMode.Reflect => (int)(p < 0 ? -p : 2L * (size - 1) - p), // the reader keeps reflect pads below the size
            _ => -1,
        };
    }

    /// <summary>The exact output (without bias) at <paramref name="input"/> (Input.Size entries).</summary>
    public Rational[] Apply(IReadOnlyList<Rational> input)
    {
        var output = new Rational[Output.Size];
        Array.Fill(output, Rational.Zero);
        ForEachRun((w, inRow, outRow, kx) =>
        {
            var weight = Kernel[w];
            for (int x = 0; x < Output.Width; x++)
                if (_columnSource[x][kx] is int c and >= 0) output[outRow + x] += weight * input[inRow + c];
        });
        return output;
    }

    /// <summary>The output in doubles (proposals only).</summary>
    public double[] Apply(double[] input)
    {
        var kernel = _floatKernel ??= [.. Kernel.Select(v => v.ToDouble())];
        var output = new double[Output.Size];
        ForEachRun((w, inRow, outRow, kx) =>
        {
            double weight = kernel[w];
            var columns = _columnSource;
            for (int x = 0; x < columns.Length; x++)
            {
                int c = columns[x][kx];
                if (c >= 0) output[outRow + x] += weight * input[inRow + c];
            }
        });
        return output;
    }

    /// <summary>Output unit u's window: the input index and kernel entry of every nonzero tap that reads an input (an input read twice appears twice).</summary>
    public IEnumerable<(int Index, Rational Value)> Row(int unit)
    {
        int o = unit / Output.Plane, y = unit / Output.Width % Output.Height, x = unit % Output.Width;
        for (int c = 0; c < GroupChannels; c++)
            for (int ky = 0; ky < KernelHeight; ky++)
                for (int kx = 0; kx < KernelWidth; kx++)
                {
                    var w = Kernel[KernelIndex(o, c, ky, kx)];
                    int r = _rowSource[y][ky], col = _columnSource[x][kx];
                    if (!w.IsZero && r >= 0 && col >= 0) yield return ((InputChannel(o, c) * Input.Height + r) * Input.Width + col, w);
                }
    }

    private delegate void Run(int kernelIndex, int inRow, int outRow, int kx);

    /// <summary>
    /// Every nonzero kernel entry and output row whose kernel row reads an input row: the input row's
    /// first index, the output row's, and the kernel column (the caller runs along the row; zero
    /// entries are skipped once, not per position).
    /// </summary>
    private void ForEachRun(Run run)
    {
        for (int o = 0; o < OutChannels; o++)
            for (int c = 0; c < GroupChannels; c++)
            {
                int inPlane = InputChannel(o, c) * Input.Plane;
                for (int ky = 0; ky < KernelHeight; ky++)
                    for (int kx = 0; kx < KernelWidth; kx++)
                    {
                        int k = KernelIndex(o, c, ky, kx);
                        if (Kernel[k].IsZero) continue;
                        for (int y = 0; y < Output.Height; y++)
                            if (_rowSource[y][ky] is int r and >= 0) run(k, inPlane + r * Input.Width, (o * Output.Height + y) * Output.Width, kx);
                    }
            }
    }
}
