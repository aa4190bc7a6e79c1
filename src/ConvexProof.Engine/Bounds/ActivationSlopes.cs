using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// The activation σ of a layer as the bound passes see it: σ(z) = z for z ≥ 0 and σ(z) = α·z below,
/// with 0 ≤ α ≤ 1 (ReLU: α = 0; a leaky ReLU: its layer's α; identity: α = 1). σ is convex and
/// non-decreasing and σ' ∈ [α, 1], which is all the soundness argument uses (docs/certificate.md).
/// </summary>
public readonly record struct ActivationSlopes(Rational Alpha)
{
    public static ActivationSlopes Of(Layer layer) =>
        new(layer.Activation == Activation.Relu ? layer.Alpha : Rational.One);

    /// <summary>σ applied to an interval (σ is non-decreasing: the ends map to the ends).</summary>
    public Interval Apply(Interval z) => new(Value(z.Lo), Value(z.Hi));

    private Rational Value(Rational z) => z.Sign >= 0 ? z : Alpha * z;

    /// <summary>
    /// The slopes σ' can take where the pre-activation lies in z: exactly 1 when z is strictly
    /// positive, exactly α when strictly negative, anywhere in [α, 1] otherwise (a smoothed σ takes
    /// every value between near the kink).
    /// </summary>
    public Interval Slopes(Interval z) =>
        z.Lo.Sign > 0 ? Interval.Point(Rational.One)
        : z.Hi.Sign < 0 ? Interval.Point(Alpha)
        : new(Alpha, Rational.One);
}
