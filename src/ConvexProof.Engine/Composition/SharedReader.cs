using System.Text.Json;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>The bounds on weight-shared models (docs/formats.md, "Limits"), the same in the checker.</summary>
public static class SharedLimits
{
    public const int MaxInputs = 262_144;        // e.g. 4×256×256 (3×64×64 is 12 288)
    public const int MaxLayerUnits = 1_048_576;  // e.g. 64 channels of 128×128 (64 of 64×64 is 262 144)
    public const int MaxTotalUnits = 4_194_304;
    public const int MaxKernelEntries = 1_048_576;
    public const int MaxExtent = 65_536;         // channels, heights and widths
    public const int MaxWindow = 1_024;          // kernel sizes, strides, dilations and pads
}

/// <summary>
/// Reads a composition model with weight-shared layers (a layer with "conv", docs/formats.md,
/// "Weight-shared layers"): those layers by their kernels, the others as dense layers, then the
/// quadratic parts by <see cref="CompositionReader"/>. Problems are <see cref="InputException"/>s
/// naming the file, the JSON path and what is wrong; digits count towards the file's limit as in the checker.
/// </summary>
public static class SharedReader
{
    private static readonly string[] SharedKeys = ["conv", "skip_conv", "quadratic_conv", "bias", "activation", "alpha", "square_output"];
    private static readonly string[] DenseKeys = ["weights", "bias", "skip", "activation", "alpha", "quadratic", "square_output"];
    private static readonly string[] ConvKeys = ["input_shape", "kernel_shape", "kernel", "stride", "dilation", "groups", "padding", "padding_mode"];
    private static readonly string[] SquaredKeys = [.. ConvKeys, "bias", "coefficient"];

