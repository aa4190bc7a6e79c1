using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// The exact gradient in x of one unit's pre-activation at a point, with the activation pattern of
/// that point (a unit at exactly 0 counts as off): the direction in which a line through the point
/// crosses the unit's kink most directly. Used only to choose search lines.
/// </summary>
public static class UnitGradient
{
    public static Rational[] At(Network network, Rational[] x, int neuron)
    {
        var target = network.Neurons[neuron];
        var slopes = ForwardSlopes(network, x, target.Layer);
        var gradient = new Rational[network.InputDim];
        for (int i = 0; i < gradient.Length; i++) gradient[i] = Rational.Zero;
        // adjoint: ∂z_target/∂z_m for the units of layer m, from m = target layer down to 0.
        var adjoint = new Rational[network.Layers[target.Layer].Outputs];
        for (int i = 0; i < adjoint.Length; i++) adjoint[i] = i == target.Unit ? Rational.One : Rational.Zero;
        for (int m = target.Layer; m >= 0; m--)
        {
            var layer = network.Layers[m];
            if (layer.Skip is not null) AddTransposed(layer.Skip, adjoint, gradient);
            if (m == 0)
            {
                AddTransposed(layer.Weights, adjoint, gradient);
                break;
            }
            var below = new Rational[layer.Inputs];
            for (int j = 0; j < below.Length; j++) below[j] = Rational.Zero;
            AddTransposed(layer.Weights, adjoint, below);
            for (int j = 0; j < below.Length; j++) if (!slopes[m - 1][j]) below[j] = Rational.Zero;
            adjoint = below;
        }
        return gradient;
    }

    /// <summary>target += Mᵀ·adjoint.</summary>
    private static void AddTransposed(Rational[][] matrix, Rational[] adjoint, Rational[] target)
    {
        for (int i = 0; i < adjoint.Length; i++)
        {
            if (adjoint[i].IsZero) continue;
            var row = matrix[i];
            for (int j = 0; j < row.Length; j++) if (!row[j].IsZero) target[j] += row[j] * adjoint[i];
        }
    }

    /// <summary>Per layer before <paramref name="upTo"/>: whether each unit passes its input (on, or identity).</summary>
    private static bool[][] ForwardSlopes(Network network, Rational[] x, int upTo)
    {
        var passes = new bool[upTo][];
        Rational[] h = x;
        for (int l = 0; l < upTo; l++)
        {
            var layer = network.Layers[l];
            var next = new Rational[layer.Outputs];
            passes[l] = new bool[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                Rational z = layer.Bias[i];
                var row = layer.Weights[i];
                for (int j = 0; j < row.Length; j++) if (!row[j].IsZero) z += row[j] * h[j];
                if (layer.Skip is not null)
                    for (int j = 0; j < x.Length; j++) if (!layer.Skip[i][j].IsZero) z += layer.Skip[i][j] * x[j];
                passes[l][i] = layer.Activation == Activation.Identity || z.Sign > 0;
                next[i] = passes[l][i] ? z : Rational.Zero;
            }
            h = next;
        }
        return passes;
    }
}
