using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Onnx;

namespace ConvexProof.Cli.Commands;

/// <summary>`convexproof import MODEL.onnx --out NET.json`: converts an ONNX ReLU network to net.json exactly.</summary>
public sealed class ImportCommand : ICommand
{
    private readonly Argument<string> _model = CommandOptions.File("MODEL.onnx", "the ONNX model");
    private readonly Option<string> _out = CommandOptions.Text("--out", "NET.json", "where to write the network (written to a temp file, then renamed)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("do not print the summary line");

    public ImportCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("import", "convert an ONNX model (Gemm/MatMul/Add/Relu, skips) to net.json, exactly") { _model, _out, _quiet };
        Definition.Description += """

            Reads a ReLU network exported to ONNX (for example by torch.onnx.export) and writes it as net.json.
            Every float32/float64 weight is written as its exact value (hex floats such as "0x1.99999ap-4").
            Supported: Gemm, MatMul, Add, Sub, Mul/Div by constants, Neg, Relu, Clip(min 0), Flatten, Reshape,
            Identity, Concat, Transpose, Constant; skip connections from the input (Add of two Gemms, or
            Concat of [hidden, input]). One input [batch, d], one output [batch, 1]. See docs/pytorch.md.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof import MODEL.onnx --out NET.json [--quiet]";
    public string Epilogue => "exit codes: 0 written, 2 bad input or usage\n";
    public string WrongArgumentCount(int given) => $"import takes one model file, got {given} (see 'convexproof import --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string model = parsed.GetValue(_model)!;
        string output = parsed.GetValue(_out) ?? throw new UsageException("import needs --out NET.json");
        AtomicFile.RequireWritable(output);
        if (InputFiles.Problem(model) is string problem) throw new UsageException($"{model}: {problem}");
        var network = OnnxImporter.ReadFile(model);
        AtomicFile.WriteText(output, ExactText.NetworkJson(network));
        if (!parsed.GetValue(_quiet)) context.Out.WriteLine($"imported {model} → {output}: {ImportSummary.Describe(network)}");
        return ExitCodes.Ok;
    }
}