    /// <summary>Whether the JSON is an object whose layers include one with "conv" (malformed JSON is not: the plain reader reports it).</summary>
    public static bool Declares(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(WithoutMark(json), new JsonDocumentOptions { MaxDepth = NetworkReader.MaxDepth });
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                && layers.EnumerateArray().Any(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("conv", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ReadOnlyMemory<byte> WithoutMark(ReadOnlyMemory<byte> json) => json.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? json[3..] : json;

    public static CompositionNetwork Parse(ReadOnlyMemory<byte> json, string fileName)
    {
        using var doc = JsonDocument.Parse(WithoutMark(json), new JsonDocumentOptions { MaxDepth = NetworkReader.MaxDepth });
        var reader = new Reader(fileName);
        var (plain, shared) = reader.ReadNetwork(doc.RootElement);
        var parts = new CompositionReader.PartsReader(fileName, reader.Digits).Read(doc.RootElement, plain);
        return new CompositionNetwork(plain, [.. parts.Layers.Select((s, l) => shared[l] is null ? s : s with { Shared = shared[l] })], parts.Input);
    }

    private sealed class Reader(string file)
    {
        public long Digits { get; private set; }

        private InputException Error(string at, string problem) => new(file, at, problem);

        public (Network Plain, SharedLayer?[] Shared) ReadNetwork(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("$", "expected an object");
            CompositionReader.Keys(root, "$", ["input_dim", "layers", "input_quadratic"], ["input_dim", "layers"], file);
            int d = Int(root.GetProperty("input_dim"), "$.input_dim", 1, SharedLimits.MaxInputs);
            var items = root.GetProperty("layers");
            if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0) throw Error("$.layers", "expected a non-empty array of layers");
            var layers = new List<Layer>();
            var shared = new List<SharedLayer?>();
            int width = d;
            long units = 0;
            foreach (var element in items.EnumerateArray())
            {
                string at = $"$.layers[{layers.Count}]";
                if (element.ValueKind != JsonValueKind.Object) throw Error(at, "expected a layer object");
                var layer = element.TryGetProperty("conv", out _) ? SharedLayerOf(element, at, width, d, out var s) : DenseLayer(element, at, width, d, out s);
                layers.Add(layer);
                shared.Add(s);
                width = layer.Outputs;
                if ((units += width) > SharedLimits.MaxTotalUnits) throw Error(at, $"the layers have more than {SharedLimits.MaxTotalUnits} units together");
            }
            string last = $"$.layers[{layers.Count - 1}]";
            if (layers[^1].Outputs != 1) throw Error($"{last}.bias", "the last layer must have exactly one output");
            if (layers[^1].Activation != Activation.Identity) throw Error($"{last}.activation", "the last layer must use \"identity\"");
            return (new Network(d, layers), [.. shared]);
        }

        private Layer SharedLayerOf(JsonElement element, string at, int width, int d, out SharedLayer? shared)
        {
            CompositionReader.Keys(element, at, SharedKeys, ["conv", "bias", "activation"], file);
            var main = Conv(element.GetProperty("conv"), $"{at}.conv", width, at == "$.layers[0]" ? "input_dim" : "the previous layer's width");
            var skip = element.TryGetProperty("skip_conv", out var s) ? Same(Conv(s, $"{at}.skip_conv", d, "input_dim"), main, $"{at}.skip_conv") : null;
            SquaredConv? square = null;
            if (element.TryGetProperty("quadratic_conv", out var q))
            {
                string qa = $"{at}.quadratic_conv";
                var conv = Same(Conv(q, qa, d, "input_dim", SquaredKeys), main, qa);
                var beta = q.TryGetProperty("bias", out var b) ? Vector(b, $"{qa}.bias", main.OutChannels, "one per output channel") : AffineZeros(main.OutChannels);
                square = new SquaredConv(conv, beta, q.TryGetProperty("coefficient", out var c) ? Number(c, $"{qa}.coefficient") : Rational.One);
            }
            var bias = Vector(element.GetProperty("bias"), $"{at}.bias", main.OutChannels, "one per output channel of conv");
            shared = new SharedLayer(main, skip, square, bias);
            var (activation, alpha) = ActivationOf(element, at);
            return new Layer([], shared.UnitBias(), null, activation) { Alpha = alpha };
        }

        private Layer DenseLayer(JsonElement element, string at, int width, int d, out SharedLayer? shared)
        {
            shared = null;
            CompositionReader.Keys(element, at, DenseKeys, ["weights", "bias", "activation"], file);
            var bias = Vector(element.GetProperty("bias"), $"{at}.bias", null, "");
            if (bias.Length == 0 || bias.Length > NetworkReader.MaxWidth) throw Error($"{at}.bias", $"a dense layer needs 1 to {NetworkReader.MaxWidth} units");
            var weights = Matrix(element.GetProperty("weights"), $"{at}.weights", bias.Length, width);
            var skip = element.TryGetProperty("skip", out var s) && s.ValueKind != JsonValueKind.Null ? Matrix(s, $"{at}.skip", bias.Length, d) : null;
            var (activation, alpha) = ActivationOf(element, at);
            return new Layer(weights, bias, skip, activation) { Alpha = alpha };
        }

        private (Activation, Rational) ActivationOf(JsonElement element, string at)
        {
            string? name = element.GetProperty("activation") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
            if (name is not ("relu" or "leaky_relu" or "identity" or "linear")) throw Error($"{at}.activation", "expected \"relu\", \"leaky_relu\" or \"identity\"");
            if (element.TryGetProperty("alpha", out var alphaElement) != (name == "leaky_relu"))
                throw Error($"{at}.alpha", "a \"leaky_relu\" layer, and only such a layer, has a slope \"alpha\"");
            var alpha = name == "leaky_relu" ? Number(alphaElement, $"{at}.alpha") : Rational.Zero;
            if (alpha.Sign < 0 || alpha >= Rational.One) throw Error($"{at}.alpha", $"is {alpha}: a leaky ReLU's slope must lie in [0, 1)");
            return (name is "relu" or "leaky_relu" ? Activation.Relu : Activation.Identity, alpha);
        }

        private SharedConv Same(SharedConv conv, SharedConv main, string at) => conv.Output == main.Output ? conv
            : throw Error(at, $"its output is {conv.Output}, but the layer's conv gives {main.Output} (every convolution of a layer makes the same units)");

        private SharedConv Conv(JsonElement e, string at, int inputs, string inputsName, string[]? keys = null)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(at, "expected a convolution object {\"input_shape\", \"kernel_shape\", \"kernel\", …}");
            CompositionReader.Keys(e, at, keys ?? ConvKeys, ["input_shape", "kernel_shape", "kernel"], file);
            var shape = Ints(e.GetProperty("input_shape"), $"{at}.input_shape", 3, 1, SharedLimits.MaxExtent, "[channels, height, width]");
            var input = new TensorShape(shape[0], shape[1], shape[2]);
            if (input.Size != inputs) throw Error($"{at}.input_shape", $"is {input} = {input.Size} entries, but the convolution reads {inputs} ({inputsName})");
            var ks = Ints(e.GetProperty("kernel_shape"), $"{at}.kernel_shape", 4, 1, SharedLimits.MaxExtent, "[out_channels, in_channels / groups, kh, kw]");
            if (ks[2] > SharedLimits.MaxWindow || ks[3] > SharedLimits.MaxWindow) throw Error($"{at}.kernel_shape", $"a kernel side is larger than {SharedLimits.MaxWindow}");
            long entries = (long)ks[0] * ks[1] * ks[2] * ks[3];
            if (entries > SharedLimits.MaxKernelEntries) throw Error($"{at}.kernel_shape", $"the kernel would have {entries} entries, more than {SharedLimits.MaxKernelEntries}");
            int groups = e.TryGetProperty("groups", out var g) ? Int(g, $"{at}.groups", 1, input.Channels) : 1;
            if (input.Channels % groups != 0 || ks[0] % groups != 0 || ks[1] * groups != input.Channels)
                throw Error($"{at}.kernel_shape", $"with {groups} group(s) and {input.Channels} input channels, kernel_shape[1] must be {input.Channels / groups} and both channel counts divisible by the groups");
            var stride = Pair(e, "stride", at, 1);
            var dilation = Pair(e, "dilation", at, 1);
            var pads = e.TryGetProperty("padding", out var p) ? Ints(p, $"{at}.padding", 4, 0, SharedLimits.MaxWindow, "[top, left, bottom, right]") : [0, 0, 0, 0];
            string? modeName = e.TryGetProperty("padding_mode", out var m) ? (m.ValueKind == JsonValueKind.String ? m.GetString() : null) : "zeros";
            var mode = modeName switch
            {
                "zeros" => PaddingMode.Zeros,
                "circular" => PaddingMode.Circular,
                "reflect" => PaddingMode.Reflect,
                _ => throw Error($"{at}.padding_mode", "expected \"zeros\", \"circular\" or \"reflect\""),
            };
            int slack = mode == PaddingMode.Reflect ? 1 : 0; // reflect mirrors without the edge: fewer entries to mirror
            if (mode != PaddingMode.Zeros && (Math.Max(pads[0], pads[2]) > input.Height - slack || Math.Max(pads[1], pads[3]) > input.Width - slack))
                throw Error($"{at}.padding", $"{modeName} padding must not exceed the input's size{(slack == 1 ? " minus one" : "")} on each side ({input.Height}×{input.Width})");
            int height = SharedConv.OutputSize(input.Height, pads[0] + pads[2], ks[2], stride.H, dilation.H);
            int widthOut = SharedConv.OutputSize(input.Width, pads[1] + pads[3], ks[3], stride.W, dilation.W);
            if (height < 1 || widthOut < 1) throw Error($"{at}.kernel_shape", $"the (dilated) {ks[2]}×{ks[3]} kernel is larger than the padded {input.Height}×{input.Width} input");
            if ((long)ks[0] * height * widthOut > SharedLimits.MaxLayerUnits) throw Error(at, $"the convolution makes more than {SharedLimits.MaxLayerUnits} units");
            var kernel = Vector(e.GetProperty("kernel"), $"{at}.kernel", (int)entries, "the product of kernel_shape, in [out, in, kh, kw] order");
            return new SharedConv(input, ks[0], ks[2], ks[3], kernel, stride, dilation, groups, (pads[0], pads[1], pads[2], pads[3]), mode);
        }

        private (int H, int W) Pair(JsonElement e, string key, string at, int fallback)
        {
            if (!e.TryGetProperty(key, out var v)) return (fallback, fallback);
            var pair = Ints(v, $"{at}.{key}", 2, 1, SharedLimits.MaxWindow, "[along height, along width]");
            return (pair[0], pair[1]);
        }

        private int[] Ints(JsonElement e, string at, int count, int min, int max, string what)
        {
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != count) throw Error(at, $"expected {count} whole numbers {what}");
            return [.. e.EnumerateArray().Select((v, i) => Int(v, $"{at}[{i}]", min, max))];
        }

        private int Int(JsonElement e, string at, int min, int max) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v >= min && v <= max ? v : throw Error(at, $"expected a whole number from {min} to {max}");

        private Rational[][] Matrix(JsonElement e, string at, int rows, int columns)
        {
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != rows) throw Error(at, $"expected an array of {rows} rows (one per entry of bias)");
            return [.. e.EnumerateArray().Select((row, r) => Vector(row, $"{at}[{r}]", columns, "the width it reads"))];
        }

