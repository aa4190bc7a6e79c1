using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvexProof.Checker;

/// <summary>
/// The local affine maps of one region: for every unit u (all layers, output included), z_u(x) = g·x + h
/// when every ReLU unit is frozen to its bit in the pattern (on: passes z; off: 0). Held as integer
/// rows Z_u = σ_u·(g, h) over the known scale σ_u &gt; 0 of u's layer (see <see cref="LocalMaps"/>),
/// or, when those do not fit in 64 bits, as rational rows. Rows are immutable and may be shared.
/// </summary>
internal sealed class RegionMaps(long[][]? integers, long[]? scales, Rational[]?[] rows)
{
    /// <summary>Z_u = σ_u·(g, h) with σ_u &gt; 0, or null when this region is held as rationals.</summary>
    public long[]? Integer(int unit) => integers?[unit];

    /// <summary>(g_1 … g_d, h) of unit u, converted from the integer row on first use.</summary>
    public Rational[] Row(int unit)
    {
        if (Volatile.Read(ref rows[unit]) is { } row) return row;
        var z = integers![unit];
        row = Array.ConvertAll(z, v => Rational.Fraction(v, scales![unit]));
        Volatile.Write(ref rows[unit], row);
        return row;
    }
}

/// <summary>
/// Computes local maps, in integers. Let D_l be the lcm of the denominators of layer l's weights,
/// bias and skip, and σ_l = D_1⋯D_l (σ_0 = 1). With H_l = σ_l·h_l (frozen post-activations; ReLU is
/// positively homogeneous, so freezing commutes with scaling),
///   Z_l = σ_l·z_l = (D_l·W_l)·H_{l−1} + σ_{l−1}·(D_l·S_l)·x + σ_{l−1}·(D_l·b_l),
/// an exact identity in which every factor is an integer, so every Z_l row is an integer vector and
/// z_l = Z_l / σ_l. All integer arithmetic is checked; on any overflow the region is computed with
/// rationals instead (a plain forward pass), so the result never depends on whether numbers fit.
/// </summary>
internal sealed class LocalMaps
{
    private readonly Network _network;
    private readonly int _d;
    private readonly long[][][]? _weights;  // per layer, D_l·W_l; null when the integer form does not fit
    private readonly long[][] _fixed = [];   // per unit, the pattern-independent part (the whole row in layer 1)
    private readonly long[] _scales = [];    // per unit, σ of its layer

    public LocalMaps(Network network)
    {
        _network = network;
        _d = network.InputDim;
        try
        {
            var weights = new long[network.Layers.Length][][];
            var fixedRows = new long[network.UnitCount][];
            var scales = new long[network.UnitCount];
            BigInteger sigma = 1;
            for (int l = 0; l < network.Layers.Length; l++)
            {
                var layer = network.Layers[l];
                var all = layer.W.SelectMany(r => r).Concat(layer.B).Concat(layer.S?.SelectMany(r => r) ?? []);
                BigInteger lcm = all.Aggregate(BigInteger.One, (a, v) => a / BigInteger.GreatestCommonDivisor(a, v.Denominator) * v.Denominator);
                long Scaled(Rational v, BigInteger factor) => (long)(v.Numerator * (lcm / v.Denominator) * factor); // throws when too large
                var previous = sigma;
                sigma *= lcm;
                weights[l] = Array.ConvertAll(layer.W, r => Array.ConvertAll(r, v => Scaled(v, 1)));
                for (int i = 0; i < layer.Out; i++)
                {
                    var row = new long[_d + 1];
                    for (int m = 0; m < _d; m++)
                        row[m] = checked((layer.S is null ? 0 : Scaled(layer.S[i][m], previous)) + (l == 0 ? weights[0][i][m] : 0));
                    row[_d] = Scaled(layer.B[i], previous);
                    fixedRows[layer.FirstUnit + i] = row;
                    scales[layer.FirstUnit + i] = (long)sigma;
                }
            }
            (_weights, _fixed, _scales) = (weights, fixedRows, scales);
        }
        catch (OverflowException) { _weights = null; }
    }

