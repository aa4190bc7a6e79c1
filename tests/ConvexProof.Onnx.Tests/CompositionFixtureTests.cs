using System.Diagnostics;
using System.Text;
using ConvexProof.Composition;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;
using CertificateChecker = ConvexProof.Checker.CertificateChecker;
using static ConvexProof.Onnx.Tests.ModelBuilder;

namespace ConvexProof.Onnx.Tests;

/// <summary>
/// The models of scripts/export_composition_fixtures.py — a deepinv-style convolutional ICNN
/// (circular padding, squared input convolutions, global average pooling, s/2·|x|²) and an OT ICNN
/// (z = leaky(A₀x)², clamped z-weights, input skips) — exported by real torch.onnx.export (PyTorch
/// 1.13, opset 13), clipped and unclipped: imported to composition models whose exact values agree
/// with torch's float32 outputs, the clipped ones certified by the rules, the unclipped refuted with
/// an exact counterexample, every certificate accepted by the independent checker.
/// </summary>
public class CompositionFixtureTests
{
    private static readonly string[] Names = ["deepinv_icnn_6x6", "deepinv_icnn_6x6_unclipped", "ot_icnn", "ot_icnn_unclipped"];

    public static TheoryData<string> All => new(Names);

    private static CompositionNetwork Import(string name) =>
        OnnxImporter.Import(TorchSamples.Read(name).ModelPath).Composition ?? throw new InvalidOperationException($"{name} imported without squares");

    [Theory]
    [MemberData(nameof(All))]
    public void The_exact_value_agrees_with_torch_at_the_samples(string name)
    {
        var samples = TorchSamples.Read(name);
        var model = Import(name);
        Assert.Equal(samples.InputShape.Skip(1).Aggregate(1L, (a, b) => a * b), model.InputDim);
        foreach (var (x, y) in samples.Points)
        {
            var f = model.Evaluate(x);
            // torch computes in float32 (sums of a few hundred products): a relative 10⁻⁵ is about 100 float32 ulps.
            var tolerance = Rational.Max(Rational.One, f.Abs()) * new Rational(1, 100_000);
            Assert.True((f - y).Abs() <= tolerance, $"{name}: exact {f.ToDouble():R}, torch {y.ToDouble():R}");
        }
    }

    [Fact]
    public void The_squares_are_lowered_where_the_modules_put_them()
    {
        var deep = Import("deepinv_icnn_6x6");
        Assert.Equal(36, deep.InputDim);
        // Every hidden layer after the first has one square (W_q x)² per unit; the output the 36 squares of s/2·|x|².
        Assert.All(deep.Layers.Skip(1).SkipLast(1), l => Assert.Equal(72, l.Terms.Count));
        Assert.Equal(36, deep.Layers[^1].Terms.Count);
        // 0.5 · s with s = 0.05 is the Python float 0.025, exported as the float32 constant nearest to it.
        Assert.All(deep.Layers[^1].Terms, t => Assert.Equal(Rational.FromDouble(0.025f), t.Coefficient));
        var ot = Import("ot_icnn");
        Assert.True(ot.Layers[0].SquareOutput);
        Assert.All(ot.Layers, l => Assert.Empty(l.Terms));
        Assert.All(ot.Plain.Layers.Skip(1), l => Assert.NotNull(l.Skip));
    }

