using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// Replaces an exact point by a nearby one with short dyadic coordinates, verified exactly, so
/// numbers do not grow from region to region. Rounding only proposes: a proposal that fails the exact
/// test is discarded and the original point kept.
/// </summary>
public static class PointSimplifier
{
    private static readonly int[] Bits = [6, 12, 20, 32, 48, 64];

    /// <summary>
    /// A simpler point p' with valid(p'), or the original. <paramref name="scale"/> (optional) is
    /// the size of the neighbourhood in which rounding is expected to stay valid; it picks the first
    /// precision to try.
    /// </summary>
    public static Rational[] Interior(Rational[] point, Func<Rational[], bool> valid, double scale = 0)
    {
        if (IsShort(point)) return point;
        foreach (int bits in Precisions(scale))
        {
            var candidate = new Rational[point.Length];
            for (int i = 0; i < point.Length; i++) candidate[i] = Round(point[i], bits);
            if (valid(candidate)) return candidate;
        }
        return point;
    }

    /// <summary>
    /// A simpler point on the hyperplane a(x) = 0: round every coordinate but the one with the largest
    /// |gradient| entry, then solve for that one exactly. Kept only if valid.
    /// </summary>
    public static Rational[] OnHyperplane(Rational[] point, Rational[] hyperplane, Func<Rational[], bool> valid, double scale = 0)
    {
        if (IsShort(point)) return point;
        int d = point.Length, pivot = -1;
        for (int i = 0; i < d; i++)
            if (!hyperplane[i].IsZero && (pivot < 0 || hyperplane[i].Abs() > hyperplane[pivot].Abs())) pivot = i;
        if (pivot < 0) return point;
        foreach (int bits in Precisions(scale))
        {
            var candidate = new Rational[d];
            Rational rest = hyperplane[d];
            for (int i = 0; i < d; i++)
            {
                if (i == pivot) continue;
                candidate[i] = Round(point[i], bits);
                rest += hyperplane[i] * candidate[i];
            }
            candidate[pivot] = -rest / hyperplane[pivot];
            if (valid(candidate)) return candidate;
        }
        return point;
    }

    /// <summary>
    /// <see cref="OnHyperplane"/> for an integer hyperplane row, with the same candidates (so the same
    /// result), computed on integers: the rounded coordinates are n_i/2^b, and the solved one is
    /// −(h·2^b + Σ g_i·n_i)/(g_pivot·2^b), one reduction per candidate instead of one per operation.
    /// </summary>
    public static Rational[] OnIntegerHyperplane(Rational[] point, BigInteger[] hyperplane, Func<Rational[], bool> valid, double scale = 0)
    {
        if (IsShort(point)) return point;
        int d = point.Length, pivot = -1;
        for (int i = 0; i < d; i++)
            if (!hyperplane[i].IsZero && (pivot < 0 || BigInteger.Abs(hyperplane[i]) > BigInteger.Abs(hyperplane[pivot]))) pivot = i;
        if (pivot < 0) return point;
        foreach (int bits in Precisions(scale))
        {
            var candidate = new Rational[d];
            var grid = BigInteger.One << bits;
            BigInteger rest = hyperplane[d] * grid;
            for (int i = 0; i < d; i++)
            {
                if (i == pivot) continue;
                var n = RoundedNumerator(point[i], bits);
                candidate[i] = new Rational(n, grid);
                rest += hyperplane[i] * n;
            }
            candidate[pivot] = new Rational(-rest, hyperplane[pivot] * grid);
            if (valid(candidate)) return candidate;
        }
        return point;
    }

    /// <summary>floor(v·2^bits + 1/2): the numerator of <see cref="Round"/>'s result over 2^bits.</summary>
    private static BigInteger RoundedNumerator(Rational v, int bits)
    {
        // floor((2·p·2^bits + q) / (2q)) for v = p/q, q > 0.
        var q = v.Denominator;
        var numerator = (v.Numerator << (bits + 1)) + q;
        var twoQ = q << 1;
        var quotient = BigInteger.DivRem(numerator, twoQ, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>Grid precisions to try: fine enough for the given scale first, then finer ones.</summary>
    private static IEnumerable<int> Precisions(double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale)) return Bits;
        int first = Math.Clamp((int)Math.Ceiling(Math.Log2(16 / scale)), 1, 64);
        return new[] { first, first + 8, first + 20 }.Where(b => b <= 64).Append(64).Distinct();
    }

    private static bool IsShort(Rational[] point)
    {
        foreach (var v in point)
            if (v.Denominator.GetBitLength() > 16 || v.Numerator >= ShortLimit || v.Numerator <= -ShortLimit) return false;
        return true;
    }

    /// <summary>2^48: a short numerator has at most 48 bits (compared, not negated: no copy of a long negative numerator).</summary>
    private static readonly BigInteger ShortLimit = BigInteger.One << 48;

    /// <summary>The nearest multiple of 2^-bits (ties down), exactly.</summary>
    private static Rational Round(Rational v, int bits) => new(RoundedNumerator(v, bits), BigInteger.One << bits);
}
