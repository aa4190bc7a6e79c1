using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// BatchNormalization in inference mode: y = (x − mean)/√(var + ε)·scale + B per channel (axis 1),
/// folded into the value as y = α·x + β. The square root makes α irrational in general, so α and β
/// are computed in float32 (float64 for a float64 model) exactly as PyTorch's CPU inference
/// kernel computes them — inv = fl(1/fl(√fl(var + ε))), α = fl(inv·scale), β = fl(B − mean·α)
/// with one rounding (a fused multiply-add) — and then used exactly: the imported network is the
/// exported computation with those coefficients (docs/pytorch.md; PyTorch then rounds
/// fma(x, α, β) once more per entry, which is float evaluation error, not a different network).
/// </summary>
internal static class NormalizationLowering
{
    public static GraphValue BatchNormalization(NodeContext node)
    {
        if (node.Int("training_mode", 0) != 0) throw node.Error("training_mode=1 (batch statistics) is not an affine map; export the model in eval mode");
        if (node.Int("spatial", 1) != 1) throw node.Error("spatial=0 (per-entry statistics) is not supported");
        var input = node.Input(0);
        if (input.Rank < 2) throw node.Error($"the input must be [batch, channels, …], found shape {ConstTensor.ShapeText(input.Shape)}");
        long channels = input.Shape[1];
        string[] roles = ["scale", "bias", "mean", "variance"];
        var parameters = new Rational[4][];
        for (int i = 0; i < 4; i++)
        {
            var p = node.ConstInput(i + 1, roles[i]);
            if (p.Rank != 1 || p.Dims[0] != channels)
                throw node.Error($"the {roles[i]} has shape {ConstTensor.ShapeText(p.Dims)}, expected [{channels}] (one per channel of the input {ConstTensor.ShapeText(input.Shape)})");
            parameters[i] = p.Data;
        }
        float epsilon = node.RawFloat("epsilon", 1e-5f);
        bool inDouble = node.ComputesInDouble || parameters.Any(p => p.Any(v => !IsFloat32(v))) || !IsFloat32(Rational.FromDouble(epsilon));
        var alpha = new Rational[channels];
        var beta = new Rational[channels];
        for (long c = 0; c < channels; c++)
        {
            var (scale, shift, variance, mean) = (parameters[0][c], parameters[1][c], parameters[3][c], parameters[2][c]);
            if (variance + Rational.FromDouble(epsilon) <= Rational.Zero)
                throw node.Error($"variance + epsilon of channel {c} is not positive");
            if (inDouble)
            {
                double inv = 1.0 / Math.Sqrt(variance.ToDouble() + epsilon);
                double a = inv * scale.ToDouble();
                (alpha[c], beta[c]) = (Rational.FromDouble(a), Rational.FromDouble(Math.FusedMultiplyAdd(-mean.ToDouble(), a, shift.ToDouble())));
            }
            else
            {
                float inv = 1f / MathF.Sqrt((float)variance.ToDouble() + epsilon);
                float a = inv * (float)scale.ToDouble();
                float b = MathF.FusedMultiplyAdd(-(float)mean.ToDouble(), a, (float)shift.ToDouble());
                (alpha[c], beta[c]) = (Rational.FromDouble(a), Rational.FromDouble(b));
            }
        }
        long inner = ConstTensor.ElementCount(input.Shape[2..]);
        long count = ConstTensor.ElementCount(input.Shape);
        var channelOf = new long[count];
        for (long e = 0; e < count; e++) channelOf[e] = e / inner % channels;
        return input.Match<GraphValue>(
            constant: x => new ConstTensor(x.Dims, x.Data.Select((v, e) => v * alpha[channelOf[e]] + beta[channelOf[e]]).ToArray()),
            traced: x => new ComputedValue(x.Dims, x.Expr.ScaleRows(channelOf.Select(c => alpha[c]).ToArray()).Shift(channelOf.Select(c => beta[c]).ToArray())));
    }

    /// <summary>Whether the rational is a float32 value (then float32 arithmetic reads it exactly).</summary>
    private static bool IsFloat32(Rational v)
    {
        float f = (float)v.ToDouble();
        return float.IsFinite(f) && Rational.FromDouble(f) == v;
    }
}
