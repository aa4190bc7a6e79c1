using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Squares, exactly (composition models, docs/formats.md): Pow(v, 2) and Mul(v, v) of a traced v
/// that is an affine form of the graph input become <see cref="QuadraticValue"/>s (terms (w·x + β)²);
/// the square of a whole rectifier layer's output, when nothing else reads it, squares that layer
/// (square_output). Arithmetic, ReduceSum, reshapes and rectifiers of squared values keep their squares.
/// </summary>
internal static class QuadraticLowering
{
    private static readonly HashSet<string> ShapeOps = new(StringComparer.Ordinal) { "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity" };

    /// <summary>The lowering of a node with a squared operand or a square, or null for the ordinary lowering.</summary>
    public static GraphValue? TryLower(NodeContext node)
    {
        string op = node.Node.OpType;
        if (op == "Mul" && node.Node.Input.Count == 2 && node.Node.Input[0] == node.Node.Input[1] && node.Input(0) is not ConstTensor) return Square(node, node.Input(0));
        var inputs = Enumerable.Range(0, node.Node.Input.Count).Select(node.Optional).ToArray();
        if (!inputs.Any(i => i is QuadraticValue)) return null;
        var q = (QuadraticValue)inputs.First(i => i is QuadraticValue)!;
        return op switch
        {
            "Add" or "Sub" => AddOrSubtract(node, inputs[0]!, inputs[1]!, op == "Sub"),
            "Mul" or "Div" => Scale(node, inputs, op == "Div"),
            "Neg" => q.ScaleRows(Enumerable.Repeat(Rational.MinusOne, q.Features).ToArray()),
            "Relu" => node.Layers.AddRelu(q, node.Place, Rational.Zero),
            "LeakyRelu" => node.Layers.AddRelu(q, node.Place, ActivationLowering.LeakySlope(node)),
            "ReduceSum" => ReduceSum(node),
            _ when ShapeOps.Contains(op) && inputs[0] is QuadraticValue => Reshaped(node, q),
            _ => StandIn(node, inputs),
        };
    }

    public static GraphValue Pow(NodeContext node)
    {
        var exponent = node.ConstInput(1, "exponent");
        if (exponent.Data.Length != 1 || exponent.Data[0] != 2) throw node.Error("Pow is supported with the constant exponent 2 (a square)");
        return node.Input(0).Match<GraphValue>(constant: c => c.Select(v => v * v), traced: t => Square(node, t));
    }

    private static GraphValue Square(NodeContext node, GraphValue value)
    {
        if (value is not TracedValue t) throw node.Error("the square of a value that already has squares is not supported");
        if (t.Expr.Terms.Keys.All(s => s == 0))
        {
            var w = t.Expr.Terms.TryGetValue(0, out var m) ? m : new SparseMatrix(0, [.. Enumerable.Repeat(SparseRow.Empty, t.Features)]);
            return new QuadraticValue(t.Dims, AffineMap.Constant(AffineMap.Zeros(t.Features)),
                [.. Enumerable.Range(0, t.Features).Select(i => new[] { new SquareOfInput(Rational.One, t.Expr.Bias[i], w.Rows[i]) })]);
        }
        if (t is SourceValue && node.Layers.SquareLatest(t.Expr, node.Node.Input[0], node.Consumers(node.Node.Input[0]))) return t;
        throw node.Error("the square of a value computed from hidden layers is supported only for the whole output of the last rectifier layer, read by nothing else (it becomes that layer's square_output)");
    }

    /// <summary>A traced value or constant as a squared value with no squares.</summary>
    private static QuadraticValue Lift(NodeContext node, GraphValue value, int rows)
    {
        if (value is QuadraticValue q) return q;
        var affine = value.Match(
            constant: c => AffineMap.Constant(c.Data.Length == rows ? c.Data : c.Data.Length == 1 ? Enumerable.Repeat(c.Data[0], rows).ToArray()
                : throw node.Error($"a constant of shape {ConstTensor.ShapeText(c.Dims)} combined with a squared value of {rows} entries (only scalars and same-size constants are)")),
            traced: t => t.Features == rows ? t.Expr : throw node.Error($"values of {t.Features} and {rows} entries combined (no broadcasting with squared values)"));
        return new QuadraticValue([rows], affine, [.. Enumerable.Repeat(Array.Empty<SquareOfInput>(), rows)]);
    }

    private static QuadraticValue AddOrSubtract(NodeContext node, GraphValue a, GraphValue b, bool subtract)
    {
        var first = a as QuadraticValue ?? (QuadraticValue)b;
        int rows = first.Features;
        var (qa, qb) = (Lift(node, a, rows), Lift(node, b, rows));
        if (subtract) qb = qb.ScaleRows(Enumerable.Repeat(Rational.MinusOne, rows).ToArray());
        var affine = AffineMap.Add(qa.Affine, qb.Affine);
        return new QuadraticValue(first.Dims, affine, [.. qa.Squares.Select((row, i) => row.Concat(qb.Squares[i]).ToArray())]);
    }

