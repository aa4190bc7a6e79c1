namespace ConvexProof.Checker;

/// <summary>
/// The network of an equivalence certificate being rewritten, step by step, after checking that each
/// step is an identity on the domain (the rules and their proofs: docs/certificate.md, "Equivalence
/// certificates"). A step names its layer and units in the numbering left by the steps before it.
/// </summary>
internal sealed class RewriteReplay
{
    private static readonly KeySet CutKeys = new(2, "step", "layer");
    private static readonly KeySet UnitKeys = new(3, "step", "layer", "unit");
    private static readonly KeySet MergeKeys = new(5, "step", "layer", "unit", "into", "scale");
    private static readonly JsonElement NoRelaxation = JsonDocument.Parse("{}").RootElement.Clone(); // a leaf node for the interval pass

    private readonly List<Layer> _layers;
    private readonly int _d;
    private readonly Box? _box;

    public RewriteReplay(Network network, Box? box)
    {
        // A copy: the steps change weights in place.
        _layers = [.. network.Layers.Select(l => new Layer(Copy(l.W), [.. l.B], l.S is null ? null : Copy(l.S), l.Relu, l.Alpha))];
        (_d, _box) = (network.InputDim, box);
    }

    /// <summary>Checks and applies one step; returns its kind.</summary>
    public string Apply(JsonElement step, JsonPath at)
    {
        string kind = step.ValueKind == JsonValueKind.Object && step.TryGetProperty("step", out var k) ? String(k, at.Then(".step")) : throw Bad(at, "expected a step object");
        Keys(step, at, kind switch
        {
            "cut" => CutKeys,
            "merge" or "opposite" => MergeKeys,
            "remove" or "dead" or "always_on" => UnitKeys,
            _ => throw Bad(at.Then(".step"), $"is \"{NetNumber.Shorten(kind)}\", expected \"remove\", \"merge\", \"opposite\", \"dead\", \"always_on\" or \"cut\""),
        });
        if (kind == "cut")
        {
            int cut = _layers.Count > 1 ? Int(step.GetProperty("layer"), at.Then(".layer"), 1, _layers.Count - 1) : throw Bad(at, "cuts a network of one layer");
            var kept = _layers[cut];
            if (kept.W.Any(r => r.Any(w => !w.IsZero))) throw Bad(at, $"cuts at layer {cut}, but that layer has a non-zero weight: it reads the layer before");
            _layers[cut] = kept with { W = kept.S ?? Zeros(kept.Out, _d), S = null };
            _layers.RemoveRange(0, cut);
            return kind;
        }
        int l = _layers.Count > 1 ? Int(step.GetProperty("layer"), at.Then(".layer"), 0, _layers.Count - 2) : throw Bad(at, "names a hidden unit, but the network has no hidden layer");
        var (layer, next) = (_layers[l], _layers[l + 1]);
        int u = Int(step.GetProperty("unit"), at.Then(".unit"), 0, layer.Out - 1);
        var column = next.W.Select(r => r[u]).ToArray();
        string unit = $"unit {u} of layer {l}";
        if (kind == "remove")
        {
            if (column.Any(c => !c.IsZero)) throw Bad(at, $"removes {unit}, but the next layer has a non-zero weight on it");
            if (layer.Out == 1) throw Bad(at, $"removes the only unit of layer {l} (a layer keeps one unit; a cut drops the layer)");
            _layers[l] = layer with { W = Without(layer.W, u), B = Without(layer.B, u), S = layer.S is null ? null : Without(layer.S, u) };
            _layers[l + 1] = next with { W = [.. next.W.Select(r => Without(r, u))] };
            return kind;
        }
        if (kind == "dead")
        {
            if (!layer.Relu || !layer.Alpha.IsZero) throw Bad(at, $"claims {unit} dead, but its layer is {(layer.Relu ? "leaky (an off unit passes α·z)" : "an identity layer")}");
            var (_, hi) = Range(l, u, at);
            if (hi.Sign > 0) throw Bad(at, $"claims {unit} dead, but the bound of its pre-activation on the domain is {hi} > 0");
        }
        else if (kind == "always_on")
        {
            var form = AffineInX(l, u) ?? throw Bad(at, $"folds {unit}, but its pre-activation has a weight on the layer before: not affine in x");
            if (layer.Relu && Range(l, u, at).Lo is { Sign: < 0 } lo) throw Bad(at, $"claims {unit} always on, but the bound of its pre-activation on the domain is {lo} < 0");
            AddAffine(l + 1, column, form);
        }
        else
        {
            if (!layer.Relu) throw Bad(at, $"merges {unit}, but its layer is an identity layer");
            int into = Int(step.GetProperty("into"), at.Then(".into"), 0, layer.Out - 1);
            if (into == u) throw Bad(at.Then(".into"), "is the unit itself");
            var s = Rational(step.GetProperty("scale"), at.Then(".scale"));
            if (s.Sign <= 0) throw Bad(at.Then(".scale"), $"is {s}, the scale must be > 0");
            var factor = kind == "merge" ? s : -s;
            var (row, target) = (RowOf(l, u), RowOf(l, into).Select(v => factor * v).ToArray());
            int j = Enumerable.Range(0, row.Length).FirstOrDefault(j => row[j] != target[j], -1);
            if (j >= 0) throw Bad(at, $"claims row {u} = {factor} × row {into} in layer {l}, but entry {j} of ({(l == 0 ? "coefficients of x" : "weights, skip")}, bias) is {row[j]}, not {target[j]}");
            if (kind == "opposite" && !layer.Alpha.IsZero) throw Bad(at, $"folds opposite units of a leaky layer, where relu(z) − relu(−z) = z does not hold");
            if (kind == "opposite")
                AddAffine(l + 1, [.. column.Select(c => -s * c)], AffineInX(l, into) ?? throw Bad(at, $"unit {into} of layer {l} has a weight on the layer before: relu(z) − relu(−z) = z is not affine in x"));
            for (int m = 0; m < column.Length; m++) _layers[l + 1].W[m][into] += s * column[m];
        }
        foreach (var r in _layers[l + 1].W) r[u] = Checker.Rational.Zero;
        return kind;
    }

