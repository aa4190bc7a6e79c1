using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// The search for a violation on exact one-dimensional slices of a box: lines through given
/// points or random ones (deterministic seed), in random directions or along a given one, clipped
/// to the box. Any breakpoint where the slope drops is a counterexample, verified exactly.
/// </summary>
public sealed class RefutationSearch(Network network, Rational[] lower, Rational[] upper, int seed = 1)
{
    private readonly Random _random = new(seed);

    /// <summary>How many lines were searched so far.</summary>
    public int LinesSearched { get; private set; }

    /// <summary>Lines through random points of the box in random directions, until one refutes.</summary>
    public Refutation? RandomLines(int count, CancellationToken cancel = default)
    {
        for (int i = 0; i < count && !cancel.IsCancellationRequested; i++)
        {
            var found = Line(RandomPoint(), RandomDirection());
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>Lines through each given point (clamped into the box) in random directions.</summary>
    public Refutation? ThroughPoints(IEnumerable<Rational[]> points, int directionsPerPoint, CancellationToken cancel = default)
    {
        foreach (var p in points)
            for (int i = 0; i < directionsPerPoint && !cancel.IsCancellationRequested; i++)
            {
                var found = Line(Clamp(p), RandomDirection());
                if (found is not null) return found;
            }
        return null;
    }

    /// <summary>The line through p along v, clipped to the box (nothing when it meets the box in a point).</summary>
    public Refutation? Line(Rational[] p, Rational[] v)
    {
        var range = Clip(p, v);
        if (range is null) return null;
        LinesSearched++;
        var restriction = LineRestriction.Compute(network, p, v, range.Value.T0, range.Value.T1);
        for (int k = 1; k < restriction.Parameters.Length - 1; k++)
        {
            var found = Refutation.AtBreakpoint(network, restriction, k);
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>{t : p + t·v in the box} for p in the box, or null when it is a single point.</summary>
    private (Rational T0, Rational T1)? Clip(Rational[] p, Rational[] v)
    {
        Rational? t0 = null, t1 = null;
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i].IsZero) continue;
            var a = (lower[i] - p[i]) / v[i];
            var b = (upper[i] - p[i]) / v[i];
            if (a > b) (a, b) = (b, a);
            t0 = t0 is null ? a : Rational.Max(t0.Value, a);
            t1 = t1 is null ? b : Rational.Min(t1.Value, b);
        }
        return t0 is null || t0.Value >= t1!.Value ? null : (t0.Value, t1.Value);
    }

    private Rational[] Clamp(Rational[] p) =>
        [.. p.Select((x, i) => Rational.Min(upper[i], Rational.Max(lower[i], x)))];

    /// <summary>A point on a grid of 1/64 of each side (small denominators keep the slice cheap).</summary>
    private Rational[] RandomPoint() =>
        [.. Enumerable.Range(0, lower.Length).Select(i => lower[i] + (upper[i] - lower[i]) * new Rational(_random.Next(1, 64), 64))];

    /// <summary>Integer entries in [−4, 4], not all zero, scaled by each side of the box.</summary>
    private Rational[] RandomDirection()
    {
        while (true)
        {
            var v = Enumerable.Range(0, lower.Length).Select(i => (upper[i] - lower[i]) * _random.Next(-4, 5)).ToArray();
            if (v.Any(c => !c.IsZero)) return v;
        }
    }
}
