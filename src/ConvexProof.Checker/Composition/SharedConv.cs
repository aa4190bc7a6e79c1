namespace ConvexProof.Checker;

/// <summary>
/// A 2-D convolution of a weight-shared layer (docs/formats.md, "Weight-shared layers"): output
/// (o, y, x) = Σ K[o, c, ky, kx]·in[group(o)·C/G + c, y·sh + ky·dh − top, x·sw + kx·dw − left], a
/// position outside the input read as 0 ("zeros"), wrapped ("circular") or mirrored ("reflect").
/// Kernel flat in [O, C/G, kh, kw] order; the dense matrix is never built.
/// </summary>
internal sealed class SharedConv
{
    public const int MaxExtent = 65_536, MaxWindow = 1_024, MaxKernel = 1_048_576, MaxUnits = 1_048_576;
    public static readonly KeySet Keys = new(3, "input_shape", "kernel_shape", "kernel", "stride", "dilation", "groups", "padding", "padding_mode"),
        SquaredKeys = new(3, [.. Keys.Names, "bias", "coefficient"]);

    public required int[] In { get; init; }      // C, H, W
    public required int[] Shape { get; init; }   // O, C/G, kh, kw
    public required int[] Window { get; init; }  // sh, sw, dh, dw, groups, top, left, bottom, right
    public required string Mode { get; init; }
    public required Rational[] K { get; init; }
    public required int[] Out { get; init; }     // O, Ho, Wo
    public int Units => Out[0] * Out[1] * Out[2];
    public int Channel(int o, int c) => o / (Shape[0] / Window[4]) * Shape[1] + c;

    public static SharedConv Read(NetworkFile file, JsonElement e, string at, int inputs, KeySet keys)
    {
        CertificateJson.Keys(e, at, keys);
        var input = Ints(e.GetProperty("input_shape"), $"{at}.input_shape", 3, 1, MaxExtent);
        if ((long)input[0] * input[1] * input[2] != inputs) throw Bad($"{at}.input_shape", $"has {(long)input[0] * input[1] * input[2]} entries, but the convolution reads {inputs}");
        var shape = Ints(e.GetProperty("kernel_shape"), $"{at}.kernel_shape", 4, 1, MaxExtent);
        long entries = (long)shape[0] * shape[1] * shape[2] * shape[3];
        if (shape[2] > MaxWindow || shape[3] > MaxWindow || entries > MaxKernel) throw Bad($"{at}.kernel_shape", $"at most {MaxWindow} per kernel side and {MaxKernel} entries");
        int groups = e.TryGetProperty("groups", out var g) ? Int(g, $"{at}.groups", 1, input[0]) : 1;
        if (input[0] % groups != 0 || shape[0] % groups != 0 || shape[1] * groups != input[0])
            throw Bad($"{at}.kernel_shape", $"kernel_shape[1] must be the {input[0]} input channels over {groups} groups, both channel counts divisible by the groups");
        int[] window = [.. Pair(e, "stride", at, 1, 1), .. Pair(e, "dilation", at, 1, 1), groups, .. e.TryGetProperty("padding", out var p) ? Ints(p, $"{at}.padding", 4, 0, MaxWindow) : [0, 0, 0, 0]];
        string mode = e.TryGetProperty("padding_mode", out var m) ? String(m, $"{at}.padding_mode") : "zeros";
        if (mode is not ("zeros" or "circular" or "reflect")) throw Bad($"{at}.padding_mode", "expected \"zeros\", \"circular\" or \"reflect\"");
        int slack = mode == "reflect" ? 1 : 0;
        if (mode != "zeros" && (Math.Max(window[5], window[7]) > input[1] - slack || Math.Max(window[6], window[8]) > input[2] - slack))
            throw Bad($"{at}.padding", $"{mode} padding exceeds the {input[1]}×{input[2]} input");
        int[] output = [shape[0], Size(input[1], window[5] + window[7], shape[2], window[0], window[2]), Size(input[2], window[6] + window[8], shape[3], window[1], window[3])];
        if (output[1] < 1 || output[2] < 1) throw Bad($"{at}.kernel_shape", $"the (dilated) kernel is larger than the padded {input[1]}×{input[2]} input");
        if ((long)output[0] * output[1] * output[2] > MaxUnits) throw Bad(at, $"the convolution makes more than {MaxUnits} units");
        return new SharedConv { In = input, Shape = shape, Window = window, Mode = mode, K = file.Vector(e.GetProperty("kernel"), $"{at}.kernel", (int)entries), Out = output };
    }

    private static int Size(int n, int pads, int k, int stride, int dilation) => (int)Math.Floor((n + pads - (long)dilation * (k - 1) - 1) / (double)stride) + 1;

    private static int[] Pair(JsonElement e, string key, string at, int a, int b) => e.TryGetProperty(key, out var v) ? Ints(v, $"{at}.{key}", 2, 1, MaxWindow) : [a, b];

    private static int[] Ints(JsonElement e, string at, int count, int min, int max) =>
        [.. Items(e, at, count, $"entries, expected {count} whole numbers").Select((v, i) => Int(v, $"{at}[{i}]", min, max))];

    /// <summary>The input index padded position q reads on an axis of n entries, or −1 (a zero).</summary>
    private int Source(long q, int n) => q >= 0 && q < n ? (int)q : Mode switch { "circular" => (int)(((q % n) + n) % n), "reflect" => (int)(q < 0 ? -q : 2L * (n - 1) - q), _ => -1 };

    /// <summary>The exact output (no bias).</summary>
    public Rational[] Apply(Rational[] input)
    {
        var output = new Rational[Units];
        Array.Fill(output, Rational.Zero);
        for (int o = 0; o < Shape[0]; o++)
            for (int c = 0, k = o * Shape[1] * Shape[2] * Shape[3]; c < Shape[1]; c++)
                for (int ky = 0; ky < Shape[2]; ky++)
                    for (int kx = 0; kx < Shape[3]; kx++, k++)
                        for (int y = 0; !K[k].IsZero && y < Out[1]; y++)
                            for (int x = 0, r = Source((long)y * Window[0] + (long)ky * Window[2] - Window[5], In[1]); r >= 0 && x < Out[2]; x++)
                                if (Source((long)x * Window[1] + (long)kx * Window[3] - Window[6], In[2]) is int col and >= 0)
                                    output[(o * Out[1] + y) * Out[2] + x] += K[k] * input[(Channel(o, c) * In[1] + r) * In[2] + col];
        return output;
    }

    /// <summary>The hash's geometry fields (docs/formats.md, "Network hash").</summary>
    public string Text => $"{In[0]} {In[1]} {In[2]} {Shape[0]} {Shape[2]} {Shape[3]} {string.Join(' ', Window)} {Mode}";
}
