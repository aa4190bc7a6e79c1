using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>Phase 2 of the integer facet search: rays from the interior point propose facets, verified exactly.</summary>
internal sealed partial class IntegerFacetSearch<T>
{
    protected override void ProposeFacets()
    {
        foreach (var direction in ProposalDirections())
        {
            Control.ThrowIfStopped();
            TryRay(direction);
        }
    }

    private IEnumerable<Rational[]> ProposalDirections()
    {
        for (int i = 0; i < D; i++)
            for (int s = -1; s <= 1; s += 2)
            {
                var v = new Rational[D];
                Array.Fill(v, Rational.Zero);
                v[i] = s;
                yield return v;
            }
        for (int j = 0; j < 2 * D; j++)
        {
            var v = new Rational[D];
            for (int i = 0; i < D; i++) v[i] = ((i * 7 + j * 3) % 5) - 2 + (i == j % D ? 3 : 0);
            yield return v;
        }
    }


    /// <summary>The direction of the current ray in double (one buffer per search).</summary>
    private double[]? _rayDirection;

    /// <summary>
    /// Shoots a ray from the interior point along v; the first hyperplane hit (proposed in double,
    /// verified exactly) becomes a facet. Returns false when no constraint stops the ray.
    /// </summary>
    private bool TryRay(Rational[] v)
    {
        var pd = Interior.Doubles;
        var vd = _rayDirection ??= new double[D];
        for (int i = 0; i < D; i++) vd[i] = v[i].ToDouble();
        int best = -1;
        double bestTau = double.PositiveInfinity;
        for (int g = 0; g < Groups.Count; g++)
        {
            var u = _unit.AsSpan(g * (D + 1), D + 1);
            double slope = 0, value = u[D];
            for (int i = 0; i < D; i++)
            {
                slope += u[i] * vd[i];
                value += u[i] * pd[i];
            }
            if (!(slope < 0)) continue;
            double tau = value / -slope;
            if (tau < bestTau) { bestTau = tau; best = g; }
        }
        if (best < 0) return !ExactlyUnbounded(v);
        if (IsFacet[best]) return true;
        var row = rows[Groups[best][0]];
        var pe = Interior.Exact;
        Rational slopeExact = Rational.Zero;
        for (int i = 0; i < D; i++) if (!T.IsZero(row[i])) slopeExact += Integers.ToRational(row[i]) * v[i];
        if (slopeExact.Sign >= 0) return true;
        var tauExact = pe.Value(row) / -slopeExact;
        var w = new Rational[D];
        for (int i = 0; i < D; i++) w[i] = pe.Coordinates[i] + tauExact * v[i];
        // Simplify first: a short point that validates proves the facet by itself; only when no
        // short point does is the exact crossing point itself checked.
        var simple = SimplifyWitness(w, best);
        if (ReferenceEquals(simple, w) && !ValidWitness(w, best)) return true; // the proposal was wrong (or a tie): no decision made
        AddFacetWithWitness(best, simple);
        return true;
    }

    /// <summary>True when no constraint decreases along v (exactly): the region is unbounded that way.</summary>
    private bool ExactlyUnbounded(Rational[] v)
    {
        foreach (var group in Groups)
        {
            var row = rows[group[0]];
            Rational slope = Rational.Zero;
            for (int i = 0; i < D; i++) if (!T.IsZero(row[i])) slope += Integers.ToRational(row[i]) * v[i];
            if (slope.Sign < 0) return false;
        }
        return true;
    }

    private bool ValidWitness(Rational[] w, int group)
    {
        var e = new ExactPoint(w);
        if (e.Sign(rows[Groups[group][0]], approximateRows[Groups[group][0]]) != 0) return false;
        for (int k = 0; k < rows.Length; k++)
        {
            int g = GroupOf[k];
            if (g == group) continue;
            if (g < 0 && !Redundant.ContainsKey(k)) continue; // flat
            if (e.Sign(rows[k], approximateRows[k]) <= 0) return false;
        }
        return true;
    }

    protected override Rational[] SimplifyWitness(Rational[] w, int group)
    {
        var hyperplane = rows[Groups[group][0]].Select(Integers.ToBig).ToArray();
        // The witness's distance to the interior point is a fair measure of the room around it.
        var p = Interior.Doubles;
        double room = 0;
        for (int i = 0; i < D; i++) room = Math.Max(room, Math.Abs(w[i].ToDouble() - p[i]));
        return PointSimplifier.OnIntegerHyperplane(w, hyperplane, candidate => ValidWitness(candidate, group), room / 4);
    }

    /// <summary>
    /// Exact ray shooting (the fallback when the double proposal was not confirmed): adds the
    /// first facet crossed along v, or returns false when no constraint other than the known
    /// facets decreases along v.
    /// </summary>
    private bool ExactRay(Rational[] v)
    {
        var p = Interior.Coordinates;
        var q = new Rational[D];
        // A far point along v; Shoot walks from p to q and stops at the first hyperplane.
        Rational far = Rational.One;
        bool stopped = false;
        for (int g = 0; g < Groups.Count; g++)
        {
            if (IsFacet[g]) continue;
            var row = ExactRows[Groups[g][0]];
            var slope = Affine.Slope(row, v);
            if (slope.Sign >= 0) continue;
            stopped = true;
            var t = (Affine.Evaluate(row, p) / -slope) * 2 + 1;
            if (t > far) far = t;
        }
        if (!stopped) return false; // no constraint that is not yet a facet stops the ray
        for (int i = 0; i < D; i++) q[i] = p[i] + far * v[i];
        ShootTowards(q);
        return true;
    }
}
