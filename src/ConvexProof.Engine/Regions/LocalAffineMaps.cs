using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The affine functions a network computes on one activation region: every ReLU unit's
/// pre-activation z_k(x) = g_k·x + h_k and the output f(x) (each stored as [g, h], see <see cref="Affine"/>).
/// Built by one forward pass in which each ReLU unit's state is decided by a rule (a given pattern,
/// the sign at a point, or a symbolic perturbation).
/// </summary>
public sealed class LocalAffineMaps
{
    private LocalAffineMaps(string pattern, Rational[][] preActivations, Rational[] output)
    {
        Pattern = pattern;
        PreActivations = preActivations;
        Output = output;
    }

    public string Pattern { get; }

    /// <summary>z_k = [g_k, h_k], the pre-activation of each ReLU unit k (global order).</summary>
    public Rational[][] PreActivations { get; }

    /// <summary>f on the region.</summary>
    public Rational[] Output { get; }

    /// <summary>True when unit k's local pre-activation is identically zero on the region.</summary>
    public bool IsFlat(int k) => Affine.IsZero(PreActivations[k]);

    /// <summary>Local maps of a given pattern ('1' on, '0' off per ReLU unit).</summary>
    public static LocalAffineMaps ForPattern(Network network, string pattern) =>
        Build(network, (k, _) => pattern[k] == '1');

    /// <summary>
    /// Local maps and pattern at point x, or null when x is not generic (some unit that is not flat
    /// vanishes at x, so x lies on a region boundary).
    /// </summary>
    public static LocalAffineMaps? AtPoint(Network network, IReadOnlyList<Rational> x)
    {
        bool generic = true;
        var maps = Build(network, (_, z) =>
        {
            var v = Affine.Evaluate(z, x);
            if (v.IsZero && !Affine.IsZero(z)) generic = false;
            return v.Sign > 0;
        });
        return generic ? maps : null;
    }

    /// <summary>
    /// Pattern and maps at w + εu (+ ε²e₁ + … + ε^{d+1}e_d) for all small enough ε &gt; 0: a unit's
    /// sign is the sign of the first non-zero of (z(w), g·u, g₁, …, g_d); a unit with all of them
    /// zero is flat and off. Exact: no ε is ever chosen.
    /// </summary>
    public static LocalAffineMaps AtPerturbedPoint(Network network, IReadOnlyList<Rational> w, IReadOnlyList<Rational> u) =>
        Build(network, (_, z) =>
        {
            int s = Affine.Evaluate(z, w).Sign;
            if (s == 0) s = Affine.Slope(z, u).Sign;
            for (int i = 0; s == 0 && i < z.Length - 1; i++) s = z[i].Sign;
            return s > 0;
        });

    private static LocalAffineMaps Build(Network network, Func<int, Rational[], bool> isOn)
    {
        int d = network.InputDim;
        var preActivations = new Rational[network.NeuronCount][];
        var pattern = new char[network.NeuronCount];
        // h: the previous layer's outputs as affine functions of x; null means identically zero.
        var h = new Rational[]?[d];
        for (int i = 0; i < d; i++)
        {
            var e = Zero(d + 1);
            e[i] = Rational.One;
            h[i] = e;
        }
        Rational[] output = Zero(d + 1);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var next = new Rational[]?[layer.Outputs];
            for (int u = 0; u < layer.Outputs; u++)
            {
                var z = Zero(d + 1);
                z[d] = layer.Bias[u];
                var row = layer.Weights[u];
                for (int j = 0; j < row.Length; j++)
                {
                    var hj = h[j];
                    if (hj is null || row[j].IsZero) continue;
                    var wj = row[j];
                    for (int i = 0; i <= d; i++) if (!hj[i].IsZero) z[i] += wj * hj[i];
                }
                if (layer.Skip is not null)
                    for (int i = 0; i < d; i++) if (!layer.Skip[u][i].IsZero) z[i] += layer.Skip[u][i];
                if (layer.Activation == Activation.Relu)
                {
                    int k = network.IndexOf(l, u);
                    preActivations[k] = z;
                    bool on = isOn(k, z);
                    pattern[k] = on ? '1' : '0';
                    next[u] = on ? z : layer.IsLeaky ? Array.ConvertAll(z, v => layer.Alpha * v) : null;
                }
                else next[u] = z;
            }
            h = next;
            if (l == network.Layers.Count - 1) output = h[0] ?? Zero(d + 1);
        }
        return new LocalAffineMaps(new string(pattern), preActivations, output);
    }

    private static Rational[] Zero(int n)
    {
        var a = new Rational[n];
        Array.Fill(a, Rational.Zero);
        return a;
    }
}
