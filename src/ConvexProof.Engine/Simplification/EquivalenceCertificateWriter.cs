using System.Text;
using System.Text.Json;
using ConvexProof.Certificates;
using ConvexProof.Networks;

namespace ConvexProof.Simplification;

/// <summary>Writes an equivalence certificate, convexproof-equivalence/1 (docs/formats.md), one step per line.</summary>
public static class EquivalenceCertificateWriter
{
    public const string Format = "convexproof-equivalence/1";

    public static string ToJson(SimplificationResult simplification)
    {
        var sb = new StringBuilder("{\n");
        sb.Append("  \"format\": \"").Append(Format).Append("\",\n");
        sb.Append("  \"network_sha256\": \"").Append(NetworkHash.Sha256(simplification.Original)).Append("\",\n");
        sb.Append("  \"simplified_sha256\": \"").Append(NetworkHash.Sha256(simplification.Result)).Append("\",\n");
        sb.Append("  ").Append(Compact(w =>
        {
            w.WriteStartObject();
            CertificateWriter.WriteDomain(w, simplification.Domain);
            w.WriteEndObject();
        })[1..^1].Replace("\"domain\":", "\"domain\": ", StringComparison.Ordinal)).Append(",\n");
        sb.Append("  \"steps\": [");
        for (int i = 0; i < simplification.Steps.Count; i++)
            sb.Append(i == 0 ? "\n    " : ",\n    ").Append(Compact(w => WriteStep(w, simplification.Steps[i])));
        sb.Append(simplification.Steps.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return sb.ToString();
    }

    private static void WriteStep(Utf8JsonWriter w, RewriteStep step)
    {
        w.WriteStartObject();
        w.WriteString("step", step.Name);
        w.WriteNumber("layer", step.Layer);
        if (step.Kind != RewriteKind.Cut) w.WriteNumber("unit", step.Unit);
        if (step.Kind is RewriteKind.Merge or RewriteKind.Opposite)
        {
            w.WriteNumber("into", step.Into);
            w.WriteString("scale", step.Scale!.Value.ToString());
        }
        w.WriteEndObject();
    }

    private static string Compact(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
