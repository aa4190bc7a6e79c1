using System.Runtime.CompilerServices;
namespace ConvexProof.Checker;

/// <summary>A (neuron, downstream pattern) pair met on a non-degenerate inner facet, with its value.</summary>
internal sealed record RealisedCondition(int Neuron, string Downstream, Rational Value, Rational[] Point);

/// <summary>What one region contributed, for the global checks and the summary.</summary>
internal sealed record RegionOutcome(int Facets, int Boundary, int Redundant, int Flat, int Dismissed, int Degenerate,
    int NegativeJumps, List<RealisedCondition> Conditions);

/// <summary>The shared, read-only context of the region checks.</summary>
internal sealed record CheckContext(Network Network, Box? Domain, string[] Patterns, RegionMaps[] Maps);

/// <summary>
/// Checks one region entry against the network (docs/certificate.md, steps (a)–(c) and (e)).
/// Constraint k &lt; N is c_k = ±z_k (sign by the pattern bit); k = N + 2i is x_i − lo_i and
/// k = N + 2i + 1 is hi_i − x_i. All arithmetic is exact. Hot methods are compiled fully optimized
/// at once (AggressiveOptimization): the CLI runs cold, and tier-0 code would dominate.
/// </summary>
internal sealed class RegionCheck
{
    private const byte Dismissed = 0, Facet = 1, Redundant = 2, Flat = 3;

    private readonly CheckContext _ctx;
    private readonly int _n, _d;
    private readonly string _pattern;
    private readonly RegionMaps _maps;
    private readonly RegionEntry _entry;
    private readonly string _at;
    private readonly byte[] _owner;
    private readonly bool[] _vanishes; // scratch: neuron constraints that vanish at the current witness
    private readonly List<(int C, int[] Support)> _tight = []; // redundant neuron constraints with zero slack
    private readonly List<int> _touching = []; // dismissed neuron constraints whose minimum over the bounds is 0
    private readonly Rational[] _scratchG, _scratchB; // a dismissed constraint's gradient and the bounds it meets
    private readonly long[] _bounds; // lower and upper bound of axis i at 2i and 2i + 1, times _boundsDenominator (absent: 0)
    private readonly long _boundsDenominator; // 0 when the bounds do not fit in 64 bits

