using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>Exact Gaussian elimination for the small systems that confirm a proposed LP basis.</summary>
public static class ExactLinearSolve
{
    /// <summary>
    /// λ with Σ_j λ_j·columns[j] = rhs exactly, or null when there is none (or it is not unique).
    /// </summary>
    public static Rational[]? Solve(IReadOnlyList<Rational[]> columns, Rational[] rhs)
    {
        int rows = rhs.Length, n = columns.Count;
        var a = new Rational[rows][];
        for (int i = 0; i < rows; i++)
        {
            a[i] = new Rational[n + 1];
            for (int j = 0; j < n; j++) a[i][j] = columns[j][i];
            a[i][n] = rhs[i];
        }
        var pivotRowOf = new int[n];
        int row = 0;
        for (int col = 0; col < n; col++)
        {
            int pivot = -1;
            for (int i = row; i < rows; i++) if (!a[i][col].IsZero) { pivot = i; break; }
            if (pivot < 0) return null; // dependent columns: not a basis
            (a[row], a[pivot]) = (a[pivot], a[row]);
            var inv = a[row][col].Reciprocal();
            for (int j = col; j <= n; j++) if (!a[row][j].IsZero) a[row][j] *= inv;
            for (int i = 0; i < rows; i++)
            {
                if (i == row || a[i][col].IsZero) continue;
                var f = a[i][col];
                for (int j = col; j <= n; j++) if (!a[row][j].IsZero) a[i][j] -= f * a[row][j];
            }
            pivotRowOf[col] = row;
            row++;
        }
        for (int i = row; i < rows; i++) if (!a[i][n].IsZero) return null; // inconsistent
        var lambda = new Rational[n];
        for (int j = 0; j < n; j++) lambda[j] = a[pivotRowOf[j]][n];
        return lambda;
    }
}
