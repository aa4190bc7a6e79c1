using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ConvexProof.Checker;

/// <summary>
/// Reads net.json by the schema of docs/formats.md and computes its canonical SHA-256. Every
/// problem is a <see cref="CheckerInputException"/> with the file, the JSON path and the problem.
/// </summary>
internal static class NetworkFile
{
    public const int MaxInputDim = 10_000;
    public const int MaxWidth = 100_000;

    public static Network Read(string path)
    {
        byte[] bytes = FileBytes.Read(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new CheckerInputException(path, "$", $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
        using (doc) return ReadNetwork(doc.RootElement, path);
    }

    /// <summary>The hash of docs/formats.md: SHA-256 of the canonical text of the exact parameters.</summary>
    public static string Sha256(Network network)
    {
        var sb = new StringBuilder("convexproof-network/1\n");
        sb.Append("input_dim ").Append(network.InputDim).Append('\n');
        foreach (var layer in network.Layers)
        {
            sb.Append("layer ").Append(layer.Relu ? "relu" : "identity").Append(' ').Append(layer.Out).Append(' ')
              .Append(layer.In).Append(layer.S is null ? " noskip\n" : " skip\n");
            foreach (var row in layer.W) Row(sb, "w", row);
            Row(sb, "b", layer.B);
            if (layer.S is not null) foreach (var row in layer.S) Row(sb, "s", row);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static void Row(StringBuilder sb, string tag, Rational[] row)
    {
        sb.Append(tag);
        foreach (var v in row) sb.Append(' ').Append(v.ToString());
        sb.Append('\n');
    }

    private static Network ReadNetwork(JsonElement root, string file)
    {
        void Fail(string at, string problem) => throw new CheckerInputException(file, at, problem);
        if (root.ValueKind != JsonValueKind.Object) Fail("$", "expected an object");
        Keys(root, "$", ["input_dim", "layers"], ["input_dim", "layers"], file);
        var dim = root.GetProperty("input_dim");
        if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int d) || d < 1 || d > MaxInputDim)
            throw new CheckerInputException(file, "$.input_dim", $"expected a whole number from 1 to {MaxInputDim}");
        var layersElement = root.GetProperty("layers");
        if (layersElement.ValueKind != JsonValueKind.Array || layersElement.GetArrayLength() == 0)
            Fail("$.layers", "expected a non-empty array of layers");
        int count = layersElement.GetArrayLength(), width = d;
        var layers = new Layer[count];
        for (int l = 0; l < count; l++)
        {
            string at = $"$.layers[{l}]";
            var element = layersElement[l];
            if (element.ValueKind != JsonValueKind.Object) Fail(at, "expected a layer object");
            Keys(element, at, ["weights", "bias", "skip", "activation"], ["weights", "bias", "activation"], file);
            var bias = Vector(element.GetProperty("bias"), $"{at}.bias", null, file);
            if (bias.Length == 0 || bias.Length > MaxWidth) Fail($"{at}.bias", $"a layer needs 1 to {MaxWidth} units");
            var weights = Matrix(element.GetProperty("weights"), $"{at}.weights", bias.Length, width, file);
            Rational[][]? skip = element.TryGetProperty("skip", out var s) && s.ValueKind != JsonValueKind.Null
                ? Matrix(s, $"{at}.skip", bias.Length, d, file) : null;
            var act = element.GetProperty("activation");
            string? name = act.ValueKind == JsonValueKind.String ? act.GetString() : null;
            if (name is not ("relu" or "identity" or "linear")) Fail($"{at}.activation", "expected \"relu\" or \"identity\"");
            layers[l] = new Layer(weights, bias, skip, name == "relu");
            width = bias.Length;
        }
        if (layers[^1].Out != 1) Fail($"$.layers[{count - 1}].bias", "the last layer must have exactly one output");
        if (layers[^1].Relu) Fail($"$.layers[{count - 1}].activation", "the last layer must use \"identity\"");
        return new Network(d, layers);
    }

    private static Rational[][] Matrix(JsonElement element, string at, int rows, int columns, string file)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != rows)
            throw new CheckerInputException(file, at, $"expected an array of {rows} rows (one per entry of bias)");
        var result = new Rational[rows][];
        for (int r = 0; r < rows; r++) result[r] = Vector(element[r], $"{at}[{r}]", columns, file);
        return result;
    }

    private static Rational[] Vector(JsonElement element, string at, int? length, string file)
    {
        if (element.ValueKind != JsonValueKind.Array) throw new CheckerInputException(file, at, "expected an array of numbers");
        if (length is int n && element.GetArrayLength() != n)
            throw new CheckerInputException(file, at, $"expected {n} entries, found {element.GetArrayLength()}");
        var result = new Rational[element.GetArrayLength()];
        for (int i = 0; i < result.Length; i++)
        {
            var item = element[i];
            string? text = item.ValueKind switch
            {
                JsonValueKind.Number => item.GetRawText(),
                JsonValueKind.String => item.GetString(),
                _ => null,
            };
            if (text is null) throw new CheckerInputException(file, $"{at}[{i}]", "expected a number or a string such as \"3/4\"");
            if (!NetNumber.TryParse(text, out result[i], out var problem)) throw new CheckerInputException(file, $"{at}[{i}]", problem);
        }
        return result;
    }

    /// <summary>Unknown and repeated keys are errors: they are usually typos such as "biases".</summary>
    private static void Keys(JsonElement obj, string at, string[] allowed, string[] required, string file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw new CheckerInputException(file, $"{at}.{property.Name}", "the key appears twice");
            if (Array.IndexOf(allowed, property.Name) < 0) throw new CheckerInputException(file, $"{at}.{property.Name}", "unknown key");
        }
        foreach (var key in required)
            if (!seen.Contains(key)) throw new CheckerInputException(file, $"{at}.{key}", "missing required key");
    }
}

/// <summary>Reading a file, with every I/O failure turned into a one-line input error.</summary>
internal static class FileBytes
{
    public static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CheckerInputException(path, "$", $"cannot read the file ({e.Message})");
        }
    }
}
