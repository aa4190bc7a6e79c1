using ConvexProof.Numbers;

namespace ConvexProof.Simplification;

/// <summary>The rewrite identities of an equivalence certificate (docs/formats.md, "Equivalence certificates").</summary>
public enum RewriteKind
{
    /// <summary>A hidden unit whose outgoing column is zero is deleted (row of its layer, column of the next).</summary>
    Remove,

    /// <summary>row(unit) = s·row(into), s &gt; 0: relu(s·z) = s·relu(z) moves the unit's column onto into's.</summary>
    Merge,

    /// <summary>row(unit) = −s·row(into), s &gt; 0, z affine in x: relu(−z) = relu(z) − z, the −z into the next layer's skip.</summary>
    Opposite,

    /// <summary>The pre-activation is ≤ 0 on the domain: the unit's output is 0, its column becomes zero.</summary>
    Dead,

    /// <summary>The pre-activation is ≥ 0 on the domain (or the layer is identity) and affine in x: folded into the next layer's skip.</summary>
    AlwaysOn,

    /// <summary>Layer <c>Layer</c> has all weights zero: the layers before it are dropped, its skip becomes its weights.</summary>
    Cut,
}

/// <summary>
/// One rewrite step, in the numbering of the network it applies to (each step renumbers what follows:
/// a removed unit shifts the later ones of its layer, a cut shifts the layers). <see cref="Into"/> and
/// <see cref="Scale"/> belong to merge and opposite only.
/// </summary>
public sealed record RewriteStep(RewriteKind Kind, int Layer, int Unit = -1, int Into = -1, Rational? Scale = null)
{
    /// <summary>The "step" name of the certificate.</summary>
    public string Name => Kind switch
    {
        RewriteKind.Remove => "remove",
        RewriteKind.Merge => "merge",
        RewriteKind.Opposite => "opposite",
        RewriteKind.Dead => "dead",
        RewriteKind.AlwaysOn => "always_on",
        _ => "cut",
    };

    public override string ToString() => Kind switch
    {
        RewriteKind.Cut => $"cut: layer {Layer + 1} has no non-zero weight, the layers before it are dropped",
        RewriteKind.Merge => $"merge: layer {Layer + 1} unit {Unit + 1} = {Scale} × unit {Into + 1} (parallel)",
        RewriteKind.Opposite => $"opposite: layer {Layer + 1} unit {Unit + 1} = −{Scale} × unit {Into + 1}, the difference folded into the skip",
        RewriteKind.Dead => $"dead: layer {Layer + 1} unit {Unit + 1} is off on the domain",
        RewriteKind.AlwaysOn => $"always on: layer {Layer + 1} unit {Unit + 1} is affine on the domain, folded into the skip",
        _ => $"remove: layer {Layer + 1} unit {Unit + 1} has no outgoing weight",
    };
}
