using System.Buffers.Binary;
using System.Text;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Onnx.Proto;
using Google.Protobuf;
using AttrType = ConvexProof.Onnx.Proto.AttributeProto.Types.AttributeType;
using DataType = ConvexProof.Onnx.Proto.TensorProto.Types.DataType;

namespace ConvexProof.Onnx.Tests;

internal static class Paths
{
    /// <summary>The repository root (the folder with ConvexProof.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConvexProof.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("ConvexProof.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, "Assets", name);

    public static string SourceAsset(string name) => Path.Combine(RepoRoot, "tests", "ConvexProof.Onnx.Tests", "Assets", name);
}

internal static class Nets
{
    public static Network Parse(string json) => NetworkReader.Parse(Encoding.UTF8.GetBytes(json), "test.net.json");

    public static Rational R(string text) =>
        ExactNumberParser.TryParse(text, out var v, out var problem) ? v : throw new ArgumentException(problem);

    public static Rational F32(float f) => Rational.FromDouble(f);

    /// <summary>Structural equality: same input dimension, layers, activations, skips and values.</summary>
    public static void AssertEqual(Network expected, Network actual)
    {
        Assert.Equal(NetworkHash.CanonicalText(expected), NetworkHash.CanonicalText(actual));
        Assert.Equal(NetworkHash.Sha256(expected), NetworkHash.Sha256(actual));
    }

    public static Network Import(byte[] bytes, string name = "test.onnx") => OnnxImporter.Parse(bytes, name);

    public static InputException ImportError(byte[] bytes, string name = "test.onnx") =>
        Assert.Throws<InputException>(() => OnnxImporter.Parse(bytes, name));
}

/// <summary>Builds small ONNX graphs by hand with the generated protobuf classes.</summary>
internal sealed class ModelBuilder
{
    private readonly GraphProto _graph = new() { Name = "test" };
    public long Opset { get; set; } = 17;

    public ModelBuilder Input(string name, params long?[] dims)
    {
        _graph.Input.Add(ValueInfo(name, dims));
        return this;
    }

    public ModelBuilder Output(string name, params long?[] dims)
    {
        _graph.Output.Add(ValueInfo(name, dims));
        return this;
    }

    public static ValueInfoProto ValueInfo(string name, long?[] dims, DataType type = DataType.Float)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    /// <summary>A float32 initializer in float_data (or raw_data).</summary>
    public ModelBuilder Floats(string name, long[] dims, float[] values, bool raw = false)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        if (raw)
        {
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
            t.RawData = ByteString.CopyFrom(bytes);
        }
        else t.FloatData.AddRange(values);
        _graph.Initializer.Add(t);
        return this;
    }

    /// <summary>A float64 initializer in double_data (or raw_data).</summary>
    public ModelBuilder Doubles(string name, long[] dims, double[] values, bool raw = false)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Double };
        t.Dims.AddRange(dims);
        if (raw)
        {
            var bytes = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
            t.RawData = ByteString.CopyFrom(bytes);
        }
        else t.DoubleData.AddRange(values);
        _graph.Initializer.Add(t);
        return this;
    }

    public ModelBuilder Int64s(string name, long[] dims, long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        _graph.Initializer.Add(t);
        return this;
    }

    public ModelBuilder Tensor(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        return this;
    }

    public ModelBuilder Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return this;
    }

    public static AttributeProto F(string name, float value) => new() { Name = name, Type = AttrType.Float, F = value };
    public static AttributeProto I(string name, long value) => new() { Name = name, Type = AttrType.Int, I = value };
    public static AttributeProto Str(string name, string value) => new() { Name = name, Type = AttrType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttrType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public GraphProto Graph => _graph;

    public byte[] Bytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "tests", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }
}
