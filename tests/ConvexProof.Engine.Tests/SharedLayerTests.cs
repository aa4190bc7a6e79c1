using System.Text.Json.Nodes;
using ConvexProof.Composition;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;
using CertificateChecker = ConvexProof.Checker.CertificateChecker;

namespace ConvexProof.Engine.Tests;

/// <summary>
/// Weight-shared layers in the engine: direct convolution (exact and float) agrees with the dense
/// matrix written out by the definition here, for every padding mode, strides, dilations and groups;
/// the engine's hash is the checker's; the per-channel rules certify a clipped model (the checker
/// accepts the certificate) and name the channel, kernel position and JSON path where a kernel entry is negative.
/// </summary>
public class SharedLayerTests
{
    private sealed record Conv(int[] In, int[] Shape, int[] Kernel, int Stride, int Dilation, int Groups, int Pad, string Mode)
    {
        public int Side(int axis) => (In[axis + 1] + 2 * Pad - Dilation * (Shape[axis + 2] - 1) - 1) / Stride + 1;
        public int Units => Shape[0] * Side(0) * Side(1);

        public JsonObject Json() => new()
        {
            ["input_shape"] = Ints(In), ["kernel_shape"] = Ints(Shape), ["kernel"] = Ints(Kernel), ["stride"] = Ints([Stride, Stride]),
            ["dilation"] = Ints([Dilation, Dilation]), ["groups"] = Groups, ["padding"] = Ints([Pad, Pad, Pad, Pad]), ["padding_mode"] = Mode,
        };

        private int Source(int p, int n) => p >= 0 && p < n ? p : Mode == "circular" ? ((p % n) + n) % n : Mode == "reflect" ? (p < 0 ? -p : 2 * (n - 1) - p) : -1;

        public int[][] Dense()
        {
            int h = In[1], w = In[2], cg = Shape[1], kh = Shape[2], kw = Shape[3];
            var rows = new int[Units][];
            for (int o = 0, u = 0; o < Shape[0]; o++)
                for (int y = 0; y < Side(0); y++)
                    for (int x = 0; x < Side(1); x++, u++)
                    {
                        rows[u] = new int[In[0] * h * w];
                        for (int c = 0; c < cg; c++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int r = Source(y * Stride + ky * Dilation - Pad, h), col = Source(x * Stride + kx * Dilation - Pad, w);
                                    if (r >= 0 && col >= 0) rows[u][((o / (Shape[0] / Groups) * cg + c) * h + r) * w + col] += Kernel[((o * cg + c) * kh + ky) * kw + kx];
                                }
                    }
            return rows;
        }
    }

    private static JsonArray Ints(IEnumerable<int> values) => [.. values.Select(v => (JsonNode)v)];

