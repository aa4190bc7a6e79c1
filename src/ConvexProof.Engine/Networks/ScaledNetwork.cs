using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>
/// An integer copy of a network for fast exact arithmetic. Layer l is multiplied by D_l, the least
/// common multiple of the denominators of its weights, bias and skip: W'_l = D_l·W_l, and with
/// S_l = D_l·τ_{l−1} (τ_0 = 1), b'_l = S_l·b_l, skip'_l = S_l·skip_l. A rectifier of slope
/// α_l = p_l/q_l (ReLU: 0/1) passes h' = q_l·z' when on and p_l·z' when off — q_l·σ(z'), since
/// σ(s·z) = s·σ(z) for s &gt; 0 — so the outputs are scaled by τ_l = q_l·S_l. Then the
/// pre-activations of the integer network are z'_l = S_l·z_l exactly: same signs, same regions,
/// and local affine maps with integer coefficients.
/// </summary>
/// <remarks>
/// The integers are 64-bit when every scaled parameter fits (decimal weights such as 0.123), 128-bit
/// when an a-priori bound proves no local map can outgrow them, and arbitrary-precision otherwise:
/// float32 weights are dyadic, so their scales are powers of two, but products across layers outgrow
/// 64 bits. Integer arithmetic needs no gcd in either case, which is
/// what makes this path fast compared with reduced rationals. <see cref="Create(Network)"/> picks the type.
/// </remarks>
public abstract class ScaledNetwork
{
    private protected ScaledNetwork(Network network, BigInteger[] layerScale, BigInteger[] downstreamScale)
    {
        Network = network;
        LayerScale = layerScale;
        DownstreamScale = downstreamScale;
    }

    public Network Network { get; }

    /// <summary>S_l = D_1⋯D_l: z'_l = S_l·z_l.</summary>
    public BigInteger[] LayerScale { get; }

    /// <summary>T_l = D_{l+1}q_{l+1}⋯D_L q_L: the backward pass on W', gated by q or p, gives T_l·c for units of layer l.</summary>
    public BigInteger[] DownstreamScale { get; }

    /// <summary>
    /// The integer copy in the narrowest type that serves: 64-bit when its parameters fit, 128-bit
    /// when no local map can outgrow it, BigInteger otherwise (never null).
    /// </summary>
    public static ScaledNetwork Create(Network network) => Create(network, IntegerWidth.Narrowest);

