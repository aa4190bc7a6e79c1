using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The integer implementation of <see cref="FacetSearch"/>, on the rows c'_k = s_k·c_k of
/// <see cref="IntegerRegionMaps{T}"/> over one integer type T. This file: its state and phase 1,
/// grouping; the other phases are in the files IntegerFacetSearch.*.cs.
/// </summary>
/// <param name="rows">The integer rows (ReLU units, then box faces).</param>
/// <param name="scales">s_k with row_k = s_k·c_k.</param>
/// <param name="approximateRows">The rows as doubles, for the sign filter and the proposals.</param>
/// <param name="interior">A strict interior point of the region.</param>
/// <param name="control">Cancellation and progress.</param>
internal sealed partial class IntegerFacetSearch<T>(T[][] rows, BigInteger[] scales, double[][] approximateRows, Rational[] interior, AnalysisControl control)
    : FacetSearch(rows.Length, interior, control) where T : struct, IBinaryInteger<T>, ISignedNumber<T>
{
    private readonly int _stride = interior.Length + 1;

    /// <summary>Group g's unit direction at [g·(d+1), (g+1)·(d+1)): one array per region.</summary>
    private readonly double[] _unit = new double[rows.Length * (interior.Length + 1)];

    /// <summary>Bucket → its first group; the groups of one bucket are chained by <see cref="_nextInBucket"/>.</summary>
    private readonly Dictionary<long, int> _buckets = [];
    private readonly List<int> _nextInBucket = [];
    private Rational[][]? _exactRows;

    /// <summary>The integer rows as rationals, for the exact LPs (every row: the fallback paths need them all).</summary>
    protected override Rational[][] ExactRows => _exactRows ??= [.. rows.Select(r => r.Select(Integers.ToRational).ToArray())];

    protected override Rational ScaleRatio(int from, int to) => new(scales[from], scales[to]);

    protected override RowShape ShapeOf(int k)
    {
        var r = rows[k];
        for (int i = 0; i < D; i++) if (!T.IsZero(r[i])) return RowShape.Hyperplane;
        return T.IsZero(r[D]) ? RowShape.Zero : T.IsPositive(r[D]) ? RowShape.PositiveConstant : RowShape.NegativeConstant;
    }

    /// <summary>
    /// Membership is proposed by the double direction of each row — positive multiples have the same
    /// unit direction up to rounding, so they fall in the same or a neighbouring bucket of its first
    /// coordinate — and confirmed exactly by cross-multiplication, so no gcd is ever taken.
    /// β = r_k[j]/r_rep[j] records the multiple.
    /// </summary>
    protected override int GroupOfHyperplane(int k, int newGroup, out Rational beta)
    {
        var r = rows[k];
        var unit = _unit.AsSpan(newGroup * _stride, _stride); // the slot a new group would take
        UnitDirection(k, unit);
        // Rows whose direction is not finite share one bucket and are compared with each other only.
        bool finite = double.IsFinite(unit[0]);
        long bucket = finite ? (long)Math.Floor(unit[0] * (1L << 40)) : long.MinValue;
        for (long b = finite ? bucket - 1 : bucket; b <= (finite ? bucket + 1 : bucket); b++)
        {
            if (!_buckets.TryGetValue(b, out int g)) continue;
            for (; g >= 0; g = _nextInBucket[g])
                if (PositiveMultiple(rows[Groups[g][0]], r) is Rational multiple)
                {
                    beta = multiple;
                    return g;
                }
        }
        _nextInBucket.Add(_buckets.TryGetValue(bucket, out int head) ? head : -1);
        _buckets[bucket] = newGroup;
        beta = Rational.One;
        return newGroup;
    }

    /// <summary>r / ‖g‖ in double (ray proposals and bucketing only); scaled first when the squares would overflow.</summary>
    private void UnitDirection(int k, Span<double> unit)
    {
        var values = approximateRows[k];
        double norm = 0;
        for (int i = 0; i < D; i++) norm += values[i] * values[i];
        if (!double.IsFinite(norm) || norm == 0)
        {
            double max = 0;
            for (int i = 0; i < values.Length; i++) max = Math.Max(max, Math.Abs(values[i]));
            int exponent = double.IsFinite(max) && max > 0 ? Math.ILogB(max) : 0;
            var scaled = new double[values.Length];
            for (int i = 0; i < values.Length; i++) scaled[i] = Math.ScaleB(values[i], -exponent);
            values = scaled;
            norm = 0;
            for (int i = 0; i < D; i++) norm += values[i] * values[i];
        }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < unit.Length; i++) unit[i] = values[i] / norm;
    }

    /// <summary>β &gt; 0 with b = β·a exactly, or null (a is not constant).</summary>
    private static Rational? PositiveMultiple(T[] a, T[] b)
    {
        int j = 0;
        while (T.IsZero(a[j])) j++;
        if (T.Sign(a[j]) != T.Sign(b[j])) return null;
        var aj = Integers.ToBig(a[j]);
        var bj = Integers.ToBig(b[j]);
        for (int i = 0; i < a.Length; i++)
            if (Integers.ToBig(a[i]) * bj != Integers.ToBig(b[i]) * aj) return null;
        return new Rational(bj, aj);
    }
}
