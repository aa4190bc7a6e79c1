using System.Numerics;
using System.Runtime.CompilerServices;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The local affine maps of one region in the integer network (<see cref="ScaledNetwork"/>):
/// row k = [g', h'] with z'_k = S_l·z_k, and the output row S_L·f. This is the integer path's view of a
/// region; <see cref="IntegerRegionMaps{T}"/> holds the rows in one integer type.
/// </summary>
public abstract class IntegerRegionMaps
{
    private protected IntegerRegionMaps(string pattern) => Pattern = pattern;

    public string Pattern { get; }

    /// <summary>The local maps of a pattern in an integer network of any integer type, or null when they do not fit its type.</summary>
    public static IntegerRegionMaps? ForPattern(ScaledNetwork net, string pattern) => net.Apply(new OfPattern(pattern));

    private sealed class OfPattern(string pattern) : IScaledNetworkOperation<IntegerRegionMaps?>
    {
        public IntegerRegionMaps? Apply<T>(ScaledNetwork<T> network) where T : struct, IBinaryInteger<T>, ISignedNumber<T> =>
            IntegerRegionMaps<T>.ForPattern(network, pattern);
    }

    /// <summary>The region's facets, redundancies and bounds (<see cref="IntegerFacetFinder"/>), or null when the numbers do not fit.</summary>
    public abstract RegionGeometry? Analyse(Domain domain, Rational[] interior, AnalysisControl? control = null);

    /// <summary>The true constraints c_k (numbered as in <see cref="RegionConstraints"/>) for the given k as rationals, or null when the rows do not fit.</summary>
    public abstract Rational[][]? ExactConstraints(Domain domain, IReadOnlyList<int> constraints);

    /// <summary>f on the region as rationals.</summary>
    public abstract Rational[] ExactOutput { get; }

    /// <summary>True when some unit's local map is identically zero here.</summary>
    public abstract bool HasZeroRow { get; }

    /// <summary>
    /// The region beyond the facet of constraint k at witness w (exact symbolic perturbation along
    /// the outward integer normal), or null when a number does not fit the integer type.
    /// </summary>
    public abstract IntegerRegionMaps? Beyond(int k, Rational[] w);

    /// <summary>
    /// A strict interior point of this region on the ray w + t·u, where u is the outward normal of
    /// <paramref name="from"/>'s constraint k (proposed in double, verified exactly); null if the proposal fails.
    /// </summary>
    public abstract Rational[]? InteriorBeyond(Domain domain, Rational[] w, IntegerRegionMaps from, int k);
}

/// <summary>Integer local maps over one integer type (64-bit for decimal weights, 128-bit or BigInteger for float weights).</summary>
public sealed class IntegerRegionMaps<T> : IntegerRegionMaps where T : struct, IBinaryInteger<T>, ISignedNumber<T>
{
    private IntegerRegionMaps(ScaledNetwork<T> net, string pattern, T[][] rows, T[] output) : base(pattern)
    {
        Net = net;
        Rows = rows;
        Output = output;
    }

    public ScaledNetwork<T> Net { get; }
    public T[][] Rows { get; }
    public T[] Output { get; }

    public static IntegerRegionMaps<T>? ForPattern(ScaledNetwork<T> net, string pattern) =>
        Build(net, null, (k, _) => pattern[k] == '1');

    /// <summary>Pattern at w + εu (+ ε²e₁ …) for small ε &gt; 0, exactly (see <see cref="LocalAffineMaps.AtPerturbedPoint"/>).</summary>
    /// <remarks>
    /// <paramref name="near"/> (optional) is a region whose maps are reused for every layer above
    /// which no unit changes state, so crossing a facet recomputes only the layers after the switching unit.
    /// </remarks>
    public static IntegerRegionMaps<T>? AtPerturbedPoint(ScaledNetwork<T> net, ExactPoint w, T[] u, IntegerRegionMaps<T>? near = null) =>
        Build(net, near, (_, z) =>
        {
            int s = w.Sign(z);
            if (s == 0)
            {
                if (SlopeSign(z, u) is not int slope) return null; // a slope beyond 128 bits: the caller takes rationals
                s = slope;
            }
            for (int i = 0; s == 0 && i < z.Length - 1; i++) s = T.Sign(z[i]);
            return s > 0;
        });

