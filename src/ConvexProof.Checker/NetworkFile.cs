using System.Security.Cryptography;
using System.Text;

namespace ConvexProof.Checker;

/// <summary>
/// Reads net.json by the schema of docs/formats.md and computes its canonical SHA-256. Every
/// problem is a <see cref="CheckerInputException"/> with the file, the JSON path and the problem
/// (the typed access of <see cref="CertificateJson"/> is shared, its errors re-thrown as input errors).
/// </summary>
internal sealed class NetworkFile
{
    private static readonly KeySet NetworkKeys = new(2, "input_dim", "layers", "input_quadratic");
    private static readonly KeySet LayerKeys = new(3, "weights", "bias", "activation", "skip", "alpha", "quadratic", "square_output");

    public const int MaxInputDim = 10_000;
    public const int MaxWidth = 100_000;
    public const long MaxTotalDigits = 10_000_000;

    private long _digits; // decimal digits of the values read so far (numerators and denominators, bounded above by bit length)

    public static Network Read(string path)
    {
        using var doc = InputFile.Parse(InputFile.Read(path), 16, out var problem) ?? throw new CheckerInputException(path, "$", problem);
        try
        {
            return new NetworkFile().ReadNetwork(doc.RootElement);
        }
        catch (InvalidCertificateException e)
        {
            throw new CheckerInputException(path, e.At ?? "$", e.Reason);
        }
    }

