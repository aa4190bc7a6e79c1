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
        Definition = new Command("import", "convert an ONNX model (dense, conv, pooling, batch norm, ReLU) to net.json, exactly") { _model, _out, _quiet };
        Definition.Description += """

            Reads a ReLU network exported to ONNX (for example by torch.onnx.export) and writes it as net.json,
            lowered to dense layers for one sample. Every float32/float64 weight is written as its exact value
            (hex floats such as "0x1.99999ap-4"). Supported: Gemm, MatMul, Conv, ConvTranspose, Add, Sub,
            Mul/Div by constants, Neg, BatchNormalization (inference, folded as PyTorch computes it),
            AveragePool, GlobalAveragePool, Relu, Clip(min 0), Flatten, Reshape, Squeeze, Unsqueeze, Pad,
            Slice, Concat, Transpose, Identity, Constant; skip connections from the input (Add of two
            products, or Concat of [hidden, input]). MaxPool and LeakyRelu are refused with their reason.
            It prints the operators it lowered and the dense network they became. See docs/pytorch.md.
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
        var imported = OnnxImporter.Import(model);
        AtomicFile.WriteText(output, ExactText.NetworkJson(imported.Network, imported.Composition));
        if (!parsed.GetValue(_quiet)) context.Out.WriteLine($"imported {model} → {output}: {ImportSummary.Describe(imported)}");
        return ExitCodes.Ok;
    }
}
