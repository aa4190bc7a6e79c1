namespace ConvexProof.Checker;

/// <summary>A (neuron, downstream pattern) pair met on a non-degenerate inner facet, with its value.</summary>
internal sealed record RealisedCondition(int Neuron, string Downstream, Rational Value, int Region, Rational[] Point);

/// <summary>What one region contributed (or, summed, all regions), for the global checks and the summary.</summary>
internal sealed record RegionOutcome(int Facets, int Boundary, int Redundant, int Flat, int Dismissed, int Degenerate,
    int NegativeJumps, List<RealisedCondition> Conditions)
{
    /// <summary>The counts added; the conditions are collected apart (concatenating lists here would be quadratic).</summary>
    public static RegionOutcome operator +(RegionOutcome a, RegionOutcome b) => new(a.Facets + b.Facets, a.Boundary + b.Boundary,
        a.Redundant + b.Redundant, a.Flat + b.Flat, a.Dismissed + b.Dismissed, a.Degenerate + b.Degenerate, a.NegativeJumps + b.NegativeJumps, []);
}

/// <summary>The shared context of the region checks: Maps(r) gives region r's local maps (made on first use); BoxFaces[f] is constraint N + f as an integer row.</summary>
internal sealed record CheckContext(Network Network, Box? Domain, string[] Patterns, Func<int, RegionMaps> Maps)
{
    public IntegerRow[] BoxFaces { get; } = Domain is null ? [] : Enumerable.Range(0, 2 * Network.InputDim)
        .Select(f => IntegerRow.Face(Network.InputDim, f >> 1, (f & 1) == 0 ? Domain.Lo[f >> 1] : Domain.Hi[f >> 1], (f & 1) == 1)).ToArray();
}

/// <summary>
/// Checks one region entry against the network (docs/certificate.md, steps (a)–(c) and (e)).
/// Constraint k &lt; N is c_k = ±z_k (sign by the pattern bit); k = N + 2i is x_i − lo_i and
/// k = N + 2i + 1 is hi_i − x_i. Every constraint is an <see cref="IntegerRow"/>, and every check
/// that needs only a sign (interior and witness points, dismissed minima, slopes, Farkas identities)
/// multiplies through by positive scales and denominators and takes the sign of one exact integer
/// sum (<see cref="Integer.SignOfDot"/>); rationals are built only for condition values, jumps and messages.
/// Hot methods are compiled fully optimized at once (AggressiveOptimization): the CLI runs cold,
/// and tier-0 code would dominate.
/// </summary>
internal sealed class RegionCheck(CheckContext ctx, int region, RegionEntry entry)
{
    private const byte Dismissed = 0, Facet = 1, Redundant = 2, Flat = 3;

