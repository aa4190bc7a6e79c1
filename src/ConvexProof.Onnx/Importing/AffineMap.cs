using ConvexProof.Numbers;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// An exact affine function of the network's "sources": source 0 is the graph input x, source k ≥ 1
/// the output of the k-th hidden layer found so far. Row i of the value is
/// Σ_s Terms[s][i] · source_s + Bias[i]. A source that is present in <see cref="Terms"/> is a
/// structural dependency even if its matrix happens to be zero (so a zero skip stays a skip).
/// </summary>
internal sealed class AffineMap
{
    public AffineMap(SortedDictionary<int, Rational[][]> terms, Rational[] bias)
    {
        Terms = terms;
        Bias = bias;
    }

    public SortedDictionary<int, Rational[][]> Terms { get; }
    public Rational[] Bias { get; }
    public int Rows => Bias.Length;

    public static AffineMap Source(int source, int width)
    {
        var m = new Rational[width][];
        for (int i = 0; i < width; i++)
        {
            m[i] = Zeros(width);
            m[i][i] = Rational.One;
        }
        return new AffineMap(new SortedDictionary<int, Rational[][]> { [source] = m }, Zeros(width));
    }

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

    /// <summary>W · this, for W with <see cref="Rows"/> columns.</summary>
    public AffineMap Map(Rational[][] w)
    {
        int outRows = w.Length;
        var terms = new SortedDictionary<int, Rational[][]>();
        foreach (var (source, m) in Terms)
        {
            int width = m.Length == 0 ? 0 : m[0].Length;
            var result = ZeroMatrix(outRows, width);
            for (int i = 0; i < outRows; i++)
                for (int j = 0; j < Rows; j++)
                {
                    var f = w[i][j];
                    if (f.IsZero) continue;
                    var row = m[j];
                    var target = result[i];
                    for (int k = 0; k < width; k++) if (!row[k].IsZero) target[k] += f * row[k];
                }
            terms[source] = result;
        }
        var bias = Zeros(outRows);
        for (int i = 0; i < outRows; i++)
            for (int j = 0; j < Rows; j++)
                if (!w[i][j].IsZero && !Bias[j].IsZero) bias[i] += w[i][j] * Bias[j];
        return new AffineMap(terms, bias);
    }

    /// <summary>Row i multiplied by c[i].</summary>
    public AffineMap ScaleRows(Rational[] c)
    {
        var terms = new SortedDictionary<int, Rational[][]>();
        foreach (var (source, m) in Terms)
            terms[source] = m.Select((row, i) => row.Select(v => v * c[i]).ToArray()).ToArray();
        return new AffineMap(terms, Bias.Select((b, i) => b * c[i]).ToArray());
    }

    public AffineMap Shift(Rational[] c) => new(Terms, Bias.Select((b, i) => b + c[i]).ToArray());

    public AffineMap Negate() => ScaleRows(Enumerable.Repeat(Rational.MinusOne, Rows).ToArray());

    /// <summary>a + b (same number of rows).</summary>
    public static AffineMap Add(AffineMap a, AffineMap b)
    {
        var terms = new SortedDictionary<int, Rational[][]>();
        foreach (var (source, m) in a.Terms) terms[source] = m.Select(r => (Rational[])r.Clone()).ToArray();
        foreach (var (source, m) in b.Terms)
        {
            if (!terms.TryGetValue(source, out var sum))
            {
                terms[source] = m.Select(r => (Rational[])r.Clone()).ToArray();
                continue;
            }
            for (int i = 0; i < m.Length; i++)
                for (int k = 0; k < m[i].Length; k++) sum[i][k] += m[i][k];
        }
        return new AffineMap(terms, a.Bias.Select((v, i) => v + b.Bias[i]).ToArray());
    }

    /// <summary>The rows of the parts one after another (a concatenation of features).</summary>
    public static AffineMap Stack(IReadOnlyList<AffineMap> parts)
    {
        var widths = new SortedDictionary<int, int>();
        foreach (var part in parts)
            foreach (var (source, m) in part.Terms)
                widths[source] = m.Length == 0 ? 0 : m[0].Length;
        var terms = new SortedDictionary<int, Rational[][]>();
        foreach (var (source, width) in widths)
        {
            var rows = new List<Rational[]>();
            foreach (var part in parts)
            {
                if (part.Terms.TryGetValue(source, out var m)) rows.AddRange(m);
                else rows.AddRange(ZeroMatrix(part.Rows, width));
            }
            terms[source] = [.. rows];
        }
        return new AffineMap(terms, parts.SelectMany(p => p.Bias).ToArray());
    }
}
