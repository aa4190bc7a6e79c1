namespace ConvexProof.Checker;

/// <summary>
/// One leaf's exact passes (docs/formats.md). Forward: every unit gets affine forms L ≤ z ≤ U in x
/// (d coefficients, then the constant), bounds are their extrema over the leaf's box (plus the
/// certificate's split multipliers), intersected with a split's side. The interval pass is the same
/// with each output's forms collapsed to its interval's ends; the linear pass keeps them, relaxing
/// straddling units by the certificate's slopes. Backward: the interval adjoints.
/// </summary>
internal sealed class LeafPass
{
    private readonly Network _net;
    private readonly Dictionary<int, Rational> _slopes = [];      // relaxation λ by neuron, removed when used
    private readonly Dictionary<(int, bool), (int Split, Rational Beta)[]> _betas = []; // likewise, by (neuron, upper)

    /// <summary>The bounds of every ReLU unit's pre-activation, by neuron.</summary>
    public Rational[] Lo { get; }
    public Rational[] Hi { get; }
    public string Mode { get; }
    public int EmptiedBy { get; } = -1;

    public LeafPass(Network net, Rational[] boxLo, Rational[] boxHi, (int Neuron, bool NonNegative)[] splits, JsonElement node, JsonPath at)
    {
        _net = net;
        bool linear = node.TryGetProperty("relaxation", out var relaxation);
        if (linear != node.TryGetProperty("multipliers", out var multipliers)) throw Bad(at, "\"relaxation\" and \"multipliers\" come together");
        Mode = linear ? "linear" : "interval";
        if (linear) ReadRelaxation(relaxation, multipliers, at);
        int d = net.InputDim;
        (Lo, Hi) = (new Rational[net.NeuronCount], new Rational[net.NeuronCount]);
        var side = new Dictionary<int, bool>();
        foreach (var (neuron, nonNegative) in splits) side[neuron] = nonNegative;
        var constraints = new Dictionary<int, Rational[]>(); // g_s ≤ 0 on the leaf, by split unit
        var lowerH = Enumerable.Range(0, d).Select(i => Enumerable.Range(0, d + 1).Select(j => j == i ? Rational.One : Rational.Zero).ToArray()).ToArray();
        var upperH = lowerH;
        for (int l = 0; l < net.Layers.Length && EmptiedBy < 0; l++)
        {
            var layer = net.Layers[l];
            var (nextLower, nextUpper) = (new Rational[layer.Out][], new Rational[layer.Out][]);
            for (int i = 0; i < layer.Out && EmptiedBy < 0; i++)
            {
                var (lower, upper) = (new Rational[d + 1], new Rational[d + 1]);
                lower[d] = upper[d] = layer.B[i];
                for (int j = 0; j < layer.In; j++)
                {
                    var w = layer.W[i][j];
                    if (w.Sign != 0) { AddScaled(lower, w.Sign > 0 ? lowerH[j] : upperH[j], w); AddScaled(upper, w.Sign > 0 ? upperH[j] : lowerH[j], w); }
                }
                for (int j = 0; layer.S is not null && j < d; j++) { lower[j] += layer.S[i][j]; upper[j] += layer.S[i][j]; }
                int neuron = layer.Relu ? layer.FirstNeuron + i : -1;
                var negUpper = upper.Select(v => -v).ToArray();
                var lo = Minimum(WithBetas(lower, neuron, false, constraints, at), boxLo, boxHi);
                var hi = -Minimum(WithBetas(negUpper, neuron, true, constraints, at), boxLo, boxHi);
                if (neuron >= 0 && side.TryGetValue(neuron, out bool nonNegative))
                {
                    if (nonNegative && lo.Sign < 0) lo = Rational.Zero;
                    if (!nonNegative && hi.Sign > 0) hi = Rational.Zero;
                    if (lo > hi) EmptiedBy = neuron;
                    constraints[neuron] = nonNegative ? negUpper : lower;
                }
                if (neuron >= 0) (Lo[neuron], Hi[neuron]) = (lo, hi);
                if (!linear) (nextLower[i], nextUpper[i]) = ([.. new Rational[d], layer.Activate(lo)], [.. new Rational[d], layer.Activate(hi)]);
                else if (!layer.Relu || lo.Sign >= 0) (nextLower[i], nextUpper[i]) = (lower, upper);
                else if (hi.Sign <= 0) (nextLower[i], nextUpper[i]) = ([.. lower.Select(v => layer.Alpha * v)], [.. upper.Select(v => layer.Alpha * v)]); // h = α·z
                else if (EmptiedBy < 0)
                {
                    // σ(z) ≥ λ·z for λ ∈ [α, 1]; σ(z) ≤ the chord k·(z − lo) + α·lo, k = (hi − α·lo)/(hi − lo), on [lo, hi].
                    if (!_slopes.Remove(neuron, out var lambda)) throw Bad(at.Then(".relaxation"), $"has no slope for unit {neuron}, whose bounds [{lo}, {hi}] straddle 0");
                    if (lambda < layer.Alpha) throw Bad(at.Then(".relaxation"), $"gives unit {neuron} the slope {lambda}, below its layer's alpha {layer.Alpha}");
                    var chord = (hi - layer.Alpha * lo) / (hi - lo);
                    nextLower[i] = [.. lower.Select(v => lambda * v)];
                    nextUpper[i] = [.. upper.Select(v => chord * v)];
                    nextUpper[i][d] += (layer.Alpha - chord) * lo;
                }
            }
            (lowerH, upperH) = (nextLower, nextUpper);
        }
        if (_slopes.Count != 0) throw Bad(at.Then(".relaxation"), "lists a slope for a unit that does not straddle 0 (or is never reached)");
        if (_betas.Count != 0) throw Bad(at.Then(".multipliers"), "lists multipliers for a bound that is never computed");
    }

