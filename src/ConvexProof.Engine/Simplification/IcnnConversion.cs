using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Simplification;

/// <summary>
/// The outcome of <see cref="IcnnConverter.Convert"/>: the ICNN and its steps from the network, or,
/// when the network is not convex on the domain, the unit whose merged output weight is negative.
/// </summary>
public sealed record IcnnConversion(Network Original, Domain Domain, IReadOnlyList<RewriteStep> Steps, Network? Icnn, int ObstacleUnit, Rational ObstacleWeight)
{
    public bool Convex => Icnn is not null;

    /// <summary>The equivalence steps and their result (the ICNN), for the certificate writer.</summary>
    public SimplificationResult AsSimplification() =>
        new(Original, Icnn ?? throw new InvalidOperationException("internal error: a non-convex network has no ICNN"), Domain, Steps);
}

/// <summary>
/// The convexity paper's Prop. 2.2, constructively (docs/maths.md, "From a convex one-hidden-layer
/// network to an ICNN"): in f(x) = c + a·x + Σ v_i relu(w_i·x + b_i), units with the same hyperplane
/// are merged (parallel ones by relu(s·z) = s·relu(z), opposite ones by relu(−z) = relu(z) − z, the
/// affine rest into the output's skip), and on a box units whose hyperplane misses the open box are
/// folded into the skip (dead or affine there). What remains are distinct hyperplanes that meet the
/// domain's interior; f is convex there iff each one's output weight (its kink) is ≥ 0, and then the
/// network is an ICNN. No unit is removed: merged units keep a zero output weight, so the width stays.
/// </summary>
public static class IcnnConverter
{
    /// <summary>One hidden ReLU layer (not leaky) and an identity output (skips allowed): what the proposition is about.</summary>
    public static bool IsOneHiddenLayer(Network network) =>
        network.Layers.Count == 2 && network.Layers[0].Activation == Activation.Relu && !network.Layers[0].IsLeaky;

    public static IcnnConversion Convert(Network network, Domain domain)
    {
        if (!IsOneHiddenLayer(network)) throw new ArgumentException("the ICNN conversion takes a network with one hidden ReLU layer (not leaky)");
        var (net, steps) = Simplifier.Run(network, domain, removeUnits: false);
        var result = net.ToNetwork();
        var output = result.Layers[1].Weights[0];
        int obstacle = Array.FindIndex(output, v => v.Sign < 0);
        return obstacle < 0
            ? new IcnnConversion(network, domain, steps, result, -1, Rational.Zero)
            : new IcnnConversion(network, domain, steps, null, obstacle, output[obstacle]);
    }
}
