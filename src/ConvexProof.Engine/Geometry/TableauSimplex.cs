using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

public enum LpStatus
{
    Optimal,
    Infeasible,
    Unbounded,
}

/// <summary>
/// Outcome of <see cref="TableauSimplex{T}.Solve(T[][], T[], T[], CancellationToken)"/>, with its certificate: for Optimal the primal λ and
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
    // Scratch of one solve, reused by the next on the same thread (none of it escapes into a result):
    // the many small double LPs of a facet search would otherwise allocate a tableau each.
    [ThreadStatic] private static T[]? _tableau;
    [ThreadStatic] private static T[]? _costs;
    [ThreadStatic] private static int[]? _rowData;

    // The token is checked at every pivot: high-dimensional LPs over rationals can run long.
    public static LpResult<T> Solve(T[][] m, T[] r, T[] c, CancellationToken cancel = default) => Solve(m, r, c, c.Length, cancel);

    /// <summary>The same LP on the first <paramref name="n"/> columns of m and entries of c (the arrays may be longer).</summary>
    public static LpResult<T> Solve(T[][] m, T[] r, T[] c, int n, CancellationToken cancel = default)
    {
        int rows = r.Length;
        int width = n + rows + 1; // originals, artificials, right-hand side
        var t = Scratch(ref _tableau, rows * width);
        var rowData = Scratch(ref _rowData, 2 * rows);
        var sign = rowData.AsSpan(0, rows);
        var basis = rowData.AsSpan(rows, rows);
        for (int i = 0; i < rows; i++)
        {
            sign[i] = T.SignOf(r[i]) < 0 ? -1 : 1;
            int at = i * width;
            for (int j = 0; j < n; j++) t[at + j] = sign[i] < 0 ? -m[i][j] : m[i][j];
            for (int j = 0; j < rows; j++) t[at + n + j] = i == j ? T.One : T.Zero;
            t[at + width - 1] = sign[i] < 0 ? -r[i] : r[i];
            basis[i] = n + i;
        }
        var tableau = new Tableau(t, rows, width);

        // Phase 1: minimise the sum of artificials.
        var costs = Scratch(ref _costs, 2 * (n + rows));
        var cost1 = costs.AsSpan(0, n + rows);
        for (int j = 0; j < n + rows; j++) cost1[j] = j >= n ? T.One : T.Zero;
        Iterate(tableau, basis, cost1, enteringLimit: n + rows, cancel);
        T infeasibility = T.Zero;
        for (int i = 0; i < rows; i++) if (basis[i] >= n) infeasibility += t[i * width + width - 1];
        if (T.SignOf(infeasibility) > 0)
            return new LpResult<T>(LpStatus.Infeasible, [], Duals(tableau, basis, cost1, n, sign), []);

        // Pivot zero-level artificials out where possible; rows where that fails are dependent.
        for (int i = 0; i < rows; i++)
        {
            if (basis[i] < n) continue;
            cancel.ThrowIfCancellationRequested();
            for (int j = 0; j < n; j++)
                if (T.SignOf(t[i * width + j]) != 0) { Pivot(tableau, basis, i, j); break; }
        }

        var cost2 = costs.AsSpan(n + rows, n + rows);
        for (int j = 0; j < n + rows; j++) cost2[j] = j < n ? c[j] : T.Zero;
        bool bounded = Iterate(tableau, basis, cost2, enteringLimit: n, cancel);
        if (!bounded) return new LpResult<T>(LpStatus.Unbounded, [], [], []);
        var lambda = new T[n];
        for (int j = 0; j < n; j++) lambda[j] = T.Zero;
        int inBasis = 0;
        for (int i = 0; i < rows; i++)
            if (basis[i] < n)
            {
                lambda[basis[i]] = t[i * width + width - 1];
                inBasis++;
            }
        var originals = new int[inBasis];
        for (int i = 0, b = 0; i < rows; i++) if (basis[i] < n) originals[b++] = basis[i];
        return new LpResult<T>(LpStatus.Optimal, lambda, Duals(tableau, basis, cost2, n, sign), originals);
    }

    private static TElement[] Scratch<TElement>(ref TElement[]? cache, int length)
    {
        if (cache is null || cache.Length < length) cache = new TElement[Math.Max(length, 2 * (cache?.Length ?? 0))];
        return cache;
    }

    /// <summary>The tableau, row-major in one array: entry (i, j) at i·Width + j.</summary>
    private readonly record struct Tableau(T[] Entries, int Rows, int Width)
    {
        public ref T this[int i, int j] => ref Entries[i * Width + j];
    }

    /// <summary>Runs simplex iterations; false if unbounded.</summary>
    private static bool Iterate(Tableau t, Span<int> basis, Span<T> cost, int enteringLimit, CancellationToken cancel)
    {
        int rows = t.Rows;
        int rhs = t.Width - 1;
        if (rows == 0) return true;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            // Bland: the lowest-index column with negative reduced cost enters.
            int entering = -1;
            for (int j = 0; j < enteringLimit; j++)
            {
                if (basis.IndexOf(j) >= 0) continue;
                T reduced = cost[j];
                for (int i = 0; i < rows; i++)
                    if (T.SignOf(t[i, j]) != 0 && T.SignOf(cost[basis[i]]) != 0) reduced -= cost[basis[i]] * t[i, j];
                if (T.SignOf(reduced) < 0) { entering = j; break; }
            }
            if (entering < 0) return true;
            int leaving = -1;
            T best = T.Zero;
            for (int i = 0; i < rows; i++)
            {
                if (T.SignOf(t[i, entering]) <= 0) continue;
                var ratio = t[i, rhs] / t[i, entering];
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

    private static void Pivot(Tableau t, Span<int> basis, int row, int column)
    {
        var pivotRow = t.Entries.AsSpan(row * t.Width, t.Width);
        var pivot = pivotRow[column];
        for (int j = 0; j < pivotRow.Length; j++) if (T.SignOf(pivotRow[j]) != 0) pivotRow[j] /= pivot;
        for (int i = 0; i < t.Rows; i++)
        {
            if (i == row || T.SignOf(t[i, column]) == 0) continue;
            var factor = t[i, column];
            var target = t.Entries.AsSpan(i * t.Width, t.Width);
            for (int j = 0; j < target.Length; j++)
                if (T.SignOf(pivotRow[j]) != 0) target[j] -= factor * pivotRow[j];
        }
        basis[row] = column;
    }

    /// <summary>y = c_Bᵀ B⁻¹ read off the artificial columns, mapped back through the row signs.</summary>
    private static T[] Duals(Tableau t, Span<int> basis, Span<T> cost, int n, Span<int> sign)
    {
        int rows = t.Rows;
        var y = new T[rows];
        for (int k = 0; k < rows; k++)
        {
            T v = T.Zero;
            for (int i = 0; i < rows; i++)
                if (T.SignOf(cost[basis[i]]) != 0 && T.SignOf(t[i, n + k]) != 0) v += cost[basis[i]] * t[i, n + k];
            y[k] = sign[k] < 0 ? -v : v;
        }
        return y;
    }
}