    public RegionCheck(CheckContext ctx, int region, RegionEntry entry)
    {
        _ctx = ctx;
        _n = ctx.Network.NeuronCount;
        _d = ctx.Network.InputDim;
        _pattern = ctx.Patterns[region];
        _maps = ctx.Maps[region];
        _entry = entry;
        _at = $"region {region}";
        _owner = new byte[_n + (ctx.Domain is null ? 0 : 2 * _d)];
        _vanishes = new bool[_n];
        _scratchG = new Rational[_d];
        _scratchB = new Rational[_d];
        var bounds = new Rational[2 * _d];
        for (int i = 0; i < _d; i++) (bounds[2 * i], bounds[2 * i + 1]) = (entry.Lower[i]?.Value ?? Rational.Zero, entry.Upper[i]?.Value ?? Rational.Zero);
        _bounds = new long[2 * _d];
        if (!Rational.TryCommonDenominator(bounds, _bounds, out _boundsDenominator)) _boundsDenominator = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegionOutcome Run()
    {
        Partition();
        foreach (int k in _entry.Flat) CheckFlat(k);
        foreach (var facet in _entry.Facets)
        {
            if (SignAt(facet.C, _entry.Point) <= 0)
                throw Fail($"the point is not interior: facet constraint {facet.C} is {Value(facet.C, _entry.Point)} ≤ 0 there{ZeroHint(facet.C)}");
        }
        foreach (var redundant in _entry.Redundant)
        {
            var target = new Rational[_d + 1];
            for (int i = 0; i <= _d; i++) target[i] = Coefficient(redundant.C, i);
            if (CheckFarkas(new Claim(redundant.C, -1, false), redundant.Farkas, target) == 0 && redundant.C < _n)
                _tight.Add((redundant.C, Array.ConvertAll(redundant.Farkas, t => t.C)));
        }
        for (int i = 0; i < _d; i++)
        {
            if (_entry.Lower[i] is { } lo) CheckFarkas(new Claim(-1, i, false), lo.Farkas, BoundTarget(i, lo.Value, upper: false));
            if (_entry.Upper[i] is { } hi) CheckFarkas(new Claim(-1, i, true), hi.Farkas, BoundTarget(i, hi.Value, upper: true));
        }
        int dismissed = 0;
        for (int k = 0; k < _owner.Length; k++) if (_owner[k] == Dismissed) { CheckDismissed(k); dismissed++; }
        // Now every constraint is > 0 at the point: facets directly; redundant ones because
        // c = Σ λ_j c_j + slack with λ_j > 0 and (support non-empty or slack > 0); dismissed ones
        // because the point is strictly inside the bounds and c is not constant 0; flats are excluded.
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
        return new RegionOutcome(_entry.Facets.Length, boundary, _entry.Redundant.Length, _entry.Flat.Length, dismissed,
            degenerate, negativeJumps, conditions);
    }

    /// <summary>Names a facet in messages; a struct so the text is only built when something fails.</summary>
    private readonly record struct Where(string Region, int Facet, int Constraint)
    {
        public override string ToString() => $"{Region} facet {Facet} (constraint {Constraint})";
    }

    /// <summary>What a Farkas list proves: a redundant constraint, or a side of the bounds.</summary>
    private readonly record struct Claim(int Constraint, int Axis, bool Upper)
    {
        public override string ToString() => Constraint >= 0
            ? $"redundant constraint {Constraint}"
            : $"the {(Upper ? "upper" : "lower")} bound on x_{Axis} (bounds[{Axis}][{(Upper ? 1 : 0)}])";
    }

    private InvalidCertificateException Fail(string message) =>
        new(message.StartsWith(_at, StringComparison.Ordinal) ? message : $"{_at}: {message}");

    /// <summary>Each constraint index in at most one of facets, redundant and flat; the others are dismissed.</summary>
    private void Partition()
    {
        void Mark(int k, byte kind, string list)
        {
            if (k >= _owner.Length) throw Fail($"{list} lists constraint {k}, but there are only {_owner.Length} constraints (0…{_owner.Length - 1})");
            if (_owner[k] != Dismissed) throw Fail($"constraint {k} is listed twice (in facets, redundant or flat)");
            _owner[k] = kind;
        }
        foreach (var f in _entry.Facets) Mark(f.C, Facet, "facets");
        foreach (var r in _entry.Redundant) Mark(r.C, Redundant, "redundant");
        foreach (int k in _entry.Flat) Mark(k, Flat, "flat");
    }

    private void CheckFlat(int k)
    {
        if (k >= _n) throw Fail($"flat lists constraint {k}, which is a box face, not a ReLU unit");
        if (_pattern[k] != '0') throw Fail($"flat unit {k} must have bit '0' in the pattern");
        var row = _maps.Row(_ctx.Network.NeuronUnit[k]);
        for (int i = 0; i <= _d; i++)
            if (!row[i].IsZero) throw Fail($"flat unit {k} is not identically zero on the region (coefficient {i} is {row[i]})");
    }

    /// <summary>The coefficients of x_i − lo (lower) or hi − x_i (upper).</summary>
    private Rational[] BoundTarget(int axis, Rational value, bool upper)
    {
        var target = new Rational[_d + 1];
        Array.Fill(target, Rational.Zero);
        target[axis] = upper ? -Rational.One : Rational.One;
        target[_d] = upper ? value : -value;
        return target;
    }

    /// <summary>
    /// A dismissed constraint: its minimum over the region's bounds is ≥ 0, and it is not
    /// identically 0 (that is a flat unit, and it would vanish at the interior point).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckDismissed(int k)
    {
        // Fastest path: the sign from the integer maps (units only); then rationals in 128 bits; then rationals.
        if (IntegerMinimum(k) is { } m && (m.Sign > 0 || (m.Sign == 0 && !m.Constant)))
        {
            if (m.Sign == 0) _touching.Add(k);
            return;
        }
        bool usable = true;
        for (int i = 0; i < _d; i++)
        {
            _scratchG[i] = Coefficient(k, i);
            var bound = _scratchG[i].Sign > 0 ? _entry.Lower[i] : _scratchG[i].Sign < 0 ? _entry.Upper[i] : null;
            usable &= bound is not null || _scratchG[i].IsZero;
            _scratchB[i] = bound?.Value ?? Rational.Zero;
        }
        // Fast path: the exact sign of the minimum, without building it; the rational path words failures.
        if (usable && Rational.SignOfSum(_scratchG, _scratchB, Coefficient(k, _d)) is int sign
            && (sign > 0 || (sign == 0 && Array.Exists(_scratchG, g => !g.IsZero))))
        {
            if (sign == 0 && k < _n) _touching.Add(k);
            return;
        }
        var min = Coefficient(k, _d);
        bool constant = true;
        for (int i = 0; i < _d; i++)
        {
            var g = Coefficient(k, i);
            if (g.IsZero) continue;
            constant = false;
            var bound = g.Sign > 0 ? _entry.Lower[i] : _entry.Upper[i];
            if (bound is null)
                throw Fail($"constraint {k} is in none of facets, redundant and flat, and cannot be dismissed: the region has no {(g.Sign > 0 ? "lower" : "upper")} bound on x_{i}");
            min += g * bound.Value;
        }
        if (min.Sign < 0) throw Fail($"constraint {k} is in none of facets, redundant and flat, and its minimum over the bounds is {min} < 0");
        if (constant && min.IsZero) throw Fail($"constraint {k} is dismissed but identically zero{ZeroHint(k)}");
        if (min.IsZero && k < _n) _touching.Add(k);
    }

    /// <summary>
    /// For a unit's constraint c_k with integer row Z = ±σ·(g, h) (σ &gt; 0, sign by the bit) and the
    /// bounds β/B over their common denominator B &gt; 0: σ·B·(minimum of c_k over the bounds) =
    /// Σ_i Z_i·β_i + Z_d·B (β_i the lower bound where Z_i &gt; 0, the upper where Z_i &lt; 0), exactly in
    /// 128 bits. Returns its sign (the minimum's) and whether the gradient is zero; null when it needs
    /// the rational path (no integer row, a missing bound, or overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Sign, bool Constant)? IntegerMinimum(int k)
    {
        if (k >= _n || _boundsDenominator == 0 || _maps.Integer(_ctx.Network.NeuronUnit[k]) is not { } z) return null;
        int bit = _pattern[k] == '1' ? 1 : -1;
        Span<long> beta = stackalloc long[_d];
        bool constant = true;
        for (int i = 0; i < _d; i++)
        {
            if (z[i] == 0) continue;
            bool lower = bit * Math.Sign(z[i]) > 0;
            if ((lower ? _entry.Lower[i] : _entry.Upper[i]) is null) return null;
            beta[i] = _bounds[2 * i + (lower ? 0 : 1)];
            constant = false;
        }
        return IntegerSign(z, beta, _boundsDenominator) is int sign ? (bit * sign, constant) : null;
    }

    /// <summary>
    /// Σ λ_j g(c_j) = g(target) over facet constraints j with λ_j &gt; 0, and slack
    /// h(target) − Σ λ_j h(c_j) ≥ 0: then target ≥ 0 wherever the facet constraints hold.
    /// Returns the sign of the slack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CheckFarkas(Claim claim, FarkasTerm[] terms, Rational[] target)
    {
        for (int t = 0; t < terms.Length; t++)
        {
            var (j, lambda) = terms[t];
            if (_owner[j] != Facet) throw Fail($"{claim}: Farkas term {t} uses constraint {j}, which is not a facet of this region");
            if (lambda.Sign <= 0) throw Fail($"{claim}: Farkas multiplier {t} is {lambda}, it must be > 0");
        }
        if (FastFarkas(terms, target) is int slackSign) return slackSign;
        for (int i = 0; i <= _d; i++)
        {
            Rational sum = Rational.Zero;
            foreach (var (j, lambda) in terms) sum += lambda * Coefficient(j, i);
            if (i < _d && sum != target[i])
                throw Fail($"{claim}: the Farkas combination has gradient coefficient {i} = {sum}, it needs {target[i]}");
        }
        Rational offset = Rational.Zero;
        foreach (var (j, lambda) in terms) offset += lambda * Coefficient(j, _d);
        var slack = target[_d] - offset;
        if (slack.Sign < 0) throw Fail($"{claim}: the Farkas slack is {slack} < 0");
        if (slack.IsZero && terms.Length == 0) throw Fail($"{claim}: it is identically zero on this region{ZeroHint(claim.Constraint)}");
        return slack.Sign;
    }

    /// <summary>The Farkas check by exact integer signs; null when it needs the rational path (overflow or failure).</summary>
    private int? FastFarkas(FarkasTerm[] terms, Rational[] target)
    {
        if (terms.Length == 0) return null;
        var lambdas = new Rational[terms.Length];
        var coefficients = new Rational[terms.Length];
        for (int t = 0; t < terms.Length; t++) lambdas[t] = terms[t].Lambda;
        int? slack = null;
        for (int i = 0; i <= _d; i++)
        {
            for (int t = 0; t < terms.Length; t++) coefficients[t] = Coefficient(terms[t].C, i);
            // Σ λ_j c_j,i − target_i: 0 for the gradient, ≤ 0 for the constant (slack ≥ 0).
            int? sign = Rational.SignOfSum(lambdas, coefficients, -target[i]);
            if (sign is null || (i < _d && sign != 0) || (i == _d && sign > 0)) return null;
            if (i == _d) slack = -sign;
        }
        return slack;
    }

    /// <summary>
    /// The witness w: c_k(w) = 0, every other facet constraint is &gt; 0 at w unless it is a positive
    /// multiple of c_k. Redundant constraints need no evaluation: c = Σ λ_j c_j(w) + slack, which is
    /// &gt; 0 unless the slack is 0 and all its support vanishes, and then c is a positive multiple
    /// of c_k. A dismissed constraint is ≥ its minimum over the bounds; only those with minimum 0 are
    /// evaluated. Marks the vanishing neuron constraints and returns whether a box face vanishes at w.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CheckWitness(FacetEntry facet, Where at)
    {
        var w = facet.Point;
        if (SignAt(facet.C, w) != 0) throw Fail($"{at}: the witness point is not on the facet: c_{facet.C}(w) = {Value(facet.C, w)} ≠ 0");
        for (int k = 0; k < _n; k++) _vanishes[k] = _owner[k] == Flat;
        foreach (var other in _entry.Facets)
        {
            if (other.C == facet.C) { if (other.C < _n) _vanishes[other.C] = true; continue; }
            int v = SignAt(other.C, w);
            if (v < 0) throw Fail($"{at}: the witness point is outside the region: facet constraint {other.C} is {Value(other.C, w)} < 0 there");
            if (v == 0 && !PositiveMultiple(other.C, facet.C))
                throw Fail($"{at}: facet constraint {other.C} also vanishes at the witness point and is not a positive multiple of c_{facet.C}: the face is lower-dimensional there");
            if (v == 0 && other.C < _n) _vanishes[other.C] = true;
        }
        foreach (var (c, support) in _tight)
            _vanishes[c] = Array.TrueForAll(support, j => j >= _n ? IsBoxFaceZero(j, w) : _vanishes[j]);
        foreach (int c in _touching) _vanishes[c] = SignAt(c, w) == 0;
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
            char bit = SlopeSign(rows2, net.NeuronUnit[k], facet.C, u) > 0 ? '1' : '0';
            if (bit != p2[k])
                throw Fail($"{at}: regions[{r2}].pattern is not the activation pattern beyond the facet: unit {k} has value 0 and slope {Dot(rows2.Row(net.NeuronUnit[k]), u)} along u there, so it is {(bit == '1' ? "on" : "off")}, but the pattern says '{p2[k]}'");
        }
        if (differing.Count == 0) throw Fail($"{at}: neighbour {r2} has the same activation pattern as this region");
        var g1 = _maps.Row(net.OutputUnit);
        var g2 = rows2.Row(net.OutputUnit);
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
        if (k < 0 || k >= _n) return "";
        var row = _maps.Row(_ctx.Network.NeuronUnit[k]);
        return Array.TrueForAll(row, v => v.IsZero) ? $" (unit {k} is identically zero on the region: list it as flat)" : "";
    }