    /// <summary>Lower ends of the interval adjoints δ by neuron (slopes {1}, {0} or [0, 1] from the bounds).</summary>
    public Rational[] ConditionLowerBounds()
    {
        var result = new Rational[_net.NeuronCount];
        Rational[] dlo = [Rational.One], dhi = [Rational.One];
        for (int l = _net.Layers.Length - 2; l >= 0; l--)
        {
            var (above, layer) = (_net.Layers[l + 1], _net.Layers[l]);
            // δ·s over the slope s of each unit above: {α} when off, {1} when on (or identity), [α, 1] otherwise (α ≥ 0).
            var g = new (Rational Lo, Rational Hi)[above.Out];
            for (int m = 0; m < above.Out; m++)
                g[m] = above.Relu && Hi[above.FirstNeuron + m].Sign < 0 ? (above.Alpha * dlo[m], above.Alpha * dhi[m]) : !above.Relu || Lo[above.FirstNeuron + m].Sign > 0
                    ? (dlo[m], dhi[m]) : (dlo[m].Sign < 0 ? dlo[m] : above.Alpha * dlo[m], dhi[m].Sign > 0 ? dhi[m] : above.Alpha * dhi[m]);
            (dlo, dhi) = (new Rational[layer.Out], new Rational[layer.Out]);
            for (int j = 0; j < layer.Out; j++)
            {
                for (int m = 0; m < above.Out; m++)
                {
                    var w = above.W[m][j];
                    (dlo[j], dhi[j]) = (dlo[j] + w * (w.Sign >= 0 ? g[m].Lo : g[m].Hi), dhi[j] + w * (w.Sign >= 0 ? g[m].Hi : g[m].Lo));
                }
                if (layer.Relu) result[layer.FirstNeuron + j] = dlo[j];
            }
        }
        return result;
    }

    /// <summary>form + Σ β_s·g_s for the listed multipliers of this bound (each β ≥ 0, each s an earlier split).</summary>
    private Rational[] WithBetas(Rational[] form, int neuron, bool upper, Dictionary<int, Rational[]> constraints, JsonPath at)
    {
        if (neuron < 0 || !_betas.Remove((neuron, upper), out var betas)) return form;
        var result = (Rational[])form.Clone();
        foreach (var (split, beta) in betas)
            AddScaled(result, constraints.TryGetValue(split, out var g) ? g
                : throw Bad(at.Then(".multipliers"), $"uses split {split} for unit {neuron}, but it is not a split before it on this leaf's path"), beta);
        return result;
    }

    private void ReadRelaxation(JsonElement relaxation, JsonElement multipliers, JsonPath at)
    {
        int n = _net.NeuronCount - 1;
        foreach (var (pair, rat) in Tuples(relaxation, at.Then(".relaxation"), 2, "expected [unit, slope]"))
        {
            var slope = CertificateJson.Rational(pair[1], rat.Then("[1]"));
            if (slope.Sign < 0 || slope > Rational.One) throw Bad(rat.Then("[1]"), $"is {slope}, a relaxation slope must lie in [0, 1]");
            if (!_slopes.TryAdd(Int(pair[0], rat.Then("[0]"), 0, n), slope)) throw Bad(rat, "repeats a unit");
        }
        const string Entry = "expected [unit, \"lo\" | \"hi\", [[split, beta], …]]";
        foreach (var (entry, mat) in Tuples(multipliers, at.Then(".multipliers"), 3, Entry))
        {
            bool upper = String(entry[1], mat.Then("[1]")) is "hi" or "lo" ? entry[1].GetString() == "hi" : throw Bad(mat, Entry);
            var betas = Tuples(entry[2], mat.Then("[2]"), 2, "expected [split unit, multiplier >= 0]").Select(b => (Int(b.Items[0], b.At.Then("[0]"), 0, n),
                CertificateJson.Rational(b.Items[1], b.At.Then("[1]")) is { Sign: >= 0 } beta ? beta : throw Bad(b.At, "expected [split unit, multiplier >= 0]"))).ToArray();
            if (!_betas.TryAdd((Int(entry[0], mat.Then("[0]"), 0, n), upper), betas)) throw Bad(mat, "repeats a bound");
        }
    }

    private static void AddScaled(Rational[] target, Rational[] form, Rational w)
    {
        for (int k = 0; k < form.Length; k++) if (!form[k].IsZero) target[k] += w * form[k];
    }

    private static Rational Minimum(Rational[] form, Rational[] lo, Rational[] hi) =>
        Enumerable.Range(0, lo.Length).Where(k => !form[k].IsZero).Aggregate(form[^1], (m, k) => m + form[k] * (form[k].Sign > 0 ? lo[k] : hi[k]));
}
