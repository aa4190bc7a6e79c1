using ConvexProof.Networks;

namespace ConvexProof.Bounds;

/// <summary>
/// The structural (ICNN) certificate: f is convex on all of R^d, hence on every box, when every
/// weight applied to a post-activation that is not affine in x is ≥ 0, output layer included
/// (skips and weights on affine inputs of any sign). This is the same rule `info` reports
/// (<see cref="NetworkInfo.FindIcnnObstacle"/>), kept in one place; in the bound argument it is the
/// case where every adjoint δ_ν is ≥ 0 with no bounds at all (docs/certificate.md).
/// </summary>
public static class StructuralTest
{
    /// <summary>The first weight breaking the rule, or null when the network is convex by its signs.</summary>
    public static IcnnObstacle? Obstacle(Network network) => NetworkInfo.FindIcnnObstacle(network);

    public static bool IsIcnn(Network network) => Obstacle(network) is null;
}
