using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>
/// c·(K_q * x + β)² per unit: the square of a convolution of the input (plus β per output channel),
/// times one coefficient c, added to the layer's pre-activations (deepinv's (W_q x)² terms).
/// </summary>
public sealed record SquaredConv(SharedConv Conv, Rational[] Beta, Rational Coefficient);

/// <summary>
/// A layer in weight-shared form (docs/formats.md, "Weight-shared layers"): unit (o, y, x) has the
/// pre-activation (K * h)[o, y, x] + (K_s * x)[o, y, x] + b_o + c·((K_q * x)[o, y, x] + β_o)², with h
/// the previous layer's output (the network input for the first layer), x the network input, and one
/// bias per output channel. The plain network's layer has no weight rows and the bias per unit.
/// </summary>
public sealed record SharedLayer(SharedConv Main, SharedConv? Skip, SquaredConv? Square, Rational[] ChannelBias)
{
    public TensorShape Output => Main.Output;
    public int Units => (int)Output.Size;

    /// <summary>The bias of every unit (b_o repeated over channel o's positions).</summary>
    public Rational[] UnitBias() => [.. Enumerable.Range(0, Units).Select(u => ChannelBias[u / Output.Plane])];

    /// <summary>Exact pre-activations from the previous layer's outputs h and the input x.</summary>
    public Rational[] PreActivations(IReadOnlyList<Rational> h, IReadOnlyList<Rational> x)
    {
        var z = Main.Apply(h);
        var skip = Skip?.Apply(x);
        var square = Square?.Conv.Apply(x);
        int plane = Output.Plane;
        for (int u = 0; u < z.Length; u++)
        {
            z[u] += ChannelBias[u / plane];
            if (skip is not null) z[u] += skip[u];
            if (square is not null && !Square!.Coefficient.IsZero)
            {
                var t = square[u] + Square.Beta[u / plane];
                z[u] += Square.Coefficient * t * t;
            }
        }
        return z;
    }

    private double[]? _floatBias, _floatBeta;

    /// <summary>The same in doubles (proposals only).</summary>
    public double[] PreActivations(double[] h, double[] x)
    {
        var z = Main.Apply(h);
        var skip = Skip?.Apply(x);
        var square = Square?.Conv.Apply(x);
        double c = Square?.Coefficient.ToDouble() ?? 0;
        var bias = _floatBias ??= [.. ChannelBias.Select(b => b.ToDouble())];
        var beta = _floatBeta ??= [.. (Square?.Beta ?? []).Select(b => b.ToDouble())];
        int plane = Output.Plane;
        for (int u = 0; u < z.Length; u++)
        {
            z[u] += bias[u / plane];
            if (skip is not null) z[u] += skip[u];
            if (square is not null)
            {
                double t = square[u] + beta[u / plane];
                z[u] += c * t * t;
            }
        }
        return z;
    }
}
