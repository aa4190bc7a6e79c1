using System.Buffers.Binary;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Onnx.Proto;
using Google.Protobuf;
using DataType = ConvexProof.Onnx.Proto.TensorProto.Types.DataType;

namespace ConvexProof.Onnx;

/// <summary>The element type of the weights <see cref="OnnxWriter"/> writes.</summary>
public enum OnnxElementType
{
    Float32,
    Float64,
}

/// <summary>How <see cref="OnnxWriter"/> lays out a network.</summary>
public sealed record OnnxWriterOptions
{
    /// <summary>float32 (what PyTorch exports) or float64; every value must be exactly representable.</summary>
    public OnnxElementType ElementType { get; init; } = OnnxElementType.Float32;

    /// <summary>Tensor data in raw_data (little-endian bytes, as PyTorch writes it) instead of float_data/double_data.</summary>
    public bool RawData { get; init; } = true;

    /// <summary>MatMul + Add (with transposed [in, out] weights) instead of Gemm with transB=1.</summary>
    public bool UseMatMul { get; init; }

    public string InputName { get; init; } = "x";
    public string OutputName { get; init; } = "y";
}

/// <summary>
/// Writes a <see cref="Network"/> as an ONNX model (opset 17): per layer a Gemm (transB=1, bias as
/// C) on the previous layer's output, plus — when the layer has a skip — a second Gemm on the graph
/// input and an Add, then a Relu for ReLU layers (LeakyRelu with its float32 alpha for leaky ones). The input is [batch, d] and the output [batch, 1].
/// The output is deterministic (same network and options, same bytes). <see cref="OnnxImporter"/>
/// reads it back to an equal network, except that a skip on the first layer is merged into its
/// weights (both read the input).
/// </summary>
public static class OnnxWriter
{
    public const int Opset = 17;

    public static byte[] ToBytes(Network network, OnnxWriterOptions? options = null) =>
        ToModel(network, options ?? new OnnxWriterOptions()).ToByteArray();

    internal static ModelProto ToModel(Network network, OnnxWriterOptions options)
    {
        var graph = new GraphProto { Name = "convexproof_network" };
        var elementType = options.ElementType == OnnxElementType.Float32 ? DataType.Float : DataType.Double;
        graph.Input.Add(ValueInfo(options.InputName, elementType, network.InputDim));
        graph.Output.Add(ValueInfo(options.OutputName, elementType, 1));

        string previous = options.InputName;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string p = $"layer{l + 1}";
            bool last = l == network.Layers.Count - 1;
            string output = last ? options.OutputName : $"{p}.out";
            bool relu = layer.Activation == Activation.Relu;
            string linearOut = layer.Skip is null && !relu ? output : $"{p}.linear";
            Linear(graph, options, elementType, $"{p}.linear", previous, layer.Weights, layer.Bias, linearOut, $"{p}.weight", $"{p}.bias");
            string pre = linearOut;
            if (layer.Skip is not null)
            {
                string skipOut = $"{p}.skip_linear";
                Linear(graph, options, elementType, $"{p}.skip_linear", options.InputName, layer.Skip, null, skipOut, $"{p}.skip_weight", null);
                pre = relu ? $"{p}.pre" : output;
                graph.Node.Add(Node("Add", $"{p}.add", [linearOut, skipOut], pre));
            }
            if (relu && !layer.IsLeaky) graph.Node.Add(Node("Relu", $"{p}.relu", [pre], output));
            else if (relu)
            {
                // ONNX's alpha is a float32 attribute: only a slope that is exactly a float32 survives.
                var leaky = Node("LeakyRelu", $"{p}.leaky_relu", [pre], output);
                leaky.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = ExactFloat(layer.Alpha, $"{p}.alpha") });
                graph.Node.Add(leaky);
            }
            previous = output;
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "convexproof",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private static void Linear(GraphProto graph, OnnxWriterOptions options, DataType type, string name, string input,
        Rational[][] weights, Rational[]? bias, string output, string weightName, string? biasName)
    {
        int rows = weights.Length, columns = rows == 0 ? 0 : weights[0].Length;
        graph.Initializer.Add(options.UseMatMul
            ? Tensor(weightName, [columns, rows], Transposed(weights, columns), type, options.RawData)
            : Tensor(weightName, [rows, columns], weights.SelectMany(r => r).ToArray(), type, options.RawData));
        if (bias is not null) graph.Initializer.Add(Tensor(biasName!, [rows], bias, type, options.RawData));
        if (options.UseMatMul)
        {
            string product = bias is null ? output : $"{name}.matmul";
            graph.Node.Add(Node("MatMul", $"{name}.matmul", [input, weightName], product));
            if (bias is not null) graph.Node.Add(Node("Add", $"{name}.bias_add", [product, biasName!], output));
            return;
        }
        var gemm = Node("Gemm", name, bias is null ? [input, weightName] : [input, weightName, biasName!], output);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gemm);
    }

    /// <summary>Wᵀ in row-major order, as MatMul wants it ([in, out]).</summary>
    private static Rational[] Transposed(Rational[][] weights, int columns)
    {
        int rows = weights.Length;
        var transposed = new Rational[columns * rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) transposed[j * rows + i] = weights[i][j];
        return transposed;
    }

    private static NodeProto Node(string op, string name, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    /// <summary>A float32 or float64 tensor holding exactly the given values.</summary>
    internal static TensorProto Tensor(string name, long[] dims, Rational[] values, DataType type, bool raw)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        if (type == DataType.Float)
        {
            var floats = values.Select((v, i) => ExactFloat(v, name, i)).ToArray();
            if (raw) tensor.RawData = LittleEndian(floats, sizeof(float), BinaryPrimitives.WriteSingleLittleEndian);
            else tensor.FloatData.AddRange(floats);
        }
        else
        {
            var doubles = values.Select((v, i) => ExactDouble(v, name, i)).ToArray();
            if (raw) tensor.RawData = LittleEndian(doubles, sizeof(double), BinaryPrimitives.WriteDoubleLittleEndian);
            else tensor.DoubleData.AddRange(doubles);
        }
        return tensor;
    }

    private delegate void WriteLittleEndian<T>(Span<byte> destination, T value);

    /// <summary>raw_data: the values one after another, <paramref name="width"/> little-endian bytes each.</summary>
    private static ByteString LittleEndian<T>(T[] values, int width, WriteLittleEndian<T> write)
    {
        var bytes = new byte[values.Length * width];
        for (int i = 0; i < values.Length; i++) write(bytes.AsSpan(i * width), values[i]);
        return ByteString.CopyFrom(bytes);
    }

    /// <summary>The float32 equal to <paramref name="value"/>; throws when there is none.</summary>
    public static float ExactFloat(Rational value, string tensor = "value", int index = 0)
    {
        float f = (float)value.ToDouble();
        if (float.IsFinite(f) && Rational.FromDouble(f) == value) return f;
        throw new ArgumentException($"{tensor}[{index}] = {value} is not exactly a float32; write the network as float64 (OnnxElementType.Float64) or round it first");
    }

    /// <summary>The float64 equal to <paramref name="value"/>; throws when there is none.</summary>
    public static double ExactDouble(Rational value, string tensor = "value", int index = 0)
    {
        double d = value.ToDouble();
        if (double.IsFinite(d) && Rational.FromDouble(d) == value) return d;
        throw new ArgumentException($"{tensor}[{index}] = {value} is not exactly a float64");
    }
}
