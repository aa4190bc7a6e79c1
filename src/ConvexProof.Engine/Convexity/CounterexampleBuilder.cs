using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Convexity;

/// <summary>
/// Turns a violated frontier into two points x = w − t·u, y = w + t·u either side of the facet's
/// witness w along its outward normal u, with t small enough that x stays in the region and y in the
/// neighbour (exact ratio test). Then f((x+y)/2) = f(w) &gt; (f(x)+f(y))/2 is verified by exact
/// evaluation of the network before the pair is returned (first for the pair rounded to short
/// dyadic coordinates, which is the one returned when it still verifies).
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
            // The short pair is verified on its own; trying it first spares three exact evaluations
            // at the long points (the costliest part of a quick refutation). With exact step limits
            // the long pair always verifies, so this returns what verifying it first would have.
            if (attempt == 0 && Simplify(network, domain, x, y, t * MaxAbs(u)) is Counterexample simple) return simple;
            var fx = network.Evaluate(x);
            var fy = network.Evaluate(y);
            var fmid = network.Evaluate(w);
            if (domain.Contains(x) && domain.Contains(y) && fmid * 2 > fx + fy)
                return Simplify(network, domain, x, y, t * MaxAbs(u)) ?? new Counterexample(x, y, fx, fy, fmid);
        }
        throw new InvalidOperationException("internal error: the counterexample for a violated frontier did not verify");
    }

    /// <summary>
    /// A pair with short coordinates near (x, y): both rounded to a dyadic grid finer than the step,
    /// kept only if the violation still holds exactly at the new points and their midpoint.
    /// </summary>
    private static Counterexample? Simplify(Network network, Domain domain, Rational[] x, Rational[] y, Rational step)
    {
        double s = step.ToDouble();
        if (!(s > 0)) return null;
        int first = Math.Clamp((int)Math.Ceiling(Math.Log2(8 / s)), 0, 62);
        for (int bits = first; bits <= Math.Min(first + 24, 62); bits += 6)
        {
            var grid = new Rational(System.Numerics.BigInteger.One << bits, System.Numerics.BigInteger.One);
            Rational Round(Rational v) => new Rational((v * grid + new Rational(1, 2)).Floor(), grid.Numerator);
            var x2 = x.Select(Round).ToArray();
            var y2 = y.Select(Round).ToArray();
            if (!domain.Contains(x2) || !domain.Contains(y2) || x2.SequenceEqual(y2)) continue;
            var mid = x2.Zip(y2, (a, b) => (a + b) / 2).ToArray();
            var fx = network.Evaluate(x2);
            var fy = network.Evaluate(y2);
            var fm = network.Evaluate(mid);
            if (fm * 2 > fx + fy) return new Counterexample(x2, y2, fx, fy, fm);
        }
        return null;
    }

    private static Rational MaxAbs(Rational[] u)
    {
        Rational m = Rational.Zero;
        foreach (var v in u) m = Rational.Max(m, v.Abs());
        return m;
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
