using ConvexProof.Networks;

namespace ConvexProof.Composition;

/// <summary>
/// A composition model in doubles: proposes midpoint violations fast. Nothing it computes is a
/// verdict; every candidate it ranks is re-evaluated exactly by <see cref="CompositionNetwork.Evaluate"/>.
/// </summary>
public sealed class FloatModel
{
    private readonly double[][][] _weights, _skips;
    private readonly double[][] _biases;
    private readonly (int Unit, double Coefficient, double Bias, double[] Weights)[][] _terms;
    private readonly bool[] _square, _rectified;
    private readonly double[] _alpha;
    private readonly double _s;
    private readonly double[][] _factor;
    private readonly SharedLayer?[] _shared;

    public FloatModel(CompositionNetwork model)
    {
        var layers = model.Plain.Layers;
        _weights = [.. layers.Select(l => l.Weights.Select(Row).ToArray())];
        _skips = [.. layers.Select(l => l.Skip?.Select(Row).ToArray() ?? [])];
        _biases = [.. layers.Select(l => Row(l.Bias))];
        _terms = [.. model.Layers.Select(s => s.Terms.Select(t => (t.Unit, t.Coefficient.ToDouble(), t.Bias.ToDouble(), Row(t.Weights))).ToArray())];
        _square = [.. model.Layers.Select(s => s.SquareOutput)];
        _rectified = [.. layers.Select(l => l.Activation == Activation.Relu)];
        _alpha = [.. layers.Select(l => l.Alpha.ToDouble())];
        _s = model.Input?.S.ToDouble() ?? 0;
        _factor = model.Input?.Factor.Select(Row).ToArray() ?? [];
        _shared = [.. model.Layers.Select(s => s.Shared)];
    }

    private static double[] Row(Numbers.Rational[] row) => [.. row.Select(v => v.ToDouble())];

    public double Evaluate(double[] x)
    {
        double[] h = x;
        for (int l = 0; l < _weights.Length; l++)
        {
            var z = _shared[l] is SharedLayer shared ? shared.PreActivations(h, x) : new double[_biases[l].Length];
            for (int i = 0; _shared[l] is null && i < z.Length; i++)
            {
                double sum = _biases[l][i] + Dot(_weights[l][i], h);
                if (_skips[l].Length > 0) sum += Dot(_skips[l][i], x);
                z[i] = sum;
            }
            foreach (var (unit, c, b, w) in _terms[l])
            {
                double t = b + Dot(w, x);
                z[unit] += c * t * t;
            }
            for (int i = 0; i < z.Length; i++)
            {
                double a = _rectified[l] && z[i] < 0 ? _alpha[l] * z[i] : z[i];
                z[i] = _square[l] ? a * a : a;
            }
            h = z;
        }
        double f = h[0] + _s / 2 * Dot(x, x);
        foreach (var row in _factor)
        {
            double t = Dot(row, x);
            f += t * t;
        }
        return f;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += a[j] * b[j];
        return sum;
    }
}
