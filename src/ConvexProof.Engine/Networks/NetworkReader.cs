using System.Text.Json;
using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>
/// Reads net.json (see docs/formats.md). Every problem becomes an <see cref="InputException"/>
/// naming the file, the JSON path and what is wrong.
/// </summary>
public static class NetworkReader
{
    /// <summary>Upper bounds that keep a malformed file from exhausting memory.</summary>
    public const int MaxInputDim = 10_000;
    public const int MaxWidth = 100_000;

    /// <summary>Deepest nesting of arrays and objects accepted (net.json needs 4).</summary>
    public const int MaxDepth = 16;

    /// <summary>Most decimal digits the exact values of one file may have together (docs/formats.md, "Limits").</summary>
    public const long MaxTotalDigits = 10_000_000;

    public static Network ReadFile(string path) => Parse(ReadBytes(path), path);

    /// <summary>The file's bytes; an unreadable file is an <see cref="InputException"/> saying why.</summary>
    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (InputException.IsReadFailure(e))
        {
            throw InputException.Unreadable(path, "$", e);
        }
    }

    /// <summary>
    /// The network in <paramref name="json"/>. The keys of composition models (docs/formats.md,
    /// "Composition models": quadratic terms, squared outputs, an input quadratic) are an input
    /// error unless <paramref name="compositionKeys"/>, when they are skipped here and read by
    /// CompositionReader (the plain part is then the network without them).
    /// </summary>
    public static Network Parse(ReadOnlyMemory<byte> json, string fileName, bool compositionKeys = false)
    {
        if (json.Span.StartsWith(Utf8ByteOrderMark)) json = json[Utf8ByteOrderMark.Length..];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new InputException(fileName, "$", JsonProblem(json.Span, e));
        }
        using (doc)
        {
            return new Reader(fileName, compositionKeys).ReadNetwork(doc.RootElement);
        }
    }

    /// <summary>A UTF-8 byte-order mark is accepted and skipped (RFC 8259 §8.1 allows parsers to ignore it).</summary>
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>What is wrong with JSON the parser rejected, in the user's terms.</summary>
    private static string JsonProblem(ReadOnlySpan<byte> json, JsonException e)
    {
        if (json.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || json.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8";
        string at = $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
        return TooDeep(json) ? $"{at}: arrays and objects are nested deeper than {MaxDepth} levels" : $"{at}: {FirstSentence(e.Message)}";
    }

    /// <summary>Whether parsing stopped because the next array or object would exceed <see cref="MaxDepth"/>.</summary>
    private static bool TooDeep(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read()) { }
            return false;
        }
        catch (JsonException) { }
        var rest = json[(int)reader.BytesConsumed..].TrimStart(" \t\r\n,:"u8);
        return reader.CurrentDepth >= MaxDepth - 1 && rest.Length > 0 && rest[0] is (byte)'[' or (byte)'{';
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    /// <summary>The optional keys of composition models, root and per layer (read by CompositionReader).</summary>
    public static readonly string[] CompositionRootKeys = ["input_quadratic"], CompositionLayerKeys = ["quadratic", "square_output", "conv", "skip_conv", "quadratic_conv"];

    private sealed class Reader(string file, bool compositionKeys)
    {
        private long _digits; // the decimal digits of the values read so far (numerators and denominators)

        private InputException Error(string path, string problem) => new(file, path, problem);

        public Network ReadNetwork(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("$", $"expected an object, found {Describe(root)}");
            CheckKeys(root, "$", ["input_dim", "layers", .. CompositionRootKeys], ["input_dim", "layers"]);
            var dimElement = root.GetProperty("input_dim");
            if (dimElement.ValueKind != JsonValueKind.Number || !dimElement.TryGetInt32(out int inputDim) || inputDim < 1 || inputDim > MaxInputDim)
                throw Error("$.input_dim", $"expected a whole number from 1 to {MaxInputDim}, found {Describe(dimElement)}");
            var layersElement = root.GetProperty("layers");
            if (layersElement.ValueKind != JsonValueKind.Array || layersElement.GetArrayLength() == 0)
                throw Error("$.layers", $"expected a non-empty array of layers, found {Describe(layersElement)}");

            var layers = new List<Layer>();
            int previousWidth = inputDim;
            int count = layersElement.GetArrayLength();
            int index = 0;
            foreach (var layerElement in layersElement.EnumerateArray())
            {
                string path = $"$.layers[{index}]";
                var layer = ReadLayer(layerElement, path, previousWidth, inputDim);
                bool last = index == count - 1;
                if (last && layer.Outputs != 1)
                    throw Error($"{path}.bias", $"the last layer must have exactly one output, found {layer.Outputs}");
                if (last && layer.Activation != Activation.Identity)
                    throw Error($"{path}.activation", "the last layer must use \"identity\" (the output is not passed through a ReLU)");
                layers.Add(layer);
                previousWidth = layer.Outputs;
                index++;
            }
            return new Network(inputDim, layers);
        }

        private Layer ReadLayer(JsonElement element, string path, int inputs, int inputDim)
        {
            if (element.ValueKind != JsonValueKind.Object) throw Error(path, $"expected a layer object, found {Describe(element)}");
            CheckKeys(element, path, ["weights", "bias", "skip", "activation", "alpha", .. CompositionLayerKeys], ["weights", "bias", "activation"]);
            var bias = ReadVector(element.GetProperty("bias"), $"{path}.bias", expectedLength: null);
            if (bias.Length == 0) throw Error($"{path}.bias", "a layer needs at least one unit");
            if (bias.Length > MaxWidth) throw Error($"{path}.bias", $"more than {MaxWidth} units");
            var weights = ReadMatrix(element.GetProperty("weights"), $"{path}.weights", bias.Length, inputs,
                inputs == inputDim && path == "$.layers[0]" ? "input_dim" : "the previous layer's width");
            Rational[][]? skip = null;
            if (element.TryGetProperty("skip", out var skipElement) && skipElement.ValueKind != JsonValueKind.Null)
                skip = ReadMatrix(skipElement, $"{path}.skip", bias.Length, inputDim, "input_dim");
            var activationElement = element.GetProperty("activation");
            var activation = activationElement.ValueKind == JsonValueKind.String ? activationElement.GetString() : null;
            var kind = activation switch
            {
                "relu" or "leaky_relu" => Activation.Relu,
                "identity" or "linear" => Activation.Identity,
                _ => throw Error($"{path}.activation", $"expected \"relu\", \"leaky_relu\" or \"identity\", found {Describe(activationElement)}"),
            };
            bool hasAlpha = element.TryGetProperty("alpha", out var alphaElement);
            if (activation == "leaky_relu" && !hasAlpha) throw Error($"{path}.alpha", "missing required key (the slope of a leaky ReLU below 0, e.g. \"1/5\")");
            if (activation != "leaky_relu" && hasAlpha) throw Error($"{path}.alpha", $"only a \"leaky_relu\" layer has a slope, this layer is \"{activation}\"");
            var alpha = hasAlpha ? ReadNumber(alphaElement, $"{path}.alpha") : Rational.Zero;
            if (alpha.Sign < 0 || alpha >= Rational.One)
                throw Error($"{path}.alpha", $"is {alpha}: a leaky ReLU's slope must lie in [0, 1) (1 is the identity, and a negative or larger slope is not convex and monotone)");
            return new Layer(weights, bias, skip, kind) { Alpha = alpha };
        }

        private Rational[][] ReadMatrix(JsonElement element, string path, int rows, int columns, string columnsName)
        {
            if (element.ValueKind != JsonValueKind.Array) throw Error(path, $"expected an array of rows, found {Describe(element)}");
            int actualRows = element.GetArrayLength();
            if (actualRows != rows)
                throw Error(path, $"expected {rows} rows (one per entry of bias), found {actualRows}");
            var result = new Rational[rows][];
            int r = 0;
            foreach (var row in element.EnumerateArray())
            {
                string rowPath = $"{path}[{r}]";
                if (row.ValueKind != JsonValueKind.Array) throw Error(rowPath, $"expected a row array, found {Describe(row)}");
                if (row.GetArrayLength() != columns)
                    throw Error(rowPath, $"expected {columns} entries ({columnsName}), found {row.GetArrayLength()}");
                result[r] = ReadVector(row, rowPath, columns);
                r++;
            }
            return result;
        }

        private Rational[] ReadVector(JsonElement element, string path, int? expectedLength)
        {
            if (element.ValueKind != JsonValueKind.Array) throw Error(path, $"expected an array of numbers, found {Describe(element)}");
            int length = element.GetArrayLength();
            if (expectedLength is int n && n != length) throw Error(path, $"expected {n} entries, found {length}");
            var result = new Rational[length];
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                result[i] = ReadNumber(item, $"{path}[{i}]");
                i++;
            }
            return result;
        }

        private Rational ReadNumber(JsonElement element, string path)
        {
            string? text = element.ValueKind switch
            {
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.String => element.GetString(),
                _ => null,
            };
            if (text is null) throw Error(path, $"expected a number or a string such as \"3/4\" or \"0x1.8p-1\", found {Describe(element)}");
            if (!ExactNumberParser.TryParse(text, out var value, out var problem)) throw Error(path, problem);
            _digits += Digits(value.Numerator) + (value.Denominator.IsOne ? 0 : Digits(value.Denominator));
            if (_digits > MaxTotalDigits)
                throw Error(path, $"the exact values up to here have more than {MaxTotalDigits} decimal digits together, the limit for one file (docs/formats.md)");
            return value;
        }

        /// <summary>An upper bound on the decimal digits of |v|, from its bit length (exact digit counts need a conversion).</summary>
        private static long Digits(System.Numerics.BigInteger v) => (long)(v.GetBitLength() * 0.30103) + 1;

        private void CheckKeys(JsonElement obj, string path, string[] allowed, string[] required)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in obj.EnumerateObject())
            {
                string at = $"{path}.{ExactNumberParser.Shorten(property.Name)}";
                if (!seen.Add(property.Name)) throw Error(at, "the key appears twice");
                bool composition = Array.IndexOf(CompositionRootKeys, property.Name) >= 0 || Array.IndexOf(CompositionLayerKeys, property.Name) >= 0;
                if (composition && !compositionKeys && Array.IndexOf(allowed, property.Name) >= 0)
                    throw Error(at, "a composition model's key (quadratic terms, squares): only certify (one model at a time, not with --out-dir), check and info read such models (docs/formats.md, \"Composition models\")");
                if (Array.IndexOf(allowed, property.Name) < 0) throw Error(at, $"unknown key (expected one of: {string.Join(", ", allowed.Except(compositionKeys ? [] : [.. CompositionRootKeys, .. CompositionLayerKeys]))})");
            }
            foreach (var key in required)
                if (!seen.Contains(key)) throw Error($"{path}.{key}", "missing required key");
        }

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{Truncate(element.GetString() ?? "")}\"",
            JsonValueKind.Number => $"the number {Truncate(element.GetRawText())}",
            JsonValueKind.Array => $"an array of {element.GetArrayLength()}",
            JsonValueKind.Object => "an object",
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => "null",
        };

        private static string Truncate(string s) => s.Length <= 40 ? s : s[..37] + "...";
    }
}
