using System.Globalization;
using ConvexProof.Networks;

namespace ConvexProof.Onnx;

/// <summary>A network read from an ONNX model, with the operator of every node it was lowered from
/// (in graph order) and the number of nodes that only computed constants (folded exactly).</summary>
public sealed record ImportedModel(Network Network, IReadOnlyList<string> LoweredOperators, int FoldedNodes)
{
    /// <summary>The composition model when the graph squares something (docs/formats.md, "Composition models"); then <see cref="Network"/> is its plain part.</summary>
    public Composition.CompositionNetwork? Composition { get; init; }
}

/// <summary>The one-line description `convexproof import` prints.</summary>
public static class ImportSummary
{
    /// <summary>What was lowered, then the dense network it became: for example
    /// "Conv ×2, Relu ×2, Flatten, Gemm (2 constant nodes folded) → 3 layers, widths 784 → 676 relu → 144 relu → 1, 628293 parameters, 820 ReLU units"
    /// (the parameters are those of the dense layers: every weight of a lowered convolution, zeros included).</summary>
    public static string Describe(ImportedModel model)
    {
        var counts = new List<(string Op, int Count)>();
        foreach (var op in model.LoweredOperators)
        {
            int i = counts.FindIndex(c => c.Op == op);
            if (i < 0) counts.Add((op, 1));
            else counts[i] = (op, counts[i].Count + 1);
        }
        string lowered = counts.Count == 0 ? "no nodes" : string.Join(", ", counts.Select(c => c.Count == 1 ? c.Op : $"{c.Op} ×{c.Count.ToString(CultureInfo.InvariantCulture)}"));
        string folded = model.FoldedNodes == 0 ? "" : $" ({model.FoldedNodes.ToString(CultureInfo.InvariantCulture)} constant node{(model.FoldedNodes == 1 ? "" : "s")} folded)";
        var shared = model.Composition?.Layers.Select(l => l.Shared).OfType<Composition.SharedLayer>().ToList() ?? [];
        long kernels = shared.Sum(l => (long)l.Main.Kernel.Length + (l.Skip?.Kernel.Length ?? 0) + (l.Square?.Conv.Kernel.Length ?? 0));
        // A weight-shared layer's weights are its kernels: the dense count has only its biases.
        string kept = shared.Count == 0 ? "" : $", {shared.Count.ToString(CultureInfo.InvariantCulture)} weight-shared layer{(shared.Count == 1 ? "" : "s")} with {kernels.ToString(CultureInfo.InvariantCulture)} kernel entries (counted apart from the parameters)";
        return $"{lowered}{folded} → {Describe(model.Network)}{kept}";
    }

    /// <summary>For example "3 layers, widths 2 → 16 relu → 16 relu → 1, 2 skip connections, 337 parameters, 32 ReLU units".</summary>
    public static string Describe(Network network)
    {
        var widths = new List<string> { network.InputDim.ToString(CultureInfo.InvariantCulture) };
        foreach (var layer in network.Layers)
            widths.Add(layer.Outputs.ToString(CultureInfo.InvariantCulture) + (layer.IsLeaky ? $" leaky_relu(α={ExactText.Format(layer.Alpha)})" : layer.Activation == Activation.Relu ? " relu" : ""));
        int skips = network.Layers.Count(l => l.Skip is not null);
        string Plural(long n, string word) => $"{n.ToString(CultureInfo.InvariantCulture)} {word}{(n == 1 ? "" : "s")}";
        var parts = new List<string> { Plural(network.Layers.Count, "layer"), "widths " + string.Join(" → ", widths) };
        if (skips > 0) parts.Add(Plural(skips, "skip connection"));
        parts.Add(Plural(network.ParameterCount, "parameter"));
        parts.Add(Plural(network.NeuronCount, "ReLU unit"));
        return string.Join(", ", parts);
    }
}
