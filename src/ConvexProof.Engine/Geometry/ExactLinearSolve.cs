using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>Exact Gaussian elimination for the small systems that confirm a proposed LP basis.</summary>
public static class ExactLinearSolve
{
    /// <summary>
    /// λ with Σ_j λ_j·columns[j] = rhs exactly (first <paramref name="rows"/> entries of each
    /// integer column), or null when there is none or it is not unique. Fraction-free (Bareiss):
    /// every intermediate entry is a minor of the matrix, so the divisions are exact and no gcd is
    /// ever taken; only the results are reduced rationals.
    /// </summary>
    public static Rational[]? Solve<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows) where T : struct, System.Numerics.IBinaryInteger<T>
    {
        int n = columns.Count;
        var a = new System.Numerics.BigInteger[rows][];
        for (int i = 0; i < rows; i++)
        {
            a[i] = new System.Numerics.BigInteger[n + 1];
            for (int j = 0; j < n; j++) a[i][j] = Integers.ToBig(columns[j][i]);
            a[i][n] = Integers.ToBig(rhs[i]);
        }
        System.Numerics.BigInteger previous = System.Numerics.BigInteger.One;
        for (int k = 0; k < n; k++)
        {
            int pivot = -1;
            for (int i = k; i < rows; i++) if (!a[i][k].IsZero) { pivot = i; break; }
            if (pivot < 0) return null; // dependent columns: not a basis
            (a[k], a[pivot]) = (a[pivot], a[k]);
            for (int i = k + 1; i < rows; i++)
            {
                for (int j = k + 1; j <= n; j++) a[i][j] = (a[k][k] * a[i][j] - a[i][k] * a[k][j]) / previous;
                a[i][k] = System.Numerics.BigInteger.Zero;
            }
            previous = a[k][k];
        }
        for (int i = n; i < rows; i++) if (!a[i][n].IsZero) return null; // inconsistent
        var lambda = new Rational[n];
        for (int k = n - 1; k >= 0; k--)
        {
            Rational v = new(a[k][n], System.Numerics.BigInteger.One);
            for (int j = k + 1; j < n; j++) if (!a[k][j].IsZero) v -= new Rational(a[k][j], System.Numerics.BigInteger.One) * lambda[j];
            lambda[k] = v / new Rational(a[k][k], System.Numerics.BigInteger.One);
        }
        return lambda;
    }
}