    private readonly int _n = ctx.Network.NeuronCount, _d = ctx.Network.InputDim;
    private readonly string _pattern = ctx.Patterns[region];
    private readonly RegionMaps _maps = ctx.Maps(region);
    private readonly string _at = $"region {region}";
    private readonly byte[] _owner = new byte[ctx.Network.NeuronCount + ctx.BoxFaces.Length];
    private readonly bool[] _vanishes = new bool[ctx.Network.NeuronCount]; // scratch: neuron constraints that vanish at the current witness
    private readonly List<(int C, int[] Support)> _tight = []; // redundant neuron constraints with zero slack
    private readonly List<int> _touching = []; // dismissed neuron constraints whose minimum over the bounds is 0
    // The lower and upper bound of axis i at 2i and 2i + 1 (absent: 0), then their common denominator.
    private readonly Integer[] _bounds = Integer.Homogeneous([.. entry.Lower.Zip(entry.Upper).SelectMany(b => new[] { b.First?.Value ?? Rational.Zero, b.Second?.Value ?? Rational.Zero })]);
    private readonly Integer[] _scratch = new Integer[ctx.Network.InputDim + 1]; // a dismissed constraint's bounds

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegionOutcome Run()
    {
        Partition();
        foreach (int k in entry.Flat) CheckFlat(k);
        var point = Integer.Homogeneous(entry.Point);
        foreach (var facet in entry.Facets)
            if (SignAt(facet.C, point) <= 0)
                throw Fail($"the point is not interior: facet constraint {facet.C} is {Value(facet.C, entry.Point)} ≤ 0 there{ZeroHint(facet.C)}");
        foreach (var redundant in entry.Redundant)
            if (CheckFarkas(new Claim(redundant.C, -1, false), redundant.Farkas, Row(redundant.C)) == 0 && redundant.C < _n)
                _tight.Add((redundant.C, Array.ConvertAll(redundant.Farkas, t => t.C)));
        for (int side = 0; side < 2 * _d; side++) // lower and upper bound of x_i at 2i and 2i + 1
            if ((side % 2 == 0 ? entry.Lower : entry.Upper)[side / 2] is { } bound)
                CheckFarkas(new Claim(-1, side / 2, side % 2 == 1), bound.Farkas, IntegerRow.Face(_d, side / 2, bound.Value, upper: side % 2 == 1));
        int dismissed = 0;
        for (int k = 0; k < _owner.Length; k++) if (_owner[k] == Dismissed) { CheckDismissed(k); dismissed++; }
        // Now every constraint is > 0 at the point: facets directly; redundant ones because
        // c = Σ λ_j c_j + slack with λ_j > 0 and (support non-empty or slack > 0); dismissed ones
        // because the point is strictly inside the bounds and c is not constant 0; flats are excluded.
        var conditions = new List<RealisedCondition>();
        int boundary = 0, degenerate = 0, negativeJumps = 0;
        for (int f = 0; f < entry.Facets.Length; f++)
        {
            var facet = entry.Facets[f];
            bool onBox = CheckWitness(facet, f);
            if (onBox != facet.Neighbour < 0)
                throw Fail(onBox ? $"a box face vanishes at its point, so it lies on the domain boundary and must say \"boundary\": true"
                                 : $"says \"boundary\" but no box face vanishes at its point", f);
            if (onBox) { boundary++; continue; }
            var (condition, jump) = CheckCrossing(facet, f);
            if (condition is not null) conditions.Add(condition);
            else { degenerate++; if (jump.Sign < 0) negativeJumps++; }
        }
        return new RegionOutcome(entry.Facets.Length, boundary, entry.Redundant.Length, entry.Flat.Length, dismissed,
            degenerate, negativeJumps, conditions);
    }

    /// <summary>What a Farkas list proves: a redundant constraint, or a side of the bounds.</summary>
    private readonly record struct Claim(int Constraint, int Axis, bool Upper)
    {
        public override string ToString() => Constraint >= 0
            ? $"redundant constraint {Constraint}"
            : $"the {(Upper ? "upper" : "lower")} bound on x_{Axis} (bounds[{Axis}][{(Upper ? 1 : 0)}])";
    }

    /// <summary>The reason, after the region and, for a facet's check, the facet.</summary>
    private InvalidCertificateException Fail(string message, int facet = -1) =>
        new(facet < 0 ? $"{_at}: {message}" : $"{_at} facet {facet} (constraint {entry.Facets[facet].C}): {message}");

    /// <summary>Each constraint index in at most one of facets, redundant and flat; the others are dismissed.</summary>
    private void Partition()
    {
        void Mark(int k, byte kind, string list)
        {
            if (k >= _owner.Length) throw Fail($"{list} lists constraint {k}, but there are only {_owner.Length} constraints (0…{_owner.Length - 1})");
            if (_owner[k] != Dismissed) throw Fail($"constraint {k} is listed twice (in facets, redundant or flat)");
            _owner[k] = kind;
        }
        foreach (var f in entry.Facets) Mark(f.C, Facet, "facets");
        foreach (var r in entry.Redundant) Mark(r.C, Redundant, "redundant");
        foreach (int k in entry.Flat) Mark(k, Flat, "flat");
    }

    private void CheckFlat(int k)
    {
        if (k >= _n) throw Fail($"flat lists constraint {k}, which is a box face, not a ReLU unit");
        if (_pattern[k] != '0') throw Fail($"flat unit {k} must have bit '0' in the pattern");
        int i = Array.FindIndex(Row(k).Z, z => !z.IsZero);
        if (i >= 0) throw Fail($"flat unit {k} is not identically zero on the region (coefficient {i} is {-Row(k).Coefficient(i)})");
    }

