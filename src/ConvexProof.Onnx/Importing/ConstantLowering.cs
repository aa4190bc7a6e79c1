using ConvexProof.Numbers;
using ConvexProof.Onnx.Proto;

namespace ConvexProof.Onnx.Importing;

/// <summary>Constants: the Constant node (a tensor, float(s) or integer(s) given as its one
/// attribute), ConstantOfShape, and Cast (exporters compute padding sizes with these).</summary>
internal static class ConstantLowering
{
    public static GraphValue ConstantOfShape(NodeContext node)
    {
        var shape = node.ConstInput(0, "shape");
        if (shape.Rank != 1) throw node.Error("the shape must be a 1-D tensor");
        var dims = shape.Data.Select(v => v.IsInteger && v.Sign >= 0 && v.Numerator <= int.MaxValue ? (long)v.Numerator : throw node.Error($"the shape entry {v} is not a valid dimension")).ToArray();
        var value = node.Attribute("value") is { } a
            ? TensorDecoder.Decode(a.T ?? throw node.Error("attribute 'value' holds no tensor"), node.Error)
            : new ConstTensor([1], [Rational.Zero]);
        if (value.Data.Length != 1) throw node.Error("attribute 'value' must hold one value");
        long count = ConstTensor.ElementCount(dims);
        if (count > TensorDecoder.MaxElements) throw node.Error("the result is too large");
        return new ConstTensor(dims, Enumerable.Repeat(value.Data[0], (int)count).ToArray());
    }

    /// <summary>Cast to a floating-point type keeps a value computed from the graph input (its
    /// entries are real numbers already); constants are converted as the runtime converts them.</summary>
    public static GraphValue Cast(NodeContext node)
    {
        var to = (TensorProto.Types.DataType)node.Int("to", 0);
        bool toFloat = to is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double;
        bool toInteger = to is TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Int16
            or TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Uint16
            or TensorProto.Types.DataType.Uint32 or TensorProto.Types.DataType.Uint64;
        return node.Input(0).Match<GraphValue>(
            constant: c => toInteger ? c.Select(v => (Rational)(v.Sign >= 0 ? v.Floor() : -(-v).Floor()))
                : toFloat ? c.Select(v => to == TensorProto.Types.DataType.Float ? Rational.FromDouble((float)v.ToDouble()) : v)
                : throw node.Error($"Cast to {TensorDecoder.TypeName((int)to)} is not supported"),
            traced: t => toFloat ? t : throw node.Error($"Cast of a value computed from the graph input to {TensorDecoder.TypeName((int)to)} is not supported (only to float or double)"));
    }

    public static GraphValue Constant(NodeContext node)
    {
        if (node.Node.Attribute.Count != 1) throw node.Error("a Constant node needs exactly one attribute");
        var a = node.Node.Attribute[0];
        return a.Name switch
        {
            "value" => TensorDecoder.Decode(a.T ?? throw node.Error("attribute 'value' holds no tensor"), node.Error),
            "value_float" => new ConstTensor([], [FiniteFloat(a.F, node)]),
            "value_floats" => new ConstTensor([a.Floats.Count], a.Floats.Select(f => FiniteFloat(f, node)).ToArray()),
            "value_int" => new ConstTensor([], [a.I]),
            _ => new ConstTensor([a.Ints.Count], a.Ints.Select(i => (Rational)i).ToArray()),
        };
    }

    private static Rational FiniteFloat(float f, NodeContext node) =>
        float.IsFinite(f) ? Rational.FromDouble(f) : throw node.Error("the constant is not finite");
}
