using System.Text;
using System.Text.Json;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>The one-line JSON objects of --json (certify, check, info): non-ASCII text written as is.</summary>
public static class JsonLine
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A box as in cert.json: [["lo","hi"], …], exact rationals in canonical form.</summary>
    public static void WriteBox(Utf8JsonWriter w, IReadOnlyList<string> lower, IReadOnlyList<string> upper)
    {
        w.WriteStartArray();
        for (int i = 0; i < lower.Count; i++)
        {
            w.WriteStartArray();
            w.WriteStringValue(lower[i]);
            w.WriteStringValue(upper[i]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
