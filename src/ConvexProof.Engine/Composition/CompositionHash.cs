using System.Security.Cryptography;
using System.Text;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>
/// The network hash of a composition model (docs/formats.md): the plain network's canonical text,
/// then — only when the model has a quadratic part, so a plain network keeps its hash — a block
/// "composition", one "t" line per quadratic term, for a weight-shared layer one "conv" line per
/// convolution (its geometry, then its kernel; the channel biases are in the plain text's "b" row,
/// one per unit) and a "qc" line for its square's coefficient and β, one "square" line per squared
/// layer, "qs" for s and one "qf" line per factor row.
/// </summary>
public static class CompositionHash
{
    public static string CanonicalText(CompositionNetwork model)
    {
        var sb = new StringBuilder(NetworkHash.CanonicalText(model.Plain));
        if (!model.HasSquares) return sb.ToString();
        sb.Append("composition\n");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            foreach (var t in model.Layers[l].Terms) Row(sb, $"t {l} {t.Unit}", [t.Coefficient, t.Bias, .. t.Weights]);
            if (model.Layers[l].Shared is SharedLayer shared)
            {
                Row(sb, $"conv {l} main {shared.Main.GeometryText}", shared.Main.Kernel);
                if (shared.Skip is SharedConv skip) Row(sb, $"conv {l} skip {skip.GeometryText}", skip.Kernel);
                if (shared.Square is SquaredConv squared)
                {
                    Row(sb, $"conv {l} quadratic {squared.Conv.GeometryText}", squared.Conv.Kernel);
                    Row(sb, $"qc {l}", [squared.Coefficient, .. squared.Beta]);
                }
            }
            if (model.Layers[l].SquareOutput) Row(sb, $"square {l}", []);
        }
        if (model.Input is InputQuadratic q)
        {
            Row(sb, "qs", [q.S]);
            foreach (var row in q.Factor) Row(sb, "qf", row);
        }
        return sb.ToString();
    }

    public static string Sha256(CompositionNetwork model) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(model))));

    /// <summary>Values in canonical rational form (composition models are small enough for BigInteger.ToString).</summary>
    private static void Row(StringBuilder sb, string tag, Rational[] values)
    {
        sb.Append(tag);
        foreach (var v in values) sb.Append(' ').Append(v.ToString());
        sb.Append('\n');
    }
}
