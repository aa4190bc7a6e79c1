using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Convexity;

/// <summary>
/// The quantities that decide convexity across a frontier. For a unit k switching alone,
/// c_k = ⟨a, Φ^{k→}⟩ = ∂f/∂(post-activation of k) with the downstream pattern a frozen, computed for
/// every unit at once by one backward pass (no path enumeration). (For a degenerate frontier the
/// deciding quantity is the gradient jump, <see cref="Affine.GradientJump"/>, computed where the
/// region explorer crosses it.)
/// </summary>
public static class KinkValues
{
    /// <summary>c_k for every ReLU unit k, with the downstream units fixed to <paramref name="pattern"/>.</summary>
    public static Rational[] Backward(Network network, string pattern)
    {
        var values = new Rational[network.NeuronCount];
        var layers = network.Layers;
        // g: ∂f/∂(post-activation) of the layer above; starts at the output (f itself).
        Rational[] g = [Rational.One];
        for (int l = layers.Count - 2; l >= 0; l--)
        {
            var above = layers[l + 1];
            var gated = new Rational[above.Outputs];
            for (int i = 0; i < above.Outputs; i++)
            {
                bool passes = above.Activation == Activation.Identity || pattern[network.IndexOf(l + 1, i)] == '1';
                gated[i] = passes ? g[i] : above.Alpha * g[i]; // an off unit passes α·z (0 for ReLU)
            }
            var current = new Rational[layers[l].Outputs];
            for (int j = 0; j < current.Length; j++)
            {
                Rational s = Rational.Zero;
                for (int i = 0; i < above.Outputs; i++)
                    if (!gated[i].IsZero && !above.Weights[i][j].IsZero) s += above.Weights[i][j] * gated[i];
                current[j] = s;
                if (layers[l].Activation == Activation.Relu) values[network.IndexOf(l, j)] = s;
            }
            g = current;
        }
        return values;
    }

    /// <summary>The pattern characters of every ReLU unit in layers after unit k's layer.</summary>
    public static string Downstream(Network network, string pattern, int k)
    {
        int layer = network.Neurons[k].Layer;
        int start = layer + 1 < network.Layers.Count ? network.FirstNeuronOfLayer[layer + 1] : network.NeuronCount;
        return pattern[start..];
    }
}

/// <summary>The backward pass of <see cref="KinkValues"/> on the integer network, in integer arithmetic that reports overflow.</summary>
public static class ScaledKinkValues
{
    /// <summary>c_k for one unit from the scaled backward pass of a pattern, or null on overflow.</summary>
    public static Func<int, Rational>? ForPattern(ScaledNetwork net, string pattern) => net.Apply(new OfPattern(pattern));

    private sealed class OfPattern(string pattern) : IScaledNetworkOperation<Func<int, Rational>?>
    {
        public Func<int, Rational>? Apply<T>(ScaledNetwork<T> net) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
        {
            var scaled = Backward(net, pattern);
            if (scaled is null) return null;
            return k => new Rational(Integers.ToBig(scaled[k]), net.DownstreamScale[net.Network.Neurons[k].Layer]);
        }
    }

    /// <summary>
    /// T_l·c_k for every ReLU unit (T_l = D_{l+1}q_{l+1}⋯D_L q_L, see <see cref="ScaledNetwork"/>): each
    /// unit above passes q (on) or p (off) times its share, as in the forward pass; null when a value does not fit T.
    /// </summary>
    public static T[]? Backward<T>(ScaledNetwork<T> net, string pattern) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        var network = net.Network;
        var values = new T[network.NeuronCount];
        var layers = network.Layers;
        T[] g = [T.One];
        for (int l = layers.Count - 2; l >= 0; l--)
        {
            var above = layers[l + 1];
            var weights = net.Weights[l + 1];
            var current = new T[layers[l].Outputs];
            for (int i = 0; i < above.Outputs; i++)
            {
                bool passes = above.Activation == Activation.Identity || pattern[network.IndexOf(l + 1, i)] == '1';
                T factor = passes ? net.OnFactors[l + 1] : net.OffFactors[l + 1];
                if (T.IsZero(factor) || T.IsZero(g[i])) continue;
                T gi = g[i];
                if (factor != T.One && !Integers.TryMultiply(factor, gi, out gi)) return null;
                var row = weights[i];
                for (int j = 0; j < current.Length; j++)
                    if (!T.IsZero(row[j]) && !Integers.TryMultiplyAdd(current[j], row[j], gi, out current[j])) return null;
            }
            if (layers[l].Activation == Activation.Relu)
                for (int j = 0; j < current.Length; j++) values[network.IndexOf(l, j)] = current[j];
            g = current;
        }
        return values;
    }
}
