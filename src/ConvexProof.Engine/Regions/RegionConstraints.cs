using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The H-representation of one region, numbered as in docs/formats.md: c_k = ±z_k (k &lt; N, sign
/// from the pattern bit) and, on a box, c_{N+2i} = x_i − lo_i, c_{N+2i+1} = hi_i − x_i.
/// The region is { x : c_k(x) ≥ 0 for all k }.
/// </summary>
public sealed class RegionConstraints
{
    public RegionConstraints(LocalAffineMaps maps, Domain domain)
    {
        int n = maps.PreActivations.Length, d = domain.Dimension;
        NeuronCount = n;
        var all = new Rational[n + domain.FaceCount][];
        for (int k = 0; k < n; k++) all[k] = maps.Pattern[k] == '1' ? maps.PreActivations[k] : Affine.Negate(maps.PreActivations[k]);
        for (int f = 0; f < domain.FaceCount; f++)
        {
            var row = domain.FaceRow(f, out var scale);
            var face = new Rational[d + 1];
            for (int i = 0; i <= d; i++) face[i] = row[i].IsZero ? Rational.Zero : new Rational(row[i], scale);
            all[n + f] = face;
        }
        All = all;
    }

    public Rational[][] All { get; }
    public int NeuronCount { get; }
    public int Count => All.Length;
    public bool IsBoxFace(int k) => k >= NeuronCount;

    public Rational Value(int k, IReadOnlyList<Rational> x) => Affine.Evaluate(All[k], x);

    /// <summary>True when every constraint that is not identically zero is strictly positive at x.</summary>
    public bool StrictlyInside(IReadOnlyList<Rational> x)
    {
        foreach (var c in All)
        {
            if (Affine.IsZero(c)) continue;
            if (Affine.Evaluate(c, x).Sign <= 0) return false;
        }
        return true;
    }
}
