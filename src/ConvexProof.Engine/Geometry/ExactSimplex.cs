using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// The exact simplex (<see cref="TableauSimplex{T}"/> over rationals) with every returned certificate
/// re-verified before it is handed out: primal/dual for Optimal, the Farkas vector for Infeasible.
/// </summary>
public static class ExactSimplex
{
    public static LpResult<Rational> Solve(Rational[][] m, Rational[] r, Rational[] c, CancellationToken cancel = default)
    {
        var result = TableauSimplex<Rational>.Solve(m, r, c, cancel);
        if (result.Status == LpStatus.Infeasible) Verify(VerifyFarkas(m, r, result.Y), "Farkas vector");
        if (result.Status == LpStatus.Optimal) Verify(VerifyOptimal(m, r, c, result.Lambda, result.Y), "optimal basis");
        return result;
    }

    private static bool VerifyFarkas(Rational[][] m, Rational[] r, Rational[] y)
    {
        int n = m.Length == 0 ? 0 : m[0].Length;
        for (int j = 0; j < n; j++)
        {
            Rational s = Rational.Zero;
            for (int i = 0; i < r.Length; i++) s += y[i] * m[i][j];
            if (s.Sign > 0) return false;
        }
        Rational yr = Rational.Zero;
        for (int i = 0; i < r.Length; i++) yr += y[i] * r[i];
        return yr.Sign > 0;
    }

    private static bool VerifyOptimal(Rational[][] m, Rational[] r, Rational[] c, Rational[] lambda, Rational[] y)
    {
        int n = c.Length;
        Rational primal = Rational.Zero;
        for (int j = 0; j < n; j++)
        {
            if (lambda[j].Sign < 0) return false;
            primal += c[j] * lambda[j];
            Rational s = Rational.Zero;
            for (int i = 0; i < r.Length; i++) s += y[i] * m[i][j];
            if (s > c[j]) return false;
        }
        for (int i = 0; i < r.Length; i++)
        {
            Rational s = Rational.Zero;
            for (int j = 0; j < n; j++) s += m[i][j] * lambda[j];
            if (s != r[i]) return false;
        }
        Rational dual = Rational.Zero;
        for (int i = 0; i < r.Length; i++) dual += y[i] * r[i];
        return dual == primal;
    }

    private static void Verify(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException($"internal error: the exact simplex produced an invalid {what}");
    }
}
