using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The fast path of region classification, on the integer constraints of <see cref="IntegerRegionMaps"/>
/// (over 64-bit, 128-bit or BigInteger integers; signs of wide rows go through <see cref="SignFilter"/>).
/// Floating point only proposes; every decision is checked exactly:
/// 1. rays from the interior point (directions ±e_i, ±(1,…,1)…) propose facets — the first
///    hyperplane hit, found in double, gets an exact witness that is verified strictly inside all others;
/// 2. a bounding box of the region: each bound is the optimum of a small exact LP over the facets
///    found (its dual is the Farkas proof), rounded outwards to a short number; an unbounded LP yields
///    a direction whose ray finds another facet, or shows the region unbounded that way;
/// 3. every constraint ≥ 0 on the whole box (exact interval arithmetic) is dismissed: the box, hence
///    the facets, imply it;
/// 4. the rest go through Clarkson's exact test (<see cref="FacetFinder"/>): Farkas multipliers, or a
///    new facet.
/// Returns null when a number does not fit T (a 64-bit product, or a box bound beyond T; the 128-bit
/// tier's maps are bounded a priori, BigInteger always fits); the caller then uses
/// <see cref="FacetFinder"/> on rationals.
/// </summary>
public static class FastFacetFinder
{
    public static RegionGeometry? Analyse<T>(IntegerRegionMaps<T> maps, Domain domain, Rational[] interior, AnalysisControl? control = null)
        where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        if (maps.Constraints(domain) is not var (rows, scales, approximate)) return null;
        try
        {
            return new Analysis<T>(rows, scales, approximate, interior, control ?? AnalysisControl.None).Run();
        }
        catch (OverflowException)
        {
            return null; // a 64-bit product did not fit: the caller takes the rational path
        }
    }

    /// <summary>c'_k = s_k·c_k with integer coefficients (ReLU units, then box faces), or null if they do not fit in T.</summary>
    internal static T[][]? ScaledRows<T>(IntegerRegionMaps<T> maps, Domain domain, out BigInteger[] scales)
        where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        int n = maps.Rows.Length, d = domain.Dimension;
        var rows = new T[n + domain.FaceCount][];
        scales = new BigInteger[rows.Length];
        var net = maps.Net;
        try
        {
            for (int k = 0; k < n; k++)
            {
                var z = maps.Rows[k];
                rows[k] = maps.Pattern[k] == '1' ? z : Negated(z);
                scales[k] = net.LayerScale[net.Network.Neurons[k].Layer];
            }
            for (int i = 0; i < d && domain.IsBox; i++)
            {
                var lo = domain.Lower![i];
                var hi = domain.Upper![i];
                var lower = new T[d + 1];
                lower[i] = From<T>(lo.Denominator);
                lower[d] = From<T>(-lo.Numerator);
                var upper = new T[d + 1];
                upper[i] = From<T>(-hi.Denominator);
                upper[d] = From<T>(hi.Numerator);
                rows[n + 2 * i] = lower;
                rows[n + 2 * i + 1] = upper;
                scales[n + 2 * i] = lo.Denominator;
                scales[n + 2 * i + 1] = hi.Denominator;
            }
        }
        catch (OverflowException)
        {
            return null;
        }
        return rows;
    }

    private static T[] Negated<T>(T[] z) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        var r = new T[z.Length];
        for (int i = 0; i < r.Length; i++) r[i] = checked(-z[i]);
        return r;
    }

    private static T From<T>(BigInteger v) where T : struct, IBinaryInteger<T> =>
        Integers.TryFrom(v, out T r) ? r : throw new OverflowException();

    private sealed class Analysis<T>(T[][] rows, BigInteger[] scales, double[][] approximateRows, Rational[] interior, AnalysisControl control)
        where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        private readonly CancellationToken _cancel = control.Cancel;
        private readonly int _d = interior.Length;
        private readonly List<List<int>> _groups = [];
        private readonly Rational[] _beta = new Rational[rows.Length]; // per constraint: c'_m = β_m·c'_rep of its group
        private readonly int[] _groupOf = new int[rows.Length];
        private readonly List<int> _flat = [];
        private readonly SortedDictionary<int, RedundancyInfo> _redundant = [];
        private readonly List<int> _facetGroups = [];
        private readonly Dictionary<int, Rational[]> _witness = [];
        private bool[] _isFacet = [];
        private double[] _unit = []; // group g's unit direction at [g·(d+1), (g+1)·(d+1)): one array per region
        private Rational[][]? _exactRows;
        private Rational[] _pValue = interior;
        private ExactPoint? _pExact;

        private Rational[] _p
        {
            get => _pValue;
            set { _pValue = value; _pExact = null; }
        }

        private ExactPoint PExact => _pExact ??= new ExactPoint(_pValue);
        private Rational[]? _pDoubleOf;

        public RegionGeometry Run()
        {
            Classify();
            control.Report(0, _groups.Count);
            _isFacet = new bool[_groups.Count];
            foreach (var direction in ProposalDirections())
            {
                control.ThrowIfStopped();
                TryRay(direction);
            }
            control.Report(_facetGroups.Count, _groups.Count);
            var box = Bounds();
            var dismissed = new bool[_groups.Count];
            int dismissedCount = 0;
            if (box is not null)
                for (int g = 0; g < _groups.Count; g++)
                    if (!_isFacet[g] && NonNegativeOnBox(rows[_groups[g][0]], box.Value))
                    {
                        dismissed[g] = true;
                        dismissedCount += _groups[g].Count;
                    }
            ClarksonForTheRest(dismissed);
            return Assemble(box, dismissedCount);
        }

        /// <summary>
        /// Sorts the constraints into flat ones, positive constants (redundant) and groups of positive
        /// multiples of one another (one facet each). Membership is proposed by the double direction
        /// of each row — positive multiples have the same unit direction up to rounding, so they fall
        /// in the same or a neighbouring bucket of its first coordinate — and confirmed exactly by
        /// cross-multiplication, so no gcd is ever taken. β_m = r_m[j]/r_rep[j] records the multiple.
        /// </summary>
        private void Classify()
        {
            // Bucket → its groups, as a chain: first group per bucket, then the next group in the same bucket.
            var buckets = new Dictionary<long, int>();
            var nextInBucket = new List<int>();
            int stride = _d + 1;
            var units = new double[rows.Length * stride];
            for (int k = 0; k < rows.Length; k++)
            {
                _beta[k] = Rational.One;
                _groupOf[k] = -1;
                var r = rows[k];
                bool constant = true;
                for (int i = 0; i < _d; i++) if (!T.IsZero(r[i])) { constant = false; break; }
                if (constant)
                {
                    if (T.IsZero(r[_d])) _flat.Add(k);
                    else if (T.IsPositive(r[_d])) _redundant[k] = new RedundancyInfo(k, []);
                    else throw new InvalidOperationException($"internal error: constraint {k} is a negative constant on its own region");
                    continue;
                }
                var unit = units.AsSpan(_groups.Count * stride, stride); // the slot a new group would take
                UnitDirection(k, unit);
                // Rows whose direction is not finite share one bucket and are compared with each other only.
                bool finite = double.IsFinite(unit[0]);
                long bucket = finite ? (long)Math.Floor(unit[0] * (1L << 40)) : long.MinValue;
                int group = -1;
                for (long b = finite ? bucket - 1 : bucket; group < 0 && b <= (finite ? bucket + 1 : bucket); b++)
                {
                    if (!buckets.TryGetValue(b, out int g)) continue;
                    for (; g >= 0; g = nextInBucket[g])
                        if (PositiveMultiple(rows[_groups[g][0]], r) is Rational beta)
                        {
                            group = g;
                            _beta[k] = beta;
                            break;
                        }
                }
                if (group < 0)
                {
                    group = _groups.Count;
                    _groups.Add([]);
                    nextInBucket.Add(buckets.TryGetValue(bucket, out int head) ? head : -1);
                    buckets[bucket] = group;
                }
                _groups[group].Add(k);
                _groupOf[k] = group;
            }
            _unit = units;
        }

        /// <summary>r / ‖g‖ in double (ray proposals and bucketing only); scaled first when the squares would overflow.</summary>
        private void UnitDirection(int k, Span<double> unit)
        {
            var values = approximateRows[k];
            double norm = 0;
            for (int i = 0; i < _d; i++) norm += values[i] * values[i];
            if (!double.IsFinite(norm) || norm == 0)
            {
                double max = 0;
                for (int i = 0; i < values.Length; i++) max = Math.Max(max, Math.Abs(values[i]));
                int exponent = double.IsFinite(max) && max > 0 ? Math.ILogB(max) : 0;
                var scaled = new double[values.Length];
                for (int i = 0; i < values.Length; i++) scaled[i] = Math.ScaleB(values[i], -exponent);
                values = scaled;
                norm = 0;
                for (int i = 0; i < _d; i++) norm += values[i] * values[i];
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < unit.Length; i++) unit[i] = values[i] / norm;
        }

        /// <summary>β &gt; 0 with b = β·a exactly, or null (a is not constant).</summary>
        private static Rational? PositiveMultiple(T[] a, T[] b)
        {
            int j = 0;
            while (T.IsZero(a[j])) j++;
            if (T.Sign(a[j]) != T.Sign(b[j])) return null;
            var aj = Integers.ToBig(a[j]);
            var bj = Integers.ToBig(b[j]);
            for (int i = 0; i < a.Length; i++)
                if (Integers.ToBig(a[i]) * bj != Integers.ToBig(b[i]) * aj) return null;
            return new Rational(bj, aj);
        }

        private IEnumerable<Rational[]> ProposalDirections()
        {
            for (int i = 0; i < _d; i++)
                for (int s = -1; s <= 1; s += 2)
                {
                    var v = new Rational[_d];
                    Array.Fill(v, Rational.Zero);
                    v[i] = s;
                    yield return v;
                }
            for (int j = 0; j < 2 * _d; j++)
            {
                var v = new Rational[_d];
                for (int i = 0; i < _d; i++) v[i] = ((i * 7 + j * 3) % 5) - 2 + (i == j % _d ? 3 : 0);
                yield return v;
            }
        }

        /// <summary>
        /// Shoots a ray from the interior point along v; the first hyperplane hit (proposed in double,
        /// verified exactly) becomes a facet. Returns false when no constraint stops the ray.
        /// </summary>
        private double[]? _pDouble;

        private bool TryRay(Rational[] v)
        {
            var pd = _pDouble is { } cached && ReferenceEquals(_pDoubleOf, _pValue) ? cached : (_pDouble = _p.Select(x => x.ToDouble()).ToArray());
            _pDoubleOf = _pValue;
            var vd = v.Select(x => x.ToDouble()).ToArray();
            int best = -1;
            double bestTau = double.PositiveInfinity;
            for (int g = 0; g < _groups.Count; g++)
            {
                var u = _unit.AsSpan(g * (_d + 1), _d + 1);
                double slope = 0, value = u[_d];
                for (int i = 0; i < _d; i++)
                {
                    slope += u[i] * vd[i];
                    value += u[i] * pd[i];
                }
                if (!(slope < 0)) continue;
                double tau = value / -slope;
                if (tau < bestTau) { bestTau = tau; best = g; }
            }
            if (best < 0) return !ExactlyUnbounded(v);
            if (_isFacet[best]) return true;
            var row = rows[_groups[best][0]];
            var pe = PExact;
            Rational slopeExact = Rational.Zero;
            for (int i = 0; i < _d; i++) if (!T.IsZero(row[i])) slopeExact += Integers.ToRational(row[i]) * v[i];
            if (slopeExact.Sign >= 0) return true;
            var tauExact = pe.Value(row) / -slopeExact;
            var w = new Rational[_d];
            for (int i = 0; i < _d; i++) w[i] = _p[i] + tauExact * v[i];
            // Simplify first: a short point that validates proves the facet by itself; only when no
            // short point does is the exact crossing point itself checked.
            var simple = Simplify(w, best);
            if (ReferenceEquals(simple, w) && !ValidWitness(w, best)) return true; // the proposal was wrong (or a tie): no decision made
            _isFacet[best] = true;
            _facetGroups.Add(best);
            _witness[best] = simple;
            return true;
        }

        /// <summary>True when no constraint decreases along v (exactly): the region is unbounded that way.</summary>
        private bool ExactlyUnbounded(Rational[] v)
        {
            foreach (var group in _groups)
            {
                var row = rows[group[0]];
                Rational slope = Rational.Zero;
                for (int i = 0; i < _d; i++) if (!T.IsZero(row[i])) slope += Integers.ToRational(row[i]) * v[i];
                if (slope.Sign < 0) return false;
            }
            return true;
        }

        private void AddFacet(int group, Rational[] w)
        {
            _isFacet[group] = true;
            _facetGroups.Add(group);
            _witness[group] = Simplify(w, group);
        }

        private bool ValidWitness(Rational[] w, int group)
        {
            var e = new ExactPoint(w);
            if (e.Sign(rows[_groups[group][0]], approximateRows[_groups[group][0]]) != 0) return false;
            for (int k = 0; k < rows.Length; k++)
            {
                int g = _groupOf[k];
                if (g == group) continue;
                if (g < 0 && !_redundant.ContainsKey(k)) continue; // flat
                if (e.Sign(rows[k], approximateRows[k]) <= 0) return false;
            }
            return true;
        }

        private Rational[] Simplify(Rational[] w, int group)
        {
            var hyperplane = rows[_groups[group][0]].Select(Integers.ToBig).ToArray();
            // The witness's distance to the interior point is a fair measure of the room around it.
            double room = 0;
            for (int i = 0; i < _d; i++) room = Math.Max(room, Math.Abs(w[i].ToDouble() - _p[i].ToDouble()));
            return PointSimplifier.OnIntegerHyperplane(w, hyperplane, candidate => ValidWitness(candidate, group), room / 4);
        }

        /// <summary>The integer rows as rationals, for the exact LPs (every row: the fallback paths need them all).</summary>
        private Rational[][] ExactRows => _exactRows ??= [.. rows.Select(r => r.Select(Integers.ToRational).ToArray())];

        private int[] FacetReps
        {
            get
            {
                var reps = new int[_facetGroups.Count];
                for (int i = 0; i < reps.Length; i++) reps[i] = _groups[_facetGroups[i]][0];
                return reps;
            }
        }

        private readonly record struct Box(Rational?[] Lower, Rational?[] Upper,
            (int, Rational)[]?[] LowerFarkas, (int, Rational)[]?[] UpperFarkas, BigInteger Denominator, BigInteger?[] LowerNum, BigInteger?[] UpperNum)
        {
            /// <summary>The numerators (lower_i at 2i, upper_i at 2i+1) and denominator in 63 bits, when they fit.</summary>
            public long?[]? Small { get; init; }

            /// <summary>The bounds as doubles (NaN where missing), for <see cref="SignFilter"/>.</summary>
            public double[] LowerApprox { get; init; } = [];
            public double[] UpperApprox { get; init; } = [];
            public long SmallDenominator { get; init; }
            public int SmallBits { get; init; }
        }

        /// <summary>Exact LP bounds of each coordinate over the facets, rounded outwards.</summary>
        private Box? Bounds()
        {
            var lower = new Rational?[_d];
            var upper = new Rational?[_d];
            var lowerFarkas = new (int, Rational)[]?[_d];
            var upperFarkas = new (int, Rational)[]?[_d];
            bool any = false;
            for (int i = 0; i < _d; i++)
                for (int side = 0; side < 2; side++)
                {
                    control.ThrowIfStopped();
                    var bound = Bound(i, side == 0 ? 1 : -1);
                    if (bound is null) continue;
                    any = true;
                    if (side == 0) { lower[i] = bound.Value.Value; lowerFarkas[i] = bound.Value.Farkas; }
                    else { upper[i] = bound.Value.Value; upperFarkas[i] = bound.Value.Farkas; }
                }
            if (!any) return null;
            // Round outwards onto the grid 2^-K (short numbers; the Farkas slack only grows), unless
            // the exact bound is already short.
            double extent = 1;
            for (int i = 0; i < _d; i++)
            {
                if (lower[i] is Rational lo) extent = Math.Max(extent, Math.Abs(lo.ToDouble()));
                if (upper[i] is Rational hi) extent = Math.Max(extent, Math.Abs(hi.ToDouble()));
            }
            int bits = Math.Clamp(20 - (int)Math.Ceiling(Math.Log2(extent)), 0, 60);
            var grid = new Rational(BigInteger.One << bits, BigInteger.One);
            for (int i = 0; i < _d; i++)
            {
                if (lower[i] is Rational lo && lo.Denominator.GetBitLength() > 16)
                    lower[i] = new Rational((lo * grid).Floor(), grid.Numerator);
                if (upper[i] is Rational hi && hi.Denominator.GetBitLength() > 16)
                    upper[i] = new Rational(-(-hi * grid).Floor(), grid.Numerator);
            }
            // One common denominator makes the interval test integer arithmetic.
            BigInteger den = BigInteger.One;
            foreach (var v in lower.Concat(upper))
                if (v is Rational r) den = den / BigInteger.GreatestCommonDivisor(den, r.Denominator) * r.Denominator;
            var lowerNum = new BigInteger?[_d];
            var upperNum = new BigInteger?[_d];
            for (int i = 0; i < _d; i++)
            {
                if (lower[i] is Rational lo) lowerNum[i] = lo.Numerator * (den / lo.Denominator);
                if (upper[i] is Rational hi) upperNum[i] = hi.Numerator * (den / hi.Denominator);
            }
            long?[]? small = null;
            long smallDen = 0;
            int smallBits = 0;
            bool Fits(BigInteger v) => v > long.MinValue && v < long.MaxValue;
            if (Fits(den) && lowerNum.All(v => v is null || Fits(v.Value)) && upperNum.All(v => v is null || Fits(v.Value)))
            {
                small = new long?[2 * _d];
                smallDen = (long)den;
                long max = smallDen;
                for (int i = 0; i < _d; i++)
                {
                    small[2 * i] = lowerNum[i] is BigInteger lo ? (long)lo : null;
                    small[2 * i + 1] = upperNum[i] is BigInteger hi ? (long)hi : null;
                    max |= Math.Abs(small[2 * i] ?? 0) | Math.Abs(small[2 * i + 1] ?? 0);
                }
                smallBits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)max);
            }
            return new Box(lower, upper, lowerFarkas, upperFarkas, den, lowerNum, upperNum)
            {
                Small = small, SmallDenominator = smallDen, SmallBits = smallBits,
                LowerApprox = [.. lower.Select(v => v is Rational r ? SignFilter.Input(r) : double.NaN)],
                UpperApprox = [.. upper.Select(v => v is Rational r ? SignFilter.Input(r) : double.NaN)],
            };
        }

        /// <summary>
        /// min (sign·x_i) over the facets' polyhedron, with its Farkas multipliers (true-constraint
        /// units). An unbounded LP gives a direction; a ray along it finds a new facet or shows the
        /// region unbounded (null).
        /// </summary>
        private const int ExactBoundDimension = 8;

        private (Rational Value, (int, Rational)[] Farkas)? Bound(int i, int sign)
        {
            var e0 = new T[_d + 1];
            e0[i] = T.CreateTruncating(sign);
            for (int proposals = 0; proposals < 4 * _d + 8; proposals++)
            {
                control.ThrowIfStopped();
                var (lp, reps) = DoubleLp(e0);
                if (lp is null) break;
                if (lp.Status == LpStatus.Optimal)
                {
                    if (Confirm(lp, reps, e0) is not Combination proposal) break;
                    // Σλ'_j c'_j(x) = sign·x_i + V with V = Σλ'_j h'_j.
                    var v = new Rational(proposal.Dot(rows, _d), proposal.Denominator);
                    return (sign > 0 ? -v : v,
                        [.. proposal.Facets.Select((j, b) => (j, new Rational(proposal.Numerators[b] * scales[j], proposal.Denominator)))]);
                }
                if (lp.Status != LpStatus.Infeasible) break;
                var direction = lp.Y.Select(y => Rational.FromDouble(-y.Value)).ToArray();
                int before = _facetGroups.Count;
                if (!TryRay(direction)) return null; // no constraint stops the ray: unbounded (exact)
                if (_facetGroups.Count == before) break;
            }
            // The bounds only let constraints be dismissed without multipliers of their own, so a bound
            // the double proposals did not give may be left out. In low dimension the exact simplex is
            // cheap and keeps boxes tight; beyond it, an exact simplex in rationals per bound costs far
            // more than the Farkas multipliers it would save.
            if (_d > ExactBoundDimension) return null;
            for (int attempt = 0; attempt < 4 * _d + 8; attempt++)
            {
                var reps = FacetReps;
                var m = new Rational[_d][];
                for (int r = 0; r < _d; r++)
                {
                    m[r] = new Rational[reps.Length];
                    for (int j = 0; j < reps.Length; j++) m[r][j] = Integers.ToRational(rows[reps[j]][r]);
                }
                var e = new Rational[_d];
                Array.Fill(e, Rational.Zero);
                e[i] = sign;
                var cost = reps.Select(k => Integers.ToRational(rows[k][_d])).ToArray();
                var lp = ExactSimplex.Solve(m, e, cost, _cancel);
                if (lp.Status == LpStatus.Optimal)
                {
                    // Σλ'_j c'_j(x) = sign·x_i + V ≥ 0, with c'_j = s_j·c_j: true multipliers λ'_j·s_j.
                    Rational value = Rational.Zero;
                    var farkas = new List<(int, Rational)>();
                    for (int j = 0; j < reps.Length; j++)
                    {
                        if (lp.Lambda[j].IsZero) continue;
                        value += lp.Lambda[j] * cost[j];
                        farkas.Add((reps[j], lp.Lambda[j] * new Rational(scales[reps[j]], BigInteger.One)));
                    }
                    farkas.Sort((a, b) => a.Item1.CompareTo(b.Item1));
                    // lower: x_i ≥ −V; upper: −x_i ≥ −V, i.e. x_i ≤ V.
                    return (sign > 0 ? -value : value, [.. farkas]);
                }
                if (lp.Status != LpStatus.Infeasible) return null;
                var direction = lp.Y.Select(y => -y).ToArray();
                int facetsBefore = _facetGroups.Count;
                if (!TryRay(direction)) return null;        // truly unbounded that way
                if (_facetGroups.Count == facetsBefore && !ExactRay(direction)) return null;
            }
            return null;
        }

        /// <summary>
        /// Exact ray shooting (the fallback when the double proposal was not confirmed): adds the
        /// first facet crossed along v, or returns false when no constraint other than the known
        /// facets decreases along v.
        /// </summary>
        private bool ExactRay(Rational[] v)
        {
            var q = new Rational[_d];
            // A far point along v; Shoot walks from p to q and stops at the first hyperplane.
            Rational far = Rational.One;
            bool stopped = false;
            for (int g = 0; g < _groups.Count; g++)
            {
                if (_isFacet[g]) continue;
                var row = ExactRows[_groups[g][0]];
                var slope = Affine.Slope(row, v);
                if (slope.Sign >= 0) continue;
                stopped = true;
                var t = (Affine.Evaluate(row, _p) / -slope) * 2 + 1;
                if (t > far) far = t;
            }
            if (!stopped) return false; // no constraint that is not yet a facet stops the ray
            for (int i = 0; i < _d; i++) q[i] = _p[i] + far * v[i];
            var (hit, point, newInterior) = FacetFinder.Shoot(ExactRows, _groups, _groupOf, _p, q, _isFacet, _cancel);
            _p = newInterior;
            AddFacet(hit, point);
            return true;
        }

        /// <summary>
        /// Clarkson's test of c'_k proposed by a double LP over the facets: a claimed redundancy is
        /// confirmed exactly (the basis's system solved in rationals, λ ≥ 0, slack ≥ 0); a claimed
        /// violation is turned into a ray from the interior point towards the violating point, whose
        /// first hit (verified exactly) is a new facet. Returns true when one of these happened.
        /// </summary>
        private bool ProposedClarksonStep(int group)
        {
            int k = _groups[group][0];
            var (lp, reps) = DoubleLp(rows[k]);
            if (lp is null) return false;
            if (lp.Status == LpStatus.Optimal)
            {
                if (Confirm(lp, reps, rows[k]) is Combination combination)
                {
                    // slack = h'_k − Σλ'_j h'_j, times the positive denominator.
                    var slack = Integers.ToBig(rows[k][_d]) * combination.Denominator - combination.Dot(rows, _d);
                    if (slack.Sign >= 0)
                    {
                        RecordRedundant(group, combination);
                        return true;
                    }
                }
                // x* = −y satisfies the facets and minimises c'_k: walk towards it.
                var target = lp.Y.Select(y => Rational.FromDouble(-y.Value)).ToArray();
                var v = new Rational[_d];
                for (int i = 0; i < _d; i++) v[i] = target[i] - _p[i];
                return AddsFacet(v);
            }
            if (lp.Status == LpStatus.Infeasible) return AddsFacet([.. lp.Y.Select(y => Rational.FromDouble(-y.Value))]);
            return false;
        }

        private bool AddsFacet(Rational[] direction)
        {
            int before = _facetGroups.Count;
            if (direction.All(x => x.IsZero)) return false;
            TryRay(direction);
            return _facetGroups.Count > before;
        }

        private void RecordRedundant(int group, Combination scaledFarkas)
        {
            int k = _groups[group][0];
            foreach (int member in _groups[group])
            {
                // c'_m = β_m·c'_k; c'_j = s_j c_j: one reduction per multiplier.
                var numeratorFactor = _beta[member].Numerator;
                var denominator = scaledFarkas.Denominator * _beta[member].Denominator * scales[member];
                _redundant[member] = new RedundancyInfo(member,
                    [.. scaledFarkas.Facets.Select((j, b) => (j, new Rational(scaledFarkas.Numerators[b] * numeratorFactor * scales[j], denominator)))]);
            }
        }

        private void RecordRedundant(int group, (int Facet, Rational Multiplier)[] scaledFarkas)
        {
            int k = _groups[group][0];
            foreach (int member in _groups[group])
            {
                // c'_m = β·c'_k with β = gcd_m / gcd_k; c'_j = s_j c_j.
                var beta = _beta[member];
                _redundant[member] = new RedundancyInfo(member,
                    [.. scaledFarkas.Select(f => (f.Facet, f.Multiplier * beta * new Rational(scales[f.Facet], scales[member])))]);
            }
        }

        /// <summary>
        /// The double LP min Σλ_j h'_j s.t. Σλ_j g'_j = target's gradient, λ ≥ 0 over the facets found
        /// so far (columns normalised; the dual y is unchanged by that). Proposals only.
        /// </summary>
        private (LpResult<ApproxNumber>? Lp, int[] Reps) DoubleLp(T[] target)
        {
            var reps = FacetReps;
            double targetNorm = 0;
            for (int i = 0; i < _d; i++) targetNorm += Integers.ToDouble(target[i]) * Integers.ToDouble(target[i]);
            targetNorm = Math.Sqrt(targetNorm);
            if (targetNorm == 0) return (null, reps);
            var m = new ApproxNumber[_d][];
            for (int r = 0; r < _d; r++) m[r] = new ApproxNumber[reps.Length];
            var cost = new ApproxNumber[reps.Length];
            for (int j = 0; j < reps.Length; j++)
            {
                var row = rows[reps[j]];
                double norm = 0;
                for (int i = 0; i < _d; i++) norm += Integers.ToDouble(row[i]) * Integers.ToDouble(row[i]);
                norm = Math.Sqrt(norm);
                for (int r = 0; r < _d; r++) m[r][j] = new(Integers.ToDouble(row[r]) / norm);
                cost[j] = new(Integers.ToDouble(row[_d]) / norm);
            }
            var rhs = new ApproxNumber[_d];
            for (int i = 0; i < _d; i++) rhs[i] = new(Integers.ToDouble(target[i]) / targetNorm);
            return (Simplex<ApproxNumber>.Solve(m, rhs, cost, _cancel), reps);
        }

        /// <summary>
        /// Multipliers λ'_j = Numerators[b] / Denominator (all &gt; 0, facets in increasing order) of a
        /// combination of scaled facet rows.
        /// </summary>
        private sealed record Combination(int[] Facets, BigInteger[] Numerators, BigInteger Denominator)
        {
            /// <summary>Σ Numerators[b]·row_{Facets[b]}[column].</summary>
            public BigInteger Dot(T[][] rows, int column)
            {
                BigInteger sum = BigInteger.Zero;
                for (int b = 0; b < Facets.Length; b++) sum += Numerators[b] * Integers.ToBig(rows[Facets[b]][column]);
                return sum;
            }
        }

        /// <summary>λ ≥ 0 on the proposed basis with Σλ_j g'_j = target's gradient exactly, or null.</summary>
        private Combination? Confirm(LpResult<ApproxNumber> lp, int[] reps, T[] target)
        {
            if (lp.Basis.Length == 0) return null;
            var columns = new T[lp.Basis.Length][];
            for (int b = 0; b < columns.Length; b++) columns[b] = rows[reps[lp.Basis[b]]];
            if (ExactLinearSolve.Solve(columns, target, _d) is not ScaledSolution exact) return null;
            var result = new List<(int Facet, BigInteger Numerator)>();
            for (int b = 0; b < lp.Basis.Length; b++)
            {
                int s = exact.Numerators[b].Sign;
                if (s < 0) return null;
                if (s > 0) result.Add((reps[lp.Basis[b]], exact.Numerators[b]));
            }
            result.Sort((a, b) => a.Facet.CompareTo(b.Facet));
            return new Combination([.. result.Select(r => r.Facet)], [.. result.Select(r => r.Numerator)], exact.Denominator);
        }

        private static bool NonNegativeOnBox(T[] row, Box box)
        {
            if (typeof(T) == typeof(long)) return NonNegativeOnBox64(System.Runtime.CompilerServices.Unsafe.As<T[], long[]>(ref row), box);
            if (SignFilter.TryMinimumSign(row, box.LowerApprox, box.UpperApprox, out int sign)) return sign >= 0;
            return ExactlyNonNegativeOnBox(row, box);
        }

        /// <summary>The exact test in BigInteger: the minimum times the bounds' common denominator is ≥ 0.</summary>
        private static bool ExactlyNonNegativeOnBox<U>(U[] row, Box box) where U : struct, IBinaryInteger<U>
        {
            int d = row.Length - 1;
            BigInteger sum = Integers.ToBig(row[d]) * box.Denominator;
            for (int i = 0; i < d; i++)
            {
                if (U.IsZero(row[i])) continue;
                var bound = U.IsPositive(row[i]) ? box.LowerNum[i] : box.UpperNum[i];
                if (bound is null) return false;
                sum += Integers.ToBig(row[i]) * bound.Value;
            }
            return sum.Sign >= 0;
        }

        private static bool NonNegativeOnBox64(long[] row, Box box)
        {
            // min over the box of g·x + h, times the common denominator of the bounds.
            int d = row.Length - 1;
            if (box.Small is not null)
            {
                long rowMax = 0;
                foreach (var v in row) rowMax |= v == long.MinValue ? long.MaxValue : Math.Abs(v);
                // Products below 2^(rowBits + boxBits), at most 16 of them: no 128-bit overflow.
                if (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)rowMax) + box.SmallBits + 4 <= 126 && row.Length <= 16)
                {
                    Int128 s = (Int128)row[d] * box.SmallDenominator;
                    for (int i = 0; i < d; i++)
                    {
                        if (row[i] == 0) continue;
                        var bound = row[i] > 0 ? box.Small[2 * i] : box.Small[2 * i + 1];
                        if (bound is not long b) return false;
                        s += (Int128)row[i] * b;
                    }
                    return s >= 0;
                }
            }
            return ExactlyNonNegativeOnBox(row, box);
        }

        private void ClarksonForTheRest(bool[] dismissed)
        {
            for (int g = 0; g < _groups.Count; g++)
            {
                if (dismissed[g]) continue;
                control.Report(g, _groups.Count);
                int k = _groups[g][0];
                while (!_isFacet[g] && !_redundant.ContainsKey(k))
                {
                    control.ThrowIfStopped();
                    if (ProposedClarksonStep(g)) continue;
                    var test = FacetFinder.TestAgainstFacets(ExactRows, FacetReps, k, _p, _d, _cancel);
                    if (test.Farkas is not null)
                    {
                        RecordRedundant(g, test.Farkas);
                        break;
                    }
                    var (hit, point, newInterior) = FacetFinder.Shoot(ExactRows, _groups, _groupOf, _p, test.Violator!, _isFacet, _cancel);
                    _p = newInterior;
                    AddFacet(hit, point);
                }
            }
        }

        private RegionGeometry Assemble(Box? box, int dismissedCount)
        {
            var facets = new List<FacetInfo>();
            for (int g = 0; g < _groups.Count; g++)
            {
                if (!_isFacet[g]) continue;
                var members = _groups[g];
                int rep = members[0];
                facets.Add(new FacetInfo(rep, _witness[g], [.. members.Skip(1)]));
                foreach (int member in members.Skip(1))
                {
                    // c_m = (β·s_rep/s_m)·c_rep.
                    var alpha = _beta[member] * new Rational(scales[rep], scales[member]);
                    _redundant[member] = new RedundancyInfo(member, [(rep, alpha)]);
                }
            }
            facets.Sort((a, b) => a.Constraint.CompareTo(b.Constraint));
            BoundingBox? bounds = box is Box b ? new BoundingBox(b.Lower, b.Upper, b.LowerFarkas, b.UpperFarkas) : null;
            return new RegionGeometry(facets, [.. _redundant.Values], _flat, bounds, dismissedCount);
        }
    }

    private sealed class RowComparer<T> : IEqualityComparer<T[]> where T : struct, IBinaryInteger<T>
    {
        public static readonly RowComparer<T> Instance = new();
        public bool Equals(T[]? a, T[]? b) => a.AsSpan().SequenceEqual(b);

        public int GetHashCode(T[] row)
        {
            var h = new HashCode();
            foreach (var v in row) h.Add(v);
            return h.ToHashCode();
        }
    }
}
