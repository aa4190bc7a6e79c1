using System.Security.Cryptography;
using System.Text;

namespace ConvexProof.Networks;

/// <summary>
/// Binds certificates to networks: SHA-256 of a canonical text of the exact parameters (format in
/// docs/formats.md), so reformatting net.json or writing 0.5 as "1/2" keeps the hash, while any
/// change of a value, a shape or an activation changes it.
/// </summary>
public static class NetworkHash
{
    public static string CanonicalText(Network network)
    {
        var sb = new StringBuilder();
        sb.Append("convexproof-network/1\n");
        sb.Append("input_dim ").Append(network.InputDim).Append('\n');
        foreach (var layer in network.Layers)
        {
            sb.Append("layer ").Append(layer.Activation == Activation.Relu ? "relu" : "identity")
              .Append(' ').Append(layer.Outputs).Append(' ').Append(layer.Inputs)
              .Append(layer.Skip is null ? " noskip" : " skip").Append('\n');
            foreach (var row in layer.Weights) AppendRow(sb, "w", row);
            AppendRow(sb, "b", layer.Bias);
            if (layer.Skip is not null) foreach (var row in layer.Skip) AppendRow(sb, "s", row);
        }
        return sb.ToString();
    }

    public static string Sha256(Network network) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(network))));

    private static void AppendRow(StringBuilder sb, string tag, IEnumerable<Numbers.Rational> row)
    {
        sb.Append(tag);
        foreach (var value in row) sb.Append(' ').Append(value.ToString());
        sb.Append('\n');
    }
}
