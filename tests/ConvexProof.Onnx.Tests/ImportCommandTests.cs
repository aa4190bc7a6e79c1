using ConvexProof.Cli;
using ConvexProof.Networks;

namespace ConvexProof.Onnx.Tests;

/// <summary>`convexproof import` through the CLI's entry point.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("convexproof-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliMain.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Import_writes_an_exact_net_json_and_prints_a_summary()
    {
        string output = Path.Combine(_dir, "net.json");
        var (code, stdout, stderr) = Run("import", Paths.Asset("icnn_small.onnx"), "--out", output);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Single(stdout.TrimEnd('\n').Split('\n'));
        Assert.Contains("3 layers, widths 2 → 3 relu → 2 relu → 1, 2 skip connections, 26 parameters, 5 ReLU units", stdout);
        string text = File.ReadAllText(output);
        Assert.Contains("\"0x1.99999ap-4\"", text);
        var expected = NetworkReader.ReadFile(Paths.Asset("icnn_small.net.json"));
        Assert.Equal(NetworkHash.Sha256(expected), NetworkHash.Sha256(NetworkReader.ReadFile(output)));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Quiet_prints_nothing()
    {
        var (code, stdout, _) = Run("import", Paths.Asset("icnn_small.onnx"), "--out", Path.Combine(_dir, "q.json"), "--quiet");
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Bad_model_exits_2_with_one_line_and_writes_nothing()
    {
        string model = Path.Combine(_dir, "bad.onnx");
        File.WriteAllBytes(model, File.ReadAllBytes(Paths.Asset("icnn_small.onnx"))[..100]);
        string output = Path.Combine(_dir, "net.json");
        var (code, stdout, stderr) = Run("import", model, "--out", output);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"convexproof: {model}: file: not a valid ONNX model", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Missing_file_and_missing_out_are_usage_errors()
    {
        var (code, _, stderr) = Run("import", Path.Combine(_dir, "none.onnx"), "--out", Path.Combine(_dir, "x.json"));
        Assert.Equal(2, code);
        Assert.Contains("none.onnx: no such file", stderr);

        (code, _, stderr) = Run("import", Paths.Asset("icnn_small.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("import needs --out NET.json", stderr);
    }

    [Fact]
    public void Import_is_listed_in_help()
    {
        var (_, stdout, _) = Run("--help");
        Assert.Contains("import", stdout);
        var (code, usage, _) = Run("import", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("usage: convexproof import MODEL.onnx --out NET.json", usage);
    }
}