    /// <summary>The hash of docs/formats.md: SHA-256 of the canonical text of the exact parameters.</summary>
    public static string Sha256(Network network)
    {
        var sb = new StringBuilder("convexproof-network/1\n");
        var digits = new DecimalDigits();
        void Row(string tag, Rational[] row)
        {
            sb.Append(tag);
            foreach (var v in row)
            {
                digits.Append(sb.Append(' '), v.Numerator);
                if (!v.Denominator.IsOne) digits.Append(sb.Append('/'), v.Denominator);
            }
            sb.Append('\n');
        }
        sb.Append("input_dim ").Append(network.InputDim).Append('\n');
        foreach (var layer in network.Layers)
        {
            sb.Append("layer ").Append(!layer.Relu ? "identity" : layer.Alpha.IsZero ? "relu" : "leaky_relu").Append(' ').Append(layer.Out).Append(' ')
              .Append(layer.In).Append(layer.S is null ? " noskip\n" : " skip\n");
            if (layer.Relu && !layer.Alpha.IsZero) Row("a", [layer.Alpha]);
            foreach (var row in layer.W) Row("w", row);
            Row("b", layer.B);
            if (layer.S is not null) foreach (var row in layer.S) Row("s", row);
        }
        network.Squares?.Hash(Row); // composition models only: a plain network keeps its hash
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private Network ReadNetwork(JsonElement root)
    {
        if (SharedNetwork.Declares(root)) return SharedNetwork.Read(this, root); // weight-shared layers: the Composition extension reads the file
        Keys(root, "$", NetworkKeys);
        if (!TryInt(root.GetProperty("input_dim"), 1, MaxInputDim, out int d)) throw Bad("$.input_dim", $"expected a whole number from 1 to {MaxInputDim}");
        // Arrays are enumerated, never indexed: JsonElement's indexer scans, so indexing rows is quadratic.
        var layerItems = Items(root.GetProperty("layers"), "$.layers");
        if (layerItems.Length == 0) throw Bad("$.layers", "expected a non-empty array of layers");
        int count = layerItems.Length, width = d;
        var layers = new Layer[count];
        for (int l = 0; l < count; l++)
        {
            string at = $"$.layers[{l}]";
            var element = layerItems[l];
            Keys(element, at, LayerKeys);
            var bias = Vector(element.GetProperty("bias"), $"{at}.bias", null);
            if (bias.Length == 0 || bias.Length > MaxWidth) throw Bad($"{at}.bias", $"a layer needs 1 to {MaxWidth} units");
            var weights = Matrix(element.GetProperty("weights"), $"{at}.weights", bias.Length, width);
            Rational[][]? skip = element.TryGetProperty("skip", out var s) && s.ValueKind != JsonValueKind.Null ? Matrix(s, $"{at}.skip", bias.Length, d) : null;
            string? name = element.GetProperty("activation") is { ValueKind: JsonValueKind.String } act ? act.GetString() : null;
            if (name is not ("relu" or "leaky_relu" or "identity" or "linear")) throw Bad($"{at}.activation", "expected \"relu\", \"leaky_relu\" or \"identity\"");
            if (element.TryGetProperty("alpha", out var a) != (name == "leaky_relu")) throw Bad($"{at}.alpha", "a \"leaky_relu\" layer, and only such a layer, has a slope \"alpha\"");
            var alpha = name == "leaky_relu" ? Number(a, $"{at}.alpha") : Rational.Zero;
            if (alpha.Sign < 0 || alpha >= Rational.One) throw Bad($"{at}.alpha", $"is {alpha}: a leaky ReLU's slope must lie in [0, 1)");
            layers[l] = new Layer(weights, bias, skip, name is "relu" or "leaky_relu", alpha);
            width = bias.Length;
        }
        if (layers[^1].Out != 1) throw Bad($"$.layers[{count - 1}].bias", "the last layer must have exactly one output");
        if (layers[^1].Relu) throw Bad($"$.layers[{count - 1}].activation", "the last layer must use \"identity\"");
        return new Network(d, layers) { Squares = Squares.Read(this, root, layerItems, layers, d) };
    }

    internal Rational[][] Matrix(JsonElement element, string at, int rows, int columns) => Items(element, at) is var items && items.Length == rows
        ? [.. items.Select((row, r) => Vector(row, $"{at}[{r}]", columns))] : throw Bad(at, $"expected an array of {rows} rows (one per entry of bias)");

    internal Rational[] Vector(JsonElement element, string at, int? length)
    {
        var items = Items(element, at);
        if (length is int n && items.Length != n) throw Bad(at, $"expected {n} entries, found {items.Length}");
        return [.. items.Select((item, i) => Number(item, $"{at}[{i}]"))];
    }

    internal Rational Number(JsonElement item, string at)
    {
        string text = item.ValueKind == JsonValueKind.Number ? item.GetRawText() : item.ValueKind == JsonValueKind.String ? item.GetString()!
            : throw Bad(at, "expected a number or a string such as \"3/4\"");
        if (!NetNumber.TryParse(text, out var value, out var problem)) throw Bad(at, problem);
        _digits += Digits(value.Numerator) + (value.Denominator.IsOne ? 0 : Digits(value.Denominator));
        return _digits <= MaxTotalDigits ? value
            : throw Bad(at, $"the exact values up to here have more than {MaxTotalDigits} decimal digits together, the limit for one file");
    }

    /// <summary>An upper bound on the decimal digits of v, from its bit length (exact counts need a conversion).</summary>
    private static long Digits(BigInteger v) => (long)(v.GetBitLength() * 0.30103) + 1;

    /// <summary>
    /// Decimal text in time close to linear (BigInteger.ToString is quadratic: a 100 000-digit value
    /// takes a second): long values are split by divide and conquer at powers 10^(16·2^k), computed
    /// once per hash, and only pieces of at most 2048 bits are converted directly.
    /// </summary>
    private sealed class DecimalDigits
    {
        private readonly List<BigInteger> _powers = [BigInteger.Pow(10, 16)]; // _powers[k] = 10^(16·2^k)

        public void Append(StringBuilder sb, BigInteger v)
        {
            int level = 0; // the least level with |v| < Power(level)²
            while (2 * (Power(level).GetBitLength() - 1) < v.GetBitLength()) level++;
            sb.Append(v.Sign < 0 ? "-" : "").Append(Text(BigInteger.Abs(v), level, 0));
        }

        private BigInteger Power(int level)
        {
            while (_powers.Count <= level) _powers.Add(_powers[^1] * _powers[^1]);
            return _powers[level];
        }

        /// <summary>The digits of v &lt; Power(level)², padded with zeros to <paramref name="width"/>.</summary>
        private string Text(BigInteger v, int level, int width)
        {
            if (level < 0 || v.GetBitLength() <= 2048) return v.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            var high = BigInteger.DivRem(v, Power(level), out var low);
            if (high.IsZero && width == 0) return Text(low, level - 1, 0);
            return Text(high, level - 1, Math.Max(0, width - (16 << level))) + Text(low, level - 1, 16 << level);
        }
    }
}

/// <summary>Reading an input file and parsing it as JSON, every failure said in the user's terms.</summary>
internal static class InputFile
{
    public static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string problem = Directory.Exists(path) ? "it is a directory" : e is FileNotFoundException or DirectoryNotFoundException ? "no such file"
                : e is UnauthorizedAccessException ? "permission denied" : "an I/O error";
            throw new CheckerInputException(path, "$", $"cannot read the file: {problem}");
        }
    }

    /// <summary>The document, or null and the problem. A UTF-8 byte-order mark is skipped (RFC 8259 §8.1 allows it).</summary>
    public static JsonDocument? Parse(byte[] bytes, int maxDepth, out string problem)
    {
        var json = bytes.AsMemory(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0);
        problem = "";
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            // Read again to see whether the next array or object is what would exceed the depth.
            var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = maxDepth });
            try { while (reader.Read()) { } } catch (JsonException) { }
            var rest = json.Span[(int)reader.BytesConsumed..].TrimStart(" \t\r\n,:"u8);
            bool deep = reader.CurrentDepth >= maxDepth - 1 && rest.Length > 0 && rest[0] is (byte)'[' or (byte)'{';
            bool utf16 = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
            problem = $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}" + (
                deep ? $": arrays and objects are nested deeper than {maxDepth} levels"
                : utf16 ? ": the file is UTF-16 (it starts with a UTF-16 byte-order mark), JSON files must be UTF-8" : " (is the file truncated?)");
            return null;
        }
    }
}
