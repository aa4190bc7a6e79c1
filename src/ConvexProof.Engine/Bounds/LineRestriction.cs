using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// The exact restriction t ↦ f(p + t·v) of the network to a segment t ∈ [t0, t1]: a continuous
/// piecewise-linear function whose breakpoints are found layer by layer. Between two consecutive
/// breakpoints of the layers before l, the pre-activations of layer l are affine in t, so each has
/// at most one zero inside, found exactly from its values at the two ends; after the last layer f
/// is affine between consecutive breakpoints.
/// </summary>
public sealed class LineRestriction
{
    private LineRestriction(Rational[] origin, Rational[] direction, Rational[] t, Rational[] values)
    {
        Origin = origin;
        Direction = direction;
        Parameters = t;
        Values = values;
    }

    public Rational[] Origin { get; }
    public Rational[] Direction { get; }

    /// <summary>t0, the breakpoints in increasing order, t1.</summary>
    public Rational[] Parameters { get; }

    /// <summary>f at each of <see cref="Parameters"/>.</summary>
    public Rational[] Values { get; }

    public Rational[] PointAt(Rational t) => [.. Origin.Zip(Direction, (p, v) => p + t * v)];

    /// <summary>Slope change at interior parameter k (1 ≤ k ≤ count−2): right slope minus left slope.</summary>
    public Rational SlopeChange(int k) => Slope(k) - Slope(k - 1);

    private Rational Slope(int piece) =>
        (Values[piece + 1] - Values[piece]) / (Parameters[piece + 1] - Parameters[piece]);

    public static LineRestriction Compute(Network network, Rational[] origin, Rational[] direction, Rational t0, Rational t1)
    {
        if (t0 >= t1) throw new ArgumentException("the segment must have t0 < t1");
        var line = new LineForms(network, origin, direction);
        var points = new List<(Rational T, Rational[][] Z)> { (t0, line.PreActivations(t0)), (t1, line.PreActivations(t1)) };
        for (int l = 0; l < network.Layers.Count - 1; l++)
        {
            if (network.Layers[l].Activation != Activation.Relu) continue;
            var refined = new List<(Rational T, Rational[][] Z)> { points[0] };
            for (int k = 1; k < points.Count; k++)
            {
                var (a, za) = points[k - 1];
                var (b, zb) = points[k];
                var roots = new SortedSet<Rational>();
                for (int i = 0; i < za[l].Length; i++)
                {
                    Rational u = za[l][i], w = zb[l][i];
                    if (u.Sign * w.Sign < 0) roots.Add(a + (b - a) * (u / (u - w)));
                }
                foreach (var t in roots) refined.Add((t, line.PreActivations(t)));
                refined.Add(points[k]);
            }
            points = refined;
        }
        int last = network.Layers.Count - 1;
        return new LineRestriction(origin, direction, [.. points.Select(p => p.T)], [.. points.Select(p => p.Z[last][0])]);
    }

    /// <summary>
    /// The exact forward pass at p + t·v, with the first layer (and every skip term) kept as
    /// affine forms in t so a point costs no d-length dot product.
    /// </summary>
    private sealed class LineForms
    {
        private readonly Network _network;
        private readonly Rational[][] _constant, _slope; // per layer: input-dependent part at t = 0 and its t-coefficient

        public LineForms(Network network, Rational[] origin, Rational[] direction)
        {
            _network = network;
            int layers = network.Layers.Count;
            _constant = new Rational[layers][];
            _slope = new Rational[layers][];
            for (int l = 0; l < layers; l++)
            {
                var layer = network.Layers[l];
                _constant[l] = new Rational[layer.Outputs];
                _slope[l] = new Rational[layer.Outputs];
                for (int i = 0; i < layer.Outputs; i++)
                {
                    Rational c = Rational.Zero, s = Rational.Zero;
                    // The first layer's weights and every layer's skip act on x itself.
                    foreach (var matrix in (Rational[][]?[])[l == 0 ? layer.Weights : null, layer.Skip])
                    {
                        if (matrix is null) continue;
                        for (int j = 0; j < matrix[i].Length; j++)
                        {
                            var w = matrix[i][j];
                            if (w.IsZero) continue;
                            if (!origin[j].IsZero) c += w * origin[j];
                            if (!direction[j].IsZero) s += w * direction[j];
                        }
                    }
                    _constant[l][i] = c;
                    _slope[l][i] = s;
                }
            }
        }

        public Rational[][] PreActivations(Rational t)
        {
            var layers = _network.Layers;
            var z = new Rational[layers.Count][];
            Rational[] h = [];
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                var zl = new Rational[layer.Outputs];
                var next = new Rational[layer.Outputs];
                for (int i = 0; i < layer.Outputs; i++)
                {
                    Rational v = layer.Bias[i] + _constant[l][i] + t * _slope[l][i];
                    if (l > 0)
                    {
                        var row = layer.Weights[i];
                        for (int j = 0; j < row.Length; j++) if (!row[j].IsZero && !h[j].IsZero) v += row[j] * h[j];
                    }
                    zl[i] = v;
                    next[i] = layer.Activate(v);
                }
                z[l] = zl;
                h = next;
            }
            return z;
        }
    }
}