    /// <summary>Certify as `certify` does, write the certificate, and check it with the independent checker.</summary>
    private static (Verdict Verdict, Checker.CheckResult Check) CertifyAndCheck(string name)
    {
        var imported = OnnxImporter.Import(TorchSamples.Read(name).ModelPath);
        var model = imported.Composition!;
        var result = CompositionCertifier.Certify(model, Domain.Everywhere(model.InputDim), [], MidpointSearch.DefaultLines);
        string dir = Directory.CreateTempSubdirectory("cp-composition-").FullName;
        try
        {
            string net = Path.Combine(dir, "net.json"), cert = Path.Combine(dir, "cert.json");
            File.WriteAllText(net, ExactText.NetworkJson(imported.Network, model));
            Assert.Equal(CompositionHash.Sha256(model), CompositionHash.Sha256(CompositionReader.ReadFile(net))); // the written net.json is the model
            if (result.Verdict == Verdict.Undecided) return (result.Verdict, new Checker.CheckResult(false, null, null, result.UndecidedReason));
            using (var stream = File.Create(cert)) CompositionCertifier.Write(result, model, stream);
            return (result.Verdict, CertificateChecker.Check(net, cert));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("deepinv_icnn_6x6")]
    [InlineData("ot_icnn")]
    public void Clipped_models_are_certified_by_the_rules_and_checked(string name)
    {
        var (verdict, check) = CertifyAndCheck(name);
        Assert.Equal(Verdict.Convex, verdict);
        Assert.True(check.Valid, check.Reason);
        Assert.Equal("convex", check.Verdict);
    }

    [Theory]
    [InlineData("deepinv_icnn_6x6_unclipped")]
    [InlineData("ot_icnn_unclipped")]
    public void Unclipped_models_are_refuted_exactly_and_checked(string name)
    {
        Assert.NotEmpty(CompositionRules.Derive(Import(name)).Failures);
        var (verdict, check) = CertifyAndCheck(name);
        Assert.Equal(Verdict.NotConvex, verdict);
        Assert.True(check.Valid, check.Reason);
        Assert.Equal("not_convex", check.Verdict);
    }

    [Fact]
    public void A_square_of_a_hidden_value_that_is_read_twice_is_refused()
    {
        // z = relu(x); f = z² + z: squaring the layer would change the second use.
        ModelBuilder Graph(string added) => new ModelBuilder().Input("x", [1, 2]).Output("y", null, 1)
            .Floats("ones", [2, 1], [1f, 1f])
            .Node("Relu", "relu", ["x"], "z")
            .Node("Mul", "square", ["z", "z"], "s")
            .Node("Add", "add", ["s", added], "t")
            .Node("MatMul", "sum", ["t", "ones"], "y");
        var e = Assert.Throws<Networks.InputException>(() => OnnxImporter.Parse(Graph("z").Bytes(), "twice.onnx"));
        Assert.Contains("read by nothing else", e.Message);
        // Read once (plus x): the layer is squared, f = relu(x₁)² + relu(x₂)² + x₁ + x₂.
        // A reshape of the layer read once, while the layer itself is read again: refused too.
        var reshaped = new ModelBuilder().Input("x", [1, 2]).Output("y", null, 1)
            .Floats("ones", [2, 1], [1f, 1f])
            .Node("Relu", "relu", ["x"], "z")
            .Node("Identity", "copy", ["z"], "c")
            .Node("Mul", "square", ["c", "c"], "s")
            .Node("Add", "add", ["s", "z"], "t")
            .Node("MatMul", "sum", ["t", "ones"], "y");
        Assert.Contains("read by nothing else", Assert.Throws<Networks.InputException>(() => OnnxImporter.Parse(reshaped.Bytes(), "copy.onnx")).Message);
        var model = OnnxImporter.ParseModel(Graph("x").Bytes(), "once.onnx").Composition!;
        Assert.True(model.Layers[0].SquareOutput);
        Assert.Equal((Rational)(9 + 0 + 3 - 1), model.Evaluate([(Rational)3, (Rational)(-1)]));
    }

    [TorchFact]
    public void Reexporting_with_torch_gives_the_committed_fixtures()
    {
        string folder = Directory.CreateTempSubdirectory("cp-torch-composition-").FullName;
        var start = new ProcessStartInfo(Torch.Python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Paths.RepoRoot, "scripts", "export_composition_fixtures.py"));
        start.ArgumentList.Add(folder);
        using (var process = Process.Start(start)!)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(300_000), "export_composition_fixtures.py did not finish in 300 s");
            Assert.True(process.ExitCode == 0, stderr.Result);
        }
        Assert.Equal(Names.Concat(SharedFixtureTests.Names).Order(), Directory.GetFiles(folder, "*.onnx").Select(p => Path.GetFileNameWithoutExtension(p)).Order());
        foreach (string name in Names.Concat(SharedFixtureTests.Names))
        {
            var committed = TorchSamples.Read(name);
            var fresh = TorchSamples.Read(name, folder);
            if (fresh.TorchVersion != committed.TorchVersion) continue; // another PyTorch may write other bytes; the values tests still hold
            Assert.Equal(File.ReadAllBytes(committed.ModelPath), File.ReadAllBytes(Path.Combine(folder, name + ".onnx")));
            Assert.Equal(File.ReadAllText(Path.Combine(TorchSamples.Folder, name + ".samples.json")), File.ReadAllText(Path.Combine(folder, name + ".samples.json")));
        }
        Directory.Delete(folder, recursive: true);
    }
}
