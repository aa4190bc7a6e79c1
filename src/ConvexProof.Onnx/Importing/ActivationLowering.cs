using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>Activations: Relu, Clip where it is a ReLU (or folds a constant), and LeakyRelu with its
/// float32 slope taken exactly.</summary>
internal static class ActivationLowering
{
    public static GraphValue Relu(NodeContext node) => node.Input(0).Match<GraphValue>(
        constant: c => c.Select(v => v.Sign < 0 ? Rational.Zero : v),
        traced: t => node.Layers.AddRelu(t, node.Place));

    /// <summary>Clip of a constant (for example clamped ICNN weights) is folded; Clip of a value
    /// from the graph input is supported when it is a ReLU (min 0, no max).</summary>
    public static GraphValue Clip(NodeContext node)
    {
        var input = node.Input(0);
        Rational? min = null, max = null;
        if (node.Attribute("min") is not null) min = node.Float("min", 0);
        if (node.Attribute("max") is not null) max = node.Float("max", 0);
        for (int i = 1; i <= 2; i++)
        {
            if (node.Optional(i) is not { } bound) continue;
            var c = bound.Match<ConstTensor?>(constant: c => c.Data.Length == 1 ? c : null, traced: _ => null)
                ?? throw node.Error($"the {(i == 1 ? "min" : "max")} bound must be a constant scalar");
            if (i == 1) min = c.Data[0]; else max = c.Data[0];
        }
        return input.Match<GraphValue>(
            constant: t => t.Select(v =>
            {
                if (min is Rational lo && v < lo) v = lo;
                if (max is Rational hi && v > hi) v = hi;
                return v;
            }),
            traced: t => min is Rational m && m.IsZero && max is null
                ? node.Layers.AddRelu(t, node.Place)
                : throw node.Error("Clip of a value computed from the graph input is supported only as a ReLU (min 0, no max)"));
    }

    /// <summary>A leaky-ReLU layer with the node's exact slope (folded when its input is constant).</summary>
    public static GraphValue LeakyRelu(NodeContext node)
    {
        var alpha = LeakySlope(node);
        return node.Input(0).Match<GraphValue>(
            constant: c => c.Select(v => v.Sign < 0 ? v * alpha : v),
            traced: t => node.Layers.AddRelu(t, node.Place, alpha));
    }

    /// <summary>The exact float32 slope α of LeakyRelu (ONNX's default 0.01f), which must lie in [0, 1).</summary>
    public static Rational LeakySlope(NodeContext node)
    {
        var alpha = node.Float("alpha", Rational.FromDouble(0.01f));
        if (alpha.Sign < 0 || alpha >= Rational.One)
            throw node.Error($"the slope alpha = {ExactText.Format(alpha)} is not in [0, 1), so the activation is not a leaky ReLU");
        return alpha;
    }
}
