using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// Phase 3 of the integer facet search: a bounding box of the region, each bound the optimum of a
/// small exact LP over the facets found (its dual is the Farkas proof), rounded outwards to a short
/// number; every constraint ≥ 0 on the whole box (exact interval arithmetic) is dismissed.
/// </summary>
internal sealed partial class IntegerFacetSearch<T>
{
    private Box? _box;

    protected override int DismissByBoundingBox(bool[] dismissed)
    {
        _box = Bounds();
        if (_box is not Box box) return 0;
        int count = 0;
        for (int g = 0; g < Groups.Count; g++)
            if (!IsFacet[g] && NonNegativeOnBox(rows[Groups[g][0]], box))
            {
                dismissed[g] = true;
                count += Groups[g].Count;
            }
        return count;
    }

    protected override BoundingBox? BoundingBoxProof =>
        _box is Box b ? new BoundingBox(b.Lower, b.Upper, b.LowerFarkas, b.UpperFarkas) : null;

    private readonly record struct Box(Rational?[] Lower, Rational?[] Upper,
        FarkasMultipliers?[] LowerFarkas, FarkasMultipliers?[] UpperFarkas, BigInteger Denominator, BigInteger?[] LowerNum, BigInteger?[] UpperNum)
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
        var lower = new Rational?[D];
        var upper = new Rational?[D];
        var lowerFarkas = new FarkasMultipliers?[D];
        var upperFarkas = new FarkasMultipliers?[D];
        bool any = false;
        for (int i = 0; i < D; i++)
            for (int side = 0; side < 2; side++)
            {
                Control.ThrowIfStopped();
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
        for (int i = 0; i < D; i++)
        {
            if (lower[i] is Rational lo) extent = Math.Max(extent, Math.Abs(lo.ToDouble()));
            if (upper[i] is Rational hi) extent = Math.Max(extent, Math.Abs(hi.ToDouble()));
        }
        int bits = Math.Clamp(20 - (int)Math.Ceiling(Math.Log2(extent)), 0, 60);
        var grid = new Rational(BigInteger.One << bits, BigInteger.One);
        for (int i = 0; i < D; i++)
        {
            if (lower[i] is Rational lo && lo.Denominator.GetBitLength() > 16)
                lower[i] = new Rational((lo * grid).Floor(), grid.Numerator);
            if (upper[i] is Rational hi && hi.Denominator.GetBitLength() > 16)
                upper[i] = new Rational(-(-hi * grid).Floor(), grid.Numerator);
        }
        // One common denominator makes the interval test integer arithmetic.
        BigInteger den = BigInteger.One;
        foreach (var v in lower.Concat(upper))
            if (v is Rational r) den = Integers.Lcm(den, r.Denominator);
        var lowerNum = new BigInteger?[D];
        var upperNum = new BigInteger?[D];
        for (int i = 0; i < D; i++)
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
            small = new long?[2 * D];
            smallDen = (long)den;
            long max = smallDen;
            for (int i = 0; i < D; i++)
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

    /// <summary>Above this dimension a bound the double LP did not give is left out (see <see cref="Bound"/>).</summary>
    private const int ExactBoundDimension = 8;

    /// <summary>
    /// min (sign·x_i) over the facets' polyhedron, with its Farkas multipliers (true-constraint
    /// units). An unbounded LP gives a direction; a ray along it finds a new facet or shows the
    /// region unbounded (null).
    /// </summary>
    private (Rational Value, FarkasMultipliers Farkas)? Bound(int i, int sign)
    {
        var e0 = new T[D + 1];
        e0[i] = T.CreateTruncating(sign);
        for (int proposals = 0; proposals < 4 * D + 8; proposals++)
        {
            Control.ThrowIfStopped();
            var (lp, reps) = DoubleLp(e0);
            if (lp is null) break;
            if (lp.Status == LpStatus.Optimal)
            {
                if (Confirm(lp, reps, e0) is not Combination proposal) break;
                // Σλ'_j c'_j(x) = sign·x_i + V with V = Σλ'_j h'_j.
                var v = new Rational(proposal.Dot(rows, D), proposal.Denominator);
                return (sign > 0 ? -v : v, FarkasMultipliers.FromScaled(proposal.Facets,
                    [.. proposal.Facets.Select((j, b) => proposal.Numerators[b] * scales[j])], proposal.Denominator));
            }
            if (lp.Status != LpStatus.Infeasible) break;
            var direction = lp.Y.Select(y => Rational.FromDouble(-y.Value)).ToArray();
            int before = FacetGroups.Count;
            if (!TryRay(direction)) return null; // no constraint stops the ray: unbounded (exact)
            if (FacetGroups.Count == before) break;
        }
        // The bounds only let constraints be dismissed without multipliers of their own, so a bound
        // the double proposals did not give may be left out. In low dimension the exact simplex is
        // cheap and keeps boxes tight; beyond it, an exact simplex in rationals per bound costs far
        // more than the Farkas multipliers it would save.
        if (D > ExactBoundDimension) return null;
        for (int attempt = 0; attempt < 4 * D + 8; attempt++)
        {
            var reps = FacetRepresentatives();
            var m = new Rational[D][];
            for (int r = 0; r < D; r++)
            {
                m[r] = new Rational[reps.Length];
                for (int j = 0; j < reps.Length; j++) m[r][j] = Integers.ToRational(rows[reps[j]][r]);
            }
            var e = new Rational[D];
            Array.Fill(e, Rational.Zero);
            e[i] = sign;
            var cost = reps.Select(k => Integers.ToRational(rows[k][D])).ToArray();
            var lp = ExactSimplex.Solve(m, e, cost, Cancel);
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
                return (sign > 0 ? -value : value, FarkasMultipliers.FromRationals(farkas));
            }
            if (lp.Status != LpStatus.Infeasible) return null;
            var direction = lp.Y.Select(y => -y).ToArray();
            int facetsBefore = FacetGroups.Count;
            if (!TryRay(direction)) return null;        // truly unbounded that way
            if (FacetGroups.Count == facetsBefore && !ExactRay(direction)) return null;
        }
        return null;
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
}
