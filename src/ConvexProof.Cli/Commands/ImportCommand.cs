using ConvexProof.Cli.Infrastructure;
using ConvexProof.Onnx;

namespace ConvexProof.Cli.Commands;

/// <summary>`convexproof import MODEL.onnx --out NET.json`: converts an ONNX ReLU network to net.json exactly.</summary>
public sealed class ImportCommand : ICommand
{
    public string Name => "import";
    public string Summary => "convert an ONNX model (Gemm/MatMul/Add/Relu, skips) to net.json, exactly";
    public string Usage =>
        "usage: convexproof import MODEL.onnx --out NET.json [--quiet]\n" +
        "\n" +
        "Reads a ReLU network exported to ONNX (for example by torch.onnx.export) and writes it as net.json.\n" +
        "Every float32/float64 weight is written as its exact value (hex floats such as \"0x1.99999ap-4\").\n" +
        "Supported: Gemm, MatMul, Add, Sub, Mul/Div by constants, Neg, Relu, Clip(min 0), Flatten, Reshape,\n" +
        "Identity, Concat, Transpose, Constant; skip connections from the input (Add of two Gemms, or\n" +
        "Concat of [hidden, input]). One input [batch, d], one output [batch, 1]. See docs/pytorch.md.\n" +
        "Exit codes: 0 written, 2 bad input or usage.\n";

    public int Run(string[] args, CliContext context)
    {
        var a = new ArgumentList(args, ["--out"], ["--quiet"]);
        if (a.Positionals.Count != 1) throw new UsageException($"import takes one model file\n{Usage.Split('\n')[0]}");
        string model = a.Positionals[0];
        string output = a.Value("--out") ?? throw new UsageException("import needs --out NET.json");
        if (output.Length == 0) throw new UsageException("--out needs a file name");
        var network = OnnxImporter.ReadFile(model);
        AtomicFile.WriteText(output, ExactText.NetworkJson(network));
        if (!a.Flag("--quiet")) context.Out.WriteLine($"imported {model} → {output}: {ImportSummary.Describe(network)}");
        return ExitCodes.Ok;
    }
}