    /// <summary>The integer copy with at least the given width (wider ones give the same integers, only slower: for tests).</summary>
    public static ScaledNetwork Create(Network network, IntegerWidth minimum)
    {
        var (d, s, t) = Scales(network);
        ScaledNetwork Big() => ScaledNetwork<BigInteger>.TryBuild(network, d, s, t, boundedMaps: true)!;
        // 128-bit when no local map of any region can exceed 2^126, so no forward pass can overflow.
        ScaledNetwork Wide() => (MapBound(network, d, s) < BigInteger.One << 126
            ? ScaledNetwork<Int128>.TryBuild(network, d, s, t, boundedMaps: true) : null) ?? Big();
        return minimum switch
        {
            IntegerWidth.Big => Big(),
            IntegerWidth.Bits128 => Wide(),
            // 64-bit whenever the parameters fit (decimal weights; an overflowing region then takes
            // the rational path).
            _ => (ScaledNetwork?)ScaledNetwork<long>.TryBuild(network, d, s, t) ?? Wide(),
        };
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on this network with its concrete integer type, so code in
    /// later folders (region maps, kink values) is written once, generic over the integer type.
    /// </summary>
    public abstract TResult Apply<TResult>(IScaledNetworkOperation<TResult> operation);

    private static (BigInteger[] D, BigInteger[] S, BigInteger[] T) Scales(Network network)
    {
        int layers = network.Layers.Count;
        var d = new BigInteger[layers];
        var s = new BigInteger[layers];
        BigInteger running = BigInteger.One;
        for (int l = 0; l < layers; l++)
        {
            var layer = network.Layers[l];
            BigInteger lcm = BigInteger.One;
            foreach (var row in layer.Weights) foreach (var v in row) lcm = Integers.Lcm(lcm, v.Denominator);
            // b and skip are multiplied by S_l = D_l·S_{l−1}; D_l must clear what S_{l−1} does not.
            foreach (var v in layer.Bias) lcm = Integers.Lcm(lcm, v.Denominator / BigInteger.GreatestCommonDivisor(v.Denominator, running));
            if (layer.Skip is not null)
                foreach (var row in layer.Skip) foreach (var v in row) lcm = Integers.Lcm(lcm, v.Denominator / BigInteger.GreatestCommonDivisor(v.Denominator, running));
            d[l] = lcm;
            running *= lcm;
            s[l] = running;
            running *= OnFactor(layer); // τ_l, the scale of the layer's outputs
        }
        var t = new BigInteger[layers];
        BigInteger down = BigInteger.One;
        for (int l = layers - 1; l >= 0; l--)
        {
            t[l] = down;
            down *= d[l] * OnFactor(network.Layers[l]);
        }
        return (d, s, t);
    }

    /// <summary>
    /// A bound on every coefficient of every local map of the integer network, over all patterns:
    /// H_0 = 1 (the inputs' maps are unit vectors) and, for each layer, the largest
    /// Σ_j |W'_uj|·H + |b'_u| + max_i |skip'_ui| over its units, times q_l (a unit's output is
    /// q_l or p_l &lt; q_l times its pre-activation).
    /// </summary>
    private static BigInteger MapBound(Network network, BigInteger[] d, BigInteger[] s)
    {
        BigInteger h = BigInteger.One;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            BigInteger next = BigInteger.Zero;
            for (int u = 0; u < layer.Outputs; u++)
            {
                BigInteger row = BigInteger.Zero;
                foreach (var w in layer.Weights[u]) row += BigInteger.Abs((w * d[l]).Numerator);
                BigInteger z = row * h + BigInteger.Abs((layer.Bias[u] * s[l]).Numerator);
                if (layer.Skip is not null)
                    z += layer.Skip[u].Select(v => BigInteger.Abs((v * s[l]).Numerator)).Max();
                if (z > next) next = z;
            }
            h = BigInteger.Max(h, next * OnFactor(layer));
        }
        return h;
    }

    /// <summary>q_l: a unit on passes q_l·z' (the denominator of the layer's slope; 1 for ReLU and identity layers).</summary>
    public static BigInteger OnFactor(Layer layer) => layer.IsLeaky ? layer.Alpha.Denominator : BigInteger.One;

    /// <summary>p_l: a unit off passes p_l·z' (the numerator of the layer's slope; 0 for ReLU).</summary>
    public static BigInteger OffFactor(Layer layer) => layer.IsLeaky ? layer.Alpha.Numerator : BigInteger.Zero;
}

/// <summary>The integer types of <see cref="ScaledNetwork"/>, narrowest first.</summary>
public enum IntegerWidth { Narrowest, Bits128, Big }

/// <summary>The integer network over one integer type T (long, Int128 or BigInteger).</summary>
public sealed class ScaledNetwork<T> : ScaledNetwork where T : struct, IBinaryInteger<T>, ISignedNumber<T>
{
    private ScaledNetwork(Network network, T[][][] weights, T[][] bias, T[]?[][] skip,
        BigInteger[] layerScale, BigInteger[] downstreamScale) : base(network, layerScale, downstreamScale)
    {
        Weights = weights;
        Bias = bias;
        Skip = skip;
    }

    /// <summary>W'_l = D_l·W_l, [layer][out][in].</summary>
    public T[][][] Weights { get; }

    /// <summary>b'_l = S_l·b_l.</summary>
    public T[][] Bias { get; }

    /// <summary>skip'_l = S_l·skip_l, [layer][out] (a null row set when the layer has no skip).</summary>
    public T[]?[][] Skip { get; }

    /// <summary>
    /// True when no forward pass can overflow T (proved by the a-priori bound of
    /// <see cref="ScaledNetwork.Create(Network, IntegerWidth)"/>, or T is BigInteger): the forward pass may skip overflow checks.
    /// </summary>
    public bool BoundedMaps { get; private init; }

    /// <summary>Every scaled weight W' fits in 64 bits (so products with 128-bit maps need one hardware multiplication).</summary>
    public bool WeightsFit64 { get; private init; }

