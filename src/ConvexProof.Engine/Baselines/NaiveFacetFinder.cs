using ConvexProof.Geometry;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Baselines;

/// <summary>What <see cref="NaiveFacetFinder.Analyse"/> found: the facet constraints and how many LPs it solved.</summary>
public sealed record NaiveRegionResult(IReadOnlyList<int> Facets, int LinearPrograms);

/// <summary>
/// Baseline A of docs/benchmarks.md, for comparison only (never used to certify): the straightforward
/// exact region analysis. Every constraint k is decided by one exact LP over all the region's
/// constraints — no floating-point proposals, no bounding box, no Clarkson:
///
///   t* = max t  s.t.  c_k(x) = 0,  c_j(x) ≥ t for every other j,  t ≤ 1   (x, t free);
///
/// c_k is a facet iff t* &gt; 0 (a point of {c_k = 0} strictly inside every other constraint, as in
/// docs/formats.md). Identically-zero constraints (flat) are left out; positive multiples of c_k
/// vanish with it, so they are left out of its LP and only the lowest index of such a group counts
/// as the facet (as in the certificate); constant constraints are never facets.
///
/// The LP is solved as its dual, which has d + 1 equality rows and one column per constraint, with
/// <see cref="ExactSimplex"/> (Bland's rule, certificate re-verified): by strong duality both
/// optima equal t*. (The primal as written has one row per constraint; its dense rational tableau
/// is far too slow to run at all.) Dual: min Σ_j h_j y_j − h_k μ + σ subject to
/// −Σ_j y_j g_j + μ g_k = 0, Σ_j y_j + σ = 1, y ≥ 0, σ ≥ 0, μ free (split as μ⁺ − μ⁻).
/// </summary>
public static class NaiveFacetFinder
{
    public static NaiveRegionResult Analyse(RegionConstraints constraints)
    {
        var all = constraints.All;
        int m = all.Length;
        var facets = new List<int>();
        int lps = 0;
        for (int k = 0; k < m; k++)
        {
            if (Affine.IsConstant(all[k])) continue;
            var others = new List<int>();
            bool represented = false; // a lower-index positive multiple already stands for this facet
            for (int j = 0; j < m && !represented; j++)
            {
                if (j == k || Affine.IsZero(all[j])) continue;
                if (Affine.PositiveMultiple(all[k], all[j]) is not null)
                {
                    represented = j < k;
                    continue;
                }
                others.Add(j);
            }
            if (represented) continue;
            lps++;
            if (MaximumMargin(all, k, others).Sign > 0) facets.Add(k);
        }
        return new NaiveRegionResult(facets, lps);
    }

    /// <summary>t* of the LP above, exactly.</summary>
    public static Rational MaximumMargin(Rational[][] all, int k, IReadOnlyList<int> others)
    {
        int d = all[k].Length - 1, n = others.Count + 3;
        var matrix = new Rational[d + 1][];
        for (int i = 0; i <= d; i++) matrix[i] = new Rational[n];
        var cost = new Rational[n];
        for (int col = 0; col < others.Count; col++)
        {
            var c = all[others[col]];
            for (int i = 0; i < d; i++) matrix[i][col] = -c[i];
            matrix[d][col] = Rational.One;
            cost[col] = c[d];
        }
        int sigma = others.Count, muPlus = sigma + 1, muMinus = sigma + 2;
        for (int i = 0; i < d; i++)
        {
            matrix[i][sigma] = Rational.Zero;
            matrix[i][muPlus] = all[k][i];
            matrix[i][muMinus] = -all[k][i];
        }
        matrix[d][sigma] = Rational.One;
        matrix[d][muPlus] = Rational.Zero;
        matrix[d][muMinus] = Rational.Zero;
        cost[sigma] = Rational.One;
        cost[muPlus] = -all[k][d];
        cost[muMinus] = all[k][d];
        var rhs = new Rational[d + 1];
        for (int i = 0; i < d; i++) rhs[i] = Rational.Zero;
        rhs[d] = Rational.One;

        var lp = ExactSimplex.Solve(matrix, rhs, cost);
        if (lp.Status != LpStatus.Optimal)
            throw new InvalidOperationException($"baseline: the margin LP of constraint {k} is {lp.Status} (its gradient is zero?)");
        Rational value = Rational.Zero;
        for (int j = 0; j < n; j++) value += cost[j] * lp.Lambda[j];
        return value;
    }
}