    /// <summary>
    /// A dismissed constraint c = Sign·Z/σ: its minimum over the region's bounds is ≥ 0, and it is not
    /// identically 0 (that is a flat unit, and it would vanish at the interior point). With the bounds
    /// β/B over their common denominator B &gt; 0, σ·B·(minimum) = Sign·(Σ_i Z_i·β_i + Z_d·B), β_i the
    /// lower bound where c's coefficient is &gt; 0, the upper where it is &lt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckDismissed(int k)
    {
        var row = Row(k);
        bool constant = true;
        for (int i = 0; i < _d; i++)
        {
            int sign = row.Sign * row.Z[i].Sign;
            _scratch[i] = default;
            if (sign == 0) continue;
            constant = false;
            if ((sign > 0 ? entry.Lower[i] : entry.Upper[i]) is null)
                throw Fail($"constraint {k} is in none of facets, redundant and flat, and cannot be dismissed: the region has no {(sign > 0 ? "lower" : "upper")} bound on x_{i}");
            _scratch[i] = _bounds[2 * i + (sign > 0 ? 0 : 1)];
        }
        _scratch[_d] = _bounds[^1];
        int min = row.SignAt(_scratch);
        if (min < 0)
            throw Fail($"constraint {k} is in none of facets, redundant and flat, and its minimum over the bounds is {new Rational(row.Sign * Integer.Dot(row.Z, _scratch), row.Scale * _bounds[^1].Value)} < 0");
        if (constant && min == 0) throw Fail($"constraint {k} is dismissed but identically zero{ZeroHint(k)}");
        if (min == 0 && k < _n) _touching.Add(k);
    }

    /// <summary>
    /// Σ λ_j c_j = target on the gradient over facet constraints j with λ_j &gt; 0, and slack
    /// h(target) − Σ λ_j h(c_j) ≥ 0: then target ≥ 0 wherever the facet constraints hold.
    /// With λ_j = a_j / b_j, L = lcm of the b_j and S = lcm of the scales (all &gt; 0), L·S·(Σ λ_j c_j − target)
    /// is Σ_j m_j·Z_j − m·Z_target with integer multipliers m_j = Sign_j·a_j·(L/b_j)·(S/σ_j),
    /// m = Sign_target·L·(S/σ_target): each coefficient is one exact integer sum. Returns the sign of the slack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CheckFarkas(Claim claim, FarkasTerm[] terms, IntegerRow target)
    {
        var rows = new IntegerRow[terms.Length + 1];
        BigInteger lambdas = BigInteger.One, scale = target.Scale;
        for (int t = 0; t < terms.Length; t++)
        {
            var (j, _, q) = terms[t];
            if (_owner[j] != Facet) throw Fail($"{claim}: Farkas term {t} uses constraint {j}, which is not a facet of this region");
            rows[t] = Row(j);
            lambdas = Integer.Lcm(lambdas, q);
            scale = Integer.Lcm(scale, rows[t].Scale);
        }
        rows[^1] = target;
        var multipliers = new Integer[rows.Length];
        for (int t = 0; t < terms.Length; t++)
            multipliers[t] = Signed(rows[t].Sign, Scaled(Scaled(terms[t].P, lambdas, terms[t].Q), scale, rows[t].Scale));
        multipliers[^1] = Signed(-target.Sign, Scaled(lambdas, scale, target.Scale));
        var (column, difference) = (new Integer[rows.Length], 0);
        for (int i = 0; i <= _d; i++)
        {
            for (int t = 0; t < rows.Length; t++) column[t] = rows[t].Z[i];
            difference = Integer.SignOfDot(multipliers, column);
            if (i < _d && difference != 0)
                throw Fail($"{claim}: the Farkas combination has gradient coefficient {i} = {Combination(terms, i)}, it needs {target.Coefficient(i)}");
        }
        if (difference > 0) throw Fail($"{claim}: the Farkas slack is {target.Coefficient(_d) - Combination(terms, _d)} < 0");
        if (difference == 0 && terms.Length == 0) throw Fail($"{claim}: it is identically zero on this region{ZeroHint(claim.Constraint)}");
        return -difference;
    }

    /// <summary>v·(common/own), for own dividing common.</summary>
    private static BigInteger Scaled(BigInteger v, BigInteger common, BigInteger own) => common == own ? v : v * (common / own);

