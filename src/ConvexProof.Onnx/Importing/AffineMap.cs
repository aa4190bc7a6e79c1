using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// An exact affine function of the network's "sources": source 0 is the graph input x, source k ≥ 1
/// the output of the k-th hidden layer found so far. Row i of the value is
/// Σ_s Terms[s].Rows[i] · source_s + Bias[i]. A source that is present in <see cref="Terms"/> is a
/// structural dependency even if its matrix happens to be zero (so a zero skip stays a skip).
/// The matrices are sparse: a convolution's rows read a few entries each, and every operation
/// here costs time in the nonzero entries it produces.
/// </summary>
internal sealed class AffineMap
{
    public AffineMap(SortedDictionary<int, SparseMatrix> terms, Rational[] bias)
    {
        Terms = terms;
        Bias = bias;
    }

    public SortedDictionary<int, SparseMatrix> Terms { get; }
    public Rational[] Bias { get; }
    public int Rows => Bias.Length;

    public static AffineMap Source(int source, int width) =>
        new(new SortedDictionary<int, SparseMatrix> { [source] = SparseMatrix.Identity(width) }, Zeros(width));

    public static AffineMap Constant(Rational[] values) => new([], (Rational[])values.Clone());

    public static Rational[] Zeros(int n)
    {
        var z = new Rational[n];
        Array.Fill(z, Rational.Zero);
        return z;
    }

    public static Rational[][] ZeroMatrix(int rows, int columns)
    {
        var m = new Rational[rows][];
        for (int i = 0; i < rows; i++) m[i] = Zeros(columns);
        return m;
    }

    /// <summary>W · this, for a dense W with <see cref="Rows"/> columns.</summary>
    public AffineMap Map(Rational[][] w) => Apply(SparseMatrix.FromDense(w, Rows));

    /// <summary>P · this: output row o is Σ P[o, j] · row j (the bias likewise).</summary>
    public AffineMap Apply(SparseMatrix p)
    {
        var terms = new SortedDictionary<int, SparseMatrix>();
        foreach (var (source, m) in Terms) terms[source] = m.MultipliedBy(p);
        var bias = Zeros(p.RowCount);
        for (int o = 0; o < p.RowCount; o++)
        {
            var row = p.Rows[o];
            for (int k = 0; k < row.Count; k++)
            {
                var b = Bias[row.Columns[k]];
                if (!b.IsZero) bias[o] += row.Values[k] * b;
            }
        }
        return new AffineMap(terms, bias);
    }

    /// <summary>Row o is row index[o] of this map, or zero where index[o] is −1 (a rearrangement
    /// or a padding: no arithmetic).</summary>
    public AffineMap Gather(int[] index)
    {
        var terms = new SortedDictionary<int, SparseMatrix>();
        foreach (var (source, m) in Terms)
            terms[source] = new SparseMatrix(m.Columns, index.Select(i => i < 0 ? SparseRow.Empty : m.Rows[i]).ToArray());
        return new AffineMap(terms, index.Select(i => i < 0 ? Rational.Zero : Bias[i]).ToArray());
    }

    /// <summary>Row i multiplied by c[i].</summary>
    public AffineMap ScaleRows(Rational[] c)
    {
        var terms = new SortedDictionary<int, SparseMatrix>();
        foreach (var (source, m) in Terms)
            terms[source] = new SparseMatrix(m.Columns, m.Rows.Select((row, i) => row.Scale(c[i])).ToArray());
        return new AffineMap(terms, Bias.Select((b, i) => b * c[i]).ToArray());
    }

    public AffineMap Shift(Rational[] c) => new(Terms, Bias.Select((b, i) => b + c[i]).ToArray());

    public AffineMap Negate() => ScaleRows(Enumerable.Repeat(Rational.MinusOne, Rows).ToArray());

    /// <summary>a + b (same number of rows).</summary>
    public static AffineMap Add(AffineMap a, AffineMap b)
    {
        var terms = new SortedDictionary<int, SparseMatrix>(a.Terms);
        foreach (var (source, m) in b.Terms)
            terms[source] = terms.TryGetValue(source, out var other)
                ? new SparseMatrix(m.Columns, other.Rows.Select((row, i) => SparseRow.Add(row, m.Rows[i])).ToArray())
                : m;
        return new AffineMap(terms, a.Bias.Select((v, i) => v + b.Bias[i]).ToArray());
    }

    /// <summary>The rows of the parts one after another (a concatenation of features).</summary>
    public static AffineMap Stack(IReadOnlyList<AffineMap> parts)
    {
        var widths = new SortedDictionary<int, int>();
        foreach (var part in parts)
            foreach (var (source, m) in part.Terms)
                widths[source] = m.Columns;
        var terms = new SortedDictionary<int, SparseMatrix>();
        foreach (var (source, width) in widths)
        {
            var rows = new List<SparseRow>();
            foreach (var part in parts)
            {
                if (part.Terms.TryGetValue(source, out var m)) rows.AddRange(m.Rows);
                else rows.AddRange(Enumerable.Repeat(SparseRow.Empty, part.Rows));
            }
            terms[source] = new SparseMatrix(width, [.. rows]);
        }
        return new AffineMap(terms, parts.SelectMany(p => p.Bias).ToArray());
    }
}