    /// <summary>Null when the rewritten network is exactly <paramref name="target"/>, else the first difference.</summary>
    public string? DifferenceFrom(Network target)
    {
        if (_layers.Count != target.Layers.Length) return $"{_layers.Count} layers, not {target.Layers.Length}";
        for (int l = 0; l < _layers.Count; l++)
        {
            var (a, b) = (_layers[l], target.Layers[l]);
            if (a.Relu != b.Relu || a.Alpha != b.Alpha) return $"layer {l} has another activation";
            if (!Same(a.W, b.W) || !a.B.AsSpan().SequenceEqual(b.B)) return $"layer {l} has other weights or biases";
            if ((a.S is null) != (b.S is null) || (a.S is not null && !Same(a.S, b.S!))) return $"layer {l} has another skip";
        }
        return null;
    }

    /// <summary>The bounds of a unit's pre-activation on the domain: a constant anywhere, else the interval pass over the box.</summary>
    private (Rational Lo, Rational Hi) Range(int l, int u, JsonPath at)
    {
        if (AffineInX(l, u) is { } form && form.A.All(a => a.IsZero)) return (form.C, form.C);
        if (_box is null) throw Bad(at, $"needs a bound on unit {u} of layer {l}, but on R^{_d} only a constant pre-activation has one");
        var network = new Network(_d, [.. _layers]);
        var pass = new LeafPass(network, _box.Lo, _box.Hi, [], NoRelaxation, at);
        int neuron = _layers[l].FirstNeuron + u;
        return (pass.Lo[neuron], pass.Hi[neuron]);
    }

    /// <summary>z as a·x + c: always in the first layer; elsewhere only without weights on the layer before.</summary>
    private (Rational[] A, Rational C)? AffineInX(int l, int u)
    {
        var layer = _layers[l];
        if (l > 0 && layer.W[u].Any(w => !w.IsZero)) return null;
        return ([.. Enumerable.Range(0, _d).Select(j => (l == 0 ? layer.W[u][j] : Checker.Rational.Zero) + (layer.S is null ? Checker.Rational.Zero : layer.S[u][j]))], layer.B[u]);
    }

    /// <summary>Unit m of layer l gains column_m·(a·x + c); a skip is created only when a non-zero product needs one.</summary>
    private void AddAffine(int l, Rational[] column, (Rational[] A, Rational C) form)
    {
        var layer = _layers[l];
        for (int m = 0; m < column.Length; m++) layer.B[m] += column[m] * form.C;
        if (column.All(c => c.IsZero) || form.A.All(a => a.IsZero)) return;
        if (layer.S is null) _layers[l] = layer = layer with { S = Zeros(layer.Out, _d) };
        for (int m = 0; m < column.Length; m++)
            for (int j = 0; j < _d; j++) layer.S![m][j] += column[m] * form.A[j];
    }

    /// <summary>What z is a function of: in the first layer its form in x (weights plus skip), elsewhere weights, skip, bias.</summary>
    private Rational[] RowOf(int l, int u) => l == 0 ? [.. AffineInX(0, u)!.Value.A, _layers[0].B[u]] : [.. _layers[l].W[u], .. _layers[l].S?[u] ?? [], _layers[l].B[u]];
    private static T[] Without<T>(T[] items, int index) => [.. items.Where((_, i) => i != index)];
    private static Rational[][] Copy(Rational[][] rows) => [.. rows.Select(r => (Rational[])r.Clone())];
    private static Rational[][] Zeros(int rows, int columns) => [.. Enumerable.Range(0, rows).Select(_ => new Rational[columns])];
    private static bool Same(Rational[][] a, Rational[][] b) => a.Length == b.Length && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}
