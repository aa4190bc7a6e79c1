using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The exact steps of Clarkson's facet search, on rational rows (shared by both implementations of
/// <see cref="FacetSearch"/>): the LP test of one constraint against the facets found so far, and
/// the ray from the interior point that turns a violating point into a new facet, with exact tie
/// breaking.
/// </summary>
internal static class ExactClarkson
{
    private const int MaxNudges = 64;

    internal sealed record TestResult((int Facet, Rational Multiplier)[]? Farkas, Rational[]? Violator);

    /// <summary>
    /// Is c_k ≥ 0 implied by the facet constraints? Dual LP: min Σλ_j h_j s.t. Σλ_j g_j = g_k, λ ≥ 0.
    /// Optimal with h_k − Σλ_j h_j ≥ 0: redundant (λ is the certificate). Otherwise a point q that
    /// satisfies every facet constraint and has c_k(q) &lt; 0.
    /// </summary>
    internal static TestResult TestAgainstFacets(Rational[][] all, int[] facets, int k, Rational[] p, int d, CancellationToken cancel = default)
    {
        var m = new Rational[d][];
        for (int i = 0; i < d; i++)
        {
            m[i] = new Rational[facets.Length];
            for (int j = 0; j < facets.Length; j++) m[i][j] = all[facets[j]][i];
        }
        var r = all[k][..d];
        var cost = facets.Select(f => all[f][d]).ToArray();
        var lp = ExactSimplex.Solve(m, r, cost, cancel);
        switch (lp.Status)
        {
            case LpStatus.Optimal:
            {
                Rational value = Rational.Zero;
                for (int j = 0; j < facets.Length; j++) value += lp.Lambda[j] * cost[j];
                if (all[k][d] - value >= Rational.Zero)
                {
                    var farkas = new List<(int, Rational)>();
                    for (int j = 0; j < facets.Length; j++) if (lp.Lambda[j].Sign > 0) farkas.Add((facets[j], lp.Lambda[j]));
                    farkas.Sort((a, b) => a.Item1.CompareTo(b.Item1));
                    return new TestResult([.. farkas], null);
                }
                // The dual's optimum x* = −y satisfies every facet constraint and minimises c_k.
                var q = lp.Y.Select(v => -v).ToArray();
                return new TestResult(null, q);
            }
            case LpStatus.Infeasible:
            {
                // y: yᵀg_j ≤ 0 for facets, yᵀg_k > 0. Direction v = −y keeps facets and decreases c_k.
                var v = lp.Y.Select(x => -x).ToArray();
                var slope = Affine.Slope(all[k], v); // < 0
                var s = (Affine.Evaluate(all[k], p) + Rational.One) / -slope;
                var q = new Rational[d];
                for (int i = 0; i < d; i++) q[i] = p[i] + s * v[i];
                return new TestResult(null, q);
            }
            default:
                throw new InvalidOperationException("internal error: facet LP unbounded although the region has an interior point");
        }
    }

    /// <summary>
    /// Walks from p towards q and returns the group of the first constraint crossed and the crossing
    /// point (strictly inside every other constraint that is not a facet yet), with the interior point
    /// the walk started from. When several distinct hyperplanes are crossed at once, p is nudged
    /// (staying interior) a few times, and if the tie persists the target is perturbed exactly
    /// (<see cref="SeparateTie"/>), which always breaks it.
    /// </summary>
    internal static (int Group, Rational[] Point, Rational[] Interior) Shoot(
        Rational[][] all, List<List<int>> groups, int[] groupOfConstraint, Rational[] p, Rational[] q, bool[] isFacet,
        CancellationToken cancel = default)
    {
        var first = FirstCrossing(all, groups, isFacet, p, q, cancel);
        if (first.Tied is null) return (first.Group, first.Point, p);
        // Nudging first keeps the crossing points (hence certificates) of the networks it always
        // decided; it is only a heuristic, though: a nudge along a direction that preserves the
        // symmetry behind the tie (equal coordinates of p and q, say) never breaks it.
        var nudged = p;
        for (int attempt = 0; attempt < MaxNudges - 1; attempt++)
        {
            nudged = Nudge(all, nudged, attempt, cancel);
            var crossing = FirstCrossing(all, groups, isFacet, nudged, q, cancel);
            if (crossing.Tied is null) return (crossing.Group, crossing.Point, nudged);
        }
        var separated = SeparateTie(all, groups, isFacet, p, q, first.Tied, cancel);
        var result = FirstCrossing(all, groups, isFacet, p, separated, cancel);
        if (result.Tied is not null) throw new InvalidOperationException("internal error: a perturbed ray still crosses two hyperplanes at once");
        return (result.Group, result.Point, p);
    }

