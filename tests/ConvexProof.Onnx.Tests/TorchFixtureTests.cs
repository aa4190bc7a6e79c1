using System.Diagnostics;
using System.Text.Json;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

/// <summary>One fixture of scripts/export_fixtures.py: the model and torch's float32 values at sample points.</summary>
internal sealed record TorchSamples(string Name, long[] InputShape, string TorchVersion, IReadOnlyList<(Rational[] X, Rational Y)> Points)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public string ModelPath => Path.Combine(Folder, Name + ".onnx");

    public static TorchSamples Read(string name, string? folder = null)
    {
        string path = Path.Combine(folder ?? Folder, name + ".samples.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var points = root.GetProperty("samples").EnumerateArray()
            .Select(s => (s.GetProperty("x").EnumerateArray().Select(v => R(v.GetString()!)).ToArray(), R(s.GetProperty("y").GetString()!)))
            .ToList();
        Assert.NotEmpty(points);
        return new TorchSamples(name, root.GetProperty("input_shape").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
            root.GetProperty("torch").GetString()!, points);
    }
}

/// <summary>
/// The models of scripts/export_fixtures.py, exported by real torch.onnx.export (PyTorch 1.13,
/// opset 13) and committed with torch's float32 outputs at sample points: the imported network's
/// exact value agrees with torch to float32 accuracy, the verdicts are the expected ones, and the
/// leaky-ReLU models keep torch's float32 slope exactly.
/// </summary>
public class TorchFixtureTests
{
    private static readonly string[] LeakyNames = ["leaky_mlp", "conv_leaky_icnn_8x8"];

    private static readonly string[] SupportedNames =
        ["bn_mlp", "bn_1d", "conv_pool_4x4", "conv_pool_8x8", "conv_icnn_4x4", "conv_icnn_8x8", "conv_not_convex_4x4",
         "conv_28x28", "ops_conv_mix", "ops_pad_pool", "ops_conv1d", .. LeakyNames];

    public static TheoryData<string> Supported => new(SupportedNames);

    public static TheoryData<string> Leaky => new(LeakyNames);

    [Theory]
    [MemberData(nameof(Supported))]
    public void Imported_network_agrees_with_torch_at_the_samples(string name)
    {
        var samples = TorchSamples.Read(name);
        var network = OnnxImporter.ReadFile(samples.ModelPath);
        Assert.Equal(samples.InputShape.Skip(1).Aggregate(1L, (a, b) => a * b), network.InputDim);
        foreach (var (x, y) in samples.Points)
        {
            var exact = network.Evaluate(x);
            var bound = Float32Bound(network, x);
            var error = (exact - y).Abs();
            Assert.True(error <= bound, $"{name}: |f(x) − torch| = {error.ToDouble():E3} exceeds the float32 bound {bound.ToDouble():E3}");
            // The bound is a few float32 ulps of the magnitudes involved, not a blanket tolerance.
            Assert.True(bound <= Magnitude(network, x) * new Rational(1, 10_000) + new Rational(1, 1 << 30), $"{name}: the bound is too loose to mean anything");
        }
    }

    /// <summary>
    /// A rigorous bound on |torch's float32 output − the exact value| (first order in u = 2⁻²⁴).
    /// torch evaluates the same weights (the importer reads every float32 exactly) with float32
    /// operations, each rounding once, |fl(a ∘ b) − a ∘ b| ≤ u·|a ∘ b|. A dot product of n terms
    /// then errs by at most n·u·Σ|terms| (Higham, Thm 3.1), ReLU is 1-Lipschitz, and an error e
    /// entering a layer leaves it at most |W|·e. By induction the error after layer l is at most
    /// c_l·u·m_l, where m_l is the layer's value in the network with every weight, bias and input
    /// replaced by its absolute value (<see cref="Magnitude"/>) and c_l = c_(l−1) + n_l + k: n_l
    /// the layer's largest number of nonzero weights in a row (including its skip; adding an exact
    /// zero, as a convolution's padding does, rounds nothing) bounds the roundings of its sums, and k = 7 covers
    /// the other operations torch performs per layer here (the bias add, a leaky ReLU's product α·z, a pooling's division,
    /// BatchNorm's multiply-add and its float32 coefficients, the ICNN's skip add) plus the final
    /// rounding to float32. The bound is doubled to cover the second-order terms with a wide margin.
    /// </summary>
    private static Rational Float32Bound(Network network, Rational[] x)
    {
        long roundings = 0;
        foreach (var layer in network.Layers)
            roundings += Enumerable.Range(0, layer.Outputs).Max(i =>
                layer.Weights[i].Count(w => !w.IsZero) + (layer.Skip?[i].Count(w => !w.IsZero) ?? 0)) + 7;
        return 2 * roundings * Magnitude(network, x) / (1 << 24);
    }

