using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>One row of a <see cref="SparseMatrix"/>: its nonzero entries, columns ascending.
/// Rows are never changed once made, so maps share them freely.</summary>
internal sealed class SparseRow(int[] columns, Rational[] values)
{
    public static readonly SparseRow Empty = new([], []);

    public int[] Columns { get; } = columns;
    public Rational[] Values { get; } = values;
    public int Count => Columns.Length;

    public static SparseRow Single(int column, Rational value) => value.IsZero ? Empty : new([column], [value]);

    /// <summary>The nonzero entries of a dense row.</summary>
    public static SparseRow FromDense(Rational[] row)
    {
        int n = 0;
        foreach (var v in row) if (!v.IsZero) n++;
        var columns = new int[n];
        var values = new Rational[n];
        for (int j = 0, k = 0; j < row.Length; j++)
            if (!row[j].IsZero) { columns[k] = j; values[k++] = row[j]; }
        return new SparseRow(columns, values);
    }

    public SparseRow Scale(Rational c)
    {
        if (c.IsZero) return Empty;
        if (c == Rational.One) return this;
        return new SparseRow(Columns, Values.Select(v => v * c).ToArray());
    }

    /// <summary>a + b, merged column by column (entries that cancel are dropped).</summary>
    public static SparseRow Add(SparseRow a, SparseRow b)
    {
        if (b.Count == 0) return a;
        if (a.Count == 0) return b;
        var columns = new List<int>(a.Count + b.Count);
        var values = new List<Rational>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            if (j == b.Count || (i < a.Count && a.Columns[i] < b.Columns[j])) { columns.Add(a.Columns[i]); values.Add(a.Values[i++]); }
            else if (i == a.Count || b.Columns[j] < a.Columns[i]) { columns.Add(b.Columns[j]); values.Add(b.Values[j++]); }
            else
            {
                var sum = a.Values[i] + b.Values[j];
                if (!sum.IsZero) { columns.Add(a.Columns[i]); values.Add(sum); }
                i++;
                j++;
            }
        }
        return new SparseRow([.. columns], [.. values]);
    }
}

/// <summary>
/// A matrix stored by rows of nonzero entries. It holds the terms of an <see cref="AffineMap"/>
/// and the linear operators the lowerings build (a convolution, a pooling, a matrix product):
/// row o of an operator lists the input entries output entry o is a combination of, so applying
/// one costs time in its nonzero entries, never in rows × columns.
/// </summary>
internal sealed class SparseMatrix(int columns, SparseRow[] rows)
{
    public int Columns { get; } = columns;
    public SparseRow[] Rows { get; } = rows;
    public int RowCount => Rows.Length;

    public static SparseMatrix Identity(int n)
    {
        var rows = new SparseRow[n];
        for (int i = 0; i < n; i++) rows[i] = new SparseRow([i], [Rational.One]);
        return new SparseMatrix(n, rows);
    }

    public static SparseMatrix FromDense(Rational[][] rows, int columns) => new(columns, rows.Select(SparseRow.FromDense).ToArray());

    public Rational[][] ToDense()
    {
        var dense = new Rational[RowCount][];
        for (int i = 0; i < RowCount; i++)
        {
            var row = new Rational[Columns];
            Array.Fill(row, Rational.Zero);
            var sparse = Rows[i];
            for (int k = 0; k < sparse.Count; k++) row[sparse.Columns[k]] = sparse.Values[k];
            dense[i] = row;
        }
        return dense;
    }

    /// <summary>P · this, for an operator P whose columns are this matrix's rows.</summary>
    public SparseMatrix MultipliedBy(SparseMatrix p)
    {
        var sum = new Rational[Columns];
        var touched = new bool[Columns];
        var used = new List<int>();
        var result = new SparseRow[p.RowCount];
        for (int o = 0; o < p.RowCount; o++)
        {
            var combination = p.Rows[o];
            if (combination.Count == 1 && combination.Values[0] == Rational.One)
            {
                result[o] = Rows[combination.Columns[0]];
                continue;
            }
            for (int k = 0; k < combination.Count; k++)
            {
                var c = combination.Values[k];
                var row = Rows[combination.Columns[k]];
                for (int e = 0; e < row.Count; e++)
                {
                    int column = row.Columns[e];
                    if (!touched[column]) { touched[column] = true; used.Add(column); sum[column] = c * row.Values[e]; }
                    else sum[column] += c * row.Values[e];
                }
            }
            used.Sort();
            var columns = new List<int>(used.Count);
            var values = new List<Rational>(used.Count);
            foreach (int column in used)
            {
                if (!sum[column].IsZero) { columns.Add(column); values.Add(sum[column]); }
                touched[column] = false;
            }
            used.Clear();
            result[o] = new SparseRow([.. columns], [.. values]);
        }
        return new SparseMatrix(Columns, result);
    }
}
