using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>
/// An integer copy of a network for fast exact arithmetic. Layer l is multiplied by D_l, the least
/// common multiple of the denominators of its weights, bias and skip: W'_l = D_l·W_l, and with
/// S_l = D_1⋯D_l, b'_l = S_l·b_l, skip'_l = S_l·skip_l. Because relu(s·z) = s·relu(z) for s &gt; 0,
/// the pre-activations of the integer network are z'_l = S_l·z_l exactly: same signs, same regions,
/// and local affine maps with integer coefficients (usually small enough for 64-bit integers).
/// </summary>
public sealed class ScaledNetwork
{
    private ScaledNetwork(Network network, long[][][] weights, long[][] bias, long[]?[][] skip,
        BigInteger[] layerScale, BigInteger[] downstreamScale)
    {
        Network = network;
        Weights = weights;
        Bias = bias;
        Skip = skip;
        LayerScale = layerScale;
        DownstreamScale = downstreamScale;
    }

    public Network Network { get; }

    /// <summary>W'_l = D_l·W_l, [layer][out][in].</summary>
    public long[][][] Weights { get; }

    /// <summary>b'_l = S_l·b_l.</summary>
    public long[][] Bias { get; }

    /// <summary>skip'_l = S_l·skip_l, [layer][out] (a null row set when the layer has no skip).</summary>
    public long[]?[][] Skip { get; }

    /// <summary>S_l = D_1⋯D_l: z'_l = S_l·z_l.</summary>
    public BigInteger[] LayerScale { get; }

    /// <summary>T_l = D_{l+1}⋯D_L: the backward pass on W' gives T_l·c for units of layer l.</summary>
    public BigInteger[] DownstreamScale { get; }

    /// <summary>The integer copy, or null when a scaled parameter does not fit in 64 bits.</summary>
    public static ScaledNetwork? TryCreate(Network network)
    {
        int layers = network.Layers.Count;
        var d = new BigInteger[layers];
        var s = new BigInteger[layers];
        BigInteger running = BigInteger.One;
        for (int l = 0; l < layers; l++)
        {
            var layer = network.Layers[l];
            BigInteger lcm = BigInteger.One;
            foreach (var row in layer.Weights) foreach (var v in row) lcm = Lcm(lcm, v.Denominator);
            // b and skip are multiplied by S_l = D_l·S_{l−1}; D_l must clear what S_{l−1} does not.
            foreach (var v in layer.Bias) lcm = Lcm(lcm, v.Denominator / BigInteger.GreatestCommonDivisor(v.Denominator, running));
            if (layer.Skip is not null)
                foreach (var row in layer.Skip) foreach (var v in row) lcm = Lcm(lcm, v.Denominator / BigInteger.GreatestCommonDivisor(v.Denominator, running));
            d[l] = lcm;
            running *= lcm;
            s[l] = running;
        }
        var t = new BigInteger[layers];
        BigInteger down = BigInteger.One;
        for (int l = layers - 1; l >= 0; l--)
        {
            t[l] = down;
            down *= d[l];
        }
        try
        {
            var weights = new long[layers][][];
            var bias = new long[layers][];
            var skip = new long[]?[layers][];
            for (int l = 0; l < layers; l++)
            {
                var layer = network.Layers[l];
                weights[l] = [.. layer.Weights.Select(row => row.Select(v => ToLong(v * d[l])).ToArray())];
                bias[l] = [.. layer.Bias.Select(v => ToLong(v * s[l]))];
                skip[l] = layer.Skip is null
                    ? new long[]?[layer.Outputs]
                    : [.. layer.Skip.Select(row => row.Select(v => ToLong(v * s[l])).ToArray())];
            }
            return new ScaledNetwork(network, weights, bias, skip, s, t);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static BigInteger Lcm(BigInteger a, BigInteger b) => b.IsOne ? a : a / BigInteger.GreatestCommonDivisor(a, b) * b;

    private static long ToLong(Rational v)
    {
        if (!v.IsInteger) throw new InvalidOperationException("internal error: scaled parameter is not an integer");
        return (long)v.Numerator; // throws OverflowException when it does not fit
    }
}
