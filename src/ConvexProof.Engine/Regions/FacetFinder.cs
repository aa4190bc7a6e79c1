using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// Classifies every constraint of a region as facet, redundant or flat, exactly, with certificates.
/// Clarkson's output-sensitive method: each constraint is tested by one small LP against the facets
/// found so far (d rows); if the LP shows a point of those facets' polyhedron that violates it, a
/// ray from the interior point to that point leaves the region through a new facet, whose first
/// crossing is the facet's witness point. Otherwise the LP's dual is the Farkas certificate of
/// redundancy over facet constraints only.
/// </summary>
public static class FacetFinder
{
    private const int MaxTieBreaks = 64;

    public static RegionGeometry Analyse(RegionConstraints constraints, Rational[] interior)
    {
        var all = constraints.All;
        int d = interior.Length;
        var flat = new List<int>();
        var redundant = new SortedDictionary<int, RedundancyInfo>();
        var groups = new List<List<int>>();
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupIndexOfConstraint = new int[all.Length];
        for (int k = 0; k < all.Length; k++)
        {
            groupIndexOfConstraint[k] = -1;
            if (Affine.IsZero(all[k])) { flat.Add(k); continue; }
            if (Affine.IsConstant(all[k]))
            {
                if (all[k][d].Sign <= 0) throw new InvalidOperationException($"internal error: constraint {k} is a negative constant on its own region");
                redundant[k] = new RedundancyInfo(k, []);
                continue;
            }
            string key = Affine.HyperplaneKey(all[k]);
            if (!groupOf.TryGetValue(key, out int g))
            {
                groupOf[key] = g = groups.Count;
                groups.Add([]);
            }
            groups[g].Add(k);
            groupIndexOfConstraint[k] = g;
        }

        var p = interior;
        var facetGroups = new List<int>();             // group indices, in discovery order
        var witness = new Dictionary<int, Rational[]>(); // group -> witness
        bool[] isFacet = new bool[groups.Count];

        for (int g = 0; g < groups.Count; g++)
        {
            int k = groups[g][0];
            while (!isFacet[g])
            {
                var test = TestAgainstFacets(all, facetGroups.Select(x => groups[x][0]).ToArray(), k, p, d);
                if (test.Farkas is not null)
                {
                    foreach (int member in groups[g])
                    {
                        var alpha = member == k ? Rational.One : Affine.PositiveMultiple(all[k], all[member])!.Value;
                        redundant[member] = new RedundancyInfo(member,
                            [.. test.Farkas.Select(f => (f.Facet, f.Multiplier * alpha))]);
                    }
                    break;
                }
                // Leave the region along p → q; the first constraint crossed is a new facet.
                var (hit, point, newInterior) = Shoot(all, groups, groupIndexOfConstraint, p, test.Violator!, isFacet);
                p = newInterior;
                isFacet[hit] = true;
                facetGroups.Add(hit);
                witness[hit] = point;
            }
        }

        var facets = new List<FacetInfo>();
        for (int g = 0; g < groups.Count; g++)
        {
            if (!isFacet[g]) continue;
            var members = groups[g];
            int rep = members[0];
            var w = SimplifyWitness(all, members, witness[g]);
            facets.Add(new FacetInfo(rep, w, [.. members.Skip(1)]));
            foreach (int member in members.Skip(1))
                redundant[member] = new RedundancyInfo(member, [(rep, Affine.PositiveMultiple(all[rep], all[member])!.Value)]);
        }
        facets.Sort((a, b) => a.Constraint.CompareTo(b.Constraint));
        return new RegionGeometry(facets, [.. redundant.Values], flat);
    }

    internal sealed record TestResult((int Facet, Rational Multiplier)[]? Farkas, Rational[]? Violator);

    /// <summary>
    /// Is c_k ≥ 0 implied by the facet constraints? Dual LP: min Σλ_j h_j s.t. Σλ_j g_j = g_k, λ ≥ 0.
    /// Optimal with h_k − Σλ_j h_j ≥ 0: redundant (λ is the certificate). Otherwise a point q that
    /// satisfies every facet constraint and has c_k(q) &lt; 0.
    /// </summary>
    internal static TestResult TestAgainstFacets(Rational[][] all, int[] facets, int k, Rational[] p, int d)
    {
        var m = new Rational[d][];
        for (int i = 0; i < d; i++)
        {
            m[i] = new Rational[facets.Length];
            for (int j = 0; j < facets.Length; j++) m[i][j] = all[facets[j]][i];
        }
        var r = all[k][..d];
        var cost = facets.Select(f => all[f][d]).ToArray();
        var lp = ExactSimplex.Solve(m, r, cost);
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
    /// point. When several distinct hyperplanes are crossed at once, p is moved (staying interior).
    /// </summary>
    internal static (int Group, Rational[] Point, Rational[] Interior) Shoot(
        Rational[][] all, List<List<int>> groups, int[] groupOfConstraint, Rational[] p, Rational[] q, bool[] isFacet)
    {
        int d = p.Length;
        for (int attempt = 0; attempt < MaxTieBreaks; attempt++)
        {
            int best = -1;
            bool tie = false;
            Rational bestTau = Rational.Zero;
            for (int g = 0; g < groups.Count; g++)
            {
                if (isFacet[g]) continue;
                var c = all[groups[g][0]];
                var cq = Affine.Evaluate(c, q);
                if (cq.Sign >= 0) continue;
                var cp = Affine.Evaluate(c, p);
                var tau = cp / (cp - cq);
                int cmp = best < 0 ? -1 : tau.CompareTo(bestTau);
                if (cmp < 0) { best = g; bestTau = tau; tie = false; }
                else if (cmp == 0) tie = true;
            }
            if (best < 0) throw new InvalidOperationException("internal error: ray left no constraint");
            if (!tie)
            {
                var point = new Rational[d];
                for (int i = 0; i < d; i++) point[i] = p[i] + bestTau * (q[i] - p[i]);
                return (best, point, p);
            }
            p = Nudge(all, p, attempt);
        }
        throw new InvalidOperationException("internal error: could not break a tie in ray shooting");
    }

    /// <summary>A deterministic small move of an interior point that keeps it strictly interior.</summary>
    private static Rational[] Nudge(Rational[][] all, Rational[] p, int attempt)
    {
        int d = p.Length;
        var v = new Rational[d];
        for (int i = 0; i < d; i++) v[i] = new Rational(((i + 1) * (attempt + 3) * 7919 % 13) - 6, 1);
        if (v.All(x => x.IsZero)) v[0] = Rational.One;
        Rational step = Rational.One;
        foreach (var c in all)
        {
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

    internal static Rational[] SimplifyWitness(Rational[][] all, List<int> members, Rational[] w)
    {
        var hyperplane = all[members[0]];
        return PointSimplifier.OnHyperplane(w, hyperplane, candidate =>
        {
            for (int j = 0; j < all.Length; j++)
            {
                if (members.Contains(j) || Affine.IsZero(all[j])) continue;
                if (Affine.Evaluate(all[j], candidate).Sign <= 0) return false;
            }
            return true;
        });
    }
}