    /// <summary>
    /// sign(g·u) for a row [g, h] (products of two rows' entries: wider than T, so in 128 bits when
    /// T is 64-bit, null if that sum does not fit, and in BigInteger otherwise).
    /// </summary>
    private static int? SlopeSign(T[] z, T[] u)
    {
        if (typeof(T) == typeof(long))
        {
            Int128 slope = 0;
            for (int i = 0; i < u.Length; i++)
                if (!Integers.TryAdd(slope, (Int128)long.CreateTruncating(z[i]) * long.CreateTruncating(u[i]), out slope)) return null;
            return slope.CompareTo(Int128.Zero);
        }
        BigInteger big = BigInteger.Zero;
        for (int i = 0; i < u.Length; i++) big += Integers.ToBig(z[i]) * Integers.ToBig(u[i]);
        return big.Sign;
    }

    public override RegionGeometry? Analyse(Domain domain, Rational[] interior, AnalysisControl? control = null) =>
        IntegerFacetFinder.Analyse(this, domain, interior, control);

    public override Rational[][]? ExactConstraints(Domain domain, IReadOnlyList<int> constraints)
    {
        if (Constraints(domain) is not var (rows, scales, _)) return null;
        return [.. constraints.Select(k => rows[k].Select(v => new Rational(Integers.ToBig(v), scales[k])).ToArray())];
    }

    /// <summary>S_L·f divided by S_L (the last layer's scale).</summary>
    public override Rational[] ExactOutput => [.. Output.Select(v => new Rational(Integers.ToBig(v), Net.LayerScale[^1]))];

    public override bool HasZeroRow
    {
        get
        {
            foreach (var row in Rows) if (IsZeroRow(row)) return true;
            return false;
        }
    }

    public override IntegerRegionMaps? Beyond(int k, Rational[] w)
    {
        // The integer row is a positive multiple of the true constraint, so its outward normal
        // gives the same perturbed pattern.
        if (OutwardNormal(k) is not T[] u) return null;
        return AtPerturbedPoint(Net, new ExactPoint(w), u, near: this);
    }

    /// <summary>−∇c'_k: the outward integer normal at constraint k's facet, or null when it does not fit T.</summary>
    private T[]? OutwardNormal(int k)
    {
        var row = Rows[k];
        bool on = Pattern[k] == '1';
        var u = new T[row.Length - 1];
        for (int i = 0; i < u.Length; i++)
        {
            if (!on) u[i] = row[i];
            else if (!Integers.TryNegate(row[i], out u[i])) return null;
        }
        return u;
    }

