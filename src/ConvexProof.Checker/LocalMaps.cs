using System.Runtime.CompilerServices;

namespace ConvexProof.Checker;

/// <summary>
/// The local affine maps of a region: for every unit u (all layers, output included),
/// rows[u] = (g_1 … g_d, h) with z_u(x) = g·x + h when every ReLU unit is frozen to its bit in the
/// pattern (on: passes z; off: 0). Rows are immutable once built and may be shared between regions.
/// </summary>
internal sealed class LocalMaps(Network network)
{
    private readonly int _d = network.InputDim;

    private static bool Passes(Layer layer, string pattern, int i) => !layer.Relu || pattern[layer.FirstNeuron + i] == '1';

    /// <summary>A plain forward pass with the pattern frozen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Rational[][] Compute(string pattern)
    {
        var rows = new Rational[network.UnitCount][];
        Layer? previous = null;
        foreach (var layer in network.Layers)
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

    /// <summary>
    /// The same maps, obtained from a region already computed (usually a neighbour differing in
    /// one unit): z'_{l+1} = z_{l+1} + W_{l+1}·(h'_l − h_l), where h'_l − h_l is non-zero only for
    /// units whose bit or row changed. This is an exact identity for any two patterns, so the base
    /// need not be verified; it only makes the work proportional to what changes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Rational[][] Compute(string pattern, string basePattern, Rational[][] baseRows)
    {
        var rows = new Rational[network.UnitCount][];
        var first = network.Layers[0];
        Array.Copy(baseRows, first.FirstUnit, rows, first.FirstUnit, first.Out); // the first layer never depends on the pattern
        var changed = new List<(int Unit, Rational[] Delta)>();
        int widest = network.Layers.Max(l => l.Out);
        var weights = new Rational[widest];
        var deltas = new Rational[widest][];
        var column = new Rational[widest];
        for (int l = 1; l < network.Layers.Length; l++)
        {
            Layer previous = network.Layers[l - 1], layer = network.Layers[l];
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
