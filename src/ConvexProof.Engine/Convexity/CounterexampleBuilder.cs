using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Convexity;

/// <summary>
/// Turns a violated frontier into two points x = w − t·u, y = w + t·u either side of the facet's
/// witness w along its outward normal u, with t small enough that x stays in the region and y in the
/// neighbour (exact ratio test). Then f((x+y)/2) = f(w) &gt; (f(x)+f(y))/2 is verified by exact
/// evaluation of the network before the pair is returned.
/// </summary>
public static class CounterexampleBuilder
{
    public static Counterexample Build(Network network, Domain domain, LocalAffineMaps region, ExploredFacet facet)
    {
        var w = facet.Facet.Witness;
        var inside = new RegionConstraints(region, domain);
        var c = inside.All[facet.Facet.Constraint];
        var u = new Rational[w.Length];
        for (int i = 0; i < u.Length; i++) u[i] = -c[i];
        var beyond = new RegionConstraints(LocalAffineMaps.AtPerturbedPoint(network, w, u), domain);
        Rational t = Rational.One;
        t = Rational.Min(t, StepLimit(inside, w, u, -1));
        t = Rational.Min(t, StepLimit(beyond, w, u, +1));
        t /= 2;
        for (int attempt = 0; attempt < 64; attempt++, t /= 2)
        {
            var x = new Rational[w.Length];
            var y = new Rational[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                x[i] = w[i] - t * u[i];
                y[i] = w[i] + t * u[i];
            }
            var fx = network.Evaluate(x);
            var fy = network.Evaluate(y);
            var fmid = network.Evaluate(w);
            if (domain.Contains(x) && domain.Contains(y) && fmid * 2 > fx + fy)
                return new Counterexample(x, y, fx, fy, fmid);
        }
        throw new InvalidOperationException("internal error: the counterexample for a violated frontier did not verify");
    }

    /// <summary>Largest step s with every non-vanishing constraint still ≥ 0 at w + direction·s·u.</summary>
    private static Rational StepLimit(RegionConstraints constraints, Rational[] w, Rational[] u, int direction)
    {
        Rational limit = Rational.One;
        foreach (var c in constraints.All)
        {
            if (Affine.IsZero(c)) continue;
            var value = Affine.Evaluate(c, w);
            if (value.IsZero) continue; // vanishes on the facet: the facet's own side condition
            var slope = Affine.Slope(c, u) * direction;
            if (slope.Sign >= 0) continue;
            var s = value / -slope;
            if (s < limit) limit = s;
        }
        return limit;
    }
}
