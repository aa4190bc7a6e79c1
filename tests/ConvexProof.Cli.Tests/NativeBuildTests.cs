using System.Diagnostics;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// The CLI as users run it: scripts/build-cli (what ./convexproof and the bench run) must give a
/// native (AOT) executable, and that executable must behave as the in-process CLI the other tests
/// drive — the same certificate bytes, the checker's verdict, an ONNX import, serve, the one-line
/// input error. Trimming and ahead-of-time compilation are where such a binary could differ
/// (reflection, generated protobuf code, signal handling), so each is exercised once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NativeBuildTests : IClassFixture<NativeBuildTests.Build>
{
    /// <summary>One build for the whole class (a native build takes a minute or two).</summary>
    public sealed class Build : IDisposable
    {
        public Build()
        {
            Folder = new TempFolder();
            string output = Folder.File("cli");
            var (code, _, err) = Run(Path.Combine(Repository.Root(), "scripts", "build-cli"), [output], TimeSpan.FromMinutes(10));
            Assert.True(code == 0, $"scripts/build-cli failed: {err}");
            Kind = File.ReadAllText(Path.Combine(output, ".kind")).Trim();
            Executable = Path.Combine(output, "convexproof");
            BuildErrors = err;
        }

        internal TempFolder Folder { get; }
        public string Kind { get; }
        public string Executable { get; }
        /// <summary>What scripts/build-cli wrote on stderr (the note when it fell back).</summary>
        public string BuildErrors { get; }

        public void Dispose() => Folder.Dispose();
    }

    private readonly Build _build;

    public NativeBuildTests(Build build) => _build = build;

    private static (int Code, string Out, string Err) Run(string exe, string[] args, TimeSpan limit, string? input = null)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish within {limit}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private (int Code, string Out, string Err) Native(params string[] args) => Run(_build.Executable, args, TimeSpan.FromMinutes(2));

    [Fact]
    public void TheBuildIsNativeWithNoManagedAssemblies()
    {
        Assert.True(_build.Kind == "native (AOT)", $"scripts/build-cli fell back to {_build.Kind}: {_build.BuildErrors}");
        var folder = Path.GetDirectoryName(_build.Executable)!;
        Assert.Empty(Directory.GetFiles(folder, "*.dll"));
        var (code, output, _) = Native("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("convexproof ", output);
    }

    [Fact]
    public void CertificatesAreByteIdenticalToTheInProcessCliAndTheCheckerAcceptsThem()
    {
        using var dir = new TempFolder();
        foreach (var (name, box) in new[] { ("issue_example", (string?)null), ("icnn_skip", "-1:1"), ("leaky_duplicated", null) })
        {
            string net = Path.Combine(Repository.Root(), "certificates", name + ".json");
            string native = dir.File(name + ".native.json"), managed = dir.File(name + ".managed.json");
            string[] domain = box is null ? [] : ["--box", box];
            var n = Native(["certify", net, "--out", native, "--quiet", .. domain]);
            var m = Cli.Invoke(["certify", net, "--out", managed, "--quiet", .. domain]);
            Assert.Equal(m.Code, n.Code);
            Assert.Equal(File.ReadAllBytes(managed), File.ReadAllBytes(native));
            var check = Native("check", net, native, "--quiet");
            Assert.Equal(0, check.Code);
            Assert.StartsWith("VALID", check.Out);
        }
    }

    [Fact]
    public void AnOnnxModelImportsToTheSameNetwork()
    {
        using var dir = new TempFolder();
        string onnx = Path.Combine(Repository.Root(), "tests", "ConvexProof.Onnx.Tests", "Fixtures", "conv_pool_4x4.onnx");
        Assert.True(File.Exists(onnx), $"fixture missing: {onnx}");
        var n = Native("import", onnx, "--out", dir.File("native.json"));
        var m = Cli.Invoke("import", onnx, "--out", dir.File("managed.json"));
        Assert.Equal(0, n.Code);
        Assert.Equal(0, m.Code);
        Assert.Equal(File.ReadAllText(dir.File("managed.json")), File.ReadAllText(dir.File("native.json")));
    }

    [Fact]
    public void ServeAnswersARequestAndAMalformedOne()
    {
        string net = File.ReadAllText(Path.Combine(Repository.Root(), "certificates", "abs.json")).ReplaceLineEndings(" ");
        var (code, output, _) = Run(_build.Executable, ["serve", "--threads", "1"], TimeSpan.FromMinutes(2),
            input: $"{{\"id\": 1, \"command\": \"penalty\", \"network\": {net}}}\nnot json\n");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"ok\":true", lines[0]);
        Assert.Contains("\"ok\":false", lines[1]);
    }

    [Fact]
    public void BadInputIsOneLineWithExitCode2()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", "{\"input_dim\": 2, \"layers\": [{\"weights\": [[1, 2]], \"bias\": [0], \"activation\": \"sigmoid\"}]}");
        var (code, output, err) = Native("certify", net, "--out", dir.File("cert.json"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("convexproof: ", line);
        Assert.Contains("$.layers[0].activation", line);
        Assert.Equal(["net.json"], dir.Files());
    }
}
