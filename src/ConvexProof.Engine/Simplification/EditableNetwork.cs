using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Simplification;

/// <summary>
/// A network being rewritten: the steps of <see cref="RewriteKind"/> applied in place, exactly as the
/// checker replays them (docs/formats.md). It applies, it does not judge: the simplifier only hands it
/// steps whose identity holds.
/// </summary>
internal sealed class EditableNetwork
{
    private sealed class EditLayer(List<Rational[]> weights, List<Rational> bias, List<Rational[]>? skip, Activation activation, Rational alpha)
    {
        public Rational Alpha { get; } = alpha;
        public List<Rational[]> Weights { get; set; } = weights;
        public List<Rational> Bias { get; } = bias;
        public List<Rational[]>? Skip { get; set; } = skip;
        public Activation Activation { get; } = activation;
    }

    private readonly List<EditLayer> _layers;

    public EditableNetwork(Network network)
    {
        InputDim = network.InputDim;
        _layers = [.. network.Layers.Select(l => new EditLayer([.. l.Weights.Select(r => (Rational[])r.Clone())], [.. l.Bias],
            l.Skip is null ? null : [.. l.Skip.Select(r => (Rational[])r.Clone())], l.Activation, l.Alpha))];
    }

    public int InputDim { get; }
    public int Depth => _layers.Count;
    public int Width(int layer) => _layers[layer].Bias.Count;
    public Activation ActivationOf(int layer) => _layers[layer].Activation;

    /// <summary>A leaky rectifier (α &gt; 0): σ(z) = α·z below 0, so neither dead units nor relu(−z) = relu(z) − z apply.</summary>
    public bool IsLeaky(int layer) => _layers[layer].Activation == Activation.Relu && !_layers[layer].Alpha.IsZero;

    /// <summary>The weights of the next layer on this hidden unit's output.</summary>
    public Rational[] Column(int layer, int unit) => [.. _layers[layer + 1].Weights.Select(r => r[unit])];

    public bool ColumnIsZero(int layer, int unit) => _layers[layer + 1].Weights.All(r => r[unit].IsZero);

    public bool WeightsAreZero(int layer) => _layers[layer].Weights.All(r => r.All(w => w.IsZero));

    /// <summary>
    /// What the unit's pre-activation is a function of, as the checker compares merged rows: in the first
    /// layer its form in x (weights plus skip) and bias; elsewhere weights, skip (when the layer has one), bias.
    /// </summary>
    public Rational[] Row(int layer, int unit)
    {
        var l = _layers[layer];
        return layer == 0 ? [.. AffineInX(0, unit)!.Value.Coefficients, l.Bias[unit]] : [.. l.Weights[unit], .. l.Skip?[unit] ?? [], l.Bias[unit]];
    }

    /// <summary>
    /// The pre-activation as an affine form in x (coefficients, constant) when it is one: always in the
    /// first layer, elsewhere only when the unit has no weight on the layer before.
    /// </summary>
    public (Rational[] Coefficients, Rational Constant)? AffineInX(int layer, int unit)
    {
        var l = _layers[layer];
        if (layer > 0 && l.Weights[unit].Any(w => !w.IsZero)) return null;
        var a = layer == 0 ? (Rational[])l.Weights[unit].Clone() : new Rational[InputDim];
        if (layer > 0) Array.Fill(a, Rational.Zero);
        if (l.Skip is not null) for (int j = 0; j < InputDim; j++) a[j] += l.Skip[unit][j];
        return (a, l.Bias[unit]);
    }

    public void Apply(RewriteStep step)
    {
        int l = step.Layer, u = step.Unit;
        switch (step.Kind)
        {
            case RewriteKind.Cut:
                var kept = _layers[l];
                kept.Weights = kept.Skip ?? [.. kept.Bias.Select(_ => Zeros(InputDim))];
                kept.Skip = null;
                _layers.RemoveRange(0, l);
                break;
            case RewriteKind.Remove:
                _layers[l].Weights.RemoveAt(u);
                _layers[l].Bias.RemoveAt(u);
                _layers[l].Skip?.RemoveAt(u);
                var next = _layers[l + 1];
                next.Weights = [.. next.Weights.Select(r => r.Where((_, j) => j != u).ToArray())];
                break;
            case RewriteKind.Dead:
                ZeroColumn(l, u);
                break;
            case RewriteKind.AlwaysOn:
                AddAffine(l + 1, Column(l, u), AffineInX(l, u)!.Value);
                ZeroColumn(l, u);
                break;
            default: // merge, opposite
                var s = step.Scale!.Value;
                var column = Column(l, u);
                if (step.Kind == RewriteKind.Opposite) AddAffine(l + 1, [.. column.Select(c => -s * c)], AffineInX(l, step.Into)!.Value);
                for (int m = 0; m < column.Length; m++) _layers[l + 1].Weights[m][step.Into] += s * column[m];
                ZeroColumn(l, u);
                break;
        }
    }

    /// <summary>A copy (later steps do not change it).</summary>
    public Network ToNetwork() => new(InputDim, [.. _layers.Select(l => new Layer(Copy(l.Weights), [.. l.Bias], l.Skip is null ? null : Copy(l.Skip), l.Activation) { Alpha = l.Alpha })]);

    private static Rational[][] Copy(List<Rational[]> rows) => [.. rows.Select(r => (Rational[])r.Clone())];

    private void ZeroColumn(int layer, int unit)
    {
        foreach (var row in _layers[layer + 1].Weights) row[unit] = Rational.Zero;
    }

    /// <summary>Adds column_m·(a·x + c) to unit m of the layer; a skip is created only when a non-zero product needs one.</summary>
    private void AddAffine(int layer, Rational[] column, (Rational[] Coefficients, Rational Constant) form)
    {
        var target = _layers[layer];
        for (int m = 0; m < column.Length; m++) target.Bias[m] += column[m] * form.Constant;
        if (column.All(c => c.IsZero) || form.Coefficients.All(a => a.IsZero)) return;
        target.Skip ??= [.. target.Bias.Select(_ => Zeros(InputDim))];
        for (int m = 0; m < column.Length; m++)
            for (int j = 0; j < InputDim; j++) target.Skip[m][j] += column[m] * form.Coefficients[j];
    }

    private static Rational[] Zeros(int n)
    {
        var zeros = new Rational[n];
        Array.Fill(zeros, Rational.Zero);
        return zeros;
    }
}
