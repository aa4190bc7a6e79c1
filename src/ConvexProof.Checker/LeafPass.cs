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
    private readonly Rational[] _lo, _hi;                        // bounds by neuron
    private readonly Dictionary<int, Rational> _slopes = [];      // relaxation λ by neuron
    private readonly Dictionary<(int, bool), (int Split, Rational Beta)[]> _betas = [];

    public string Mode { get; }
    public int EmptiedBy { get; } = -1;

    public LeafPass(Network net, Rational[] boxLo, Rational[] boxHi, (int Neuron, bool NonNegative)[] splits, JsonElement node, JsonPath at)
    {
        _net = net;
        bool linear = node.TryGetProperty("relaxation", out var relaxation);
        if (linear != node.TryGetProperty("multipliers", out var multipliers)) throw Bad(at, "\"relaxation\" and \"multipliers\" come together");
        Mode = linear ? "linear" : "interval";
        if (linear) ReadRelaxation(relaxation, multipliers, at);
        int d = net.InputDim, usedSlopes = 0, usedBetas = 0;
        _lo = new Rational[net.NeuronCount];
        _hi = new Rational[net.NeuronCount];
        var side = new Dictionary<int, bool>();
        foreach (var (neuron, nonNegative) in splits) side[neuron] = nonNegative;
        var constraints = new Dictionary<int, Rational[]>(); // g_s ≤ 0 on the leaf, by split unit
        var lowerH = Enumerable.Range(0, d).Select(i => Enumerable.Range(0, d + 1).Select(j => j == i ? Rational.One : Rational.Zero).ToArray()).ToArray();
        var upperH = lowerH;
        foreach (var layer in net.Layers)
        {
            var nextLower = new Rational[layer.Out][];
            var nextUpper = new Rational[layer.Out][];
            for (int i = 0; i < layer.Out; i++)
            {
                var lower = new Rational[d + 1];
                var upper = new Rational[d + 1];
                lower[d] = upper[d] = layer.B[i];
                for (int j = 0; j < layer.In; j++)
                {
                    var w = layer.W[i][j];
                    if (w.Sign != 0) { AddScaled(lower, w.Sign > 0 ? lowerH[j] : upperH[j], w); AddScaled(upper, w.Sign > 0 ? upperH[j] : lowerH[j], w); }
                }
                for (int j = 0; layer.S is not null && j < d; j++) { lower[j] += layer.S[i][j]; upper[j] += layer.S[i][j]; }
                int neuron = layer.Relu ? layer.FirstNeuron + i : -1;
                var negUpper = upper.Select(v => -v).ToArray();
                var lo = Minimum(WithBetas(lower, neuron, false, constraints, ref usedBetas, at), boxLo, boxHi);
                var hi = -Minimum(WithBetas(negUpper, neuron, true, constraints, ref usedBetas, at), boxLo, boxHi);
                if (neuron >= 0 && side.TryGetValue(neuron, out bool nonNegative))
                {
                    if (nonNegative && lo.Sign < 0) lo = Rational.Zero;
                    if (!nonNegative && hi.Sign > 0) hi = Rational.Zero;
                    if (lo > hi) { EmptiedBy = neuron; break; }
                    constraints[neuron] = nonNegative ? negUpper : lower;
                }
                if (neuron >= 0) (_lo[neuron], _hi[neuron]) = (lo, hi);
                if (!linear)
                {
                    (nextLower[i], nextUpper[i]) = ([.. new Rational[d], layer.Relu && lo.Sign < 0 ? Rational.Zero : lo], [.. new Rational[d], layer.Relu && hi.Sign < 0 ? Rational.Zero : hi]);
                    continue;
                }
                if (!layer.Relu || lo.Sign >= 0) (nextLower[i], nextUpper[i]) = (lower, upper);
                else if (hi.Sign <= 0) nextLower[i] = nextUpper[i] = new Rational[d + 1];
                else
                {
                    if (!_slopes.TryGetValue(neuron, out var lambda)) throw Bad(at.Then(".relaxation"), $"has no slope for unit {neuron}, whose bounds [{lo}, {hi}] straddle 0");
                    usedSlopes++;
                    var chord = hi / (hi - lo);
                    nextLower[i] = [.. lower.Select(v => lambda * v)];
                    nextUpper[i] = [.. upper.Select(v => chord * v)];
                    nextUpper[i][d] -= chord * lo;
                }
            }
            if (EmptiedBy >= 0) break;
            (lowerH, upperH) = (nextLower, nextUpper);
        }
        if (usedSlopes != _slopes.Count) throw Bad(at.Then(".relaxation"), "lists a slope for a unit that does not straddle 0 (or is never reached)");
        if (usedBetas != _betas.Count) throw Bad(at.Then(".multipliers"), "lists multipliers for a bound that is never computed");
    }

    public (Rational Lo, Rational Hi) Of(int neuron) => (_lo[neuron], _hi[neuron]);

    /// <summary>Lower ends of the interval adjoints δ by neuron (slopes {1}, {0} or [0, 1] from the bounds).</summary>
    public Rational[] ConditionLowerBounds()
    {
        var result = new Rational[_net.NeuronCount];
        Rational[] dlo = [Rational.One], dhi = [Rational.One];
        for (int l = _net.Layers.Length - 2; l >= 0; l--)
        {
            var above = _net.Layers[l + 1];
            var glo = new Rational[above.Out];
            var ghi = new Rational[above.Out];
            for (int m = 0; m < above.Out; m++)
            {
                int k = above.FirstNeuron + m;
                bool on = !above.Relu || _lo[k].Sign > 0, off = above.Relu && _hi[k].Sign < 0;
                glo[m] = off ? Rational.Zero : on || dlo[m].Sign < 0 ? dlo[m] : Rational.Zero;
                ghi[m] = off ? Rational.Zero : on || dhi[m].Sign > 0 ? dhi[m] : Rational.Zero;
            }
            var layer = _net.Layers[l];
            (dlo, dhi) = (new Rational[layer.Out], new Rational[layer.Out]);
            for (int j = 0; j < layer.Out; j++)
            {
                Rational lo = Rational.Zero, hi = Rational.Zero;
                for (int m = 0; m < above.Out; m++)
                {
                    var w = above.W[m][j];
                    lo += w.Sign >= 0 ? w * glo[m] : w * ghi[m];
                    hi += w.Sign >= 0 ? w * ghi[m] : w * glo[m];
                }
                (dlo[j], dhi[j]) = (lo, hi);
                if (layer.Relu) result[layer.FirstNeuron + j] = lo;
            }
        }
        return result;
    }

    /// <summary>form + Σ β_s·g_s for the listed multipliers of this bound (each β ≥ 0, each s an earlier split).</summary>
    private Rational[] WithBetas(Rational[] form, int neuron, bool upper, Dictionary<int, Rational[]> constraints, ref int used, JsonPath at)
    {
        if (neuron < 0 || !_betas.TryGetValue((neuron, upper), out var betas)) return form;
        used++;
        var result = (Rational[])form.Clone();
        foreach (var (split, beta) in betas)
        {
            if (!constraints.TryGetValue(split, out var g)) throw Bad(at.Then(".multipliers"), $"uses split {split} for unit {neuron}, but it is not a split before it on this leaf's path");
            AddScaled(result, g, beta);
        }
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

    private static Rational Minimum(Rational[] form, Rational[] lo, Rational[] hi)
    {
        var m = form[^1];
        for (int k = 0; k < lo.Length; k++) if (!form[k].IsZero) m += form[k] * (form[k].Sign > 0 ? lo[k] : hi[k]);
        return m;
    }
}