    private static BigInteger Signed(int sign, BigInteger v) => sign > 0 ? v : -v;

    /// <summary>Σ λ_j·(coefficient i of c_j), for messages.</summary>
    private Rational Combination(FarkasTerm[] terms, int i) => terms.Aggregate(Rational.Zero, (sum, t) => sum + new Rational(t.P, t.Q) * Row(t.C).Coefficient(i));

    /// <summary>
    /// The witness w: c_k(w) = 0, every other facet constraint is &gt; 0 at w unless it is a positive
    /// multiple of c_k. Redundant constraints need no evaluation: c = Σ λ_j c_j(w) + slack, which is
    /// &gt; 0 unless the slack is 0 and all its support vanishes, and then c is a positive multiple
    /// of c_k. A dismissed constraint is ≥ its minimum over the bounds; only those with minimum 0 are
    /// evaluated. Marks the vanishing neuron constraints and returns whether a box face vanishes at w.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CheckWitness(FacetEntry facet, int f)
    {
        var w = Integer.Homogeneous(facet.Point);
        if (SignAt(facet.C, w) != 0) throw Fail($"the witness point is not on the facet: c_{facet.C}(w) = {Value(facet.C, facet.Point)} ≠ 0", f);
        for (int k = 0; k < _n; k++) _vanishes[k] = _owner[k] == Flat;
        foreach (var other in entry.Facets)
        {
            if (other.C == facet.C) { if (other.C < _n) _vanishes[other.C] = true; continue; }
            int v = SignAt(other.C, w);
            if (v < 0) throw Fail($"the witness point is outside the region: facet constraint {other.C} is {Value(other.C, facet.Point)} < 0 there", f);
            if (v == 0 && !PositiveMultiple(other.C, facet.C))
                throw Fail($"facet constraint {other.C} also vanishes at the witness point and is not a positive multiple of c_{facet.C}: the face is lower-dimensional there", f);
            if (v == 0 && other.C < _n) _vanishes[other.C] = true;
        }
        foreach (var (c, support) in _tight)
            _vanishes[c] = Array.TrueForAll(support, j => j >= _n ? SignAt(j, w) == 0 : _vanishes[j]);
        foreach (int c in _touching) _vanishes[c] = SignAt(c, w) == 0;
        return ctx.BoxFaces.Any(face => face.SignAt(w) == 0);
    }

