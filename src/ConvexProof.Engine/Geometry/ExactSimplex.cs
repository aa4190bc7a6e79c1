using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

public enum LpStatus
{
    Optimal,
    Infeasible,
    Unbounded,
}

/// <summary>
/// Outcome of <see cref="ExactSimplex.Solve"/>, with its certificate: for Optimal the primal λ and
/// dual y (yᵀM ≤ cᵀ, yᵀr = cᵀλ); for Infeasible a Farkas vector y (yᵀM ≤ 0, yᵀr &gt; 0).
/// </summary>
public sealed record LpResult(LpStatus Status, Rational[] Lambda, Rational[] Y);

/// <summary>
/// Two-phase dense tableau simplex over exact rationals with Bland's rule (no cycling):
/// minimise cᵀλ subject to Mλ = r, λ ≥ 0. Meant for the small LPs of region geometry (m = input
/// dimension rows). Every returned certificate is re-verified before it is handed out.
/// </summary>
public static class ExactSimplex
{
    public static LpResult Solve(Rational[][] m, Rational[] r, Rational[] c)
    {
        int rows = r.Length, n = c.Length;
        int width = n + rows + 1; // originals, artificials, right-hand side
        var t = new Rational[rows][];
        var sign = new int[rows];
        var basis = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            sign[i] = r[i].Sign < 0 ? -1 : 1;
            t[i] = new Rational[width];
            for (int j = 0; j < n; j++) t[i][j] = sign[i] < 0 ? -m[i][j] : m[i][j];
            for (int j = 0; j < rows; j++) t[i][n + j] = i == j ? Rational.One : Rational.Zero;
            t[i][width - 1] = sign[i] < 0 ? -r[i] : r[i];
            basis[i] = n + i;
        }

        // Phase 1: minimise the sum of artificials.
        var cost1 = new Rational[n + rows];
        for (int j = 0; j < n + rows; j++) cost1[j] = j >= n ? Rational.One : Rational.Zero;
        Iterate(t, basis, cost1, enteringLimit: n + rows);
        Rational infeasibility = Rational.Zero;
        for (int i = 0; i < rows; i++) if (basis[i] >= n) infeasibility += t[i][width - 1];
        if (infeasibility.Sign > 0)
        {
            var y = Duals(t, basis, cost1, n, sign);
            Verify(VerifyFarkas(m, r, y), "Farkas vector");
            return new LpResult(LpStatus.Infeasible, [], y);
        }

        // Pivot zero-level artificials out where possible; rows where that fails are dependent.
        for (int i = 0; i < rows; i++)
        {
            if (basis[i] < n) continue;
            for (int j = 0; j < n; j++)
                if (!t[i][j].IsZero) { Pivot(t, basis, i, j); break; }
        }

        var cost2 = new Rational[n + rows];
        for (int j = 0; j < n + rows; j++) cost2[j] = j < n ? c[j] : Rational.Zero;
        bool bounded = Iterate(t, basis, cost2, enteringLimit: n);
        if (!bounded) return new LpResult(LpStatus.Unbounded, [], []);
        var lambda = new Rational[n];
        for (int j = 0; j < n; j++) lambda[j] = Rational.Zero;
        for (int i = 0; i < rows; i++) if (basis[i] < n) lambda[basis[i]] = t[i][width - 1];
        var dual = Duals(t, basis, cost2, n, sign);
        Verify(VerifyOptimal(m, r, c, lambda, dual), "optimal basis");
        return new LpResult(LpStatus.Optimal, lambda, dual);
    }

    /// <summary>Runs simplex iterations; false if unbounded.</summary>
    private static bool Iterate(Rational[][] t, int[] basis, Rational[] cost, int enteringLimit)
    {
        int rows = t.Length;
        int rhs = t.Length == 0 ? 0 : t[0].Length - 1;
        if (rows == 0) return true;
        while (true)
        {
            // Bland: the lowest-index column with negative reduced cost enters.
            int entering = -1;
            for (int j = 0; j < enteringLimit; j++)
            {
                if (Array.IndexOf(basis, j) >= 0) continue;
                Rational reduced = cost[j];
                for (int i = 0; i < rows; i++)
                    if (!t[i][j].IsZero && !cost[basis[i]].IsZero) reduced -= cost[basis[i]] * t[i][j];
                if (reduced.Sign < 0) { entering = j; break; }
            }
            if (entering < 0) return true;
            int leaving = -1;
            Rational best = Rational.Zero;
            for (int i = 0; i < rows; i++)
            {
                if (t[i][entering].Sign <= 0) continue;
                var ratio = t[i][rhs] / t[i][entering];
                if (leaving < 0 || ratio < best || (ratio == best && basis[i] < basis[leaving]))
                {
                    leaving = i;
                    best = ratio;
                }
            }
            if (leaving < 0) return false;
            Pivot(t, basis, leaving, entering);
        }
    }

    private static void Pivot(Rational[][] t, int[] basis, int row, int column)
    {
        var pivotRow = t[row];
        var inv = pivotRow[column].Reciprocal();
        for (int j = 0; j < pivotRow.Length; j++) if (!pivotRow[j].IsZero) pivotRow[j] *= inv;
        for (int i = 0; i < t.Length; i++)
        {
            if (i == row || t[i][column].IsZero) continue;
            var factor = t[i][column];
            var target = t[i];
            for (int j = 0; j < target.Length; j++)
                if (!pivotRow[j].IsZero) target[j] -= factor * pivotRow[j];
        }
        basis[row] = column;
    }

    /// <summary>y = c_Bᵀ B⁻¹ read off the artificial columns, mapped back through the row signs.</summary>
    private static Rational[] Duals(Rational[][] t, int[] basis, Rational[] cost, int n, int[] sign)
    {
        int rows = t.Length;
        var y = new Rational[rows];
        for (int k = 0; k < rows; k++)
        {
            Rational v = Rational.Zero;
            for (int i = 0; i < rows; i++)
                if (!cost[basis[i]].IsZero && !t[i][n + k].IsZero) v += cost[basis[i]] * t[i][n + k];
            y[k] = sign[k] < 0 ? -v : v;
        }
        return y;
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
