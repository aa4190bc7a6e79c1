using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt.Tests;

/// <summary>Shape and flavour of the networks <see cref="RandomNetworks"/> draws.</summary>
public sealed record RandomNetworkOptions
{
    public int MinInputDim { get; init; } = 1;
    public int MaxInputDim { get; init; } = 3;
    public int MinHiddenLayers { get; init; } = 1;
    public int MaxHiddenLayers { get; init; } = 3;
    public int MinWidth { get; init; } = 2;
    public int MaxWidth { get; init; } = 6;

    /// <summary>Input-convex: hidden-to-hidden weights ≥ 0 and a random skip connection into every later layer (convex by construction).</summary>
    public bool Icnn { get; init; }

    /// <summary>Output-layer weights ≥ 0 (|N(0,1)|); otherwise N(0,1).</summary>
    public bool NonNegativeLastLayer { get; init; } = true;

    /// <summary>
    /// Chance that a hidden row (weights, skip and bias together) is replaced by c · another row of
    /// the same layer, c ∈ {1, 2, 1/2, −1, −3/2}: duplicated, proportional and opposite units that
    /// share a hyperplane (degenerate facets).
    /// </summary>
    public double DegenerateRowProbability { get; init; }

    /// <summary>Networks with duplicated and scaled rows.</summary>
    public static RandomNetworkOptions Degenerate { get; } = new() { DegenerateRowProbability = 0.35 };
}

/// <summary>
/// Seeded random small ReLU networks for differential and property tests. The same seed and
/// options always give the same network (System.Random with a seed is deterministic across runs
/// and platforms). Hidden weights and biases are N(0,1) rounded to 2 or 3 decimals (so every value
/// is an exact short decimal); the last layer is non-negative by default.
/// </summary>
public static class RandomNetworks
{
    private static readonly Rational[] DegenerateScales = [1, 2, new Rational(1, 2), -1, new Rational(-3, 2)];

    public static Network Generate(int seed, RandomNetworkOptions? options = null) =>
        Generate(Rng(seed), options ?? new RandomNetworkOptions());

    /// <summary>
    /// A generator for a seed, mixed first (SplitMix64 finaliser): System.Random's first draws for
    /// consecutive seeds are correlated, which would make seeds 1, 2, 3, … give look-alike networks.
    /// </summary>
    public static Random Rng(int seed)
    {
        ulong z = (ulong)(uint)seed + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }

    public static Network Generate(Random rng, RandomNetworkOptions options)
    {
        int d = rng.Next(options.MinInputDim, options.MaxInputDim + 1);
        int hidden = rng.Next(options.MinHiddenLayers, options.MaxHiddenLayers + 1);
        int decimals = rng.Next(2, 4);
        var layers = new List<Layer>();
        int previous = d;
        for (int l = 0; l <= hidden; l++)
        {
            bool last = l == hidden;
            int width = last ? 1 : rng.Next(options.MinWidth, options.MaxWidth + 1);
            var weights = new Rational[width][];
            var bias = new Rational[width];
            Rational[][]? skip = options.Icnn && l > 0 ? new Rational[width][] : null;
            for (int u = 0; u < width; u++)
            {
                bool nonNegative = last ? options.NonNegativeLastLayer : options.Icnn && l > 0;
                weights[u] = Vector(rng, previous, decimals, nonNegative);
                bias[u] = Gaussian(rng, decimals, nonNegative: false);
                if (skip is not null) skip[u] = Vector(rng, d, decimals, nonNegative: false);
            }
            if (!last && options.DegenerateRowProbability > 0)
                for (int u = 1; u < width; u++)
                {
                    if (rng.NextDouble() >= options.DegenerateRowProbability) continue;
                    int source = rng.Next(u);
                    var c = DegenerateScales[rng.Next(DegenerateScales.Length)];
                    // An ICNN's hidden-to-hidden weights must stay non-negative: only positive scales there.
                    if (options.Icnn && l > 0 && c.Sign < 0) c = -c;
                    weights[u] = Scale(weights[source], c);
                    bias[u] = bias[source] * c;
                    if (skip is not null) skip[u] = Scale(skip[source], c);
                }
            layers.Add(new Layer(weights, bias, skip, last ? Activation.Identity : Activation.Relu));
            previous = width;
        }
        return new Network(d, layers);
    }

    /// <summary>A box with integer-or-half bounds around the origin, e.g. [−3/2, 2] per coordinate.</summary>
    public static Domain RandomBox(Random rng, int dimension)
    {
        var lo = new Rational[dimension];
        var hi = new Rational[dimension];
        for (int i = 0; i < dimension; i++)
        {
            lo[i] = new Rational(-rng.Next(0, 7), 2);
            hi[i] = lo[i] + new Rational(rng.Next(1, 9), 2);
        }
        return Domain.Box(lo, hi);
    }

    /// <summary>N(0,1) (Box–Muller) rounded to the given number of decimals, as an exact rational.</summary>
    public static Rational Gaussian(Random rng, int decimals, bool nonNegative)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        double g = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        if (nonNegative) g = Math.Abs(g);
        var scale = BigInteger.Pow(10, decimals);
        return new Rational(new BigInteger(Math.Round(g * (double)scale, MidpointRounding.AwayFromZero)), scale);
    }

    private static Rational[] Vector(Random rng, int n, int decimals, bool nonNegative)
    {
        var v = new Rational[n];
        for (int i = 0; i < n; i++) v[i] = Gaussian(rng, decimals, nonNegative);
        return v;
    }

    private static Rational[] Scale(Rational[] v, Rational c) => [.. v.Select(x => x * c)];
}
