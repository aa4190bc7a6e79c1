using System.Diagnostics;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

/// <summary>A [Fact] that is skipped, with a reason, when python3 is not installed.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (Python.Executable is null) Skip = "python3 is not installed, so the PyTorch recipe (docs/pytorch_export.py) cannot be run";
    }
}

internal static class Python
{
    public static string? Executable { get; } = Find();

    private static string? Find()
    {
        string[] names = OperatingSystem.IsWindows() ? ["python3.exe", "python.exe"] : ["python3"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            foreach (var name in names)
            {
                if (dir.Length == 0) continue;
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static (int Code, string Out, string Err) Run(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo(Executable!)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 did not finish in 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Runs the recipe's exporter (docs/pytorch_export.py) on stand-ins for torch modules.</summary>
public class PyTorchRecipeTests
{
    /// <summary>Stand-ins with the attributes the exporter uses: Linear.weight/.bias tensors with
    /// detach()/cpu()/double()/tolist(), a ReLU class, a Sequential with children(). Weights are
    /// float32 values widened to Python floats, as torch's .double().tolist() gives them.</summary>
    private const string Script = """
        import struct, sys
        sys.path.insert(0, DOCS)
        import pytorch_export as px

        def f32(v):
            return struct.unpack("<f", struct.pack("<f", v))[0]

        class Tensor:
            def __init__(self, values, calls):
                self.values, self.calls = values, calls
            def detach(self):
                self.calls.append("detach"); return self
            def cpu(self):
                self.calls.append("cpu"); return self
            def double(self):
                self.calls.append("double"); return self
            def tolist(self):
                return self.values

        calls = []
        class Linear:
            def __init__(self, w, b):
                self.weight = Tensor([[f32(v) for v in row] for row in w], calls)
                self.bias = None if b is None else Tensor([f32(v) for v in b], calls)
        class ReLU:
            pass
        class Sequential:
            def __init__(self, *modules):
                self.modules = list(modules)
            def children(self):
                return iter(self.modules)

        mlp = Sequential(Linear([[0.1, -2.5], [0.3, 1.0], [-1.0, 0.7]], [0.2, 0.0, -0.1]), ReLU(),
                         Linear([[1.0, -0.5, 0.25]], [0.05]))
        px.save_net(px.sequential_to_net(mlp), "mlp.net.json")
        assert {"detach", "cpu", "double"} <= set(calls), calls

        # ICNN: z1 = relu(Wx0 x + b0); z2 = relu(Wz1 z1 + Wx1 x + b); y = Wz2 z2 + Wx2 x + b2
        x0 = Linear([[1.0, 2.0], [0.1, -1.0]], [0.5, -0.5])
        z1, x1 = Linear([[0.25, 0.0], [1.0, 2.0]], [0.1, 1.0]), Linear([[-1.0, 0.1], [5.0, 6.0]], [0.2, 2.0])
        z2, x2 = Linear([[1.0, 3.0]], None), Linear([[-0.75, 0.0]], [1.0])
        z2.bias = Tensor([1e-30], calls)   # float64 biases whose sum is not a float: written as p/q
        px.save_net(px.icnn_to_net([None, z1, z2], [x0, x1, x2]), "icnn.net.json")

        # A (weight, bias) pair instead of a module, as for clamped ICNN weights.
        px.save_net(px.icnn_to_net([None, ([[2.0]], None)], [([[1.0]], [0.0]), None]), "pair.net.json")

        for bad in (Sequential(ReLU()), Sequential(Linear([[1.0]], [0.0]), ReLU())):
            try:
                px.sequential_to_net(bad)
            except ValueError as e:
                print("rejected:", e)
            else:
                raise SystemExit("accepted a bad model")
        try:
            px.exact(float("nan"))
        except ValueError as e:
            print("rejected:", e)
        print("ok")
        """;

    [PythonFact]
    public void Exporter_writes_exact_hex_floats_that_ConvexProof_reads()
    {
        string docs = Path.Combine(Paths.RepoRoot, "docs");
        Assert.True(File.Exists(Path.Combine(docs, "pytorch_export.py")));
        string work = Directory.CreateTempSubdirectory("convexproof-pytorch-").FullName;
        try
        {
            string script = Path.Combine(work, "export_fakes.py");
            File.WriteAllText(script, Script.Replace("DOCS", "r'" + docs + "'"));
            var (code, stdout, stderr) = Python.Run(script, work);
            Assert.True(code == 0, $"python3 failed ({code}):\n{stdout}\n{stderr}");
            Assert.Contains("ok", stdout);
            Assert.Equal(3, stdout.Split('\n').Count(l => l.StartsWith("rejected:", StringComparison.Ordinal)));

            var mlp = NetworkReader.ReadFile(Path.Combine(work, "mlp.net.json"));
            Assert.Contains("0x1.99999a0000000p-4", File.ReadAllText(Path.Combine(work, "mlp.net.json")));
            Assert.Equal(new Rational(13421773, 134217728), mlp.Layers[0].Weights[0][0]);
            var expected = new Network(2,
            [
                new Layer([[F32(0.1f), F32(-2.5f)], [F32(0.3f), F32(1f)], [F32(-1f), F32(0.7f)]],
                    [F32(0.2f), F32(0f), F32(-0.1f)], null, Activation.Relu),
                new Layer([[F32(1f), F32(-0.5f), F32(0.25f)]], [F32(0.05f)], null, Activation.Identity),
            ]);
            AssertEqual(expected, mlp);
            // The other path of the recipe, ONNX + import, gives the same network and hash.
            AssertEqual(mlp, Import(OnnxWriter.ToBytes(expected)));

            var icnn = NetworkReader.ReadFile(Path.Combine(work, "icnn.net.json"));
            var expectedIcnn = new Network(2,
            [
                new Layer([[1, 2], [F32(0.1f), -1]], [F32(0.5f), F32(-0.5f)], null, Activation.Relu),
                new Layer([[F32(0.25f), 0], [1, 2]], [F32(0.1f) + F32(0.2f), 3],
                    [[-1, F32(0.1f)], [5, 6]], Activation.Relu),
                new Layer([[1, 3]], [Rational.FromDouble(1e-30) + 1], [[F32(-0.75f), 0]], Activation.Identity),
            ]);
            AssertEqual(expectedIcnn, icnn);

            var pair = NetworkReader.ReadFile(Path.Combine(work, "pair.net.json"));
            Assert.Equal(2, pair.Layers.Count);
            Assert.Null(pair.Layers[1].Skip);
            Assert.Equal(new Rational(2, 1), pair.Layers[1].Weights[0][0]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
