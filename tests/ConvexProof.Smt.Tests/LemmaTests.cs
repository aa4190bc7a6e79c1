using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt.Tests;

/// <summary>
/// The gap lemmas the queries add (g ≥ min(e, 0) per ReLU unit) checked in exact arithmetic at many
/// concrete points, independently of any solver; and the forward-mode directional derivative of
/// the local query checked against f(m + εt) − f(m) = ε·f'(m; t) for small ε.
/// </summary>
public class LemmaTests
{
    /// <summary>Networks with small integer weights, so that points on a grid often sit exactly on kinks.</summary>
    private static Network IntegerNet(Random rng)
    {
        int d = rng.Next(1, 4);
        var layers = new List<Layer>();
        int previous = d;
        int hidden = rng.Next(1, 4);
        for (int l = 0; l <= hidden; l++)
        {
            bool last = l == hidden;
            int width = last ? 1 : rng.Next(2, 5);
            Rational[] Row(int n) => [.. Enumerable.Range(0, n).Select(_ => (Rational)rng.Next(-2, 3))];
            layers.Add(new Layer(
                [.. Enumerable.Range(0, width).Select(_ => Row(previous))],
                Row(width),
                l > 0 && rng.Next(2) == 0 ? [.. Enumerable.Range(0, width).Select(_ => Row(d))] : null,
                last ? Activation.Identity : (l == 1 && rng.Next(4) == 0 ? Activation.Identity : Activation.Relu)));
            previous = width;
        }
        return new Network(d, layers);
    }

    private static Rational[] GridPoint(Random rng, int d) => [.. Enumerable.Range(0, d).Select(_ => new Rational(rng.Next(-6, 7), 2))];

    /// <summary>Pre-activations and outputs of every unit at x.</summary>
    private static (Rational[][] Z, Rational[][] H) Trace(Network net, Rational[] x)
    {
        var z = new Rational[net.Layers.Count][];
        var h = new Rational[net.Layers.Count][];
        Rational[] input = x;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            z[l] = new Rational[layer.Outputs];
            h[l] = new Rational[layer.Outputs];
            for (int u = 0; u < layer.Outputs; u++)
            {
                Rational v = layer.Bias[u];
                for (int j = 0; j < input.Length; j++) v += layer.Weights[u][j] * input[j];
                if (layer.Skip is not null) for (int j = 0; j < x.Length; j++) v += layer.Skip[u][j] * x[j];
                z[l][u] = v;
                h[l][u] = layer.Activation == Activation.Relu ? Rational.Max(v, 0) : v;
            }
            input = h[l];
        }
        return (z, h);
    }

    /// <summary>The local query's forward mode: ż = W ḣ + S t; ḣ = ż, 0 or relu(ż) as z(m) &gt; 0, &lt; 0 or = 0.</summary>
    private static (Rational[][] Z, Rational[][] H) Derivative(Network net, Rational[][] zAtM, Rational[] t)
    {
        var z = new Rational[net.Layers.Count][];
        var h = new Rational[net.Layers.Count][];
        Rational[] input = t;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            z[l] = new Rational[layer.Outputs];
            h[l] = new Rational[layer.Outputs];
            for (int u = 0; u < layer.Outputs; u++)
            {
                Rational v = 0;
                for (int j = 0; j < input.Length; j++) v += layer.Weights[u][j] * input[j];
                if (layer.Skip is not null) for (int j = 0; j < t.Length; j++) v += layer.Skip[u][j] * t[j];
                z[l][u] = v;
                h[l][u] = layer.Activation != Activation.Relu ? v
                    : zAtM[l][u].Sign > 0 ? v : zAtM[l][u].Sign < 0 ? Rational.Zero : Rational.Max(v, 0);
            }
            input = h[l];
        }
        return (z, h);
    }

    private static void AssertGap(Network net, Rational g, Rational e, string where)
    {
        Assert.True(g >= Rational.Min(e, 0), $"{where}: g = {g} < min(e, 0) with e = {e}");
    }

    [Fact]
    public void The_midpoint_gap_lemma_holds_everywhere_we_look()
    {
        var rng = new Random(5);
        var half = new Rational(1, 2);
        for (int n = 0; n < 200; n++)
        {
            var net = IntegerNet(rng);
            for (int k = 0; k < 20; k++)
            {
                var x = GridPoint(rng, net.InputDim);
                var y = GridPoint(rng, net.InputDim);
                var m = x.Zip(y, (a, b) => (a + b) * half).ToArray();
                var (zx, hx) = Trace(net, x);
                var (zy, hy) = Trace(net, y);
                var (zm, hm) = Trace(net, m);
                for (int l = 0; l < net.Layers.Count; l++)
                    for (int u = 0; u < net.Layers[l].Outputs; u++)
                        if (net.Layers[l].Activation == Activation.Relu)
                            AssertGap(net, (hx[l][u] + hy[l][u]) * half - hm[l][u], (zx[l][u] + zy[l][u]) * half - zm[l][u], $"net {n}, unit {l}/{u}");
            }
        }
    }

    [Fact]
    public void The_local_gap_lemma_and_the_derivative_semantics_hold()
    {
        var rng = new Random(6);
        var epsilon = new Rational(1, 1 << 20);
        int onKinks = 0;
        for (int n = 0; n < 200; n++)
        {
            var net = IntegerNet(rng);
            for (int k = 0; k < 20; k++)
            {
                var m = GridPoint(rng, net.InputDim);
                var t = GridPoint(rng, net.InputDim);
                var (zm, _) = Trace(net, m);
                if (zm.SelectMany(r => r).Any(v => v.IsZero)) onKinks++;
                var (zp, hp) = Derivative(net, zm, t);
                var (zn, hn) = Derivative(net, zm, [.. t.Select(v => -v)]);
                for (int l = 0; l < net.Layers.Count; l++)
                    for (int u = 0; u < net.Layers[l].Outputs; u++)
                        if (net.Layers[l].Activation == Activation.Relu)
                            AssertGap(net, hp[l][u] + hn[l][u], zp[l][u] + zn[l][u], $"net {n}, unit {l}/{u}");
                // f(m ± εt) = f(m) ± ε f'(m; ±t) exactly for small ε (grid data: breakpoints are far from 2^-20).
                var fm = net.Evaluate(m);
                Assert.Equal(fm + epsilon * zp[^1][0], net.Evaluate([.. m.Zip(t, (a, b) => a + epsilon * b)]));
                Assert.Equal(fm + epsilon * zn[^1][0], net.Evaluate([.. m.Zip(t, (a, b) => a - epsilon * b)]));
            }
        }
        Assert.True(onKinks > 500, $"only {onKinks} points on kinks");
    }
}