    private static int[] Kernel(int n, int seed, bool nonNegative)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.Next(nonNegative ? 0 : -3, 4))];
    }

    /// <summary>Layer 1: leaky conv of x; layer 2: leaky (conv of layer 1 + ½(K_q x − 1)²); output: dense, non-negative.</summary>
    private static (string Shared, string Dense) Files(string mode, int stride, int dilation, int groups, bool clipped)
    {
        var first = new Conv([2, 5, 6], [4, 2 / groups, 3, 3], Kernel(4 * 2 / groups * 9, 1, false), stride, dilation, groups, dilation, mode);
        var second = new Conv([4, first.Side(0), first.Side(1)], [2, 4, 3, 3], Kernel(72, 2, clipped), 1, 1, 1, 1, first.Side(0) < 2 || first.Side(1) < 2 ? "zeros" : mode);
        var square = new Conv([2, 5, 6], [2, 2, 3, 3], Kernel(36, 3, false), stride, dilation, 1, dilation, mode);
        var output = Kernel(second.Units, 4, true);
        JsonObject Leaky(JsonObject layer) { layer["activation"] = "leaky_relu"; layer["alpha"] = "1/5"; return layer; }
        JsonObject Last() => new() { ["weights"] = new JsonArray(Ints(output)), ["bias"] = Ints([0]), ["activation"] = "identity" };
        var quadratic = square.Json();
        quadratic["bias"] = Ints([-1, -1]);
        quadratic["coefficient"] = "1/2";
        var shared = new JsonObject
        {
            ["input_dim"] = 60,
            ["layers"] = new JsonArray(Leaky(new() { ["conv"] = first.Json(), ["bias"] = Ints([1, -1, 0, 2]) }),
                Leaky(new() { ["conv"] = second.Json(), ["quadratic_conv"] = quadratic, ["bias"] = Ints([0, 1]) }), Last()),
            ["input_quadratic"] = new JsonObject { ["s"] = "1/10" },
        };
        int plane1 = first.Side(0) * first.Side(1), plane2 = second.Side(0) * second.Side(1);
        var dense = new JsonObject
        {
            ["input_dim"] = 60,
            ["layers"] = new JsonArray(
                Leaky(new() { ["weights"] = new JsonArray([.. first.Dense().Select(r => (JsonNode)Ints(r))]), ["bias"] = Ints(Enumerable.Range(0, first.Units).Select(u => new[] { 1, -1, 0, 2 }[u / plane1])) }),
                Leaky(new()
                {
                    ["weights"] = new JsonArray([.. second.Dense().Select(r => (JsonNode)Ints(r))]), ["bias"] = Ints(Enumerable.Range(0, second.Units).Select(u => u / plane2)),
                    ["quadratic"] = new JsonArray([.. square.Dense().Select((r, u) => (JsonNode)new JsonObject { ["unit"] = u, ["weights"] = Ints(r), ["bias"] = -1, ["coefficient"] = "1/2" })]),
                }),
                Last()),
            ["input_quadratic"] = new JsonObject { ["s"] = "1/10" },
        };
        return (shared.ToJsonString(), dense.ToJsonString());
    }

    private static CompositionNetwork Parse(string json) => CompositionReader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "net.json");

    public static TheoryData<string, int, int, int> Geometries => new()
    {
        { "zeros", 1, 1, 1 }, { "circular", 1, 1, 1 }, { "reflect", 1, 1, 1 }, { "circular", 2, 1, 2 }, { "zeros", 1, 2, 2 }, { "reflect", 2, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void DirectConvolutionAgreesWithTheDenseMatrix(string mode, int stride, int dilation, int groups)
    {
        var (sharedText, denseText) = Files(mode, stride, dilation, groups, clipped: false);
        var (shared, dense) = (Parse(sharedText), Parse(denseText));
        Assert.True(shared.HasShared);
        Assert.False(dense.HasShared);
        var (fs, random) = (shared.ToFloat(), new Random(3));
        for (int t = 0; t < 5; t++)
        {
            Rational[] x = [.. Enumerable.Range(0, 60).Select(_ => (Rational)random.Next(-8, 9) / 4)];
            var exact = shared.Evaluate(x);
            Assert.Equal(dense.Evaluate(x), exact);
            Assert.Equal(exact.ToDouble(), fs.Evaluate([.. x.Select(v => v.ToDouble())]), 1e-9 * Math.Max(1, Math.Abs(exact.ToDouble())));
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TheHashIsTheCheckers(string mode, int stride, int dilation, int groups)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cp-shared-{Guid.NewGuid():N}.json");
        var (sharedText, _) = Files(mode, stride, dilation, groups, clipped: true);
        File.WriteAllText(path, sharedText);
        try { Assert.Equal(CompositionHash.Sha256(Parse(sharedText)), CertificateChecker.NetworkSha256(path)); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AClippedModelIsCertifiedPerChannelAndChecked()
    {
        var (text, _) = Files("circular", 1, 1, 1, clipped: true);
        var model = Parse(text);
        var result = CompositionCertifier.Certify(model, Domain.Everywhere(60), [], 10);
        Assert.Equal(Verdict.Convex, result.Verdict);
        Assert.Equal([4, 2, 1], result.Derivation.Rules.Select(r => r.Length));
        Assert.All(result.Derivation.Rules[..2], r => Assert.All(r, rule => Assert.Equal(CompositionRules.Rectifier, rule)));
        string net = Path.Combine(Path.GetTempPath(), $"cp-shared-{Guid.NewGuid():N}.json"), cert = net + ".cert";
        File.WriteAllText(net, text);
        try
        {
            using (var stream = File.Create(cert)) CompositionCertifier.Write(result, model, stream);
            var check = CertificateChecker.Check(net, cert);
            Assert.True(check.Valid, check.Reason);
        }
        finally
        {
            File.Delete(net);
            File.Delete(cert);
        }
    }

    [Fact]
    public void ANegativeKernelEntryOnAConvexChannelFailsWithItsPosition()
    {
        var model = Parse(Files("circular", 1, 1, 1, clipped: false).Shared);
        var failure = CompositionRules.Derive(model).Failures[0];
        Assert.True(failure.IsChannel);
        Assert.Equal(1, failure.Layer);
        var kernel = model.Layers[1].Shared!.Main;
        int k = int.Parse(failure.JsonPath.Split('[', ']')[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"$.layers[1].conv.kernel[{k}]", failure.JsonPath);
        Assert.True(kernel.Kernel[k].Sign < 0);
        Assert.StartsWith($"layer 2 channel {failure.Unit + 1}: kernel entry {kernel.Kernel[k]} at [{failure.Unit}, ", failure.ToString());
    }
}
