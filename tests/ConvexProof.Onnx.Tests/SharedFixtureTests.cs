using System.Diagnostics;
using ConvexProof.Composition;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;
using CertificateChecker = ConvexProof.Checker.CertificateChecker;

namespace ConvexProof.Onnx.Tests;

/// <summary>
/// Library-sized deepinv-style ICNNs (scripts/export_composition_fixtures.py: 1×28×28 with 8 filters,
/// 3×64×64 with 16, circular padding, leaky ReLU 0.2, squared input convolutions, clipped
/// z-kernels, a final non-negative convolution, global average pooling, s/2·|x|²), exported by real
/// torch.onnx.export: the importer keeps their convolutions as kernels (weight-shared layers), the
/// exact values agree with torch, the clipped models are certified by the rules in seconds and
/// checked, the unclipped 28×28 model is refuted exactly and checked.
/// </summary>
public class SharedFixtureTests
{
    public static readonly string[] Names = ["deepinv_icnn_28x28", "deepinv_icnn_28x28_unclipped", "deepinv_icnn_3x64x64", "deepinv_icnn_3x64x64_unclipped"];

    private static (ImportedModel Imported, CompositionNetwork Model) Import(string name)
    {
        var imported = OnnxImporter.Import(TorchSamples.Read(name).ModelPath);
        return (imported, imported.Composition ?? throw new InvalidOperationException($"{name} imported without squares"));
    }

    [Theory]
    [InlineData("deepinv_icnn_28x28", 8, 28, 28)]
    [InlineData("deepinv_icnn_3x64x64", 16, 64, 64)]
    public void The_convolutions_stay_kernels(string name, int filters, int height, int width)
    {
        var (imported, model) = Import(name);
        Assert.Equal(3, model.Layers.Count(l => l.Shared is not null));
        foreach (var shared in model.Layers.Take(3).Select(l => l.Shared!))
        {
            Assert.Equal(new TensorShape(filters, height, width), shared.Output);
            Assert.Equal(PaddingMode.Circular, shared.Main.Mode);
            Assert.Equal((1, 1, 1, 1), shared.Main.Padding);
        }
        Assert.All(model.Layers.Skip(1).Take(2), l => Assert.NotNull(l.Shared!.Square));
        Assert.Null(model.Layers[^1].Shared); // the final convolution and the pooling: one dense row
        // s/2·|x|² with s = 2·0.025f (0.5·s as the float32 constant torch exported).
        Assert.Equal(Rational.FromDouble(0.025f) * 2, model.Input!.S);
        Assert.Empty(model.Layers[^1].Terms);
        Assert.Contains("Conv", imported.LoweredOperators);
    }

    [Theory]
    [InlineData("deepinv_icnn_28x28")]
    [InlineData("deepinv_icnn_28x28_unclipped")]
    [InlineData("deepinv_icnn_3x64x64")]
    public void The_exact_value_agrees_with_torch_at_the_samples(string name)
    {
        var samples = TorchSamples.Read(name);
        var (_, model) = Import(name);
        Assert.Equal(samples.InputShape.Skip(1).Aggregate(1L, (a, b) => a * b), model.InputDim);
        foreach (var (x, y) in samples.Points)
        {
            var f = model.Evaluate(x);
            // torch sums in float32 (convolution windows, then the mean of 784 or 4 096 values and
            // |x|² over as many inputs): a relative 10⁻⁴ is about 1 000 float32 ulps.
            var tolerance = Rational.Max(Rational.One, f.Abs()) * new Rational(1, 10_000);
            Assert.True((f - y).Abs() <= tolerance, $"{name}: exact {f.ToDouble():R}, torch {y.ToDouble():R}");
        }
    }

    /// <summary>Import, write net.json, certify as `certify` does, write the certificate and check it independently.</summary>
    private static (CompositionResult Result, Checker.CheckResult? Check, TimeSpan Elapsed) CertifyAndCheck(string name, int lines = MidpointSearch.DefaultLines)
    {
        var (imported, model) = Import(name);
        string dir = Directory.CreateTempSubdirectory("cp-shared-").FullName;
        try
        {
            string net = Path.Combine(dir, "net.json"), cert = Path.Combine(dir, "cert.json");
            File.WriteAllText(net, ExactText.NetworkJson(imported.Network, model));
            var clock = Stopwatch.StartNew();
            var read = CompositionReader.ReadFile(net);
            Assert.Equal(CompositionHash.Sha256(model), CompositionHash.Sha256(read)); // the written net.json is the model
            var result = CompositionCertifier.Certify(read, Domain.Everywhere(read.InputDim), [], lines);
            if (result.Verdict == Verdict.Undecided) return (result, null, clock.Elapsed);
            using (var stream = File.Create(cert)) CompositionCertifier.Write(result, read, stream);
            var check = CertificateChecker.Check(net, cert);
            return (result, check, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("deepinv_icnn_28x28")]
    [InlineData("deepinv_icnn_3x64x64")]
    public void Clipped_models_are_certified_by_the_rules_in_seconds_and_checked(string name)
    {
        var (result, check, elapsed) = CertifyAndCheck(name);
        Assert.Equal(Verdict.Convex, result.Verdict);
        Assert.True(check!.Valid, check.Reason);
        Assert.Equal("convex", check.Verdict);
        // One rule per output channel of the weight-shared layers, one per unit of the dense output layer.
        Assert.Equal([.. Enumerable.Repeat(name.Contains("64x64") ? 16 : 8, 3), 1], result.Derivation.Rules.Select(r => r.Length));
        // A guard against a hang (reading, rules, hash, writing and checking), not a benchmark: it takes about a second.
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"{name}: certify and check took {elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Refuted on 1×28×28 (the exact evaluation of a 3×64×64 counterexample, three forward passes of
    /// 10⁷ rational products each, is too slow for a test): a line across a first-layer kink shows a
    /// midpoint violation, verified exactly and re-evaluated by the checker.
    /// </summary>
    [Fact]
    public void The_unclipped_28x28_model_is_refuted_exactly_and_checked()
    {
        var (result, check, _) = CertifyAndCheck("deepinv_icnn_28x28_unclipped", lines: 50);
        Assert.StartsWith("layer 2 channel", result.Derivation.Failures[0].ToString());
        Assert.Equal(Verdict.NotConvex, result.Verdict);
        var v = result.Search!.Violation!;
        Assert.True(v.FMid * 2 > v.Fx + v.Fy);
        Assert.True(check!.Valid, check.Reason);
        Assert.Equal("not_convex", check.Verdict);
    }

    [Fact]
    public void The_unclipped_3x64x64_model_fails_the_rules_at_a_named_kernel_entry()
    {
        var (_, model) = Import("deepinv_icnn_3x64x64_unclipped");
        var failures = CompositionRules.Derive(model).Failures;
        Assert.NotEmpty(failures);
        Assert.True(failures[0].IsChannel);
        Assert.Matches(@"^layer 2 channel \d+: kernel entry -[\d.e-]+ at \[\d+, \d+, \d, \d\] reads channel \d+ of the layer before", failures[0].ToString());
        Assert.Matches(@"^\$\.layers\[1\]\.conv\.kernel\[\d+\]$", failures[0].JsonPath);
    }
}
