using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>Matrix products by constant weights: Gemm and MatMul.</summary>
internal static class LinearLowering
{
    /// <summary>Y = alpha·A'·B' + beta·C (A' = A or Aᵀ, B' = B or Bᵀ); A is traced, B constant, C constant or traced.</summary>
    public static GraphValue Gemm(NodeContext node)
    {
        var a = node.Input(0);
        var b = node.ConstInput(1, "matrix B");
        var c = node.Optional(2);
        var alpha = node.Float("alpha", Rational.One);
        var beta = node.Float("beta", Rational.One);
        bool transA = node.Int("transA", 0) != 0, transB = node.Int("transB", 0) != 0;
        if (b.Rank != 2) throw node.Error($"B must be a matrix, found shape {ConstTensor.ShapeText(b.Dims)}");
        // W is out × in: Y = A·W^T. With transB, B is stored as [N, K] = W; otherwise as [K, N] = W^T.
        var w = transB ? b : b.Transposed([1, 0]);
        var input = a.Match(
            constant: _ => throw node.Error("input A is a constant; the first input of Gemm must depend on the graph input"),
            traced: t => t);
        if (input.Rank != 2) throw node.Error($"input A must be 2-D [batch, features], found shape {ConstTensor.ShapeText(input.Dims)}");
        if (transA) input = ShapeLowering.Permuted(input, [1, 0]);
        if (w.Dims[1] != input.Dims[1])
            throw node.Error($"B has shape {ConstTensor.ShapeText(b.Dims)}{(transB ? " (transB=1)" : "")}, which does not fit an input of {input.Dims[1]} features");
        int outputs = node.Width(w.Dims[0]);
        var dims = new long[] { input.Dims[0], outputs };
        node.Width(ConstTensor.ElementCount(dims));
        var product = node.Layers.Readable(input, node.Place).Apply(RowBlocks(Rows(w, alpha), (int)input.Dims[0]));
        if (c is null || beta.IsZero) return new ComputedValue(dims, product);
        return c.Match<GraphValue>(
            constant: constC =>
            {
                var bias = Broadcasting.To(constC, dims)
                    ?? throw node.Error($"the C has shape {ConstTensor.ShapeText(constC.Dims)}, which does not broadcast to the output shape {ConstTensor.ShapeText(dims)}");
                return new ComputedValue(dims, product.Shift(bias.Select(v => v * beta).ToArray()));
            },
            traced: tracedC =>
            {
                if (tracedC.Features != product.Rows || ConstTensor.BroadcastShape(tracedC.Dims, dims) is null)
                    throw node.Error($"C has shape {ConstTensor.ShapeText(tracedC.Dims)}, expected {ConstTensor.ShapeText(dims)}");
                var scaled = beta == Rational.One ? tracedC.Expr : tracedC.Expr.ScaleRows(Enumerable.Repeat(beta, product.Rows).ToArray());
                return new ComputedValue(dims, AffineMap.Add(product, scaled));
            });
    }

    /// <summary>(traced value [..., K]) × (constant matrix [K, N]).</summary>
    public static GraphValue MatMul(NodeContext node)
    {
        var input = node.Input(0).Match(
            constant: _ => throw node.Error("the first input is a constant; MatMul is supported as (value from the graph input) × (constant matrix)"),
            traced: t => t);
        var b = node.ConstInput(1, "second input");
        if (b.Rank != 2) throw node.Error($"the second input must be a matrix [in, out], found shape {ConstTensor.ShapeText(b.Dims)}");
        if (input.Rank == 0 || b.Dims[0] != input.Dims[^1])
            throw node.Error($"the matrix has shape {ConstTensor.ShapeText(b.Dims)}, which does not fit an input of {(input.Rank == 0 ? 1 : input.Dims[^1])} features");
        int outputs = node.Width(b.Dims[1]);
        var dims = input.Dims.ToArray();
        dims[^1] = outputs;
        node.Width(ConstTensor.ElementCount(dims));
        int blocks = (int)(input.Features / b.Dims[0]);
        var product = node.Layers.Readable(input, node.Place).Apply(RowBlocks(Rows(b.Transposed([1, 0]), Rational.One), blocks));
        return new ComputedValue(dims, product);
    }

    /// <summary>The operator that multiplies each of <paramref name="blocks"/> consecutive groups of
    /// K entries by W (N × K): output entry (block, n) is Σ_k W[n][k] · entry (block, k).</summary>
    private static SparseMatrix RowBlocks(Rational[][] w, int blocks)
    {
        int inputs = w.Length == 0 ? 0 : w[0].Length;
        var block = w.Select(SparseRow.FromDense).ToArray();
        var rows = new SparseRow[blocks * w.Length];
        for (int m = 0; m < blocks; m++)
            for (int n = 0; n < w.Length; n++)
                rows[m * w.Length + n] = m == 0 ? block[n] : new SparseRow(block[n].Columns.Select(k => k + m * inputs).ToArray(), block[n].Values);
        return new SparseMatrix(blocks * inputs, rows);
    }

    /// <summary>The rows of a 2-D constant, each entry times <paramref name="scale"/>.</summary>
    private static Rational[][] Rows(ConstTensor m, Rational scale)
    {
        var rows = new Rational[m.Dims[0]][];
        for (long i = 0; i < m.Dims[0]; i++)
        {
            var row = new Rational[m.Dims[1]];
            for (long j = 0; j < m.Dims[1]; j++) row[j] = scale == Rational.One ? m.At(i, j) : m.At(i, j) * scale;
            rows[i] = row;
        }
        return rows;
    }
}
