using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>The Constant node: a tensor, float(s) or integer(s) given as its one attribute.</summary>
internal static class ConstantLowering
{
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