    /// <summary>The output of the network with |W|, |S|, |b| and |x| and no ReLU: it bounds every
    /// intermediate value's |terms| sum layer by layer.</summary>
    private static Rational Magnitude(Network network, Rational[] x)
    {
        Rational[] input = x.Select(v => v.Abs()).ToArray(), h = input;
        foreach (var layer in network.Layers)
        {
            var next = new Rational[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var z = layer.Bias[i].Abs();
                for (int j = 0; j < layer.Inputs; j++) if (!layer.Weights[i][j].IsZero) z += layer.Weights[i][j].Abs() * h[j];
                if (layer.Skip is not null)
                    for (int j = 0; j < network.InputDim; j++) if (!layer.Skip[i][j].IsZero) z += layer.Skip[i][j].Abs() * input[j];
                next[i] = z;
            }
            h = next;
        }
        return h[0];
    }

    [Fact]
    public void Folded_batch_norm_has_torchs_float32_coefficients_to_the_last_bit()
    {
        // torch evaluates BatchNorm1d as fma(x, α, β) with float32 α and β: if the importer's α and
        // β are torch's, its exact value rounds to torch's output (|error| ≤ half an ulp) everywhere.
        var samples = TorchSamples.Read("bn_1d");
        var network = OnnxImporter.ReadFile(samples.ModelPath);
        foreach (var (x, y) in samples.Points)
        {
            float f = (float)y.ToDouble();
            var halfUlp = (Rational.FromDouble(MathF.BitIncrement(MathF.Abs(f))) - Rational.FromDouble(MathF.Abs(f))) / 2;
            Assert.True((network.Evaluate(x) - y).Abs() <= halfUlp, $"at x = {x[0]}: {network.Evaluate(x)} does not round to torch's {y}");
        }
    }

    [Theory]
    [MemberData(nameof(Leaky))]
    public void Leaky_relu_models_keep_torchs_float32_slope_exactly(string name)
    {
        var network = OnnxImporter.ReadFile(TorchSamples.Read(name).ModelPath);
        var hidden = network.Layers.Take(network.Layers.Count - 1).ToList();
        Assert.NotEmpty(hidden);
        // nn.LeakyReLU(0.2) stores the float32 nearest 0.2, 13421773·2⁻²⁶, not 1/5.
        Assert.All(hidden, l => Assert.Equal(new Rational(13421773, 1 << 26), l.Alpha));
        Assert.All(hidden, l => Assert.Equal(Activation.Relu, l.Activation));
    }

    [Theory]
    [InlineData("conv_icnn_4x4", Verdict.Convex)]
    [InlineData("conv_pool_4x4", Verdict.Convex)]
    [InlineData("conv_not_convex_4x4", Verdict.NotConvex)]
    [InlineData("bn_mlp", Verdict.NotConvex)]
    [InlineData("leaky_mlp", Verdict.NotConvex)]
    public void Small_fixtures_get_their_verdict(string name, Verdict expected)
    {
        var network = OnnxImporter.ReadFile(TorchSamples.Read(name).ModelPath);
        var result = Certifier.Certify(network, Domain.Everywhere(network.InputDim));
        Assert.Equal(expected, result.Verdict);
        if (expected == Verdict.NotConvex)
        {
            var c = Assert.IsType<Counterexample>(result.Counterexample);
            Assert.True(network.Evaluate(c.X.Zip(c.Y, (a, b) => (a + b) / 2).ToArray()) * 2 > network.Evaluate(c.X) + network.Evaluate(c.Y));
        }
    }

