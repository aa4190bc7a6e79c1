using System.Diagnostics;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// Weight-shared layers on the command line: the worked audit of docs/cli.md on the 3×64×64
/// deepinv-style fixture (import, info, certify, check in seconds), and hostile net.json files
/// (huge shapes, a kernel larger than its input, a kernel of the wrong length) as one-line errors with exit 2
/// from info, certify and check alike.
/// </summary>
public class SharedLayerCommandTests
{
    private static string Fixture(string name) => Path.Combine(Repository.Root(), "tests", "ConvexProof.Onnx.Tests", "Fixtures", name);

    [Fact]
    public void TheAuditOfA3x64x64ModelTakesSeconds()
    {
        using var dir = new TempFolder();
        string net = dir.File("deepinv64.json"), cert = dir.File("deepinv64.cert.json");
        var import = Cli.Invoke("import", Fixture("deepinv_icnn_3x64x64.onnx"), "--out", net);
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("Conv ×8", import.Out);
        var info = Cli.Invoke("info", net);
        Assert.Equal(0, info.Code);
        Assert.Contains("layer 1: 16×64×64 = 65536 leaky_relu", info.Out);
        Assert.Contains("(weight-shared), conv 3×3 circular padding 1,1,1,1 of 3×64×64", info.Out);
        var clock = Stopwatch.StartNew();
        var certify = Cli.Invoke("certify", net, "--out", cert);
        Assert.Equal(0, certify.Code);
        Assert.Contains("rules:        nonneg_sum ×1, rectifier ×48; input_quadratic psd", certify.Out);
        var check = Cli.Invoke("check", net, cert);
        Assert.Equal(0, check.Code);
        Assert.Contains("VALID: f is convex on R^12288", check.Out);
        // A no-hang guard, not a benchmark (about a second in all).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"certify and check took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void InfoNamesTheKernelEntryOfASkippedClip()
    {
        using var dir = new TempFolder();
        string net = dir.File("u.json");
        Assert.Equal(0, Cli.Invoke("import", Fixture("deepinv_icnn_3x64x64_unclipped.onnx"), "--out", net).Code);
        var info = Cli.Invoke("info", net);
        Assert.Contains("layer 2 channel 1: kernel entry -0.03587 at [0, 0, 0, 0] reads channel 1 of the layer before", info.Out);
        Assert.Contains("($.layers[1].conv.kernel[0])", info.Out);
        var json = Cli.Invoke("info", net, "--json").Json().GetProperty("composition").GetProperty("failures")[0];
        Assert.True(json.GetProperty("channel").GetBoolean());
        Assert.Equal(0, json.GetProperty("unit").GetInt32());
    }

    private static string Model(string conv) => $$"""
        { "input_dim": 16, "layers": [
          { "conv": {{conv}}, "bias": [0, 0], "activation": "relu" },
          { "weights": [[{{string.Join(", ", Enumerable.Repeat("1", 32))}}]], "bias": [0], "activation": "identity" } ] }
        """;

    [Theory]
    [InlineData("""{ "input_shape": [1, 65536, 65536], "kernel_shape": [2, 1, 3, 3], "kernel": [] }""", "$.layers[0].conv.input_shape")]
    [InlineData("""{ "input_shape": [1, 4, 4], "kernel_shape": [2, 1, 5, 5], "kernel": [] }""", "$.layers[0].conv.kernel_shape", "larger than the padded 4×4 input")]
    [InlineData("""{ "input_shape": [1, 4, 4], "kernel_shape": [2, 1, 3, 3], "kernel": [1, 2, 3], "padding": [1, 1, 1, 1] }""", "$.layers[0].conv.kernel", "18")]
    [InlineData("""{ "input_shape": [1, 4, 4], "kernel_shape": [2, 1, 3, 3], "kernel": [1, 2, 3], "padding": [9, 1, 1, 1], "padding_mode": "reflect" }""", "$.layers[0].conv.padding")]
    [InlineData("""{ "input_shape": [1, 4, 4], "kernel_shape": [65536, 1, 1024, 1024], "kernel": [] }""", "$.layers[0].conv.kernel_shape")]
    public void HostileShapesAreOneLineErrors(string conv, params string[] mentions)
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", Model(conv)), cert = dir.Write("cert.json", "{}");
        foreach (var args in new[] { new[] { "info", net }, ["certify", net, "--out", dir.File("out.json")], ["check", net, cert] })
            Cli.AssertOneLineError(Cli.Invoke(args), [net, .. mentions]);
        Assert.False(File.Exists(dir.File("out.json")));
    }

    [Fact]
    public void PlainCommandsRefuseAWeightSharedLayer()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", Model("""{ "input_shape": [1, 4, 4], "kernel_shape": [2, 1, 1, 1], "kernel": [1, 1] }"""));
        Cli.AssertOneLineError(Cli.Invoke("plot", net, "--out", dir.File("p.svg")), "$.layers[0].conv", "composition model's key");
    }
}