        private Rational[] Vector(JsonElement e, string at, int? length, string what)
        {
            if (e.ValueKind != JsonValueKind.Array) throw Error(at, "expected an array of numbers");
            if (length is int n && e.GetArrayLength() != n) throw Error(at, $"expected {n} entries ({what}), found {e.GetArrayLength()}");
            var values = new Rational[e.GetArrayLength()];
            int i = 0;
            foreach (var item in e.EnumerateArray()) values[i] = Number(item, $"{at}[{i++}]");
            return values;
        }

        private Rational Number(JsonElement e, string at)
        {
            string? text = e.ValueKind switch { JsonValueKind.Number => e.GetRawText(), JsonValueKind.String => e.GetString(), _ => null };
            if (text is null) throw Error(at, "expected a number or a string such as \"3/4\"");
            if (!ExactNumberParser.TryParse(text, out var value, out var problem)) throw Error(at, problem);
            Digits += CompositionReader.Digits(value);
            return Digits <= NetworkReader.MaxTotalDigits ? value
                : throw Error(at, $"the exact values up to here have more than {NetworkReader.MaxTotalDigits} decimal digits together, the limit for one file (docs/formats.md)");
        }

        private static Rational[] AffineZeros(int n) => [.. Enumerable.Repeat(Rational.Zero, n)];
    }
}