    /// <summary>
    /// The neighbour across an inner facet. Its pattern P' is the activation pattern at w + εu
    /// (u = −g(c_k)) iff (1) every unit whose bit differs vanishes at w, and (2) every unit that
    /// vanishes at w has, under P''s own maps, slope along u &gt; 0 exactly when its P' bit is '1'.
    /// (Induction over layers: (1) makes all of P''s values at w equal this region's, so units that
    /// do not vanish keep their strict sign.) Returns the condition, or null and the jump if degenerate.
    /// With u = −Sign_k·Z_k/σ_k, a slope along u is −Sign_k times a positive multiple of an integer dot product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (RealisedCondition? Condition, Rational Jump) CheckCrossing(FacetEntry facet, int f)
    {
        var (net, r2) = (ctx.Network, facet.Neighbour);
        var (p2, rows2) = (ctx.Patterns[r2], ctx.Maps(r2));
        var crossed = Row(facet.C);
        var gradient = crossed.Z.AsSpan(0, _d);
        var differing = new List<int>();
        for (int k = 0; k < _n; k++)
        {
            if (p2[k] != _pattern[k])
            {
                if (!_vanishes[k]) throw Fail($"neighbour {r2} has unit {k} switched, but c_{k} > 0 at the witness point, so unit {k} cannot switch there", f);
                differing.Add(k);
            }
            if (!_vanishes[k]) continue;
            var z2 = rows2.Integer(net.NeuronUnit[k]).AsSpan(0, _d);
            char bit = -crossed.Sign * Integer.SignOfDot(z2, gradient) > 0 ? '1' : '0';
            if (bit != p2[k])
                throw Fail($"regions[{r2}].pattern is not the activation pattern beyond the facet: unit {k} has value 0 and slope " +
                           $"{new Rational(-crossed.Sign * Integer.Dot(z2, gradient), rows2.Scale(net.NeuronUnit[k]) * crossed.Scale)} along u there, " +
                           $"so it is {(bit == '1' ? "on" : "off")}, but the pattern says '{p2[k]}'", f);
        }
        if (differing.Count == 0) throw Fail($"neighbour {r2} has the same activation pattern as this region", f);
        // The output rows of both regions share the output's scale σ: the gradient jump is (Z'_out − Z_out)·u / σ.
        var change = new Integer[_d];
        for (int i = 0; i < _d; i++) change[i] = rows2.Integer(net.OutputUnit)[i] - _maps.Integer(net.OutputUnit)[i];
        if (differing.Count > 1)
        {
            var jump = new Rational(-crossed.Sign * Integer.Dot(change, gradient), _maps.Scale(net.OutputUnit) * crossed.Scale);
            if (facet.DegenerateNeurons is null)
                throw Fail($"the crossing to region {r2} switches {differing.Count} units ({string.Join(", ", differing)}), so the facet must be marked \"degenerate\"", f);
            if (!facet.DegenerateNeurons.AsSpan().SequenceEqual(differing.ToArray()))
                throw Fail($"degenerate.neurons is [{string.Join(", ", facet.DegenerateNeurons)}], but the units that switch are [{string.Join(", ", differing)}]", f);
            if (facet.Jump != jump) throw Fail($"degenerate.jump is {facet.Jump}, the gradient jump is {jump}", f);
            return (null, jump);
        }
        int s = differing[0];
        if (facet.DegenerateNeurons is not null) throw Fail($"marked \"degenerate\", but only unit {s} switches", f);
        // Only unit s differs, so f' − f = δ·(h'_s − h_s) = −(1 − α)·δ·c_s as affine maps, where δ = ∂f/∂h_s
        // with the common downstream pattern (the backward-pass value of docs/formats.md) and α the slope
        // of s's rectifier: δ = −(change_a / σ_out) / ((1 − α)·Sign_s·Z_s,a / σ_s) on any axis a where c_s has a non-zero coefficient.
        var switching = Row(s);
        int axis = Array.FindIndex(switching.Z, 0, _d, z => !z.IsZero);
        if (axis < 0) throw Fail($"the switching unit {s} has a zero gradient", f);
        var delta = new Rational(-change[axis].Value * switching.Scale, _maps.Scale(net.OutputUnit) * switching.Sign * switching.Z[axis].Value) / (Rational.One - net.LayerOf(s).Alpha);
        return (new RealisedCondition(s, _pattern[net.DownstreamStart(s)..], delta, region, facet.Point), Rational.Zero);
    }

    /// <summary>c_j = μ·c_k with μ &gt; 0: all d + 1 integer coefficients proportional (cross products), with the same sign on an axis.</summary>
    private bool PositiveMultiple(int j, int k)
    {
        IntegerRow a = Row(j), b = Row(k);
        int axis = Array.FindIndex(b.Z, 0, _d, z => !z.IsZero);
        if (axis < 0 || a.Sign * a.Z[axis].Sign != b.Sign * b.Z[axis].Sign) return false;
        for (int i = 0; i <= _d; i++) if (a.Z[i] * b.Z[axis] != b.Z[i] * a.Z[axis]) return false;
        return true;
    }

    private string ZeroHint(int k) =>
        k >= 0 && k < _n && Array.TrueForAll(Row(k).Z, v => v.IsZero) ? $" (unit {k} is identically zero on the region: list it as flat)" : "";

    /// <summary>Constraint k as an integer row: a unit's map with the sign of its bit, or a box face.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IntegerRow Row(int k) => k >= _n ? ctx.BoxFaces[k - _n]
        : new IntegerRow(_maps.Integer(ctx.Network.NeuronUnit[k]), _pattern[k] == '1' ? 1 : -1, _maps.Scale(ctx.Network.NeuronUnit[k]));

    /// <summary>The sign of c_k(x) for x = ξ/X given as (ξ, X).</summary>
    private int SignAt(int k, Integer[] x) => Row(k).SignAt(x);

    /// <summary>c_k(x), for messages.</summary>
    private Rational Value(int k, Rational[] x) => Row(k).ValueAt(x);
}
