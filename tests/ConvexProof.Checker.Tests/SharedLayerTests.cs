using System.Text.Json.Nodes;
using static ConvexProof.Checker.Tests.Fixture;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Weight-shared layers (a layer with "conv", docs/formats.md) in the checker: direct convolution
/// agrees with the dense matrix written out by hand here (zeros, circular and reflect padding,
/// strides, dilations, groups); composition certificates with one rule per channel are accepted, and
/// a rule claimed where a kernel entry is negative, a missing channel, or a certificate moved to a
/// model with another stride or padding are rejected with the reason; hostile shapes are input errors.
/// </summary>
public class SharedLayerTests
{
    private sealed record Conv(int[] InputShape, int[] KernelShape, int[] Kernel, int[] Stride, int[] Dilation, int Groups, int[] Padding, string Mode)
    {
        public int Out(int axis) => (InputShape[axis + 1] + Padding[axis] + Padding[axis + 2] - Dilation[axis] * (KernelShape[axis + 2] - 1) - 1) / Stride[axis] + 1;
        public int Units => KernelShape[0] * Out(0) * Out(1);

        public JsonObject Json() => new()
        {
            ["input_shape"] = Ints(InputShape), ["kernel_shape"] = Ints(KernelShape), ["kernel"] = Ints(Kernel), ["stride"] = Ints(Stride),
            ["dilation"] = Ints(Dilation), ["groups"] = Groups, ["padding"] = Ints(Padding), ["padding_mode"] = Mode,
        };

        private int Source(int p, int n) => p >= 0 && p < n ? p : Mode == "circular" ? ((p % n) + n) % n : Mode == "reflect" ? (p < 0 ? -p : 2 * (n - 1) - p) : -1;

        /// <summary>The dense matrix, by the definition (an input read twice adds up).</summary>
        public int[][] Dense()
        {
            int c = InputShape[0], h = InputShape[1], w = InputShape[2], cg = KernelShape[1], kh = KernelShape[2], kw = KernelShape[3];
            var rows = new int[Units][];
            for (int o = 0, u = 0; o < KernelShape[0]; o++)
                for (int y = 0; y < Out(0); y++)
                    for (int x = 0; x < Out(1); x++, u++)
                    {
                        rows[u] = new int[c * h * w];
                        for (int ci = 0; ci < cg; ci++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int r = Source(y * Stride[0] + ky * Dilation[0] - Padding[0], h), col = Source(x * Stride[1] + kx * Dilation[1] - Padding[1], w);
                                    if (r >= 0 && col >= 0) rows[u][((o / (KernelShape[0] / Groups) * cg + ci) * h + r) * w + col] += Kernel[((o * cg + ci) * kh + ky) * kw + kx];
                                }
                    }
            return rows;
        }
    }

    private static JsonArray Ints(IEnumerable<int> values) => [.. values.Select(v => (JsonNode)v)];
    private static JsonArray Matrix(int[][] rows) => [.. rows.Select(r => (JsonNode)Ints(r))];

    /// <summary>Layer 1: conv of x (leaky); layer 2: main conv of layer 1, skip conv and ½(K_q x + β)² (leaky); output: dense.</summary>
    private static JsonObject Shared(Conv first, Conv second, Conv skip, Conv square, int[] output) => new()
    {
        ["input_dim"] = first.InputShape.Aggregate(1, (a, b) => a * b),
        ["layers"] = new JsonArray(
            new JsonObject { ["conv"] = first.Json(), ["bias"] = Ints(Enumerable.Range(1, first.KernelShape[0]).Select(i => i % 3 - 1)), ["activation"] = "leaky_relu", ["alpha"] = "1/5" },
            new JsonObject
            {
                ["conv"] = second.Json(), ["skip_conv"] = skip.Json(), ["quadratic_conv"] = WithSquare(square.Json()),
                ["bias"] = Ints(Enumerable.Repeat(1, second.KernelShape[0])), ["activation"] = "leaky_relu", ["alpha"] = "1/5",
            },
            new JsonObject { ["weights"] = new JsonArray(Ints(output)), ["bias"] = Ints([0]), ["activation"] = "identity" }),
    };

    private static JsonObject WithSquare(JsonObject conv)
    {
        conv["bias"] = Ints(Enumerable.Range(0, conv["kernel_shape"]![0]!.GetValue<int>()).Select(i => i - 1));
        conv["coefficient"] = "1/2";
        return conv;
    }

