using System.Runtime.CompilerServices;
namespace ConvexProof.Checker;

/// <summary>A (neuron, downstream pattern) pair met on a non-degenerate inner facet, with its value.</summary>
internal sealed record RealisedCondition(int Neuron, string Downstream, Rational Value, Rational[] Point);

/// <summary>What one region contributed, for the global checks and the summary.</summary>
internal sealed record RegionOutcome(int Facets, int Boundary, int Redundant, int Flat, int Degenerate,
    int NegativeJumps, List<RealisedCondition> Conditions);

/// <summary>The shared, read-only context of the region checks.</summary>
internal sealed record CheckContext(Network Network, Box? Domain, string[] Patterns, Rational[][][] Maps);

/// <summary>
/// Checks one region entry against the network (docs/certificate.md, steps (a)–(c) and (e)).
/// Constraint k &lt; N is c_k = ±z_k (sign by the pattern bit); k = N + 2i is x_i − lo_i and
/// k = N + 2i + 1 is hi_i − x_i. All arithmetic is exact.
/// </summary>
internal sealed class RegionCheck
{
    private const byte None = 0, Facet = 1, Redundant = 2, Flat = 3;

    private readonly CheckContext _ctx;
    private readonly int _r, _n, _d;
    private readonly string _pattern;
    private readonly Rational[][] _rows;
    private readonly RegionEntry _entry;
    private readonly string _at;
    private readonly byte[] _owner;
    private readonly bool[] _vanishes; // scratch: neuron constraints that vanish at the current witness
    private readonly List<(int C, int[] Support)> _tight = []; // redundant neuron constraints with zero slack

