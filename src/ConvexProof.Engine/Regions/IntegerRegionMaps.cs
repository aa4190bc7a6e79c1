using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The local affine maps of one region in the integer network (<see cref="ScaledNetwork"/>):
/// row k = [g', h'] with z'_k = S_l·z_k, and the output row S_L·f. Computed with checked 64-bit
/// arithmetic; a forward pass that would overflow returns null and the caller falls back to
/// <see cref="LocalAffineMaps"/> over rationals.
/// </summary>
public sealed class IntegerRegionMaps
{
    private IntegerRegionMaps(ScaledNetwork net, string pattern, long[][] rows, long[] output)
    {
        Net = net;
        Pattern = pattern;
        Rows = rows;
        Output = output;
    }

    public ScaledNetwork Net { get; }
    public string Pattern { get; }
    public long[][] Rows { get; }
    public long[] Output { get; }

    public static IntegerRegionMaps? ForPattern(ScaledNetwork net, string pattern) =>
        Build(net, (k, _) => pattern[k] == '1');

    /// <summary>Pattern at w + εu (+ ε²e₁ …) for small ε &gt; 0, exactly (see <see cref="LocalAffineMaps.AtPerturbedPoint"/>).</summary>
    public static IntegerRegionMaps? AtPerturbedPoint(ScaledNetwork net, ExactPoint w, long[] u) =>
        Build(net, (_, z) =>
        {
            int s = w.Sign(z);
            if (s == 0)
            {
                Int128 slope = 0;
                for (int i = 0; i < u.Length; i++) slope = checked(slope + (Int128)z[i] * u[i]);
                s = slope.CompareTo(Int128.Zero);
            }
            for (int i = 0; s == 0 && i < z.Length - 1; i++) s = Math.Sign(z[i]);
            return s > 0;
        });

    private static IntegerRegionMaps? Build(ScaledNetwork net, Func<int, long[], bool> isOn)
    {
        var network = net.Network;
        int d = network.InputDim;
        var rows = new long[network.NeuronCount][];
        var pattern = new char[network.NeuronCount];
        var h = new long[]?[d];
        for (int i = 0; i < d; i++)
        {
            h[i] = new long[d + 1];
            h[i]![i] = 1;
        }
        long[] output = new long[d + 1];
        try
        {
            for (int l = 0; l < network.Layers.Count; l++)
            {
                var layer = network.Layers[l];
                var weights = net.Weights[l];
                var next = new long[]?[layer.Outputs];
                bool relu = layer.Activation == Activation.Relu;
                for (int u = 0; u < layer.Outputs; u++)
                {
                    var z = new long[d + 1];
                    z[d] = net.Bias[l][u];
                    var row = weights[u];
                    for (int j = 0; j < row.Length; j++)
                    {
                        var hj = h[j];
                        long w = row[j];
                        if (hj is null || w == 0) continue;
                        for (int i = 0; i <= d; i++) z[i] = checked(z[i] + w * hj[i]);
                    }
                    var skip = net.Skip[l][u];
                    if (skip is not null) for (int i = 0; i < d; i++) z[i] = checked(z[i] + skip[i]);
                    if (relu)
                    {
                        int k = network.IndexOf(l, u);
                        rows[k] = z;
                        bool on = isOn(k, z);
                        pattern[k] = on ? '1' : '0';
                        next[u] = on ? z : null;
                    }
                    else next[u] = z;
                }
                h = next;
            }
        }
        catch (OverflowException)
        {
            return null;
        }
        output = h[0] ?? output;
        return new IntegerRegionMaps(net, new string(pattern), rows, output);
    }
}
