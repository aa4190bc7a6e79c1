using System.Collections.Concurrent;
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

/// <summary>
/// The backward pass of <see cref="KinkValues"/> on the integer network, in integer arithmetic that
/// reports overflow, shared by every region of one certification. The pass computes
/// G_m = T_m·∂f/∂h_m layer by layer from the output down, and G_m depends only on the pattern of
/// the layers after m. Regions share those suffixes far more than whole patterns (float32
/// 2→64→64→64→1 on [-10,10]^2: 18 863 regions, 8 734 distinct patterns of layers 2–3, 2 527 of
/// layer 3). So each G_m is computed once per distinct suffix and kept, up to a memory budget, and
/// c_k for a unit of layer l is one dot product with G_{l+1}. That replaces a full backward pass per
/// region, a quarter of a deep network's certification time.
/// </summary>
public abstract class ScaledKinkValues
{
    /// <summary>The shared values of one integer network.</summary>
    public static ScaledKinkValues For(ScaledNetwork net) => net.Apply(new Make());

    /// <summary>c_k with the layers after unit k's fixed to <paramref name="pattern"/>, or null when a value does not fit the integer type.</summary>
    public abstract Rational? Value(string pattern, int k);

    private sealed class Make : IScaledNetworkOperation<ScaledKinkValues>
    {
        public ScaledKinkValues Apply<T>(ScaledNetwork<T> net) where T : struct, IBinaryInteger<T>, ISignedNumber<T> => new Of<T>(net);
    }

    private sealed class Of<T>(ScaledNetwork<T> net) : ScaledKinkValues where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        /// <summary>Bytes (estimated) of kept vectors and their keys; beyond it a vector is computed and not kept (the values are the same).</summary>
        private const long Budget = 64L << 20;

        private static readonly T[] Output = [T.One];

        /// <summary>About what one kept entry occupies (a BigInteger also holds an array of its words).</summary>
        private static readonly long EntryBytes = typeof(T) == typeof(BigInteger) ? 64 : System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        private readonly Network _network = net.Network;

        /// <summary>Per layer m: the pattern suffix of the layers after m → G_m (null: it overflowed T).</summary>
        private readonly ConcurrentDictionary<string, T[]?>[] _kept =
            [.. net.Network.Layers.Select(_ => new ConcurrentDictionary<string, T[]?>(StringComparer.Ordinal))];
        private long _bytes;

        /// <summary>T_l·c_k = Σ_i (D_{l+1}W_{l+1})_{ik}·factor_i·G_{l+1,i}, divided by T_l.</summary>
        public override Rational? Value(string pattern, int k)
        {
            var (l, j) = (_network.Neurons[k].Layer, _network.Neurons[k].Unit);
            if (Gradient(l + 1, pattern) is not T[] above) return null;
            var weights = net.Weights[l + 1];
            T sum = T.Zero;
            for (int i = 0; i < above.Length; i++)
            {
                if (!TryShare(l + 1, i, pattern, above[i], out T share)) return null;
                if (!T.IsZero(share) && !T.IsZero(weights[i][j]) && !Integers.TryMultiplyAdd(sum, weights[i][j], share, out sum)) return null;
            }
            return new Rational(Integers.ToBig(sum), net.DownstreamScale[l]);
        }

        /// <summary>G_m, from the pattern of the layers after m: kept, or computed from G_{m+1}.</summary>
        private T[]? Gradient(int m, string pattern)
        {
            if (m == _network.Layers.Count - 1) return Output;
            var suffix = pattern.AsSpan(_network.FirstNeuronOfLayer[m + 1]);
            var kept = _kept[m].GetAlternateLookup<ReadOnlySpan<char>>();
            if (kept.TryGetValue(suffix, out var known)) return known;
            var g = Gradient(m + 1, pattern) is T[] above ? Step(m, pattern, above) : null;
            long size = EntryBytes * (g?.Length ?? 0) + 2L * suffix.Length + 64;
            if (Interlocked.Add(ref _bytes, size) <= Budget) kept.TryAdd(suffix, g);
            return g;
        }

        /// <summary>G_m from G_{m+1}: each unit of layer m + 1 passes q (on) or p (off) times its share, as in the forward pass.</summary>
        private T[]? Step(int m, string pattern, T[] above)
        {
            var weights = net.Weights[m + 1];
            var current = new T[_network.Layers[m].Outputs];
            for (int i = 0; i < above.Length; i++)
            {
                if (!TryShare(m + 1, i, pattern, above[i], out T share)) return null;
                if (T.IsZero(share)) continue;
                var row = weights[i];
                for (int j = 0; j < current.Length; j++)
                    if (!T.IsZero(row[j]) && !Integers.TryMultiplyAdd(current[j], row[j], share, out current[j])) return null;
            }
            return current;
        }

        /// <summary>factor·g for unit i of layer m: q or p by its bit (1 for identity layers); false when it does not fit T.</summary>
        private bool TryShare(int m, int i, string pattern, T g, out T share)
        {
            bool passes = _network.Layers[m].Activation == Activation.Identity || pattern[_network.IndexOf(m, i)] == '1';
            T factor = passes ? net.OnFactors[m] : net.OffFactors[m];
            if (T.IsZero(factor) || T.IsZero(g)) { share = T.Zero; return true; }
            if (factor == T.One) { share = g; return true; }
            return Integers.TryMultiply(factor, g, out share);
        }
    }
}
