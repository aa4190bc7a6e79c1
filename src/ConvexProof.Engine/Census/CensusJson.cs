using System.Text;
using System.Text.Json;

namespace ConvexProof.Census;

/// <summary>The census's JSON files: indented, UTF-8, one final newline.</summary>
internal static class CensusJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true })) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
