using ConvexProof.Composition;
using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>One convolution of a <see cref="SharedValue"/>: its kernel applied to source <see cref="Source"/> (0: the graph input).</summary>
internal sealed record SharedPart(int Source, SharedConv Conv);

/// <summary>
/// A sum of convolutions kept as kernels (composition models, docs/formats.md "Weight-shared layers"):
/// entry (o, y, x) is Σ_parts (K * source)[o, y, x] + b_o, plus c·((K_q * x)[o, y, x] + β_o)² when
/// <see cref="Square"/> is set. A rectifier makes it a weight-shared layer; any other reader sees
/// its exact sparse form (<see cref="Materialise"/>), the value a dense import would have traced.
/// </summary>
internal sealed class SharedValue : GraphValue
{
    public SharedValue(long[] dims, IReadOnlyList<SharedPart> parts, Rational[] bias, SquaredConv? square)
    {
        Dims = dims;
        Parts = parts;
        Bias = bias;
        Square = square;
    }

    public long[] Dims { get; }
    public IReadOnlyList<SharedPart> Parts { get; }
    public Rational[] Bias { get; }
    public SquaredConv? Square { get; }
    public TensorShape Output => Parts.Count > 0 ? Parts[0].Conv.Output : Square!.Conv.Output;
    public int Features => (int)Output.Size;
    public override long[] Shape => Dims;
    public override int Rank => Dims.Length;

    /// <summary>Readers other than SharedLowering see the sparse form (only one with squares refuses, as a squared value does).</summary>
    public override T Match<T>(Func<ConstTensor, T> constant, Func<TracedValue, T> traced) =>
        Materialise() is TracedValue t ? traced(t) : throw new SquaredValueException();

    /// <summary>The exact sparse form: a <see cref="ComputedValue"/>, or a <see cref="QuadraticValue"/> with the squares.</summary>
    public GraphValue Materialise()
    {
        var terms = new SortedDictionary<int, SparseMatrix>();
        foreach (var part in Parts)
        {
            var m = Matrix(part.Conv);
            terms[part.Source] = terms.TryGetValue(part.Source, out var other)
                ? new SparseMatrix(m.Columns, [.. other.Rows.Select((row, i) => SparseRow.Add(row, m.Rows[i]))]) : m;
        }
        int plane = Output.Plane;
        var affine = new AffineMap(terms, [.. Enumerable.Range(0, Features).Select(u => Bias[u / plane])]);
        if (Square is null) return new ComputedValue(Dims, affine);
        var q = Matrix(Square.Conv);
        return new QuadraticValue(Dims, affine, [.. q.Rows.Select((row, u) => new[] { new SquareOfInput(Square.Coefficient, Square.Beta[u / plane], row) })]);
    }

    /// <summary>The convolution's matrix over its source: each output's window, entries read twice (small inputs, wrapped) added.</summary>
    public static SparseMatrix Matrix(SharedConv conv)
    {
        var rows = new SparseRow[conv.Output.Size];
        var entries = new SortedDictionary<int, Rational>();
        for (int o = 0; o < conv.OutChannels; o++)
            for (int y = 0; y < conv.Output.Height; y++)
                for (int x = 0; x < conv.Output.Width; x++)
                {
                    entries.Clear();
                    for (int c = 0; c < conv.GroupChannels; c++)
                        for (int ky = 0; ky < conv.KernelHeight; ky++)
                            for (int kx = 0; kx < conv.KernelWidth; kx++)
                            {
                                var w = conv.Kernel[conv.KernelIndex(o, c, ky, kx)];
                                int r = SharedConv.Source((long)y * conv.Stride.H + (long)ky * conv.Dilation.H - conv.Padding.Top, conv.Input.Height, conv.Mode);
                                int col = SharedConv.Source((long)x * conv.Stride.W + (long)kx * conv.Dilation.W - conv.Padding.Left, conv.Input.Width, conv.Mode);
                                if (w.IsZero || r < 0 || col < 0) continue;
                                int j = (conv.InputChannel(o, c) * conv.Input.Height + r) * conv.Input.Width + col;
                                entries[j] = entries.TryGetValue(j, out var v) ? v + w : w;
                            }
                    var kept = entries.Where(e => !e.Value.IsZero).ToArray();
                    rows[(o * conv.Output.Height + y) * conv.Output.Width + x] = new SparseRow([.. kept.Select(e => e.Key)], [.. kept.Select(e => e.Value)]);
                }
        return new SparseMatrix((int)conv.Input.Size, rows);
    }
}