    public override Rational[]? InteriorBeyond(Domain domain, Rational[] w, IntegerRegionMaps from, int k)
    {
        if (((IntegerRegionMaps<T>)from).OutwardNormal(k) is not T[] u) return null;
        if (Constraints(domain) is not var (rows, _, approximate)) return null;
        var wd = new double[w.Length];
        var ud = new double[u.Length];
        for (int i = 0; i < wd.Length; i++)
        {
            wd[i] = w[i].ToDouble();
            ud[i] = Integers.ToDouble(u[i]);
        }
        double tMax = double.PositiveInfinity, uNorm = 0;
        foreach (var ui in ud) uNorm = Math.Max(uNorm, Math.Abs(ui));
        for (int r = 0; r < rows.Length; r++)
        {
            var row = approximate[r];
            double slope = 0, value = row[^1];
            for (int i = 0; i < ud.Length; i++)
            {
                slope += row[i] * ud[i];
                value += row[i] * wd[i];
            }
            if (slope < 0 && value > 0) tMax = Math.Min(tMax, value / -slope);
        }
        double tD = double.IsInfinity(tMax) ? 1 / uNorm : tMax / 2;
        if (!(tD > 0) || !double.IsFinite(tD)) return null;
        var t = Rational.FromDouble(tD);
        // w_i + t·u_i = (a_i·q + b_i·u_i·p) / (b_i·q) for w_i = a_i/b_i, t = p/q: one reduction per coordinate.
        var p = new Rational[w.Length];
        for (int i = 0; i < p.Length; i++)
        {
            if (T.IsZero(u[i])) { p[i] = w[i]; continue; }
            var (a, b) = (w[i].Numerator, w[i].Denominator);
            p[i] = new Rational(a * t.Denominator + b * Integers.ToBig(u[i]) * t.Numerator, b * t.Denominator);
        }
        bool Inside(Rational[] x)
        {
            var e = new ExactPoint(x);
            for (int r = 0; r < rows.Length; r++)
            {
                int s = e.Sign(rows[r], approximate[r]);
                if (s < 0 || (s == 0 && !IsZeroRow(rows[r]))) return false;
            }
            return true;
        }
        // Rounding within a quarter of the step keeps the point inside; try that first.
        var simple = PointSimplifier.Interior(p, Inside, tD * uNorm / 4);
        if (!ReferenceEquals(simple, p)) return simple;
        return Inside(p) ? p : null;
    }

    private (Domain Domain, (T[][] Rows, BigInteger[] Scales, double[][] Approximate)? Value)? _constraints;

    /// <summary>
    /// The region's constraints c'_k = s_k·c_k as integer rows (ReLU units, then box faces), their
    /// scales, and the rows as doubles for the sign filter; null when they do not fit T. Computed
    /// once: the crossing that finds a region and its analysis both need them.
    /// </summary>
    internal (T[][] Rows, BigInteger[] Scales, double[][] Approximate)? Constraints(Domain domain)
    {
        if (_constraints is { } cached && ReferenceEquals(cached.Domain, domain)) return cached.Value;
        (T[][], BigInteger[], double[][])? value = null;
        if (ConstraintRows(domain, out var scales) is T[][] rows)
        {
            var approximate = new double[rows.Length][];
            for (int k = 0; k < rows.Length; k++)
            {
                var row = rows[k];
                var a = approximate[k] = new double[row.Length];
                for (int i = 0; i < row.Length; i++) a[i] = Integers.ToDouble(row[i]);
            }
            value = (rows, scales, approximate);
        }
        _constraints = (domain, value);
        return value;
    }

    /// <summary>c'_k = s_k·c_k with integer coefficients (ReLU units, then box faces), or null if they do not fit in T.</summary>
    private T[][]? ConstraintRows(Domain domain, out BigInteger[] scales)
    {
        int n = Rows.Length;
        var rows = new T[n + domain.FaceCount][];
        scales = new BigInteger[rows.Length];
        for (int k = 0; k < n; k++)
        {
            var z = Rows[k];
            if (Pattern[k] == '1') rows[k] = z;
            else if (Integers.TryNegate(z) is T[] negated) rows[k] = negated;
            else return null;
            scales[k] = Net.LayerScale[Net.Network.Neurons[k].Layer];
        }
        for (int f = 0; f < domain.FaceCount; f++)
        {
            var face = domain.FaceRow(f, out scales[n + f]);
            var row = rows[n + f] = new T[face.Length];
            for (int i = 0; i < face.Length; i++)
                if (!face[i].IsZero && !Integers.TryFrom(face[i], out row[i])) return null;
        }
        return rows;
    }

    internal static bool IsZeroRow(T[] row)
    {
        foreach (var v in row) if (!T.IsZero(v)) return false;
        return true;
    }

    /// <summary>2^62: half the 64-bit range, the margin that absorbs the rounding of the double bound.</summary>
    private const double SafeSum64 = 4611686018427387904.0;

    /// <summary>The largest |entry| of a layer's input maps (null maps are zero), in double.</summary>
    private static double LargestMagnitude(T[]?[] maps)
    {
        double max = 0;
        foreach (var map in maps)
            if (map is not null)
                foreach (var v in map) max = Math.Max(max, Math.Abs(Integers.ToDouble(v)));
        return max;
    }

