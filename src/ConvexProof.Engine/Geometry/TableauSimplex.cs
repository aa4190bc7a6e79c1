using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

public enum LpStatus
{
    Optimal,
    Infeasible,
    Unbounded,
}

/// <summary>
/// Outcome of <see cref="TableauSimplex{T}.Solve"/>, with its certificate: for Optimal the primal λ and
/// dual y (yᵀM ≤ cᵀ, yᵀr = cᵀλ); for Infeasible a Farkas vector y (yᵀM ≤ 0, yᵀr &gt; 0).
/// </summary>
public sealed record LpResult<T>(LpStatus Status, T[] Lambda, T[] Y, int[] Basis);

/// <summary>
/// Two-phase dense tableau simplex with Bland's rule (no cycling): minimise cᵀλ subject to Mλ = r,
/// λ ≥ 0. Meant for the small LPs of region geometry (m = input dimension rows). Over
/// <see cref="Rational"/> it decides (see <see cref="ExactSimplex"/>, which re-verifies every
/// certificate); over <see cref="ApproxNumber"/> it only proposes a basis.
/// </summary>
public static class TableauSimplex<T> where T : ILpNumber<T>
{
    // The token is checked at every pivot: high-dimensional LPs over rationals can run long.
    public static LpResult<T> Solve(T[][] m, T[] r, T[] c, CancellationToken cancel = default)
    {
        int rows = r.Length, n = c.Length;
        int width = n + rows + 1; // originals, artificials, right-hand side
        var t = new T[rows][];
        var sign = new int[rows];
        var basis = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            sign[i] = T.SignOf(r[i]) < 0 ? -1 : 1;
            t[i] = new T[width];
            for (int j = 0; j < n; j++) t[i][j] = sign[i] < 0 ? -m[i][j] : m[i][j];
            for (int j = 0; j < rows; j++) t[i][n + j] = i == j ? T.One : T.Zero;
            t[i][width - 1] = sign[i] < 0 ? -r[i] : r[i];
            basis[i] = n + i;
        }

        // Phase 1: minimise the sum of artificials.
        var cost1 = new T[n + rows];
        for (int j = 0; j < n + rows; j++) cost1[j] = j >= n ? T.One : T.Zero;
        Iterate(t, basis, cost1, enteringLimit: n + rows, cancel);
        T infeasibility = T.Zero;
        for (int i = 0; i < rows; i++) if (basis[i] >= n) infeasibility += t[i][width - 1];
        if (T.SignOf(infeasibility) > 0)
            return new LpResult<T>(LpStatus.Infeasible, [], Duals(t, basis, cost1, n, sign), []);

        // Pivot zero-level artificials out where possible; rows where that fails are dependent.
        for (int i = 0; i < rows; i++)
        {
            if (basis[i] < n) continue;
            cancel.ThrowIfCancellationRequested();
            for (int j = 0; j < n; j++)
                if (T.SignOf(t[i][j]) != 0) { Pivot(t, basis, i, j); break; }
        }

        var cost2 = new T[n + rows];
        for (int j = 0; j < n + rows; j++) cost2[j] = j < n ? c[j] : T.Zero;
        bool bounded = Iterate(t, basis, cost2, enteringLimit: n, cancel);
        if (!bounded) return new LpResult<T>(LpStatus.Unbounded, [], [], []);
        var lambda = new T[n];
        for (int j = 0; j < n; j++) lambda[j] = T.Zero;
        for (int i = 0; i < rows; i++) if (basis[i] < n) lambda[basis[i]] = t[i][width - 1];
        return new LpResult<T>(LpStatus.Optimal, lambda, Duals(t, basis, cost2, n, sign), [.. basis.Where(b => b < n)]);
    }

    /// <summary>Runs simplex iterations; false if unbounded.</summary>
    private static bool Iterate(T[][] t, int[] basis, T[] cost, int enteringLimit, CancellationToken cancel)
    {
        int rows = t.Length;
        int rhs = t.Length == 0 ? 0 : t[0].Length - 1;
        if (rows == 0) return true;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            // Bland: the lowest-index column with negative reduced cost enters.
            int entering = -1;
            for (int j = 0; j < enteringLimit; j++)
            {
                if (Array.IndexOf(basis, j) >= 0) continue;
                T reduced = cost[j];
                for (int i = 0; i < rows; i++)
                    if (T.SignOf(t[i][j]) != 0 && T.SignOf(cost[basis[i]]) != 0) reduced -= cost[basis[i]] * t[i][j];
                if (T.SignOf(reduced) < 0) { entering = j; break; }
            }
            if (entering < 0) return true;
            int leaving = -1;
            T best = T.Zero;
            for (int i = 0; i < rows; i++)
            {
                if (T.SignOf(t[i][entering]) <= 0) continue;
                var ratio = t[i][rhs] / t[i][entering];
                int cmp = leaving < 0 ? -1 : T.Compare(ratio, best);
                if (cmp < 0 || (cmp == 0 && basis[i] < basis[leaving]))
                {
                    leaving = i;
                    best = ratio;
                }
            }
            if (leaving < 0) return false;
            Pivot(t, basis, leaving, entering);
        }
    }

    private static void Pivot(T[][] t, int[] basis, int row, int column)
    {
        var pivotRow = t[row];
        var pivot = pivotRow[column];
        for (int j = 0; j < pivotRow.Length; j++) if (T.SignOf(pivotRow[j]) != 0) pivotRow[j] /= pivot;
        for (int i = 0; i < t.Length; i++)
        {
            if (i == row || T.SignOf(t[i][column]) == 0) continue;
            var factor = t[i][column];
            var target = t[i];
            for (int j = 0; j < target.Length; j++)
                if (T.SignOf(pivotRow[j]) != 0) target[j] -= factor * pivotRow[j];
        }
        basis[row] = column;
    }

    /// <summary>y = c_Bᵀ B⁻¹ read off the artificial columns, mapped back through the row signs.</summary>
    private static T[] Duals(T[][] t, int[] basis, T[] cost, int n, int[] sign)
    {
        int rows = t.Length;
        var y = new T[rows];
        for (int k = 0; k < rows; k++)
        {
            T v = T.Zero;
            for (int i = 0; i < rows; i++)
                if (T.SignOf(cost[basis[i]]) != 0 && T.SignOf(t[i][n + k]) != 0) v += cost[basis[i]] * t[i][n + k];
            y[k] = sign[k] < 0 ? -v : v;
        }
        return y;
    }
}
