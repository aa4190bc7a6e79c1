namespace ConvexProof.Checker;

/// <summary>
/// The local affine maps of one region: for every unit u (all layers, output included), z_u(x) = g·x + h
/// when every ReLU unit is frozen to its bit in the pattern (on: passes z; off: 0), held as the integer
/// row Z_u = σ_u·(g, h) over the known scale σ_u &gt; 0 of u's layer (see <see cref="LocalMaps"/>).
/// </summary>
internal sealed class RegionMaps(Integer[][] rows, BigInteger[] scales)
{
    public Integer[] Integer(int unit) => rows[unit];
    public BigInteger Scale(int unit) => scales[unit];
}

/// <summary>
/// Computes local maps, in integers. Let D_l be the lcm of the denominators of layer l's weights,
/// bias and skip, α_l = p_l/q_l the slope of its rectifier (ReLU: 0/1; identity layers: q_l = 1),
/// τ_0 = 1, σ_l = D_l·τ_{l−1} and τ_l = q_l·σ_l. A frozen unit passes h = s·z with s = 1 (on, or
/// identity) or α_l (off), so H_l = τ_l·h_l = m·Z_l with m = q_l or p_l (1 for identity units), and
///   Z_l = σ_l·z_l = (D_l·W_l)·H_{l−1} + τ_{l−1}·(D_l·S_l)·x + τ_{l−1}·(D_l·b_l),
/// an exact identity in which every factor is an integer, so every Z_l row is an integer vector and
/// z_l = Z_l / σ_l. The integers are unbounded (<see cref="Integer"/>: float32 weights give rows beyond
/// 64 bits), and integer arithmetic needs no gcd.
/// </summary>
internal sealed class LocalMaps
{
    private readonly Network _network;
    private readonly int _d;
    private readonly Integer[][][] _weights; // per layer, D_l·W_l
    private readonly Integer[][] _fixed;      // per unit, the pattern-independent part (the whole row in layer 1)
    private readonly BigInteger[] _scales;      // per unit, σ of its layer

    public LocalMaps(Network network)
    {
        _network = network;
        _d = network.InputDim;
        _weights = new Integer[network.Layers.Length][][];
        _fixed = new Integer[network.UnitCount][];
        _scales = new BigInteger[network.UnitCount];
        BigInteger sigma = 1;
        for (int l = 0; l < network.Layers.Length; l++)
        {
            var layer = network.Layers[l];
            var all = layer.W.SelectMany(r => r).Concat(layer.B).Concat(layer.S?.SelectMany(r => r) ?? []);
            BigInteger lcm = all.Aggregate(BigInteger.One, (a, v) => Integer.Lcm(a, v.Denominator));
            Integer Scaled(Rational v, BigInteger factor) => v.Numerator * (lcm / v.Denominator) * factor;
            var previous = sigma;
            sigma *= lcm;
            _weights[l] = Array.ConvertAll(layer.W, r => Array.ConvertAll(r, v => Scaled(v, 1)));
            for (int i = 0; i < layer.Out; i++)
            {
                var row = new Integer[_d + 1];
                for (int m = 0; m < _d; m++)
                    row[m] = (layer.S is null ? default : Scaled(layer.S[i][m], previous)) + (l == 0 ? _weights[0][i][m] : default);
                row[_d] = Scaled(layer.B[i], previous);
                _fixed[layer.FirstUnit + i] = row;
                _scales[layer.FirstUnit + i] = sigma;
            }
            sigma *= layer.Alpha.Denominator; // τ_l: the scale of the layer's outputs H_l
        }
    }

    /// <summary>m with H_u = m·Z_u: q or p (α = p/q) for a rectifier unit on or off, 1 for identity units, 0 without a pattern.</summary>
    private static Integer Multiplier(Layer layer, string? pattern, int i) =>
        pattern is null ? default : !layer.Relu || pattern[layer.FirstNeuron + i] == '1' ? layer.OnFactor : layer.OffFactor;

    /// <summary>The maps of a pattern, by a forward pass: the delta from the maps with every unit off, which are the fixed parts.</summary>
    public RegionMaps Compute(string pattern) => Compute(pattern, null, new RegionMaps(_fixed, _scales));

    /// <summary>
    /// The same maps, obtained from a region already computed (usually a neighbour differing in
    /// one unit): Z'_{l+1} = Z_{l+1} + (D_{l+1}·W_{l+1})·(H'_l − H_l), where H'_l − H_l is non-zero only
    /// for units whose bit or row changed. This is an exact identity for any two patterns, so the base
    /// need not be verified; it only makes the work proportional to what changes. A null base pattern
    /// has every unit off, identity units included (H = 0), so its maps are the fixed parts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegionMaps Compute(string pattern, string? basePattern, RegionMaps baseMaps)
    {
        var rows = new Integer[_network.UnitCount][];
        var changed = new List<(int Unit, Integer[] Delta)>();
        Array.Copy(_fixed, rows, _network.Layers[0].Out); // the first layer reads x directly: its rows are fixed
        for (int l = 1; l < _network.Layers.Length; l++)
        {
            Layer previous = _network.Layers[l - 1], layer = _network.Layers[l];
            changed.Clear();
            for (int j = 0; j < previous.Out; j++)
            {
                int u = previous.FirstUnit + j;
                Integer[] now = rows[u], was = baseMaps.Integer(u);
                Integer m = Multiplier(previous, pattern, j), mWas = Multiplier(previous, basePattern, j);
                if (m == mWas && (m.IsZero || ReferenceEquals(now, was))) continue; // H_u unchanged
                // ΔH_u = m·now − mWas·was (ReLU: now, −was or now − was)
                var delta = m.IsZero ? new Integer[_d + 1] : m == 1 ? (mWas.IsZero ? now : (Integer[])now.Clone()) : Combined(new Integer[_d + 1], m, now);
                changed.Add((j, mWas.IsZero ? delta : Combined(delta, -mWas, was)));
            }
            for (int i = 0; i < layer.Out; i++)
            {
                int u = layer.FirstUnit + i;
                var w = _weights[l][i];
                Integer[]? row = null;
                foreach (var (j, delta) in changed)
                    if (!w[j].IsZero) row = Combined(row ?? (Integer[])baseMaps.Integer(u).Clone(), w[j], delta);
                rows[u] = row ?? baseMaps.Integer(u);
            }
        }
        return new RegionMaps(rows, _scales);
    }

    /// <summary>row += factor·source; returns row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Integer[] Combined(Integer[] row, Integer factor, Integer[] source)
    {
        for (int c = 0; c < row.Length; c++) if (!source[c].IsZero) row[c] += factor * source[c];
        return row;
    }
}