    /// <summary>
    /// Σ_j |W'_uj| per unit, [layer][out], in double (rounded to nearest: for fan-in n within a
    /// relative n·2^-53 of the exact sum): with the largest entry H of a layer's input maps,
    /// Σ_j |W'_uj|·H + |b'_u| bounds every partial sum of the unit's forward pass.
    /// </summary>
    public double[][] WeightRowNorms { get; private init; } = [];

    /// <summary>Per layer, q_l and p_l of <see cref="ScaledNetwork.OnFactor"/> and <see cref="ScaledNetwork.OffFactor"/> in T (1 and 0 for ReLU).</summary>
    public T[] OnFactors { get; private init; } = [];
    public T[] OffFactors { get; private init; } = [];

    /// <summary>
    /// h' of a rectifier unit of layer l with pre-activation row z (null when it is 0), or false when
    /// a product does not fit T; for ReLU layers z itself or null, with no arithmetic.
    /// </summary>
    public bool TryOutput(int l, T[] z, bool on, out T[]? h)
    {
        T factor = on ? OnFactors[l] : OffFactors[l];
        h = T.IsZero(factor) ? null : factor == T.One ? z : new T[z.Length];
        if (h is null || ReferenceEquals(h, z)) return true;
        for (int i = 0; i < z.Length; i++)
            if (!Integers.TryMultiply(factor, z[i], out h[i])) return false;
        return true;
    }

    internal static ScaledNetwork<T>? TryBuild(Network network, BigInteger[] d, BigInteger[] s, BigInteger[] t, bool boundedMaps = false)
    {
        int layers = network.Layers.Count;
        var weights = new T[layers][][];
        var bias = new T[layers][];
        var skip = new T[]?[layers][];
        for (int l = 0; l < layers; l++)
        {
            var layer = network.Layers[l];
            var scaledWeights = new T[layer.Outputs][];
            for (int u = 0; u < layer.Outputs; u++)
                if (!TryScale(layer.Weights[u], d[l], out scaledWeights[u])) return null;
            var scaledBias = new T[1][];
            if (!TryScale(layer.Bias, s[l], out scaledBias[0])) return null;
            var scaledSkip = new T[]?[layer.Outputs];
            if (layer.Skip is not null)
                for (int u = 0; u < layer.Outputs; u++)
                {
                    if (!TryScale(layer.Skip[u], s[l], out var row)) return null;
                    scaledSkip[u] = row;
                }
            weights[l] = scaledWeights;
            bias[l] = scaledBias[0];
            skip[l] = scaledSkip;
        }
        // Only the 128-bit forward pass has a 64-bit-weight shortcut to enable.
        bool fit64 = typeof(T) == typeof(Int128)
            && weights.All(layer => layer.All(row => row.All(w => Integers.ToBig(w) > long.MinValue && Integers.ToBig(w) <= long.MaxValue)));
        var norms = weights.Select(layer => layer.Select(row => row.Sum(w => Math.Abs(Integers.ToDouble(w)))).ToArray()).ToArray();
        var on = new T[layers];
        var off = new T[layers];
        for (int l = 0; l < layers; l++)
            if (!Integers.TryFrom(OnFactor(network.Layers[l]), out on[l]) || !Integers.TryFrom(OffFactor(network.Layers[l]), out off[l])) return null;
        return new ScaledNetwork<T>(network, weights, bias, skip, s, t)
        {
            BoundedMaps = boundedMaps, WeightsFit64 = fit64, WeightRowNorms = norms, OnFactors = on, OffFactors = off,
        };
    }

    /// <summary>values·scale as integers of type T; false when one does not fit.</summary>
    private static bool TryScale(IReadOnlyList<Rational> values, BigInteger scale, out T[] result)
    {
        result = new T[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var v = values[i] * scale;
            if (!v.IsInteger) throw new InvalidOperationException("internal error: scaled parameter is not an integer");
            if (!Integers.TryFrom(v.Numerator, out result[i])) return false;
        }
        return true;
    }

    public override TResult Apply<TResult>(IScaledNetworkOperation<TResult> operation) => operation.Apply(this);
}

/// <summary>An operation on a <see cref="ScaledNetwork"/> written once for every integer type (see <see cref="ScaledNetwork.Apply{TResult}"/>).</summary>
public interface IScaledNetworkOperation<out TResult>
{
    TResult Apply<T>(ScaledNetwork<T> network) where T : struct, IBinaryInteger<T>, ISignedNumber<T>;
}
