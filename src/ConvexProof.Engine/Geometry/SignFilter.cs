using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// The floating-point filter of the exact sign predicate sign(Σ R_i·X_i + R_d), for an integer row R
/// and a rational point X: evaluated in double with a rigorous a-priori error bound, it answers when
/// the computed value is farther from zero than the bound, and says "undecided" otherwise (the caller
/// then evaluates exactly). A decided sign is a proof, not a tolerance.
/// </summary>
/// <remarks>
/// Error bound. Each input is converted to double with relative error at most 4u (u = 2^-53: an
/// integer or a rational rounded or truncated once, see <see cref="Rational.ToDouble"/>), so each
/// product r_i·x_i differs from R_i·X_i by at most 9u(1+9u)·|r_i·x_i| before rounding; the d + 1
/// rounded products and the recursive sum add at most γ_{d+2}·M with M = Σ|r_i·x_i| + |r_d|
/// (Higham, Accuracy and Stability of Numerical Algorithms, §3.1). The computed M̃ is at least
/// M·(1 − γ_{d+2}). Altogether |computed − exact| ≤ (d + 12)·u·M̃·(1 + O(u)), and the bound used,
/// (2d + 32)·u·M̃ + 2^-1000, covers it with room for the rounding of the bound itself and for
/// gradual underflow of tiny products. Rational inputs go through <see cref="Input"/>, which refuses
/// values below 2^-766 (whose doubles may have lost relative accuracy to underflow): every product of
/// such an input with an integer entry (|R| ≥ 1) is then at least 2^-766, far above the underflow
/// range. Any infinite or NaN intermediate leaves the sign undecided.
/// </remarks>
public static class SignFilter
{
    private const double Unit = 1.0 / (1L << 53);
    private const double Tiny = 9.332636185032189e-302; // 2^-1000

    /// <summary>Sign of Σ row_i·x_i + row_d with x given as doubles (each within 4u of the exact coordinate).</summary>
    public static bool TrySign<T>(T[] row, double[] x, out int sign) where T : struct, IBinaryInteger<T>
    {
        int d = row.Length - 1;
        double s = Integers.ToDouble(row[d]);
        double m = Math.Abs(s);
        for (int i = 0; i < d; i++)
        {
            if (T.IsZero(row[i])) continue;
            double p = Integers.ToDouble(row[i]) * x[i];
            s += p;
            m += Math.Abs(p);
        }
        return Decide(s, m, d, out sign);
    }

    /// <summary>The same with the row already converted to doubles (each entry within 4u).</summary>
    public static bool TrySign(double[] row, double[] x, out int sign)
    {
        int d = row.Length - 1;
        double s = row[d];
        double m = Math.Abs(s);
        for (int i = 0; i < d; i++)
        {
            double p = row[i] * x[i];
            s += p;
            m += Math.Abs(p);
        }
        return Decide(s, m, d, out sign);
    }

    /// <summary>
    /// Sign of the minimum of the row over a box, h + Σ_i (g_i &gt; 0 ? g_i·lo_i : g_i·hi_i), with the
    /// bounds as doubles (each within 4u of the exact bound); undecided when a needed bound is missing.
    /// </summary>
    public static bool TryMinimumSign<T>(T[] row, double[] lower, double[] upper, out int sign) where T : struct, IBinaryInteger<T>
    {
        int d = row.Length - 1;
        double s = Integers.ToDouble(row[d]);
        double m = Math.Abs(s);
        for (int i = 0; i < d; i++)
        {
            if (T.IsZero(row[i])) continue;
            double bound = T.IsPositive(row[i]) ? lower[i] : upper[i];
            double p = Integers.ToDouble(row[i]) * bound;
            s += p;
            m += Math.Abs(p);
        }
        return Decide(s, m, d, out sign);
    }

    /// <summary>
    /// A rational as a filter input: its double when that is within 4u relatively, NaN otherwise
    /// (overflow, or so small that gradual underflow loses relative accuracy), which leaves every
    /// sum it enters undecided.
    /// </summary>
    public static double Input(Rational value)
    {
        if (value.IsZero) return 0;
        double d = value.ToDouble();
        return double.IsFinite(d) && Math.Abs(d) >= MinimumNormalInput ? d : double.NaN;
    }

    private const double MinimumNormalInput = 2.5764595078388533e-231; // 2^-766: products with integers stay normal

    private static bool Decide(double s, double m, int d, out int sign)
    {
        sign = 0;
        double error = (2 * d + 32) * Unit * m + Tiny;
        if (!double.IsFinite(error) || !double.IsFinite(s)) return false; // NaN fails both tests below too
        if (s > error) { sign = 1; return true; }
        if (s < -error) { sign = -1; return true; }
        return false;
    }
}