    /// <summary>The same network with every convolution written out as a dense matrix (the square as "quadratic" terms).</summary>
    private static JsonObject Dense(Conv first, Conv second, Conv skip, Conv square, int[] output)
    {
        var squareRows = square.Dense();
        int plane = square.Out(0) * square.Out(1);
        return new JsonObject
        {
            ["input_dim"] = first.InputShape.Aggregate(1, (a, b) => a * b),
            ["layers"] = new JsonArray(
                new JsonObject { ["weights"] = Matrix(first.Dense()), ["bias"] = Ints(Enumerable.Range(0, first.Units).Select(u => (u / (first.Out(0) * first.Out(1)) + 1) % 3 - 1)), ["activation"] = "leaky_relu", ["alpha"] = "1/5" },
                new JsonObject
                {
                    ["weights"] = Matrix(second.Dense()), ["skip"] = Matrix(skip.Dense()), ["bias"] = Ints(Enumerable.Repeat(1, second.Units)),
                    ["quadratic"] = new JsonArray([.. squareRows.Select((row, u) => (JsonNode)new JsonObject { ["unit"] = u, ["weights"] = Ints(row), ["bias"] = u / plane - 1, ["coefficient"] = "1/2" })]),
                    ["activation"] = "leaky_relu", ["alpha"] = "1/5",
                },
                new JsonObject { ["weights"] = new JsonArray(Ints(output)), ["bias"] = Ints([0]), ["activation"] = "identity" }),
        };
    }

