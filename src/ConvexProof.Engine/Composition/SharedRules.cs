using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>
/// The rule table on a weight-shared layer, one rule per output channel (docs/maths.md, "Kernels and
/// padding"). Every unit of channel o sums K[o, c, ky, kx]·v over its kernel positions, v an entry of
/// input channel c or a padding value: 0 (zeros: a constant, affine), or an entry of channel c itself
/// (circular, reflect: a reused input, as convex or affine as channel c). So when every nonzero entry
/// on a channel that is not affine is positive, each unit's pre-activation is a non-negative
/// combination of convex terms plus affine ones, whatever the mode, the position or how often an
/// input is read — a sufficient test for every unit at once (a unit whose window leaves a negative
/// entry out in the zero padding is still refused: conservative). A channel of the previous layer is
/// affine when all its units are.
/// </summary>
internal static class SharedRules
{
    public static (string?[] Rules, bool[] AffineUnits) Derive(SharedLayer shared, Layer layer, bool square, int l, bool[] affineBefore,
        List<RuleFailure> failures)
    {
        var main = shared.Main;
        var affineChannel = new bool[main.Input.Channels];
        for (int c = 0; c < affineChannel.Length; c++)
        {
            affineChannel[c] = true;
            for (int u = c * main.Input.Plane; u < (c + 1) * main.Input.Plane; u++) affineChannel[c] &= affineBefore[u];
        }
        var rules = new string?[main.OutChannels];
        var affine = new bool[shared.Units];
        for (int o = 0; o < main.OutChannels; o++)
        {
            var (zAffine, reason, path) = PreActivation(shared, o, affineChannel, l);
            string? rule = reason is null ? CompositionRules.OutputRule(layer, square, zAffine, out reason) : null;
            if (rule is null) failures.Add(new RuleFailure(l, o, reason!, path ?? $"$.layers[{l}]") { IsChannel = true });
            rules[o] = rule;
            if (rule == CompositionRules.Affine) Array.Fill(affine, true, o * shared.Output.Plane, shared.Output.Plane);
        }
        return (rules, affine);
    }

    private static (bool Affine, string? Reason, string? Path) PreActivation(SharedLayer shared, int o, bool[] affineChannel, int l)
    {
        bool affine = true;
        var main = shared.Main;
        for (int c = 0; c < main.GroupChannels; c++)
        {
            int channel = main.InputChannel(o, c);
            if (affineChannel[channel]) continue;
            for (int ky = 0; ky < main.KernelHeight; ky++)
                for (int kx = 0; kx < main.KernelWidth; kx++)
                {
                    int k = main.KernelIndex(o, c, ky, kx);
                    var w = main.Kernel[k];
                    if (w.IsZero) continue;
                    if (w.Sign < 0)
                        return (false, $"kernel entry {CompositionRules.Approx(w)} at [{o}, {c}, {ky}, {kx}] reads channel {channel + 1} of the layer before " +
                            "(convex, not affine: a negative weight makes it concave)", $"$.layers[{l}].conv.kernel[{k}]");
                    affine = false;
                }
        }
        if (shared.Square is SquaredConv q && !q.Coefficient.IsZero)
        {
            if (q.Coefficient.Sign < 0)
                return (false, $"quadratic_conv has coefficient {CompositionRules.Approx(q.Coefficient)} < 0 (concave squares)", $"$.layers[{l}].quadratic_conv.coefficient");
            affine = false;
        }
        return (affine, null, null);
    }
}
