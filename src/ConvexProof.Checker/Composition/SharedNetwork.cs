namespace ConvexProof.Checker;

/// <summary>A weight-shared layer: z = K * h + K_s * x + b_o + c·(K_q * x + β_o)² per unit of channel o.</summary>
internal sealed record SharedLayer(SharedConv Main, SharedConv? Skip, SharedConv? Square, Rational[] Beta, Rational C, Rational[] Bias);

/// <summary>
/// A composition model with weight-shared layers (a layer with "conv", docs/formats.md): read here,
/// not by the core's reader, which knows dense layers only. Its layers' dense parts are empty (no
/// weight rows, the channel bias repeated per unit), so the core hash writes their shape and bias
/// and <see cref="Squares.Hash"/> the kernels; f is evaluated by direct convolution.
/// </summary>
internal sealed class SharedNetwork(int d, Layer[] layers, SharedLayer?[] shared) : Network(d, layers)
{
    public const int MaxInputs = 262_144, MaxTotalUnits = 4_194_304;
    private static readonly KeySet SharedKeys = new(3, "conv", "bias", "activation", "skip_conv", "quadratic_conv", "alpha", "square_output"),
        DenseKeys = new(3, "weights", "bias", "activation", "skip", "alpha", "quadratic", "square_output"), RootKeys = new(2, "input_dim", "layers", "input_quadratic");

    public SharedLayer?[] Shared { get; } = shared;

    public static bool Declares(JsonElement root) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("layers", out var l) && l.ValueKind == JsonValueKind.Array
        && l.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("conv", out _));

    public static SharedNetwork Read(NetworkFile file, JsonElement root)
    {
        CertificateJson.Keys(root, "$", RootKeys);
        int d = Int(root.GetProperty("input_dim"), "$.input_dim", 1, MaxInputs), width = d;
        var items = Items(root.GetProperty("layers"), "$.layers");
        var (layers, shared) = (new Layer[items.Length], new SharedLayer?[items.Length]);
        long units = 0;
        for (int l = 0; l < items.Length; l++)
        {
            string at = $"$.layers[{l}]";
            var e = items[l];
            bool conv = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("conv", out _);
            CertificateJson.Keys(e, at, conv ? SharedKeys : DenseKeys);
            Rational[] bias;
            Rational[][] w = [];
            if (conv)
            {
                var main = SharedConv.Read(file, e.GetProperty("conv"), $"{at}.conv", width, SharedConv.Keys);
                var skip = e.TryGetProperty("skip_conv", out var s) ? Same(SharedConv.Read(file, s, $"{at}.skip_conv", d, SharedConv.Keys), main, $"{at}.skip_conv") : null;
                var square = e.TryGetProperty("quadratic_conv", out var q) ? Same(SharedConv.Read(file, q, $"{at}.quadratic_conv", d, SharedConv.SquaredKeys), main, $"{at}.quadratic_conv") : null;
                var beta = square is not null && q.TryGetProperty("bias", out var b) ? file.Vector(b, $"{at}.quadratic_conv.bias", main.Out[0]) : [.. Enumerable.Repeat(Rational.Zero, main.Out[0])];
                var c = square is not null && q.TryGetProperty("coefficient", out var ce) ? file.Number(ce, $"{at}.quadratic_conv.coefficient") : Rational.One;
                shared[l] = new SharedLayer(main, skip, square, beta, c, file.Vector(e.GetProperty("bias"), $"{at}.bias", main.Out[0]));
                bias = [.. Enumerable.Range(0, main.Units).Select(u => shared[l]!.Bias[u / (main.Out[1] * main.Out[2])])];
            }
            else
            {
                bias = file.Vector(e.GetProperty("bias"), $"{at}.bias", null);
                if (bias.Length == 0 || bias.Length > NetworkFile.MaxWidth) throw Bad($"{at}.bias", $"a dense layer needs 1 to {NetworkFile.MaxWidth} units");
                w = file.Matrix(e.GetProperty("weights"), $"{at}.weights", bias.Length, width);
            }
            var skipRows = !conv && e.TryGetProperty("skip", out var sk) && sk.ValueKind != JsonValueKind.Null ? file.Matrix(sk, $"{at}.skip", bias.Length, d) : null;
            string? name = e.GetProperty("activation") is { ValueKind: JsonValueKind.String } act ? act.GetString() : null;
            if (name is not ("relu" or "leaky_relu" or "identity" or "linear")) throw Bad($"{at}.activation", "expected \"relu\", \"leaky_relu\" or \"identity\"");
            if (e.TryGetProperty("alpha", out var a) != (name == "leaky_relu")) throw Bad($"{at}.alpha", "a \"leaky_relu\" layer, and only such a layer, has a slope \"alpha\"");
            var alpha = name == "leaky_relu" ? file.Number(a, $"{at}.alpha") : Rational.Zero;
            if (alpha.Sign < 0 || alpha >= Rational.One) throw Bad($"{at}.alpha", $"is {alpha}: a leaky ReLU's slope must lie in [0, 1)");
            layers[l] = new Layer(w, bias, skipRows, name is "relu" or "leaky_relu", alpha);
            if ((units += width = bias.Length) > MaxTotalUnits) throw Bad(at, $"the layers have more than {MaxTotalUnits} units together");
        }
        if (layers[^1].Out != 1 || layers[^1].Relu) throw Bad($"$.layers[{items.Length - 1}]", "the last layer must have exactly one output and use \"identity\"");
        return new SharedNetwork(d, layers, shared) { Squares = Squares.Read(file, root, items, layers, d, shared) };
    }

    private static SharedConv Same(SharedConv conv, SharedConv main, string at) => conv.Out.AsSpan().SequenceEqual(main.Out) ? conv
        : throw Bad(at, $"its output is {string.Join('×', conv.Out)}, but the layer's conv gives {string.Join('×', main.Out)}");

    /// <summary>f(x) by an exact forward pass: dense layers as in the core, shared layers by direct convolution.</summary>
    public override Rational Evaluate(Rational[] x)
    {
        Rational[] h = x;
        for (int l = 0; l < Layers.Length; l++)
        {
            var (layer, s) = (Layers[l], Shared[l]);
            var z = s?.Main.Apply(h) ?? new Rational[layer.Out];
            var (skip, square) = (s?.Skip?.Apply(x), s?.Square?.Apply(x));
            for (int i = 0; i < layer.Out; i++)
            {
                z[i] += layer.B[i] + (skip?[i] ?? Rational.Zero) + (Squares?.Term(l, i, x) ?? Rational.Zero);
                if (square is not null && s!.Beta[i / (s.Main.Out[1] * s.Main.Out[2])] is var beta) z[i] += s.C * (square[i] + beta) * (square[i] + beta);
                for (int j = 0; s is null && j < layer.In; j++) if (!layer.W[i][j].IsZero) z[i] += layer.W[i][j] * h[j];
                for (int j = 0; layer.S is not null && j < InputDim; j++) if (!layer.S[i][j].IsZero) z[i] += layer.S[i][j] * x[j];
                z[i] = Squares?.Output(l, layer.Activate(z[i])) ?? layer.Activate(z[i]);
            }
            h = z;
        }
        return h[0] + (Squares?.Input(x) ?? Rational.Zero);
    }
}