    private static QuadraticValue Scale(NodeContext node, GraphValue?[] inputs, bool divide)
    {
        int at = inputs[0] is QuadraticValue ? 0 : 1;
        var q = (QuadraticValue)inputs[at]!;
        if (divide && at == 1) throw node.Error("division by a value with squares is not supported");
        var other = inputs[1 - at]!;
        var c = other is ConstTensor constant ? constant.Data : throw node.Error("a product of a squared value with a value computed from the input is not supported");
        var vector = c.Length == 1 ? Enumerable.Repeat(c[0], q.Features).ToArray() : c.Length == q.Features ? c
            : throw node.Error($"a constant of {c.Length} entries times a squared value of {q.Features} entries (only scalars and same-size constants are)");
        if (divide) vector = [.. vector.Select(v => v.IsZero ? throw node.Error("division by zero") : v.Reciprocal())];
        return q.ScaleRows(vector);
    }

    /// <summary>ReduceSum (opset 13: axes as an optional input; earlier: an attribute) of a traced or squared value.</summary>
    public static GraphValue ReduceSum(NodeContext node)
    {
        var input = node.Input(0);
        long[] dims = input.Shape;
        int rank = dims.Length;
        long[]? axes = node.Ints("axes") ?? (node.Optional(1) is { } a ? [.. node.ConstInput(1, "axes").Data.Select(v => (long)v.Numerator)] : null);
        bool keep = node.Int("keepdims", 1) != 0;
        if (axes is null or [] && node.Int("noop_with_empty_axes", 0) != 0) return input;
        var reduced = new bool[rank];
        foreach (var axis in axes is null or [] ? Enumerable.Range(0, rank).Select(k => (long)k) : axes)
        {
            long k = axis < 0 ? axis + rank : axis;
            if (k < 0 || k >= rank) throw node.Error($"axis {axis} is out of range for rank {rank}");
            reduced[k] = true;
        }
        var outDims = dims.Select((n, k) => reduced[k] ? 1 : n).ToArray();
        var outStrides = ConstTensor.Strides(outDims);
        var target = new int[ConstTensor.ElementCount(dims)];
        TensorIndexing.ForEach(dims, (at, flat) =>
        {
            long o = 0;
            for (int k = 0; k < rank; k++) if (!reduced[k]) o += at[k] * outStrides[k];
            target[flat] = (int)o;
        });
        int outputs = (int)ConstTensor.ElementCount(outDims);
        var sum = new SparseMatrix(target.Length, [.. Enumerable.Range(0, outputs).Select(o =>
            new SparseRow([.. Enumerable.Range(0, target.Length).Where(i => target[i] == o)], [.. Enumerable.Range(0, target.Length).Where(i => target[i] == o).Select(_ => Rational.One)]))]);
        long[] shape = keep ? outDims : [.. outDims.Where((_, k) => !reduced[k])];
        if (shape.Length == 0) shape = [];
        return input switch
        {
            ConstTensor c => new ConstTensor(shape, [.. sum.Rows.Select(r => r.Columns.Aggregate(Rational.Zero, (s, i) => s + c.Data[i]))]),
            QuadraticValue q => new QuadraticValue(shape, q.Affine.Apply(sum), [.. sum.Rows.Select(r => r.Columns.SelectMany(i => q.Squares[i]).ToArray())]),
            TracedValue t => new ComputedValue(shape, t.Expr.Apply(sum)),
            _ => throw node.Error("unexpected input"),
        };
    }

    /// <summary>Any other operator (Conv, Gemm, MatMul, pooling, padding, …): the squared value becomes an identity layer of its own, which the operator reads.</summary>
    private static GraphValue StandIn(NodeContext node, GraphValue?[] inputs)
    {
        var squared = Enumerable.Range(0, inputs.Length).Where(i => inputs[i] is QuadraticValue).ToArray();
        if (squared.Length != 1) throw node.Error("an operator with two inputs that have squares of the input is not supported");
        var layer = node.Layers.IdentityLayerOf((QuadraticValue)inputs[squared[0]]!, node.Place);
        return Operators.Find(node.Node.OpType)!.Lower(node.WithInput(squared[0], layer));
    }

    /// <summary>A reshape keeps the row-major order of the entries: lowered on the affine part, the squares kept per entry.</summary>
    private static QuadraticValue Reshaped(NodeContext node, QuadraticValue q)
    {
        var shadow = node.WithInput(0, new ComputedValue(q.Dims, q.Affine));
        var result = Operators.Find(node.Node.OpType)!.Lower(shadow);
        return result is TracedValue t && t.Features == q.Features && ReferenceEquals(t.Expr, q.Affine)
            ? new QuadraticValue(t.Dims, q.Affine, q.Squares)
            : throw node.Error("internal error: a reshape rearranged the entries of a squared value");
    }
}