    /// <summary>Coefficient i of constraint k: i &lt; d the gradient, i = d the constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rational Coefficient(int k, int i)
    {
        if (k < _n)
        {
            var v = _maps.Row(_ctx.Network.NeuronUnit[k])[i];
            return _pattern[k] == '1' ? v : -v;
        }
        var box = _ctx.Domain!;
        int axis = (k - _n) >> 1;
        bool upper = ((k - _n) & 1) == 1;
        if (i < _d) return i != axis ? Rational.Zero : upper ? -Rational.One : Rational.One;
        return upper ? box.Hi[axis] : -box.Lo[axis];
    }

    /// <summary>
    /// The sign of c_k(x): for a unit with an integer row Z = σ·(g, h) and x = ξ/X over a common
    /// denominator, σ·X·z(x) = Σ Z_i·ξ_i + Z_d·X exactly (σ, X &gt; 0); otherwise from the rational value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SignAt(int k, Rational[] x)
    {
        Span<long> xi = stackalloc long[_d];
        if (k < _n && _maps.Integer(_ctx.Network.NeuronUnit[k]) is { } z && Rational.TryCommonDenominator(x, xi, out long den)
            && IntegerSign(z, xi, den) is int sign)
            return _pattern[k] == '1' ? sign : -sign;
        return Value(k, x).Sign;
    }

