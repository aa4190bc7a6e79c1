using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>
/// The unique solution of a small integer system, as integer numerators over one positive
/// denominator: λ_j = Numerators[j] / Denominator. No gcd is taken; callers reduce only the values
/// they write.
/// </summary>
public readonly record struct ScaledSolution(BigInteger[] Numerators, BigInteger Denominator);

/// <summary>
/// Exact Gaussian elimination for the small systems that confirm a proposed LP basis; an elimination
/// can be kept and replayed on another right-hand side of the same basis.
/// </summary>
public static class ExactLinearSolve
{
    /// <summary>
    /// λ with Σ_j λ_j·columns[j] = rhs exactly (first <paramref name="rows"/> entries of each
    /// integer column), or null when there is none or it is not unique. Fraction-free (Bareiss):
    /// every intermediate entry is a minor of the matrix, so the divisions are exact. The last pivot
    /// is the determinant D of the n pivot rows, and by Cramer's rule y_k = D·λ_k are integers,
    /// found by back substitution with exact divisions: a_kk·y_k = D·b_k − Σ_{j&gt;k} a_kj·y_j.
    /// </summary>
    public static ScaledSolution? Solve<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows) where T : struct, IBinaryInteger<T> =>
        Solve(columns, rhs, rows, out _);

    /// <summary>
    /// The same, and the elimination (null when the columns are dependent), which
    /// <see cref="Resolve{T}"/> replays on another right-hand side of the same columns.
    /// </summary>
    public static ScaledSolution? Solve<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows, out Elimination? elimination) where T : struct, IBinaryInteger<T>
    {
        elimination = null;
        int n = columns.Count;
        if (n == 0 || n > rows) return null;
        int words = FixedWidth(columns, rhs, rows);
        if (words <= MaxFixedWidth && words * rows * (n + 1) <= MaxFixedWidthWords) return SolveFixedWidth(columns, rhs, rows, words, out elimination);
        return EliminateBig(columns, rhs, rows, out elimination);
    }

    /// <summary>
    /// A finished fraction-free elimination of a set of columns, with the multipliers of each step
    /// left below the diagonal and the row order its pivoting chose: in BigInteger
    /// (<see cref="Matrix"/>), or in fixed-width words (<see cref="Words"/>, with each pivot prepared as
    /// an exact divisor, and the widest column entry, which bounds the width a new right-hand side needs).
    /// </summary>
    public sealed class Elimination
    {
        internal Elimination(int[] order, int columns) => (Order, Columns) = (order, columns);

        internal int[] Order { get; }
        internal int Columns { get; }
        internal BigInteger[][]? Matrix { get; init; }
        internal ulong[]? Words { get; init; }
        internal int Width { get; init; }
        internal long ColumnBits { get; init; }
        internal ulong[]? Inverses { get; init; }
        internal int[]? Shifts { get; init; }
        internal bool[]? Negative { get; init; }
    }

    /// <summary>
    /// <see cref="Solve{T}(IReadOnlyList{T[]}, T[], int)"/> for a new right-hand side of the columns
    /// that <paramref name="elimination"/> eliminated: the same exact result, at the cost of the
    /// right-hand side's column alone. The row exchanges are applied first: an exchange at step k
    /// swaps two rows below k, whose updates at earlier steps used their own multipliers, which moved
    /// with them.
    /// </summary>
    public static ScaledSolution? Resolve<T>(Elimination elimination, T[] rhs) where T : struct, IBinaryInteger<T>
    {
        if (elimination.Words is not null) return ResolveFixedWidth(elimination, rhs);
        var (a, n, rows) = (elimination.Matrix!, elimination.Columns, elimination.Order.Length);
        var b = new BigInteger[rows];
        for (int i = 0; i < rows; i++) b[i] = Integers.ToBig(rhs[elimination.Order[i]]);
        BigInteger previous = BigInteger.One;
        for (int k = 0; k < n; k++)
        {
            for (int i = k + 1; i < rows; i++) b[i] = (a[k][k] * b[i] - a[i][k] * b[k]) / previous;
            previous = a[k][k];
        }
        return BackSubstitution(a, b, n, rows);
    }

    /// <summary>
    /// The widest entries (in words) solved on the stack. The width is the Hadamard bound of the
    /// last steps, far above most entries, and beyond about 9 words (four 64-bit columns) the
    /// fixed-width arithmetic cost more time than BigInteger's on the actual sizes (measured on
    /// float32 d6_8x8: 13 words, +15% CPU) although it allocated less.
    /// </summary>
    private const int MaxFixedWidth = 9;

    /// <summary>The largest matrix (in words) solved on the stack; larger ones take BigInteger.</summary>
    private const int MaxFixedWidthWords = 2048;

    /// <summary>
    /// Words per entry that hold every intermediate value of the elimination below. Each is a minor
    /// of at most n columns (n + 1 for the consistency rows), a product of two of them, or a sum of
    /// n + 1 such products, and by Hadamard's inequality an m-minor is below (√rows·2^B)^m for
    /// entries below 2^B: so all of them are below (n + 1)·(√rows·2^B)^(2n).
    /// </summary>
    private static int FixedWidth<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows) where T : struct, IBinaryInteger<T> =>
        WidthFor(Math.Max(ColumnBits(columns, rows), Bits(rhs, rows)), rows, columns.Count);

    /// <summary>The longest entry, in bits (two's complement, sign included).</summary>
    private static long ColumnBits<T>(IReadOnlyList<T[]> columns, int rows) where T : struct, IBinaryInteger<T>
    {
        long bits = 0;
        foreach (var column in columns) bits = Math.Max(bits, Bits(column, rows));
        return bits;
    }

    private static long Bits<T>(T[] column, int rows) where T : struct, IBinaryInteger<T>
    {
        long bits = 0;
        for (int i = 0; i < rows; i++) bits = Math.Max(bits, column[i].GetShortestBitLength());
        return bits;
    }

    private static int WidthFor(long bits, int rows, int n)
    {
        // |entry| ≤ 2^(bits − 1) < 2^bits; √rows ≤ 2^⌈⌈log2 rows⌉/2⌉.
        long halfLog = (64 - BitOperations.LeadingZeroCount((ulong)(rows - 1)) + 1) / 2;
        long total = 2 * n * (bits + halfLog) + (64 - BitOperations.LeadingZeroCount((ulong)(n + 1))) + 1; // + 1: the sign
        return (int)Math.Min(total / 64 + 1, int.MaxValue / 4);
    }

    /// <summary>
    /// <see cref="SolveBig"/>'s elimination, step for step, in fixed-width integers on the stack
    /// (<see cref="FixedWidthIntegers"/>, exact by <see cref="FixedWidth"/>): the same numbers
    /// without an allocation per operation.
    /// </summary>
    private static ScaledSolution? SolveFixedWidth<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows, int words, out Elimination? elimination) where T : struct, IBinaryInteger<T>
    {
        elimination = null;
        int n = columns.Count, width = n + 1;
        Span<ulong> matrix = stackalloc ulong[rows * width * words];
        Span<ulong> scratch = stackalloc ulong[5 * words];
        Span<ulong> Entry(Span<ulong> m, int i, int j) => m.Slice((i * width + j) * words, words);
        Span<ulong> Row(Span<ulong> m, int i) => m.Slice(i * width * words, width * words);
        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++) FixedWidthIntegers.Set(Entry(matrix, i, j), columns[j][i]);
            FixedWidthIntegers.Set(Entry(matrix, i, n), rhs[i]);
            order[i] = i;
        }
        var divisionScratch = scratch.Slice(2 * words, 3 * words);
        // Each pivot prepared as an exact divisor: for the next step, the back substitution and replays.
        var (inverses, shifts, negative) = (new ulong[n * words], new int[n], new bool[n]);
        for (int k = 0; k < n; k++)
        {
            int pivot = -1;
            for (int i = k; i < rows; i++) if (!FixedWidthIntegers.IsZero(Entry(matrix, i, k))) { pivot = i; break; }
            if (pivot < 0) return null; // dependent columns: not a basis
            if (pivot != k)
            {
                Span<ulong> upper = Row(matrix, k), lower = Row(matrix, pivot);
                for (int w = 0; w < upper.Length; w++) (upper[w], lower[w]) = (lower[w], upper[w]);
                (order[k], order[pivot]) = (order[pivot], order[k]);
            }
            for (int i = k + 1; i < rows; i++)
                for (int j = k + 1; j <= n; j++) Step(matrix, width, words, i, j, k, scratch[..(2 * words)], shifts, negative, inverses);
            shifts[k] = FixedWidthIntegers.PrepareDivisor(Entry(matrix, k, k), inverses.AsSpan(k * words, words), divisionScratch, out negative[k]);
        }
        elimination = new Elimination(order, n)
        {
            Words = matrix.ToArray(), Width = words, ColumnBits = ColumnBits(columns, rows), Inverses = inverses, Shifts = shifts, Negative = negative,
        };
        return BackSubstitution(matrix, elimination);
    }

    /// <summary>
    /// One step of the fixed-width elimination on entry (i, j): (a_kk·a_ij − a_ik·a_kj) / p_{k−1},
    /// exact, p_{k−1} the previous pivot (1 at step 0) prepared as a divisor; two entries of scratch.
    /// </summary>
    private static void Step(Span<ulong> m, int width, int words, int i, int j, int k, Span<ulong> scratch, int[] shifts, bool[] negative, ulong[] inverses)
    {
        Span<ulong> first = scratch[..words], second = scratch.Slice(words, words);
        var target = m.Slice((i * width + j) * words, words);
        FixedWidthIntegers.Multiply(m.Slice((k * width + k) * words, words), target, first);
        FixedWidthIntegers.Multiply(m.Slice((i * width + k) * words, words), m.Slice((k * width + j) * words, words), second);
        FixedWidthIntegers.Subtract(first, second);
        if (k > 0) FixedWidthIntegers.DivideExact(first, shifts[k - 1], negative[k - 1], inverses.AsSpan((k - 1) * words, words), second);
        first.CopyTo(target);
    }

    /// <summary>
    /// <see cref="Resolve{T}"/> on a fixed-width elimination: its matrix with the new right-hand
    /// side (in the pivoting's row order) as the last column, updated by the kept steps. When the new
    /// side is wider than the elimination's width allows, the same steps in BigInteger.
    /// </summary>
    private static ScaledSolution? ResolveFixedWidth<T>(Elimination e, T[] rhs) where T : struct, IBinaryInteger<T>
    {
        int n = e.Columns, rows = e.Order.Length, words = e.Width, width = n + 1;
        if (WidthFor(Math.Max(e.ColumnBits, Bits(rhs, rows)), rows, n) > words)
        {
            var big = new BigInteger[rows][];
            for (int i = 0; i < rows; i++)
            {
                big[i] = new BigInteger[n];
                for (int j = 0; j < n; j++) big[i][j] = FixedWidthIntegers.ToBigInteger(e.Words.AsSpan((i * width + j) * words, words));
            }
            return Resolve(new Elimination(e.Order, n) { Matrix = big }, rhs);
        }
        Span<ulong> matrix = stackalloc ulong[e.Words!.Length];
        e.Words.CopyTo(matrix);
        Span<ulong> scratch = stackalloc ulong[2 * words];
        for (int i = 0; i < rows; i++) FixedWidthIntegers.Set(matrix.Slice((i * width + n) * words, words), rhs[e.Order[i]]);
        for (int k = 0; k < n; k++)
            for (int i = k + 1; i < rows; i++) Step(matrix, width, words, i, n, k, scratch, e.Shifts!, e.Negative!, e.Inverses!);
        return BackSubstitution(matrix, e);
    }

    /// <summary>The fixed-width back substitution: y_k = D·λ_k, with D &gt; 0 (null when inconsistent); the matrix is overwritten.</summary>
    private static ScaledSolution? BackSubstitution(Span<ulong> matrix, Elimination e)
    {
        int n = e.Columns, rows = e.Order.Length, words = e.Width, width = n + 1;
        Span<ulong> scratch = stackalloc ulong[2 * words];
        Span<ulong> first = scratch[..words], second = scratch[words..];
        Span<ulong> Entry(Span<ulong> m, int i, int j) => m.Slice((i * width + j) * words, words);
        for (int i = n; i < rows; i++) if (!FixedWidthIntegers.IsZero(Entry(matrix, i, n))) return null; // inconsistent
        var det = Entry(matrix, n - 1, n - 1);
        bool negative = FixedWidthIntegers.IsNegative(det);
        // y_k overwrites the right-hand side of row k.
        for (int k = n - 1; k >= 0; k--)
        {
            var v = Entry(matrix, k, n);
            FixedWidthIntegers.Multiply(det, v, first);
            for (int j = k + 1; j < n; j++)
            {
                var akj = Entry(matrix, k, j);
                if (FixedWidthIntegers.IsZero(akj)) continue;
                FixedWidthIntegers.Multiply(akj, Entry(matrix, j, n), second);
                FixedWidthIntegers.Subtract(first, second);
            }
            FixedWidthIntegers.DivideExact(first, e.Shifts![k], e.Negative![k], e.Inverses.AsSpan(k * words, words), second);
            first.CopyTo(v);
        }
        var y = new BigInteger[n];
        for (int k = 0; k < n; k++)
        {
            var v = Entry(matrix, k, n);
            if (negative) FixedWidthIntegers.Negate(v);
            y[k] = FixedWidthIntegers.ToBigInteger(v);
        }
        if (negative) FixedWidthIntegers.Negate(det);
        return new ScaledSolution(y, FixedWidthIntegers.ToBigInteger(det));
    }

    /// <summary>The elimination in BigInteger, for systems whose numbers are too wide for the stack.</summary>
    internal static ScaledSolution? SolveBig<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows) where T : struct, IBinaryInteger<T> =>
        EliminateBig(columns, rhs, rows, out _);

    /// <summary>
    /// <see cref="SolveBig"/>, keeping the elimination: the columns are eliminated on their own, and
    /// the right-hand side goes through the kept steps like any later one (<see cref="Resolve{T}"/>).
    /// </summary>
    private static ScaledSolution? EliminateBig<T>(IReadOnlyList<T[]> columns, T[] rhs, int rows, out Elimination? elimination) where T : struct, IBinaryInteger<T>
    {
        elimination = null;
        int n = columns.Count;
        var a = new BigInteger[rows][];
        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            a[i] = new BigInteger[n];
            for (int j = 0; j < n; j++) a[i][j] = Integers.ToBig(columns[j][i]);
            order[i] = i;
        }
        BigInteger previous = BigInteger.One;
        for (int k = 0; k < n; k++)
        {
            int pivot = -1;
            for (int i = k; i < rows; i++) if (!a[i][k].IsZero) { pivot = i; break; }
            if (pivot < 0) return null; // dependent columns: not a basis
            (a[k], a[pivot], order[k], order[pivot]) = (a[pivot], a[k], order[pivot], order[k]);
            // a[i][k] stays: the step's multiplier, which the right-hand sides need.
            for (int i = k + 1; i < rows; i++)
                for (int j = k + 1; j < n; j++) a[i][j] = (a[k][k] * a[i][j] - a[i][k] * a[k][j]) / previous;
            previous = a[k][k];
        }
        elimination = new Elimination(order, n) { Matrix = a };
        return Resolve(elimination, rhs);
    }

    /// <summary>y_k = D·λ_k from the eliminated matrix and right-hand side (null when inconsistent), with D &gt; 0.</summary>
    private static ScaledSolution? BackSubstitution(BigInteger[][] a, BigInteger[] b, int n, int rows)
    {
        for (int i = n; i < rows; i++) if (!b[i].IsZero) return null; // inconsistent
        BigInteger det = a[n - 1][n - 1];
        var y = new BigInteger[n];
        for (int k = n - 1; k >= 0; k--)
        {
            BigInteger v = det * b[k];
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
