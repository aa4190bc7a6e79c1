using ConvexProof.Bounds;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Simplification;

/// <summary>A network, an equivalent one on the domain, and the rewrite steps from the first to the second.</summary>
public sealed record SimplificationResult(Network Original, Network Result, Domain Domain, IReadOnlyList<RewriteStep> Steps)
{
    /// <summary>How many steps of each kind, in the order of <see cref="RewriteKind"/> (kinds with none left out).</summary>
    public IEnumerable<(RewriteKind Kind, int Count)> Counts() =>
        Steps.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => (g.Key, g.Count()));
}

/// <summary>
/// Removes, layer by layer and repeated to a fixed point, the exact redundancies of a network on a
/// domain (docs/maths.md, "Simplification"): units dead or affine on the domain (exact interval
/// bounds), units with parallel or opposite hyperplanes, units nothing reads, layers nothing reads.
/// Every change is one <see cref="RewriteStep"/>, applied as it is found, so the steps replayed from
/// the original give exactly the result.
/// </summary>
public static class Simplifier
{
    public static SimplificationResult Simplify(Network network, Domain domain)
    {
        var (net, steps) = Run(network, domain, removeUnits: true);
        return new SimplificationResult(network, net.ToNetwork(), domain, steps);
    }

    /// <summary>
    /// The fixed point of the bound and merge passes (and, with <paramref name="removeUnits"/>, the
    /// removal of what nothing reads; without it the widths stay as they are).
    /// </summary>
    internal static (EditableNetwork Network, List<RewriteStep> Steps) Run(Network network, Domain domain, bool removeUnits)
    {
        if (domain.Dimension != network.InputDim)
            throw new ArgumentException($"the domain has dimension {domain.Dimension} but the network has {network.InputDim} inputs");
        var net = new EditableNetwork(network);
        var steps = new List<RewriteStep>();
        void Apply(RewriteStep step)
        {
            net.Apply(step);
            steps.Add(step);
        }
        for (int before = -1; before != steps.Count;)
        {
            before = steps.Count;
            BoundPass(net, domain, Apply);
            MergePass(net, Apply);
            if (removeUnits) RemovalPass(net, Apply);
        }
        return (net, steps);
    }

    /// <summary>
    /// Dead (not in leaky layers, where an off unit passes α·z) and always-on units, decided on bounds computed once at the start of the pass: these steps
    /// only tighten the interval bounds of later layers (a dead unit adds [0, 0] either way, a folded
    /// unit's range is replaced by its form inside the next layer's), so what held at the start still
    /// holds when the checker recomputes the bounds before each step.
    /// </summary>
    private static void BoundPass(EditableNetwork net, Domain domain, Action<RewriteStep> apply)
    {
        var bounds = domain.IsBox ? PreActivationBounds.Compute(net.ToNetwork(), new LeafDomain(domain.Lower!, domain.Upper!, [])) : null;
        for (int l = 0; l < net.Depth - 1; l++)
            for (int u = 0; u < net.Width(l); u++)
            {
                if (net.ColumnIsZero(l, u)) continue;
                var affine = net.AffineInX(l, u);
                if (net.ActivationOf(l) != Activation.Relu)
                {
                    if (affine is not null) apply(new RewriteStep(RewriteKind.AlwaysOn, l, u));
                    continue;
                }
                if (Range(net, domain, bounds, l, u) is not Interval z) continue;
                if (z.Hi.Sign <= 0 && !net.IsLeaky(l)) apply(new RewriteStep(RewriteKind.Dead, l, u));
                else if (z.Lo.Sign >= 0 && affine is not null) apply(new RewriteStep(RewriteKind.AlwaysOn, l, u));
            }
    }

    /// <summary>
    /// The unit's pre-activation range on the domain, or null when unbounded: a constant on any domain;
    /// on a box the exact range of the affine form in the first layer (as the checker computes it) and
    /// the interval pass elsewhere.
    /// </summary>
    internal static Interval? Range(EditableNetwork net, Domain domain, PreActivationBounds? bounds, int layer, int unit)
    {
        var affine = net.AffineInX(layer, unit);
        if (affine is { } constant && constant.Coefficients.All(v => v.IsZero)) return Interval.Point(constant.Constant);
        if (!domain.IsBox) return null;
        if (layer > 0 || affine is not { } form) return bounds!.Layers[layer][unit];
        var (a, lo) = form;
        var hi = lo;
        for (int j = 0; j < a.Length; j++)
        {
            var (low, high) = (a[j] * domain.Lower![j], a[j] * domain.Upper![j]);
            (lo, hi) = (lo + Rational.Min(low, high), hi + Rational.Max(low, high));
        }
        return new Interval(lo, hi);
    }

    /// <summary>
    /// Units of a ReLU layer (leaky ones too: σ(s·z) = s·σ(z) for s &gt; 0) whose rows (weights, skip, bias) are positive or negative multiples of one
    /// another: the later ones are merged into the first of their group; opposite ones need that
    /// first unit's pre-activation to be affine in x and the layer not leaky, else they are merged into the first opposite one.
    /// </summary>
    private static void MergePass(EditableNetwork net, Action<RewriteStep> apply)
    {
        for (int l = 0; l < net.Depth - 1; l++)
        {
            if (net.ActivationOf(l) != Activation.Relu) continue;
            var groups = new Dictionary<string, (int First, int FirstOpposite)>(StringComparer.Ordinal);
            for (int u = 0; u < net.Width(l); u++)
            {
                if (net.ColumnIsZero(l, u)) continue;
                var row = net.Row(l, u);
                int p = Array.FindIndex(row, v => !v.IsZero);
                if (p < 0 || p == row.Length - 1) continue; // constant units are the bound pass's
                string key = string.Join(" ", row.Select(v => (v / row[p].Abs()).ToString()));
                string opposite = string.Join(" ", row.Select(v => (-v / row[p].Abs()).ToString()));
                if (groups.TryGetValue(key, out var same))
                    apply(new RewriteStep(RewriteKind.Merge, l, u, same.First, row[p] / net.Row(l, same.First)[p]));
                else if (groups.TryGetValue(opposite, out var other))
                {
                    var s = -row[p] / net.Row(l, other.First)[p];
                    if (net.AffineInX(l, other.First) is not null && !net.IsLeaky(l)) apply(new RewriteStep(RewriteKind.Opposite, l, u, other.First, s));
                    else if (other.FirstOpposite >= 0) apply(new RewriteStep(RewriteKind.Merge, l, u, other.FirstOpposite, row[p] / net.Row(l, other.FirstOpposite)[p]));
                    else groups[opposite] = (other.First, u);
                }
                else groups[key] = (u, -1);
            }
        }
    }

    /// <summary>A layer with no non-zero weight is cut (with everything before it); then units nothing reads are removed (a layer keeps one).</summary>
    private static void RemovalPass(EditableNetwork net, Action<RewriteStep> apply)
    {
        for (int k = net.Depth - 1; k >= 1; k--)
            if (net.WeightsAreZero(k))
            {
                apply(new RewriteStep(RewriteKind.Cut, k));
                break;
            }
        for (int l = 0; l < net.Depth - 1; l++)
            for (int u = net.Width(l) - 1; u >= 0 && net.Width(l) > 1; u--)
                if (net.ColumnIsZero(l, u)) apply(new RewriteStep(RewriteKind.Remove, l, u));
    }
}