    /// <summary>
    /// The first non-facet group crossed on the segment p → q and the crossing point, or (when
    /// several groups are crossed first, at the same point) the tied groups.
    /// </summary>
    private static (int Group, Rational[] Point, List<int>? Tied) FirstCrossing(
        Rational[][] all, List<List<int>> groups, bool[] isFacet, Rational[] p, Rational[] q, CancellationToken cancel)
    {
        int d = p.Length;
        int best = -1;
        List<int>? tied = null;
        Rational bestTau = Rational.Zero;
        for (int g = 0; g < groups.Count; g++)
        {
            cancel.ThrowIfCancellationRequested();
            if (isFacet[g]) continue;
            var c = all[groups[g][0]];
            var cq = Affine.Evaluate(c, q);
            if (cq.Sign >= 0) continue;
            var cp = Affine.Evaluate(c, p);
            var tau = cp / (cp - cq);
            int cmp = best < 0 ? -1 : tau.CompareTo(bestTau);
            if (cmp < 0) { best = g; bestTau = tau; tied = null; }
            else if (cmp == 0) (tied ??= [best]).Add(g);
        }
        if (best < 0) throw new InvalidOperationException("internal error: ray left no constraint");
        if (tied is not null) return (-1, [], tied);
        var point = new Rational[d];
        for (int i = 0; i < d; i++) point[i] = p[i] + bestTau * (q[i] - p[i]);
        return (best, point, null);
    }

    /// <summary>
    /// A target q' = q + ε·z towards which the walk from p crosses exactly one hyperplane first.
    /// Write n_g(x) = c_g(x)/c_g(p), so n_g(p) = 1 and the walk p → x crosses c_g at
    /// τ = 1/(1 − n_g(x)) when n_g(x) &lt; 0: the first crossing is the group with the least negative
    /// n_g(x). The tied groups share n_g(q) = ν &lt; 0, and n_g(q + εz) = ν + ε·ĝ·z with ĝ = ∇c_g/c_g(p).
    /// These ĝ are pairwise distinct (two groups with the same ĝ would be the same affine function,
    /// both being 1 at p), so some z gives distinct ĝ·z over the tie: then q + εz orders the tied
    /// groups strictly for every ε &gt; 0. ε is taken small enough that every other group, whose
    /// n_h(q) is larger than ν, stays above the new minimum (facets included, so none is crossed
    /// first) and that the minimum stays negative.
    /// </summary>
    internal static Rational[] SeparateTie(Rational[][] all, List<List<int>> groups, bool[] isFacet, Rational[] p, Rational[] q,
        List<int> tied, CancellationToken cancel = default)
    {
        int d = p.Length;
        var atP = new Rational[groups.Count];
        var atQ = new Rational[groups.Count]; // n_g(q)
        for (int g = 0; g < groups.Count; g++)
        {
            cancel.ThrowIfCancellationRequested();
            var c = all[groups[g][0]];
            atP[g] = Affine.Evaluate(c, p);
            if (atP[g].Sign <= 0) throw new InvalidOperationException("internal error: the walk does not start strictly inside the region");
            atQ[g] = Affine.Evaluate(c, q) / atP[g];
        }
        var nu = atQ[tied[0]];
        var inTie = new HashSet<int>(tied);
        for (int attempt = 0; ; attempt++)
        {
            cancel.ThrowIfCancellationRequested();
            var z = SeparatingCandidate(d, attempt);
            var slopes = new Dictionary<int, Rational>();
            foreach (int g in tied) slopes[g] = Affine.Slope(all[groups[g][0]], z) / atP[g];
            if (slopes.Values.Distinct().Count() < tied.Count) continue;
            var least = slopes.Values.Min();
            Rational epsilon = Rational.One;
            if (least.Sign > 0) epsilon = Rational.Min(epsilon, -nu / least);
            for (int h = 0; h < groups.Count; h++)
            {
                if (inTie.Contains(h)) continue;
                var gap = atQ[h] - nu;
                // A facet the target already violates is outside the walk's contract (the callers
                // aim inside every facet), as in the unperturbed walk, which ignores facets.
                if (gap.Sign <= 0)
                {
                    if (isFacet[h]) continue;
                    throw new InvalidOperationException("internal error: a tie that is not the first crossing");
                }
                var closing = least - Affine.Slope(all[groups[h][0]], z) / atP[h];
                if (closing.Sign > 0) epsilon = Rational.Min(epsilon, gap / closing);
            }
            epsilon /= 2;
            var target = new Rational[d];
            for (int i = 0; i < d; i++) target[i] = q[i] + epsilon * z[i];
            return target;
        }
    }

