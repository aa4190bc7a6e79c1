using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// Helpers for affine functions a(x) = g·x + h stored as one array [g_0 … g_{d-1}, h]
/// (one allocation per function keeps forward passes cheap).
/// </summary>
public static class Affine
{
    public static Rational Evaluate(Rational[] a, IReadOnlyList<Rational> x)
    {
        int d = a.Length - 1;
        Rational v = a[d];
        for (int i = 0; i < d; i++) if (!a[i].IsZero) v += a[i] * x[i];
        return v;
    }

    /// <summary>g·u (the directional derivative along u).</summary>
    public static Rational Slope(Rational[] a, IReadOnlyList<Rational> u)
    {
        Rational v = Rational.Zero;
        for (int i = 0; i < a.Length - 1; i++) if (!a[i].IsZero) v += a[i] * u[i];
        return v;
    }

    /// <summary>
    /// ⟨∇after − ∇before, u⟩ for two affine functions (the local output maps on either side of a
    /// frontier) and a direction u: the jump of the directional derivative across the frontier.
    /// </summary>
    public static Rational GradientJump(Rational[] before, Rational[] after, IReadOnlyList<Rational> u)
    {
        Rational s = Rational.Zero;
        for (int i = 0; i < u.Count; i++) s += (after[i] - before[i]) * u[i];
        return s;
    }

    public static bool IsZero(Rational[] a)
    {
        foreach (var v in a) if (!v.IsZero) return false;
        return true;
    }

    public static bool IsConstant(Rational[] a)
    {
        for (int i = 0; i < a.Length - 1; i++) if (!a[i].IsZero) return false;
        return true;
    }

    public static Rational[] Negate(Rational[] a)
    {
        var r = new Rational[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = -a[i];
        return r;
    }

    /// <summary>
    /// If b = α·a for some α &gt; 0, returns α; otherwise null. (Same hyperplane, same side.)
    /// </summary>
    public static Rational? PositiveMultiple(Rational[] a, Rational[] b)
    {
        Rational? alpha = null;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].IsZero != b[i].IsZero) return null;
            if (a[i].IsZero) continue;
            var ratio = b[i] / a[i];
            if (alpha is null)
            {
                if (ratio.Sign <= 0) return null;
                alpha = ratio;
            }
            else if (ratio != alpha.Value) return null;
        }
        return alpha;
    }

    /// <summary>
    /// A key equal for positive multiples of the same function: divide by |first non-zero gradient entry|.
    /// </summary>
    public static string HyperplaneKey(Rational[] a)
    {
        Rational scale = Rational.One;
        for (int i = 0; i < a.Length - 1; i++)
            if (!a[i].IsZero) { scale = a[i].Abs(); break; }
        var sb = new System.Text.StringBuilder();
        foreach (var v in a) sb.Append((v / scale).ToString()).Append(',');
        return sb.ToString();
    }
}