    public RegionCheck(CheckContext ctx, int region, RegionEntry entry)
    {
        _ctx = ctx;
        _r = region;
        _n = ctx.Network.NeuronCount;
        _d = ctx.Network.InputDim;
        _pattern = ctx.Patterns[region];
        _rows = ctx.Maps[region];
        _entry = entry;
        _at = $"region {region}";
        _owner = new byte[_n + (ctx.Domain is null ? 0 : 2 * _d)];
        _vanishes = new bool[_n];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegionOutcome Run()
    {
        Partition();
        foreach (int k in _entry.Flat) CheckFlat(k);
        foreach (var facet in _entry.Facets)
        {
            var v = Value(facet.C, _entry.Point);
            if (v.Sign <= 0)
                throw Fail($"the point is not interior: facet constraint {facet.C} is {v} ≤ 0 there{ZeroHint(facet.C)}");
        }
        foreach (var redundant in _entry.Redundant) CheckFarkas(redundant);
        // Now every constraint is > 0 at the point: facets directly, redundant ones because
        // c = Σ λ_j c_j + slack with λ_j > 0 and (support non-empty or slack > 0), flats are excluded.
        var conditions = new List<RealisedCondition>();
        int boundary = 0, degenerate = 0, negativeJumps = 0;
        for (int f = 0; f < _entry.Facets.Length; f++)
        {
            var facet = _entry.Facets[f];
            var at = new Where(_at, f, facet.C);
            bool onBox = CheckWitness(facet, at);
            if (onBox != facet.Boundary)
                throw Fail(onBox ? $"{at}: a box face vanishes at its point, so it lies on the domain boundary and must say \"boundary\": true"
                                 : $"{at}: says \"boundary\" but no box face vanishes at its point");
            if (onBox) { boundary++; continue; }
            var (condition, jump) = CheckCrossing(facet, at);
            if (condition is not null) conditions.Add(condition);
            else { degenerate++; if (jump.Sign < 0) negativeJumps++; }
        }
        return new RegionOutcome(_entry.Facets.Length, boundary, _entry.Redundant.Length, _entry.Flat.Length, degenerate, negativeJumps, conditions);
    }

    /// <summary>Names a facet in messages; a struct so the text is only built when something fails.</summary>
    private readonly record struct Where(string Region, int Facet, int Constraint)
    {
        public override string ToString() => $"{Region} facet {Facet} (constraint {Constraint})";
    }

    private InvalidCertificateException Fail(string message) =>
        new(message.StartsWith(_at, StringComparison.Ordinal) ? message : $"{_at}: {message}");

    /// <summary>Facets, redundant and flat partition all constraint indices.</summary>
    private void Partition()
    {
        void Mark(int k, byte kind, string list)
        {
            if (k >= _owner.Length) throw Fail($"{list} lists constraint {k}, but there are only {_owner.Length} constraints (0…{_owner.Length - 1})");
            if (_owner[k] != None) throw Fail($"constraint {k} is listed twice (in facets, redundant or flat)");
            _owner[k] = kind;
        }
        foreach (var f in _entry.Facets) Mark(f.C, Facet, "facets");
        foreach (var r in _entry.Redundant) Mark(r.C, Redundant, "redundant");
        foreach (int k in _entry.Flat) Mark(k, Flat, "flat");
        int missing = Array.IndexOf(_owner, None);
        if (missing >= 0) throw Fail($"constraint {missing} is in none of facets, redundant and flat");
    }

    private void CheckFlat(int k)
    {
        if (k >= _n) throw Fail($"flat lists constraint {k}, which is a box face, not a ReLU unit");
        if (_pattern[k] != '0') throw Fail($"flat unit {k} must have bit '0' in the pattern");
        var row = _rows[_ctx.Network.NeuronUnit[k]];
        for (int i = 0; i <= _d; i++)
            if (!row[i].IsZero) throw Fail($"flat unit {k} is not identically zero on the region (coefficient {i} is {row[i]})");
    }

    /// <summary>g(c_k) = Σ λ_j g(c_j) over facet constraints j, λ_j &gt; 0, and slack h(c_k) − Σ λ_j h(c_j) ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckFarkas(RedundantEntry entry)
    {
        int at = entry.C; // "redundant constraint {at}" below: the text is only built on failure
        var support = new int[entry.Farkas.Length];
        for (int t = 0; t < entry.Farkas.Length; t++)
        {
            var (j, lambda) = entry.Farkas[t];
            if (_owner[j] != Facet) throw Fail($"redundant constraint {at}: Farkas term {t} uses constraint {j}, which is not a facet of this region");
            if (lambda.Sign <= 0) throw Fail($"redundant constraint {at}: Farkas multiplier {t} is {lambda}, it must be > 0");
            support[t] = j;
        }
        if (FastFarkas(entry, out int slackSign))
        {
            if (slackSign == 0 && entry.C < _n) _tight.Add((entry.C, support));
            return;
        }
        for (int i = 0; i <= _d; i++)
        {
            Rational sum = Rational.Zero;
            foreach (var (j, lambda) in entry.Farkas) sum += lambda * Coefficient(j, i);
            var own = Coefficient(entry.C, i);
            if (i < _d && sum != own)
                throw Fail($"redundant constraint {at}: the Farkas combination has gradient coefficient {i} = {sum}, the constraint has {own}");
            if (i == _d)
            {
                var slack = own - sum;
                if (slack.Sign < 0) throw Fail($"redundant constraint {at}: the Farkas slack is {slack} < 0");
                if (slack.IsZero && support.Length == 0) throw Fail($"redundant constraint {at}: it is identically zero on this region{ZeroHint(entry.C)}");
                if (slack.IsZero && entry.C < _n) _tight.Add((entry.C, support));
            }
        }
    }

    /// <summary>
    /// The same identity in integers, for speed: with D = lcm of the multipliers' denominators
    /// (n_j = λ_j·D) and Q = lcm of the coefficient denominators per coordinate, it is
    /// Σ n_j·p_j·(Q/q_j) = D·p_k·(Q/q_k) for the gradient and ≤ for the constant, in checked 128-bit
    /// arithmetic. Returns false (the Rational path decides and words the reason) on overflow,
    /// on large values, on a failure, or when the slack is 0 with an empty support.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FastFarkas(RedundantEntry entry, out int slackSign)
    {
        slackSign = 0;
        if (entry.Farkas.Length == 0) return false;
        try
        {
            long lcm = 1;
            foreach (var term in entry.Farkas)
            {
                if (!term.Lambda.TryGetSmall(out _, out long b)) return false;
                lcm = checked(lcm / (long)Rational.Gcd((ulong)lcm, (ulong)b) * b);
            }
            Span<Int128> n = stackalloc Int128[entry.Farkas.Length];
            for (int t = 0; t < n.Length; t++)
            {
                entry.Farkas[t].Lambda.TryGetSmall(out long a, out long b);
                n[t] = checked((Int128)a * (lcm / b));
            }
            for (int i = 0; i <= _d; i++)
            {
                if (!Coefficient(entry.C, i).TryGetSmall(out long pk, out long q)) return false;
                long common = q;
                foreach (var term in entry.Farkas)
                {
                    if (!Coefficient(term.C, i).TryGetSmall(out _, out long qj)) return false;
                    common = checked(common / (long)Rational.Gcd((ulong)common, (ulong)qj) * qj);
                }
                Int128 sum = 0;
                for (int t = 0; t < n.Length; t++)
                {
                    Coefficient(entry.Farkas[t].C, i).TryGetSmall(out long pj, out long qj);
                    sum = checked(sum + n[t] * pj * (common / qj));
                }
                Int128 own = checked((Int128)lcm * pk * (common / q));
                if (i < _d && sum != own) return false;
                if (i == _d) slackSign = Int128.Sign(checked(own - sum));
            }
            return slackSign >= 0;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// The witness w: c_k(w) = 0, every other facet constraint is &gt; 0 at w unless it is a positive
    /// multiple of c_k. Redundant constraints need no evaluation: c = Σ λ_j c_j(w) + slack, which is
    /// &gt; 0 unless the slack is 0 and all its support vanishes, and then c is a positive multiple
    /// of c_k. Marks the vanishing neuron constraints and returns whether a box face vanishes at w.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CheckWitness(FacetEntry facet, Where at)
    {
        var w = facet.Point;
        var own = Value(facet.C, w);
        if (!own.IsZero) throw Fail($"{at}: the witness point is not on the facet: c_{facet.C}(w) = {own} ≠ 0");
        for (int k = 0; k < _n; k++) _vanishes[k] = _owner[k] == Flat;
        foreach (var other in _entry.Facets)
        {
            if (other.C == facet.C) { if (other.C < _n) _vanishes[other.C] = true; continue; }
            var v = Value(other.C, w);
            if (v.Sign < 0) throw Fail($"{at}: the witness point is outside the region: facet constraint {other.C} is {v} < 0 there");
            if (v.IsZero && !PositiveMultiple(other.C, facet.C))
                throw Fail($"{at}: facet constraint {other.C} also vanishes at the witness point and is not a positive multiple of c_{facet.C}: the face is lower-dimensional there");
            if (v.IsZero && other.C < _n) _vanishes[other.C] = true;
        }
        foreach (var (c, support) in _tight)
            _vanishes[c] = Array.TrueForAll(support, j => j >= _n ? IsBoxFaceZero(j, w) : _vanishes[j]);
        if (_ctx.Domain is null) return false;
        for (int k = _n; k < _owner.Length; k++) if (IsBoxFaceZero(k, w)) return true;
        return false;
    }

    private bool IsBoxFaceZero(int k, Rational[] w) => Value(k, w).IsZero;

    /// <summary>
    /// The neighbour across an inner facet. Its pattern P' is the activation pattern at w + εu
    /// (u = −g(c_k)) iff (1) every unit whose bit differs vanishes at w, and (2) every unit that
    /// vanishes at w has, under P''s own maps, slope along u &gt; 0 exactly when its P' bit is '1'.
    /// (Induction over layers: (1) makes all of P''s values at w equal this region's, so units that
    /// do not vanish keep their strict sign.) Returns the condition, or null and the jump if degenerate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (RealisedCondition? Condition, Rational Jump) CheckCrossing(FacetEntry facet, Where at)
    {
        var net = _ctx.Network;
        int r2 = facet.Neighbour;
        string p2 = _ctx.Patterns[r2];
        var rows2 = _ctx.Maps[r2];
        var u = new Rational[_d];
        for (int i = 0; i < _d; i++) u[i] = -Coefficient(facet.C, i);
        var differing = new List<int>();
        for (int k = 0; k < _n; k++)
        {
            if (p2[k] != _pattern[k])
            {
                if (!_vanishes[k]) throw Fail($"{at}: neighbour {r2} has unit {k} switched, but c_{k} > 0 at the witness point, so unit {k} cannot switch there");
                differing.Add(k);
            }
            if (!_vanishes[k]) continue;
            var slope = Dot(rows2[net.NeuronUnit[k]], u);
            char bit = slope.Sign > 0 ? '1' : '0';
            if (bit != p2[k])
                throw Fail($"{at}: regions[{r2}].pattern is not the activation pattern beyond the facet: unit {k} has value 0 and slope {slope} along u there, so it is {(bit == '1' ? "on" : "off")}, but the pattern says '{p2[k]}'");
        }
        if (differing.Count == 0) throw Fail($"{at}: neighbour {r2} has the same activation pattern as this region");
        var g1 = _rows[net.OutputUnit];
        var g2 = rows2[net.OutputUnit];
        var jump = Rational.Zero;
        for (int i = 0; i < _d; i++) jump += (g2[i] - g1[i]) * u[i];
        if (differing.Count > 1)
        {
            if (facet.DegenerateNeurons is null)
                throw Fail($"{at}: the crossing to region {r2} switches {differing.Count} units ({string.Join(", ", differing)}), so the facet must be marked \"degenerate\"");
            if (!facet.DegenerateNeurons.AsSpan().SequenceEqual(differing.ToArray()))
                throw Fail($"{at}: degenerate.neurons is [{string.Join(", ", facet.DegenerateNeurons)}], but the units that switch are [{string.Join(", ", differing)}]");
            if (facet.Jump != jump) throw Fail($"{at}: degenerate.jump is {facet.Jump}, the gradient jump is {jump}");
            return (null, jump);
        }
        int s = differing[0];
        if (facet.DegenerateNeurons is not null) throw Fail($"{at}: marked \"degenerate\", but only unit {s} switches");
        // Only unit s differs, so f' − f = δ·(h'_s − h_s) = −δ·c_s as affine maps, where δ = ∂f/∂h_s
        // with the common downstream pattern (the backward-pass value of docs/formats.md).
        int axis = -1;
        for (int i = 0; i < _d && axis < 0; i++) if (!Coefficient(s, i).IsZero) axis = i;
        if (axis < 0) throw Fail($"{at}: the switching unit {s} has a zero gradient");
        var delta = -(g2[axis] - g1[axis]) / Coefficient(s, axis);
        string downstream = _pattern[net.DownstreamStart(s)..];
        return (new RealisedCondition(s, downstream, delta, facet.Point), jump);
    }

    /// <summary>c_j = μ·c_k with μ &gt; 0 (all d + 1 coefficients proportional).</summary>
    private bool PositiveMultiple(int j, int k)
    {
        int axis = -1;
        for (int i = 0; i < _d && axis < 0; i++) if (!Coefficient(k, i).IsZero) axis = i;
        if (axis < 0) return false;
        var mu = Coefficient(j, axis) / Coefficient(k, axis);
        if (mu.Sign <= 0) return false;
        for (int i = 0; i <= _d; i++) if (Coefficient(j, i) != mu * Coefficient(k, i)) return false;
        return true;
    }

    private string ZeroHint(int k)
    {
        if (k >= _n) return "";
        var row = _rows[_ctx.Network.NeuronUnit[k]];
        return Array.TrueForAll(row, v => v.IsZero) ? $" (unit {k} is identically zero on the region: list it as flat)" : "";
    }

    /// <summary>Coefficient i of constraint k: i &lt; d the gradient, i = d the constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rational Coefficient(int k, int i)
    {
        if (k < _n)
        {
            var v = _rows[_ctx.Network.NeuronUnit[k]][i];
            return _pattern[k] == '1' ? v : -v;
        }
        var box = _ctx.Domain!;
        int axis = (k - _n) >> 1;
        bool upper = ((k - _n) & 1) == 1;
        if (i < _d) return i != axis ? Rational.Zero : upper ? -Rational.One : Rational.One;
        return upper ? box.Hi[axis] : -box.Lo[axis];
    }

    /// <summary>c_k(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rational Value(int k, Rational[] x)
    {
        if (k >= _n)
        {
            var box = _ctx.Domain!;
            int axis = (k - _n) >> 1;
            return ((k - _n) & 1) == 0 ? x[axis] - box.Lo[axis] : box.Hi[axis] - x[axis];
        }
        var row = _rows[_ctx.Network.NeuronUnit[k]];
        var z = row[_d] + Dot(row, x);
        return _pattern[k] == '1' ? z : -z;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Rational Dot(Rational[] row, Rational[] v)
    {
        var sum = Rational.Zero;
        for (int i = 0; i < v.Length; i++) if (!row[i].IsZero && !v[i].IsZero) sum += row[i] * v[i];
        return sum;
    }
}
