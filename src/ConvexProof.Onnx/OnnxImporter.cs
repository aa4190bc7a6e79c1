using ConvexProof.Networks;
using ConvexProof.Onnx.Importing;
using ConvexProof.Onnx.Proto;
using Google.Protobuf;

namespace ConvexProof.Onnx;

/// <summary>
/// Reads an ONNX model of a ReLU network into a <see cref="Network"/> with exact parameters.
/// <para>
/// Supported operators (default domain): Gemm, MatMul, Conv and ConvTranspose (by constant
/// weights), Add, Sub, Mul and Div by constants, Neg, BatchNormalization (inference mode),
/// AveragePool, GlobalAveragePool, Relu (and Clip with min 0, no max), Flatten, Reshape, Squeeze,
/// Unsqueeze, Pad, Slice, Concat, Transpose, Identity, and Constant, ConstantOfShape and Cast.
/// MaxPool and LeakyRelu are recognised and rejected with their reason. The graph is lowered for
/// one sample: the first of two or more input dimensions is the batch and has size 1, and every
/// value computed from the input is a tensor of known shape whose entries are tracked as exact
/// affine functions of the graph input and of the hidden layers' outputs (sparse: a convolution
/// costs time in its nonzero weights). Constant subexpressions (initializers, Constant nodes,
/// Transpose or Clip of a weight, …) are folded exactly. Nodes the output does not depend on are
/// ignored. Each Relu makes a ReLU layer, a matrix product (Gemm, MatMul, Conv, ConvTranspose)
/// that consumes the result of arithmetic (not a Relu, the input or a rearrangement of those)
/// makes an identity layer of it first, and the graph output is the last identity layer. A
/// layer may read the previous layer and the graph input (a skip connection, as in input-convex
/// networks: Add of two Gemms, or Concat of [hidden, input] followed by a Gemm); anything else is
/// rejected.
/// </para>
/// <para>
/// Numbers: every float32/float64 (and float16/bfloat16) entry becomes the exact rational value of
/// its binary representation; Gemm's alpha and beta are float32 attributes and are used exactly too.
/// </para>
/// Every problem is an <see cref="InputException"/> whose message is one line naming the file, the
/// place (node name and operator, input, output or initializer) and the problem.
/// <para>
/// This class reads the file and the protobuf; the folder Importing/ does the rest:
/// <see cref="GraphImporter"/> walks the graph, <see cref="Operators"/> lists one lowering per
/// operator (the place to add one), <see cref="GraphValue"/> is what a name holds, and
/// <see cref="LayerChain"/> turns the traced values into layers.
/// </para>
/// </summary>
public static class OnnxImporter
{
    /// <summary>Largest .onnx file read.</summary>
    public const long MaxFileBytes = 1L << 30;

    public static Network ReadFile(string path) => Import(path).Network;

    /// <summary>The network and what it was lowered from (for <see cref="ImportSummary.Describe(ImportedModel)"/>).</summary>
    public static ImportedModel Import(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
                throw new InputException(path, "file", $"the file is larger than {MaxFileBytes >> 20} MiB");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw InputException.Unreadable(path, "file", e);
        }
        return ParseModel(bytes, path);
    }

    public static Network Parse(ReadOnlySpan<byte> bytes, string fileName) => ParseModel(bytes, fileName).Network;

    public static ImportedModel ParseModel(ReadOnlySpan<byte> bytes, string fileName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InputException(fileName, "file", $"not a valid ONNX model (protobuf: {OneLine(e.Message)}){Hint(bytes)}");
        }
        if (model.Graph is null || (model.Graph.Node.Count == 0 && model.Graph.Input.Count == 0 && model.Graph.Output.Count == 0))
            throw new InputException(fileName, "file", $"not an ONNX model (it has no graph){Hint(bytes)}");
        var importer = new GraphImporter(fileName, model);
        var network = importer.Run();
        return new ImportedModel(network, importer.Lowered, importer.Folded) { Composition = importer.Composition };
    }

    private static string Hint(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] == (byte)'{' ? "; it looks like a JSON file — a net.json needs no import" : "";
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
