using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// The unique solution of a small integer system, as integer numerators over one positive
/// denominator: λ_j = Numerators[j] / Denominator. No gcd is taken; callers reduce only the values
/// they write.
/// </summary>
public readonly record struct ScaledSolution(BigInteger[] Numerators, BigInteger Denominator);

/// <summary>Exact Gaussian elimination for the small systems that confirm a proposed LP basis.</summary>
public static class ExactLinearSolve
{
    /// <summary>
    /// λ with Σ_j λ_j·columns[j] = rhs exactly (first <paramref name="rows"/> entries of each
    /// integer column), or null when there is none or it is not unique. Fraction-free (Bareiss):
    /// every intermediate entry is a minor of the matrix, so the divisions are exact. The last pivot
    /// is the determinant D of the n pivot rows, and by Cramer's rule y_k = D·λ_k are integers,
    /// found by back substitution with exact divisions: a_kk·y_k = D·b_k − Σ_{j&gt;k} a_kj·y_j.
    /// </summary>
    public static ScaledSolution? Solve<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows) where T : struct, IBinaryInteger<T>
    {
        int n = columns.Count;
        if (n == 0 || n > rows) return null;
        var a = new BigInteger[rows][];
        for (int i = 0; i < rows; i++)
        {
            a[i] = new BigInteger[n + 1];
            for (int j = 0; j < n; j++) a[i][j] = Integers.ToBig(columns[j][i]);
            a[i][n] = Integers.ToBig(rhs[i]);
        }
        BigInteger previous = BigInteger.One;
        for (int k = 0; k < n; k++)
        {
            int pivot = -1;
            for (int i = k; i < rows; i++) if (!a[i][k].IsZero) { pivot = i; break; }
            if (pivot < 0) return null; // dependent columns: not a basis
            (a[k], a[pivot]) = (a[pivot], a[k]);
            for (int i = k + 1; i < rows; i++)
            {
                for (int j = k + 1; j <= n; j++) a[i][j] = (a[k][k] * a[i][j] - a[i][k] * a[k][j]) / previous;
                a[i][k] = BigInteger.Zero;
            }
            previous = a[k][k];
        }
        for (int i = n; i < rows; i++) if (!a[i][n].IsZero) return null; // inconsistent
        BigInteger det = a[n - 1][n - 1];
        var y = new BigInteger[n];
        for (int k = n - 1; k >= 0; k--)
        {
            BigInteger v = det * a[k][n];
            for (int j = k + 1; j < n; j++) if (!a[k][j].IsZero) v -= a[k][j] * y[j];
            y[k] = v / a[k][k];
        }
        if (det.Sign < 0)
        {
            det = -det;
            for (int k = 0; k < n; k++) y[k] = -y[k];
        }
        return new ScaledSolution(y, det);
    }
}
