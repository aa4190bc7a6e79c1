using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Geometry;

/// <summary>The input set on which convexity is decided: all of R^d, or a box with lo &lt; hi per coordinate.</summary>
public sealed class Domain
{
    private Domain(int dimension, Rational[]? lower, Rational[]? upper)
    {
        Dimension = dimension;
        Lower = lower;
        Upper = upper;
    }

    public int Dimension { get; }
    public Rational[]? Lower { get; }
    public Rational[]? Upper { get; }
    public bool IsBox => Lower is not null;

    /// <summary>Number of box-face constraints (2d on a box, else 0).</summary>
    public int FaceCount => IsBox ? 2 * Dimension : 0;

    /// <summary>
    /// Box face f (0 ≤ f &lt; <see cref="FaceCount"/>) as an integer row [g, h] = q·c, with q &gt; 0
    /// the denominator of its bound: c = x_i − lo_i for f = 2i and c = hi_i − x_i for f = 2i + 1
    /// (numbered after the ReLU units, as in docs/formats.md). The one definition of the box faces:
    /// the rational constraints divide by q, the integer ones keep the row and q as its scale.
    /// Made once per domain (every region's constraints include them).
    /// </summary>
    public ReadOnlySpan<BigInteger> FaceRow(int f, out BigInteger scale)
    {
        var (row, q) = (_faces ??= Faces())[f];
        scale = q;
        return row;
    }

    private (BigInteger[] Row, BigInteger Scale)[]? _faces;

    private (BigInteger[] Row, BigInteger Scale)[] Faces()
    {
        var faces = new (BigInteger[], BigInteger)[FaceCount];
        for (int f = 0; f < faces.Length; f++)
        {
            int i = f / 2, sign = f % 2 == 0 ? 1 : -1;
            var bound = f % 2 == 0 ? Lower![i] : Upper![i];
            var row = new BigInteger[Dimension + 1];
            row[i] = sign * bound.Denominator;
            row[Dimension] = -sign * bound.Numerator;
            faces[f] = (row, bound.Denominator);
        }
        return faces;
    }

    public static Domain Everywhere(int dimension) => new(dimension, null, null);

    public static Domain Box(Rational[] lower, Rational[] upper)
    {
        if (lower.Length != upper.Length || lower.Length == 0) throw new ArgumentException("box bounds must have one entry per coordinate");
        for (int i = 0; i < lower.Length; i++)
            if (lower[i] >= upper[i]) throw new ArgumentException($"box coordinate {i + 1}: lower bound {lower[i]} is not below upper bound {upper[i]}");
        return new(lower.Length, [.. lower], [.. upper]);
    }

    /// <summary>True when x is in the domain (closed box).</summary>
    public bool Contains(IReadOnlyList<Rational> x)
    {
        if (!IsBox) return true;
        for (int i = 0; i < Dimension; i++) if (x[i] < Lower![i] || x[i] > Upper![i]) return false;
        return true;
    }

    public override string ToString() => IsBox
        ? string.Join(" × ", Enumerable.Range(0, Dimension).Select(i => $"[{Lower![i]}, {Upper![i]}]"))
        : $"R^{Dimension}";
}
