using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Plotting;

/// <summary>
/// The exact local maps a plot needs for each region — the constraints of its facets and f — from
/// a forward pass in 64-bit integers: each layer's weights, skips and biases are scaled by the least
/// common multiple of their denominators, so a layer's outputs are integer affine functions over one
/// common denominator and no gcd is taken until the few needed values become rationals. Any
/// overflow (checked arithmetic) falls back to the rational forward pass of
/// <see cref="LocalAffineMaps"/>, so the results are always exact.
/// </summary>
public sealed class PlotMaps
{
    private readonly Network _network;
    private readonly Domain _domain;
    private readonly Scaled? _scaled;

    public PlotMaps(Network network, Domain domain)
    {
        _network = network;
        _domain = domain;
        _scaled = Scaled.TryCreate(network);
    }

    /// <summary>True when the integer path is available (the network's scaled parameters fit in 64 bits).</summary>
    public bool UsesIntegers => _scaled is not null;

    /// <summary>
    /// For the region with this pattern: constraint c_k (numbered as in <see cref="RegionConstraints"/>,
    /// stored as [g, h]) for every k in <paramref name="constraints"/>, and f on the region.
    /// </summary>
    public (Rational[][] Constraints, Rational[] Output) Compute(string pattern, IReadOnlyList<int> constraints)
    {
        if (_scaled is not null)
        {
            try
            {
                return _scaled.Compute(pattern, constraints, _domain);
            }
            catch (OverflowException)
            {
                // Values grew past 64 bits: the rational pass below is exact at any size.
            }
        }
        var maps = LocalAffineMaps.ForPattern(_network, pattern);
        var all = new RegionConstraints(maps, _domain).All;
        return ([.. constraints.Select(k => all[k])], maps.Output);
    }

    /// <summary>The box-face constraint k ≥ N (x_i − lo_i or hi_i − x_i).</summary>
    private static Rational[] BoxFace(Domain domain, int neurons, int k)
    {
        int d = domain.Dimension, i = (k - neurons) / 2;
        var c = new Rational[d + 1];
        Array.Fill(c, Rational.Zero);
        if ((k - neurons) % 2 == 0)
        {
            c[i] = Rational.One;
            c[d] = -domain.Lower![i];
        }
        else
        {
            c[i] = Rational.MinusOne;
            c[d] = domain.Upper![i];
        }
        return c;
    }

    /// <summary>The network with integer parameters: layer l computes (W'h + S'x + b') / D_l.</summary>
    private sealed class Scaled
    {
        private readonly Network _network;
        private readonly long[][][] _weights;
        private readonly long[]?[][] _skips;
        private readonly long[][] _biases;
        private readonly long[] _denominators;

        private Scaled(Network network, long[][][] weights, long[]?[][] skips, long[][] biases, long[] denominators)
        {
            _network = network;
            _weights = weights;
            _skips = skips;
            _biases = biases;
            _denominators = denominators;
        }

        public static Scaled? TryCreate(Network network)
        {
            int layers = network.Layers.Count;
            var weights = new long[layers][][];
            var skips = new long[]?[layers][];
            var biases = new long[layers][];
            var denominators = new long[layers];
            for (int l = 0; l < layers; l++)
            {
                var layer = network.Layers[l];
                BigInteger lcm = BigInteger.One;
                void Include(Rational r)
                {
                    var q = r.Denominator;
                    if (!q.IsOne) lcm = lcm / BigInteger.GreatestCommonDivisor(lcm, q) * q;
                }
                foreach (var row in layer.Weights) foreach (var w in row) Include(w);
                foreach (var b in layer.Bias) Include(b);
                if (layer.Skip is not null) foreach (var row in layer.Skip) foreach (var s in row) Include(s);
                if (lcm > long.MaxValue) return null;
                long? Scale(Rational r)
                {
                    var v = r.Numerator * (lcm / r.Denominator);
                    return v >= long.MinValue && v <= long.MaxValue ? (long)v : null;
                }
                denominators[l] = (long)lcm;
                weights[l] = new long[layer.Outputs][];
                skips[l] = new long[]?[layer.Outputs];
                biases[l] = new long[layer.Outputs];
                for (int u = 0; u < layer.Outputs; u++)
                {
                    var row = new long[layer.Weights[u].Length];
                    for (int j = 0; j < row.Length; j++)
                        if (Scale(layer.Weights[u][j]) is long v) row[j] = v; else return null;
                    weights[l][u] = row;
                    if (Scale(layer.Bias[u]) is long b) biases[l][u] = b; else return null;
                    if (layer.Skip is not null)
                    {
                        var skip = new long[network.InputDim];
                        for (int i = 0; i < skip.Length; i++)
                            if (Scale(layer.Skip[u][i]) is long s) skip[i] = s; else return null;
                        skips[l][u] = skip;
                    }
                }
            }
            return new Scaled(network, weights, skips, biases, denominators);
        }

        /// <summary>The forward pass with the pattern fixed; throws <see cref="OverflowException"/> past 64 bits.</summary>
        public (Rational[][] Constraints, Rational[] Output) Compute(string pattern, IReadOnlyList<int> constraints, Domain domain)
        {
            int d = _network.InputDim, n = _network.NeuronCount;
            var wanted = new Dictionary<int, int>(); // neuron → position in the answer
            var answer = new Rational[constraints.Count][];
            for (int i = 0; i < constraints.Count; i++)
            {
                if (constraints[i] >= n) answer[i] = BoxFace(domain, n, constraints[i]);
                else wanted[constraints[i]] = i;
            }

            // h[j] / scale is output j of the previous layer (null: identically zero).
            var h = new long[]?[d];
            for (int i = 0; i < d; i++)
            {
                h[i] = new long[d + 1];
                h[i]![i] = 1;
            }
            long scale = 1;
            Rational[] output = [];
            checked
            {
                for (int l = 0; l < _network.Layers.Count; l++)
                {
                    var layer = _network.Layers[l];
                    var next = new long[]?[layer.Outputs];
                    long denominator = _denominators[l], newScale = scale * denominator;
                    for (int u = 0; u < layer.Outputs; u++)
                    {
                        var z = new long[d + 1];
                        var row = _weights[l][u];
                        for (int j = 0; j < row.Length; j++)
                        {
                            var hj = h[j];
                            long w = row[j];
                            if (hj is null || w == 0) continue;
                            for (int i = 0; i <= d; i++) if (hj[i] != 0) z[i] += w * hj[i];
                        }
                        if (_skips[l][u] is long[] skip)
                            for (int i = 0; i < d; i++) if (skip[i] != 0) z[i] += scale * skip[i];
                        z[d] += scale * _biases[l][u];
                        if (layer.Activation == Activation.Relu)
                        {
                            int k = _network.IndexOf(l, u);
                            bool on = pattern[k] == '1';
                            if (wanted.TryGetValue(k, out int position))
                                answer[position] = [.. z.Select(v => new Rational(on ? v : -(BigInteger)v, newScale))];
                            next[u] = on ? z : null;
                        }
                        else next[u] = z;
                    }
                    h = next;
                    scale = newScale;
                }
                var f = h[0];
                output = f is null
                    ? [.. Enumerable.Repeat(Rational.Zero, d + 1)]
                    : [.. f.Select(v => new Rational(v, scale))];
            }
            return (answer, output);
        }
    }
}
