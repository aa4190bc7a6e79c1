using System.Text;
using System.Text.Json;
using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>Writes net.json with every value as an exact string ("3/4", "-2").</summary>
public static class NetworkWriter
{
    public static string ToJson(Network network)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("input_dim", network.InputDim);
            w.WriteStartArray("layers");
            foreach (var layer in network.Layers)
            {
                w.WriteStartObject();
                WriteMatrix(w, "weights", layer.Weights);
                w.WriteStartArray("bias");
                foreach (var b in layer.Bias) w.WriteStringValue(b.ToString());
                w.WriteEndArray();
                if (layer.Skip is not null) WriteMatrix(w, "skip", layer.Skip);
                w.WriteString("activation", layer.ActivationName);
                if (layer.IsLeaky) w.WriteString("alpha", layer.Alpha.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteMatrix(Utf8JsonWriter w, string name, Rational[][] matrix)
    {
        w.WriteStartArray(name);
        foreach (var row in matrix)
        {
            w.WriteStartArray();
            foreach (var v in row) w.WriteStringValue(v.ToString());
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
