using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>x, y with f((x+y)/2) &gt; (f(x)+f(y))/2, all values exact.</summary>
public sealed record MidpointViolation(Rational[] X, Rational[] Y, Rational Fx, Rational Fy, Rational FMid);

/// <summary>What a search did: the violation found (or null) and how many lines it tried.</summary>
public sealed record MidpointSearchResult(MidpointViolation? Violation, int Lines, int ExactChecks);

/// <summary>
/// Searches for a midpoint violation of a composition model (piecewise quadratic, so there are no
/// regions to enumerate): segments [x, y] on lines through the given points, then through random
/// points of the domain (a box, or cubes of side 1 to 8 around 0 on R^d), the segment length scanned
/// by halving; the float Jensen gap f(m) − (f(x)+f(y))/2 proposes, a few steps of random descent on
/// the negative gap improve a positive candidate, and only the exact evaluation of the rounded
/// points decides. For models with weight-shared layers every other line is proposed by
/// <see cref="KinkLines"/>. Deterministic for a seed.
/// </summary>
public static class MidpointSearch
{
    /// <summary>Candidate points are rounded to multiples of 2^-20 before the exact check (short certificates).</summary>
    private const double Grid = 1 << 20;

    /// <summary>Lines searched unless told otherwise (certify's --max-regions counts lines here).</summary>
    public const int DefaultLines = 2_000;

    public static MidpointSearchResult Run(CompositionNetwork model, Domain domain, IReadOnlyList<Rational[]> points, int maxLines,
        int seed = 17, CancellationToken cancel = default)
    {
        var f = model.ToFloat();
        var random = new Random(seed);
        int d = model.InputDim, exact = 0;
        double[]? lower = domain.Lower?.Select(v => v.ToDouble()).ToArray(), upper = domain.Upper?.Select(v => v.ToDouble()).ToArray();
        var kinks = KinkLines.For(model); // weight-shared models only: every other random line crosses a first-layer kink
        for (int line = 0; line < maxLines; line++)
        {
            if (cancel.IsCancellationRequested) return new(null, line, exact);
            double scale = lower is null ? 1 << (line % 4) : 1;
            double[] p = line < points.Count ? [.. points[line].Select(v => v.ToDouble())]
                : lower is null ? [.. Enumerable.Range(0, d).Select(_ => scale * (2 * random.NextDouble() - 1))]
                : [.. Enumerable.Range(0, d).Select(j => lower[j] + random.NextDouble() * (upper![j] - lower[j]))];
            double[] v = Direction(random, d);
            bool kink = false;
            if (kinks is not null && line >= points.Count && line % 2 == 0 && kinks.Across(random, p) is (double[] onKink, double[] across)) (p, v, kink) = (onKink, across, true);
            var (gap, h) = BestLength(f, p, v, scale, lower, upper, kink ? KinkLines.ShortestFraction : 1.0 / 1024);
            if (gap <= 0) continue;
            (p, v, h) = Descend(f, random, p, v, h, gap, lower, upper);
            exact++;
            if (Exact(model, p, v, h, domain) is MidpointViolation found) return new(found, line + 1, exact);
        }
        return new(null, maxLines, exact);
    }

    private static double[] Direction(Random random, int d)
    {
        var v = new double[d];
        for (int j = 0; j < d; j++) v[j] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double norm = Math.Sqrt(v.Sum(a => a * a));
        return norm == 0 ? Direction(random, d) : [.. v.Select(a => a / norm)];
    }

    /// <summary>The float gap at p ± h·v, or −∞ when an end leaves the box.</summary>
    private static double Gap(FloatModel f, double[] p, double[] v, double h, double[]? lower, double[]? upper, double? fp = null)
    {
        double[] x = [.. p.Select((a, j) => a - h * v[j])], y = [.. p.Select((a, j) => a + h * v[j])];
        if (lower is not null && Enumerable.Range(0, p.Length).Any(j => Math.Min(x[j], y[j]) < lower[j] || Math.Max(x[j], y[j]) > upper![j]))
            return double.NegativeInfinity;
        double gap = (fp ?? f.Evaluate(p)) - (f.Evaluate(x) + f.Evaluate(y)) / 2;
        return double.IsFinite(gap) ? gap : double.NegativeInfinity;
    }

    private static (double Gap, double H) BestLength(FloatModel f, double[] p, double[] v, double scale, double[]? lower, double[]? upper, double shortest)
    {
        double best = double.NegativeInfinity, bestH = 0, fp = f.Evaluate(p); // f(p) once per line: the same value each length
        for (double h = scale; h > scale * shortest; h /= 2)
        {
            double gap = Gap(f, p, v, h, lower, upper, fp);
            if (gap > best) (best, bestH) = (gap, h);
        }
        return (best, bestH);
    }

    /// <summary>Random descent on −gap: a few perturbations of p and v, each kept when the gap grows.</summary>
    private static (double[] P, double[] V, double H) Descend(FloatModel f, Random random, double[] p, double[] v, double h, double gap,
        double[]? lower, double[]? upper)
    {
        for (int step = 0; step < 30; step++)
        {
            var dp = Direction(random, p.Length);
            var dv = Direction(random, v.Length);
            double[] p2 = [.. p.Select((a, j) => a + 0.1 * h * dp[j])];
            double[] v2 = [.. v.Select((a, j) => a + 0.1 * dv[j])];
            double norm = Math.Sqrt(v2.Sum(a => a * a));
            v2 = [.. v2.Select(a => a / norm)];
            double g2 = Gap(f, p2, v2, h, lower, upper);
            if (g2 > gap) (p, v, gap) = (p2, v2, g2);
        }
        return (p, v, h);
    }

    /// <summary>The exact test of the rounded candidate (null when it is not a violation or leaves the domain).</summary>
    private static MidpointViolation? Exact(CompositionNetwork model, double[] p, double[] v, double h, Domain domain)
    {
        Rational[] x = [.. p.Select((a, j) => Round(a - h * v[j]))], y = [.. p.Select((a, j) => Round(a + h * v[j]))];
        if (x.AsSpan().SequenceEqual(y) || !domain.Contains(x) || !domain.Contains(y)) return null;
        Rational fx = model.Evaluate(x), fy = model.Evaluate(y), fmid = model.Evaluate([.. x.Zip(y, (a, b) => (a + b) / 2)]);
        return fmid * 2 > fx + fy ? new MidpointViolation(x, y, fx, fy, fmid) : null;
    }

    private static Rational Round(double value) => new(new System.Numerics.BigInteger(Math.Round(value * Grid)), new System.Numerics.BigInteger(Grid));
}