    [Theory]
    [InlineData("conv_icnn_8x8")]
    [InlineData("conv_leaky_icnn_8x8")]
    public void Convolutional_icnn_on_8x8_is_an_icnn_by_construction(string name)
    {
        // 20 ReLU units on 64 inputs are too many regions to enumerate in a test; the structural
        // test (non-negative weights on every rectifier output; leaky ReLU is convex and
        // non-decreasing too) proves it convex.
        var network = OnnxImporter.ReadFile(TorchSamples.Read(name).ModelPath);
        Assert.Equal(64, network.InputDim);
        Assert.Null(NetworkInfo.FindIcnnObstacle(network));
        Assert.NotNull(NetworkInfo.FindIcnnObstacle(OnnxImporter.ReadFile(TorchSamples.Read("conv_pool_8x8").ModelPath)));
    }

    /// <summary>
    /// The user's path for the convolutional (leaky) ICNNs: import, certify on the image box, check.
    /// Far too many regions to enumerate (20 units on 64 inputs); the default certify proves them by
    /// the sign rule, and the independent checker accepts the structural certificate.
    /// </summary>
    [Theory]
    [InlineData("conv_icnn_8x8")]
    [InlineData("conv_leaky_icnn_8x8")]
    public void Convolutional_icnn_on_8x8_is_certified_and_checked_through_the_cli(string name)
    {
        string folder = Directory.CreateTempSubdirectory("cp-conv-").FullName;
        try
        {
            string net = Path.Combine(folder, "net.json"), cert = Path.Combine(folder, "net.cert.json");
            int Run(params string[] args) => ConvexProof.Cli.CliMain.Run(args, new StringWriter(), new StringWriter());
            Assert.Equal(0, Run("import", TorchSamples.Read(name).ModelPath, "--out", net));
            Assert.Equal(0, Run("certify", net, "--out", cert, "--box", "0:1", "--quiet"));
            Assert.Contains("\"method\":\"structural\"", File.ReadAllText(cert));
            var check = ConvexProof.Checker.CertificateChecker.Check(net, cert, "0:1");
            Assert.True(check.Valid, check.Reason);
            Assert.Equal("convex", check.Verdict);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TorchFact]
    public void Reexporting_with_torch_gives_the_committed_fixtures()
    {
        string folder = Directory.CreateTempSubdirectory("cp-torch-").FullName;
        var start = new ProcessStartInfo(Torch.Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Paths.RepoRoot, "scripts", "export_fixtures.py"));
        start.ArgumentList.Add(folder);
        using (var process = Process.Start(start)!)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(300_000), "export_fixtures.py did not finish in 300 s");
            Assert.True(process.ExitCode == 0, stderr.Result);
        }
        var names = SupportedNames.ToList();
        Assert.Equal(names.Order(), Directory.GetFiles(folder, "*.onnx").Select(p => Path.GetFileNameWithoutExtension(p)).Order());
        foreach (string name in names)
        {
            var committed = TorchSamples.Read(name);
            var fresh = TorchSamples.Read(name, folder);
            if (fresh.TorchVersion == committed.TorchVersion)
            {
                // The same PyTorch writes the same bytes (fixed seeds, one thread).
                Assert.Equal(File.ReadAllBytes(committed.ModelPath), File.ReadAllBytes(Path.Combine(folder, name + ".onnx")));
                Assert.Equal(File.ReadAllText(Path.Combine(TorchSamples.Folder, name + ".samples.json")), File.ReadAllText(Path.Combine(folder, name + ".samples.json")));
            }
            else
            {
                // Another PyTorch may name or order nodes differently: the networks must still agree.
                AssertEqual(OnnxImporter.ReadFile(committed.ModelPath), OnnxImporter.ReadFile(Path.Combine(folder, name + ".onnx")));
            }
        }
    }
}

/// <summary>A [Fact] that is skipped, with its reason, when PyTorch cannot be imported by python3.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (Torch.Python is null) Skip = "PyTorch is not installed (python3 -c 'import torch' fails; Debian: apt-get install python3-torch), so the fixtures cannot be re-exported";
    }
}

internal static class Torch
{
    /// <summary>A python3 that can import torch, or null.</summary>
    public static string? Python { get; } = Find();

    private static string? Find()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", Onnx.Tests.Python.Executable })
        {
            if (candidate is null || !File.Exists(candidate)) continue;
            var start = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import torch");
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (process.WaitForExit(60_000) && process.ExitCode == 0) return candidate;
        }
        return null;
    }
}
