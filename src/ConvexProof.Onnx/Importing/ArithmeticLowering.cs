using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>Elementwise arithmetic: Add, Sub (of anything), Mul, Div (by constants) and Neg.</summary>
internal static class ArithmeticLowering
{
    public static GraphValue Add(NodeContext node) => AddOrSubtract(node, subtract: false);

    public static GraphValue Sub(NodeContext node) => AddOrSubtract(node, subtract: true);

    public static GraphValue Mul(NodeContext node) => MultiplyOrDivide(node, divide: false);

    public static GraphValue Div(NodeContext node) => MultiplyOrDivide(node, divide: true);

    public static GraphValue Neg(NodeContext node) => node.Input(0).Match<GraphValue>(
        constant: c => c.Select(v => -v),
        traced: t => new ComputedValue(t.Dims, t.Expr.Negate()));

    private static GraphValue AddOrSubtract(NodeContext node, bool subtract) => Combine(node,
        constants: (a, b) => Broadcasting.Fold(node, a, b, subtract ? (x, y) => x - y : (x, y) => x + y),
        traced: (a, b) => new ComputedValue(Broadcasting.SameEntries(a, b, node), AffineMap.Add(a.Expr, subtract ? b.Expr.Negate() : b.Expr)),
        mixed: (value, constant, valueFirst) =>
        {
            var vector = Broadcasting.Over(constant, value, node, "constant");
            var dims = Broadcasting.Dims(value, constant);
            if (!subtract) return new ComputedValue(dims, value.Expr.Shift(vector));
            return valueFirst
                ? new ComputedValue(dims, value.Expr.Shift(vector.Select(v => -v).ToArray()))
                : new ComputedValue(dims, value.Expr.Negate().Shift(vector));
        });

    private static GraphValue MultiplyOrDivide(NodeContext node, bool divide) => Combine(node,
        constants: (a, b) => Broadcasting.Fold(node, a, b, divide
            ? (x, y) => y.IsZero ? throw node.Error("division by zero") : x / y
            : (x, y) => x * y),
        traced: (_, _) => throw node.Error($"{node.Node.OpType} of two values computed from the graph input is not piecewise linear"),
        mixed: (value, constant, valueFirst) =>
        {
            if (divide && !valueFirst) throw node.Error("division by a value computed from the graph input is not supported");
            var vector = Broadcasting.Over(constant, value, node, "constant");
            if (divide)
                vector = vector.Select(v => v.IsZero ? throw node.Error("division by zero") : v.Reciprocal()).ToArray();
            return new ComputedValue(Broadcasting.Dims(value, constant), value.Expr.ScaleRows(vector));
        });

    /// <summary>The three ways the node's two inputs can meet: both constant, both traced, or one of
    /// each (passed traced first, with whether it is the node's first input).</summary>
    private static GraphValue Combine(NodeContext node,
        Func<ConstTensor, ConstTensor, GraphValue> constants,
        Func<TracedValue, TracedValue, GraphValue> traced,
        Func<TracedValue, ConstTensor, bool, GraphValue> mixed)
    {
        var a = node.Input(0);
        var b = node.Input(1);
        return a.Match(
            constant: ca => b.Match(constant: cb => constants(ca, cb), traced: tb => mixed(tb, ca, false)),
            traced: ta => b.Match(constant: cb => mixed(ta, cb, true), traced: tb => traced(ta, tb)));
    }
}