    private static int[] Kernel(int n, int seed, bool nonNegative = false)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.Next(nonNegative ? 0 : -3, 4))];
    }

    public static TheoryData<string, int, int, int> Geometries => new()
    {
        { "zeros", 1, 1, 1 }, { "circular", 1, 1, 1 }, { "reflect", 1, 1, 1 }, { "circular", 2, 1, 2 }, { "zeros", 1, 2, 2 }, { "reflect", 2, 2, 1 },
    };

    private static (Conv, Conv, Conv, Conv, int[]) Model(string mode, int stride, int dilation, int groups, bool clipped = true)
    {
        int[] pad = [dilation, dilation, dilation, dilation], one = [1, 1];
        var first = new Conv([2, 5, 6], [4, 2 / groups, 3, 3], Kernel(4 * 2 / groups * 9, 1), [stride, stride], [dilation, dilation], groups, pad, mode);
        int[] hidden = [4, first.Out(0), first.Out(1)];
        var second = new Conv(hidden, [2, 4 / groups, 3, 3], Kernel(2 * 4 / groups * 9, 2, nonNegative: clipped), [1, 1], [1, 1], groups, [1, 1, 1, 1], mode == "reflect" && hidden[1] < 2 ? "zeros" : mode);
        var skip = new Conv([2, 5, 6], [2, 2, 3, 3], Kernel(36, 3), [stride, stride], [dilation, dilation], 1, pad, mode);
        var square = new Conv([2, 5, 6], [2, 1, 3, 3], Kernel(18, 4), [stride, stride], [dilation, dilation], 2, pad, "zeros");
        return (first, second, skip, square, Kernel(second.Units, 5, nonNegative: true));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void DirectConvolutionAgreesWithTheDenseMatrix(string mode, int stride, int dilation, int groups)
    {
        var (a, b, s, q, o) = Model(mode, stride, dilation, groups);
        string shared = Temp(Shared(a, b, s, q, o).ToJsonString()), dense = Temp(Dense(a, b, s, q, o).ToJsonString());
        try
        {
            var (sharedNet, denseNet) = (NetworkFile.Read(shared), NetworkFile.Read(dense));
            Assert.IsType<SharedNetwork>(sharedNet);
            var random = new Random(7);
            for (int t = 0; t < 5; t++)
            {
                Rational[] x = [.. Enumerable.Range(0, sharedNet.InputDim).Select(_ => (Rational)random.Next(-8, 9) / 4)];
                Assert.Equal(denseNet.Evaluate(x), sharedNet.Evaluate(x));
            }
        }
        finally
        {
            File.Delete(shared);
            File.Delete(dense);
        }
    }

    private static JsonObject Certificate(string net, string[][] rules) => new()
    {
        ["format"] = "convexproof-certificate/3", ["method"] = "composition", ["network_sha256"] = CertificateChecker.NetworkSha256(net), ["domain"] = null,
        ["verdict"] = "convex", ["rules"] = new JsonArray([.. rules.Select(l => (JsonNode)new JsonArray([.. l.Select(r => (JsonNode)JsonValue.Create(r)!)]))]),
    };

    private static readonly string[][] Rules = [["rectifier", "rectifier", "rectifier", "rectifier"], ["rectifier", "rectifier"], ["nonneg_sum"]];

    private static CheckResult CheckCert(JsonObject model, Func<string, JsonObject> certificate, Action<JsonObject>? moved = null)
    {
        string net = Temp(model.ToJsonString()), cert = Temp(certificate(net).ToJsonString());
        try
        {
            if (moved is not null)
            {
                moved(model);
                File.WriteAllText(net, model.ToJsonString());
            }
            return CertificateChecker.Check(net, cert);
        }
        finally
        {
            File.Delete(net);
            File.Delete(cert);
        }
    }

    private static JsonObject Clipped(bool clipped = true)
    {
        var (a, b, s, q, o) = Model("circular", 1, 1, 1, clipped);
        return Shared(a, b, s, q, o);
    }

    [Fact]
    public void OneRulePerChannelIsAccepted()
    {
        var result = CheckCert(Clipped(), net => Certificate(net, Rules));
        Assert.True(result.Valid, result.Reason);
        Assert.Contains("f is convex on R^60", result.Statement);
    }

    [Fact]
    public void ARuleClaimedWhereAKernelEntryIsNegativeIsRejected() =>
        AssertInvalid(CheckCert(Clipped(clipped: false), net => Certificate(net, Rules)), "$.rules[1][0]", "layer 2 channel 1", "kernel entry -", "negative");

    [Fact]
    public void AMissingChannelIsRejected() =>
        AssertInvalid(CheckCert(Clipped(), net => Certificate(net, [Rules[0], ["rectifier"], Rules[2]])), "$.rules[1]", "has 1 rules", "2 channels");

    /// <summary>Geometry changes that keep every shape (so the file stays valid): only the hash tells the models apart.</summary>
    [Theory]
    [InlineData("dilation")]
    [InlineData("padding_mode")]
    [InlineData("padding")]
    public void ACertificateMovedToAnotherDilationOrPaddingIsRejected(string key) =>
        AssertInvalid(CheckCert(Clipped(), net => Certificate(net, Rules), model =>
        {
            var conv = model["layers"]![0]!["conv"]!.AsObject();
            if (key == "dilation") conv["padding"] = Ints([2, 2, 2, 2]);
            conv[key] = key switch { "dilation" => Ints([2, 2]), "padding_mode" => "reflect", _ => Ints([2, 2, 0, 0]) };
        }), "network_sha256", "another network");

    [Fact]
    public void AChangedStrideChangesTheHash()
    {
        // A stride changes the units as well: the same layer with stride 1 and with stride 2 (and the
        // widths that follow) are two networks with two hashes.
        var (a, b, s, q, o) = Model("circular", 1, 1, 1);
        var (a2, b2, s2, q2, o2) = Model("circular", 2, 1, 1);
        string one = Temp(Shared(a, b, s, q, o).ToJsonString()), two = Temp(Shared(a2, b2, s2, q2, o2).ToJsonString());
        try { Assert.NotEqual(CertificateChecker.NetworkSha256(one), CertificateChecker.NetworkSha256(two)); }
        finally { File.Delete(one); File.Delete(two); }
    }

    [Theory]
    [InlineData("kernel_shape", "[4, 2, 9, 9]", "$.layers[0].conv.kernel_shape", "larger than the padded")]
    [InlineData("kernel", "[1, 2]", "$.layers[0].conv.kernel", "found 2")]
    [InlineData("input_shape", "[2, 65536, 65536]", "$.layers[0].conv.input_shape", "entries")]
    [InlineData("input_shape", "[2, 5]", "$.layers[0].conv.input_shape", "expected 3 whole numbers")]
    [InlineData("padding_mode", "\"wrap\"", "$.layers[0].conv.padding_mode", "circular")]
    [InlineData("padding", "[6, 1, 1, 1]", "$.layers[0].conv.padding", "exceeds")]
    [InlineData("kernel_shape", "[65536, 2, 3, 3]", "$.layers[0].conv.kernel_shape", "1048576 entries")]
    public void HostileShapesAreInputErrors(string key, string value, string path, string mention)
    {
        var model = Clipped();
        model["layers"]![0]!["conv"]![key] = JsonNode.Parse(value);
        string net = Temp(model.ToJsonString());
        try
        {
            var e = Assert.Throws<CheckerInputException>(() => NetworkFile.Read(net));
            Assert.Contains(path, e.Message);
            Assert.Contains(mention, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(net);
        }
    }
}