    /// <summary>
    /// The sign of the slope of unit <paramref name="unit"/> of <paramref name="maps"/> along u = −g(c_k):
    /// with integer rows, u = ∓Z'/σ' (Z' the row of c_k's unit, sign by its bit), so the slope is a
    /// positive multiple of ∓Σ Z_i·Z'_i; otherwise from the rational slope.
    /// </summary>
    private int SlopeSign(RegionMaps maps, int unit, int k, Rational[] u)
    {
        if (k < _n && maps.Integer(unit) is { } z && _maps.Integer(_ctx.Network.NeuronUnit[k]) is { } zk
            && IntegerSign(z, zk.AsSpan(0, _d), 0) is int sign)
            return _pattern[k] == '1' ? -sign : sign;
        return Dot(maps.Row(unit), u).Sign;
    }

    /// <summary>The sign of Σ_{i&lt;d} z_i·ξ_i + z_d·c, exactly in 128 bits; null on overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int? IntegerSign(long[] z, ReadOnlySpan<long> xi, long c)
    {
        Int128 sum = (Int128)z[^1] * c;
        for (int i = 0; i < xi.Length; i++)
        {
            Int128 term = (Int128)z[i] * xi[i], next = sum + term;
            if (((sum ^ next) & (term ^ next)) < 0) return null; // signed overflow of the sum
            sum = next;
        }
        return Int128.Sign(sum);
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
        var row = _maps.Row(_ctx.Network.NeuronUnit[k]);
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