    private static bool Passes(Layer layer, string pattern, int i) => !layer.Relu || pattern[layer.FirstNeuron + i] == '1';

    /// <summary>The maps of a pattern, by a forward pass.</summary>
    public RegionMaps Compute(string pattern)
    {
        if (_weights is not null)
        {
            try { return Integers(IntegerPass(pattern)); }
            catch (OverflowException) { }
        }
        return new RegionMaps(null, null, RationalPass(pattern));
    }

    /// <summary>
    /// The same maps, obtained from a region already computed (usually a neighbour differing in
    /// one unit): Z'_{l+1} = Z_{l+1} + (D_{l+1}·W_{l+1})·(H'_l − H_l), where H'_l − H_l is non-zero only
    /// for units whose bit or row changed. This is an exact identity for any two patterns, so the base
    /// need not be verified; it only makes the work proportional to what changes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegionMaps Compute(string pattern, string basePattern, RegionMaps baseMaps)
    {
        if (_weights is not null && baseMaps.Integer(0) is not null)
            try { return Integers(IntegerUpdate(pattern, basePattern, baseMaps)); }
            catch (OverflowException) { }
        var baseRows = Enumerable.Range(0, _network.UnitCount).Select(baseMaps.Row).ToArray();
        return new RegionMaps(null, null, RationalUpdate(pattern, basePattern, baseRows));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long[][] IntegerUpdate(string pattern, string basePattern, RegionMaps baseMaps)
    {
        var rows = new long[_network.UnitCount][];
        var changed = new List<(int Unit, long[] Delta)>();
        var first = _network.Layers[0];
        for (int u = first.FirstUnit; u < first.FirstUnit + first.Out; u++) rows[u] = _fixed[u];
        for (int l = 1; l < _network.Layers.Length; l++)
        {
            Layer previous = _network.Layers[l - 1], layer = _network.Layers[l];
            changed.Clear();
            for (int j = 0; j < previous.Out; j++)
            {
                int u = previous.FirstUnit + j;
                long[] now = rows[u], was = baseMaps.Integer(u)!;
                bool on = Passes(previous, pattern, j), wasOn = Passes(previous, basePattern, j);
                if (on && wasOn && !ReferenceEquals(now, was)) changed.Add((j, Combined((long[])now.Clone(), -1, was)));
                else if (on && !wasOn) changed.Add((j, now));
                else if (wasOn && !on) changed.Add((j, Combined(new long[_d + 1], -1, was)));
            }
            for (int i = 0; i < layer.Out; i++)
            {
                int u = layer.FirstUnit + i;
                var w = _weights![l][i];
                long[]? row = null;
                foreach (var (j, delta) in changed)
                    if (w[j] != 0) row = Combined(row ?? (long[])baseMaps.Integer(u)!.Clone(), w[j], delta);
                rows[u] = row ?? baseMaps.Integer(u)!;
            }
        }
        return rows;
    }

    private RegionMaps Integers(long[][] rows) => new(rows, _scales, new Rational[]?[rows.Length]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long[][] IntegerPass(string pattern)
    {
        var rows = new long[_network.UnitCount][];
        Layer? previous = null;
        for (int l = 0; l < _network.Layers.Length; l++)
        {
            var layer = _network.Layers[l];
            for (int i = 0; i < layer.Out; i++)
            {
                int u = layer.FirstUnit + i;
                rows[u] = _fixed[u];
                if (previous is null) continue; // the first layer reads x directly: its rows are fixed
                var row = (long[])_fixed[u].Clone();
                for (int j = 0; j < previous.Out; j++)
                    if (_weights![l][i][j] != 0 && Passes(previous, pattern, j)) Combined(row, _weights[l][i][j], rows[previous.FirstUnit + j]);
                rows[u] = row;
            }
            previous = layer;
        }
        return rows;
    }

    /// <summary>row += factor·source, checked; returns row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] Combined(long[] row, long factor, long[] source)
    {
        for (int c = 0; c < row.Length; c++) row[c] = checked(row[c] + factor * source[c]);
        return row;
    }

    /// <summary>The rational forward pass, for networks or regions whose integer rows do not fit in 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rational[][] RationalPass(string pattern)
    {
        var rows = new Rational[_network.UnitCount][];
        Layer? previous = null;
        foreach (var layer in _network.Layers)
        {
            for (int i = 0; i < layer.Out; i++)
            {
                var row = new Rational[_d + 1];
                row[_d] = layer.B[i];
                AddSkip(layer, i, row);
                var w = layer.W[i];
                for (int j = 0; j < w.Length; j++)
                {
                    if (w[j].IsZero) continue;
                    if (previous is null) row[j] += w[j]; // the first layer reads x_j directly
                    else if (Passes(previous, pattern, j)) AddScaled(row, w[j], rows[previous.FirstUnit + j]);
                }
                rows[layer.FirstUnit + i] = row;
            }
            previous = layer;
        }
        return rows;
    }

    /// <summary>The same update in rationals: z'_{l+1} = z_{l+1} + W_{l+1}·(h'_l − h_l).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rational[][] RationalUpdate(string pattern, string basePattern, Rational[][] baseRows)
    {
        var rows = new Rational[_network.UnitCount][];
        var first = _network.Layers[0];
        Array.Copy(baseRows, first.FirstUnit, rows, first.FirstUnit, first.Out); // the first layer never depends on the pattern
        var changed = new List<(int Unit, Rational[] Delta)>();
        int widest = _network.Layers.Max(l => l.Out);
        var weights = new Rational[widest];
        var deltas = new Rational[widest][];
        var column = new Rational[widest];
        for (int l = 1; l < _network.Layers.Length; l++)
        {
            Layer previous = _network.Layers[l - 1], layer = _network.Layers[l];
            changed.Clear();
            for (int j = 0; j < previous.Out; j++)
            {
                int u = previous.FirstUnit + j;
                bool was = Passes(previous, basePattern, j), now = Passes(previous, pattern, j);
                if (was && now && !ReferenceEquals(rows[u], baseRows[u])) changed.Add((j, Difference(rows[u], baseRows[u])));
                else if (now && !was) changed.Add((j, rows[u]));
                else if (was && !now) changed.Add((j, Negated(baseRows[u])));
            }
            for (int i = 0; i < layer.Out; i++)
            {
                int u = layer.FirstUnit + i, count = 0;
                foreach (var (j, delta) in changed)
                {
                    if (layer.W[i][j].IsZero) continue;
                    weights[count] = layer.W[i][j];
                    deltas[count++] = delta;
                }
                rows[u] = count == 0 ? baseRows[u] : Updated(baseRows[u], weights.AsSpan(0, count), deltas.AsSpan(0, count), column);
            }
        }
        return rows;
    }

    /// <summary>row + Σ_t w_t·delta_t, each entry as one exact sum of products (one normalization, not one per term).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rational[] Updated(Rational[] row, ReadOnlySpan<Rational> w, ReadOnlySpan<Rational[]> delta, Rational[] column)
    {
        var result = new Rational[_d + 1];
        for (int c = 0; c <= _d; c++)
        {
            for (int t = 0; t < w.Length; t++) column[t] = delta[t][c];
            if (Rational.SumOfProducts(w, column.AsSpan(0, w.Length), row[c]) is { } fast) { result[c] = fast; continue; }
            result[c] = row[c];
            for (int t = 0; t < w.Length; t++) result[c] += w[t] * column[t];
        }
        return result;
    }

    private void AddSkip(Layer layer, int i, Rational[] row)
    {
        if (layer.S is null) return;
        for (int m = 0; m < _d; m++) row[m] += layer.S[i][m];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(Rational[] row, Rational factor, Rational[] source)
    {
        for (int c = 0; c < row.Length; c++) if (!source[c].IsZero) row[c] += factor * source[c];
    }

    private static Rational[] Difference(Rational[] a, Rational[] b)
    {
        var result = new Rational[a.Length];
        for (int c = 0; c < a.Length; c++) result[c] = a[c] - b[c];
        return result;
    }

    private static Rational[] Negated(Rational[] a)
    {
        var result = new Rational[a.Length];
        for (int c = 0; c < a.Length; c++) result[c] = -a[c];
        return result;
    }
}