    /// <summary>
    /// Directions tried to separate a tie: a few short pseudo-random integer vectors, then points
    /// (1, t, t², …) of the moment curve for t = 2, 3, …. For two distinct ĝ, (ĝ − ĥ)·(1, t, t², …)
    /// is a non-zero polynomial of degree below d in t, so it vanishes for fewer than d values of t:
    /// the curve separates any finite tie after finitely many attempts.
    /// </summary>
    private static Rational[] SeparatingCandidate(int d, int attempt)
    {
        const int PseudoRandom = 8;
        var z = new Rational[d];
        if (attempt < PseudoRandom)
        {
            ulong state = 0x9E3779B97F4A7C15UL * (ulong)(attempt + 1);
            for (int i = 0; i < d; i++)
            {
                // splitmix64: deterministic, so the certificate does not depend on anything but the input.
                state += 0x9E3779B97F4A7C15UL;
                ulong x = state;
                x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
                x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
                x ^= x >> 31;
                z[i] = (long)(x % 17) - 8;
            }
            return z;
        }
        var t = new Rational(attempt - PseudoRandom + 2, 1);
        var power = Rational.One;
        for (int i = 0; i < d; i++)
        {
            z[i] = power;
            power *= t;
        }
        return z;
    }

    /// <summary>A deterministic small move of an interior point that keeps it strictly interior.</summary>
    private static Rational[] Nudge(Rational[][] all, Rational[] p, int attempt, CancellationToken cancel)
    {
        int d = p.Length;
        var v = new Rational[d];
        for (int i = 0; i < d; i++) v[i] = new Rational(((i + 1) * (attempt + 3) * 7919 % 13) - 6, 1);
        if (v.All(x => x.IsZero)) v[0] = Rational.One;
        Rational step = Rational.One;
        foreach (var c in all)
        {
            cancel.ThrowIfCancellationRequested();
            if (Affine.IsZero(c)) continue;
            var slope = Affine.Slope(c, v);
            if (slope.Sign >= 0) continue;
            var limit = Affine.Evaluate(c, p) / -slope;
            if (limit < step) step = limit;
        }
        step /= new Rational(attempt + 3, 1);
        var moved = new Rational[d];
        for (int i = 0; i < d; i++) moved[i] = p[i] + step * v[i];
        return moved;
    }
}
