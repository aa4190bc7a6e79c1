using System.Globalization;
using ConvexProof.Networks;

namespace ConvexProof.Onnx;

/// <summary>The one-line description `convexproof import` prints.</summary>
public static class ImportSummary
{
    /// <summary>For example "3 layers, widths 2 → 16 relu → 16 relu → 1, 2 skip connections, 337 parameters, 32 ReLU units".</summary>
    public static string Describe(Network network)
    {
        var widths = new List<string> { network.InputDim.ToString(CultureInfo.InvariantCulture) };
        foreach (var layer in network.Layers)
            widths.Add(layer.Outputs.ToString(CultureInfo.InvariantCulture) + (layer.Activation == Activation.Relu ? " relu" : ""));
        int skips = network.Layers.Count(l => l.Skip is not null);
        string Plural(long n, string word) => $"{n.ToString(CultureInfo.InvariantCulture)} {word}{(n == 1 ? "" : "s")}";
        var parts = new List<string> { Plural(network.Layers.Count, "layer"), "widths " + string.Join(" → ", widths) };
        if (skips > 0) parts.Add(Plural(skips, "skip connection"));
        parts.Add(Plural(network.ParameterCount, "parameter"));
        parts.Add(Plural(network.NeuronCount, "ReLU unit"));
        return string.Join(", ", parts);
    }
}