    /// <summary>
    /// The forward pass; <paramref name="isOn"/> decides each unit's state from its row (null: the
    /// decision needs numbers that do not fit). Null when a number does not fit T.
    /// </summary>
    private static IntegerRegionMaps<T>? Build(ScaledNetwork<T> net, IntegerRegionMaps<T>? near, Func<int, T[], bool?> isOn)
    {
        bool same = near is not null; // every unit so far has near's state, so this layer's maps are near's
        var network = net.Network;
        int d = network.InputDim;
        var rows = new T[network.NeuronCount][];
        var pattern = new char[network.NeuronCount];
        var h = new T[]?[d];
        for (int i = 0; i < d; i++)
        {
            h[i] = new T[d + 1];
            h[i]![i] = T.One;
        }
        T[] output = new T[d + 1];
        bool bounded = net.BoundedMaps;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var weights = net.Weights[l];
            var next = new T[]?[layer.Outputs];
            bool relu = layer.Activation == Activation.Relu;
            for (int u = 0; same && relu && u < layer.Outputs; u++)
            {
                int k = network.IndexOf(l, u);
                var z = near!.Rows[k];
                rows[k] = z;
                if (isOn(k, z) is not bool on) return null;
                pattern[k] = on ? '1' : '0';
                if (!net.TryOutput(l, z, on, out next[u])) return null;
            }
            if (same && relu)
            {
                for (int u = 0; u < layer.Outputs; u++)
                    if (pattern[network.IndexOf(l, u)] != near!.Pattern[network.IndexOf(l, u)]) same = false;
                h = next;
                continue;
            }
            same = false;
            double inputBound = bounded ? 0 : LargestMagnitude(h);
            for (int u = 0; u < layer.Outputs; u++)
            {
                var z = new T[d + 1];
                z[d] = net.Bias[l][u];
                // 64-bit maps: when the bound on every partial sum of this unit stays below 2^62
                // (double rounding is far inside that margin), the sums cannot overflow and need no checks.
                bool provenSafe = bounded || (typeof(T) == typeof(long)
                    && net.WeightRowNorms[l][u] * inputBound + Math.Abs(Integers.ToDouble(z[d])) < SafeSum64);
                var row = weights[u];
                for (int j = 0; j < row.Length; j++)
                {
                    var hj = h[j];
                    T w = row[j];
                    if (hj is null || T.IsZero(w)) continue;
                    if (bounded && typeof(T) == typeof(Int128) && net.WeightsFit64)
                    {
                        // The hot loop of float32 networks: a 64-bit weight times 128-bit maps.
                        long w64 = (long)(Int128)(object)w;
                        var zz = Unsafe.As<T[], Int128[]>(ref z);
                        var hh = Unsafe.As<T[], Int128[]>(ref hj);
                        for (int i = 0; i <= d; i++) zz[i] += Integers.MultiplyLow(w64, hh[i]);
                    }
                    else if (provenSafe) for (int i = 0; i <= d; i++) z[i] = unchecked(z[i] + w * hj[i]);
                    else
                    {
                        for (int i = 0; i <= d; i++)
                            if (!Integers.TryMultiplyAdd(z[i], w, hj[i], out z[i])) return null;
                    }
                }
                var skip = net.Skip[l][u];
                if (skip is not null)
                    for (int i = 0; i < d; i++)
                        if (!Integers.TryAdd(z[i], skip[i], out z[i])) return null;
                if (relu)
                {
                    int k = network.IndexOf(l, u);
                    rows[k] = z;
                    if (isOn(k, z) is not bool on) return null;
                    pattern[k] = on ? '1' : '0';
                    if (!net.TryOutput(l, z, on, out next[u])) return null;
                }
                else next[u] = z;
            }
            h = next;
        }
        output = h[0] ?? output;
        return new IntegerRegionMaps<T>(net, new string(pattern), rows, output);
    }
}
