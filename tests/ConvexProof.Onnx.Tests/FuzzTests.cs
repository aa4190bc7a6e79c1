using ConvexProof.Networks;
using ConvexProof.Onnx.Proto;
using Google.Protobuf;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

/// <summary>Structured mutations of valid models: the importer must either read a network or throw
/// an <see cref="InputException"/> with a one-line message, never crash with another exception.</summary>
public class FuzzTests
{
    private static readonly string[] Ops =
        ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Neg", "Relu", "Identity", "Flatten", "Reshape", "Concat", "Transpose", "Constant",
         "Conv", "ConvTranspose", "BatchNormalization", "AveragePool", "GlobalAveragePool", "Squeeze", "Unsqueeze", "Pad", "Slice",
         "Cast", "ConstantOfShape", "MaxPool", "LeakyRelu"];

    [Fact]
    public void Structured_mutations_never_crash()
    {
        var net = NetworkReader.ReadFile(Paths.Asset("icnn_small.net.json"));
        var seeds = new[]
        {
            OnnxWriter.ToModel(net, new OnnxWriterOptions()),
            OnnxWriter.ToModel(net, new OnnxWriterOptions { UseMatMul = true, RawData = false }),
            OnnxWriter.ToModel(net, new OnnxWriterOptions { ElementType = OnnxElementType.Float64 }),
            // Convolutional models exported by torch (pads, groups, ConvTranspose, pooling, BatchNorm, Slice, Pad).
            ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TorchSamples.Folder, "conv_icnn_4x4.onnx"))),
            ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TorchSamples.Folder, "ops_conv_mix.onnx"))),
            ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TorchSamples.Folder, "ops_pad_pool.onnx"))),
        };
        var random = new Random(2024);
        int imported = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            var model = seeds[random.Next(seeds.Length)].Clone();
            int mutations = 1 + random.Next(3);
            for (int m = 0; m < mutations; m++) Mutate(model, random);
            try
            {
                OnnxImporter.Parse(model.ToByteArray(), "fuzz.onnx");
                imported++;
            }
            catch (InputException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }
        Assert.True(imported > 0);
    }

    private static void Mutate(ModelProto model, Random random)
    {
        var g = model.Graph;
        string AnyName()
        {
            var names = g.Node.SelectMany(n => n.Output).Concat(g.Initializer.Select(i => i.Name)).Append("x").Append("nope").ToList();
            return names[random.Next(names.Count)];
        }
        switch (random.Next(12))
        {
            case 0 when g.Initializer.Count > 0:
            {
                var t = g.Initializer[random.Next(g.Initializer.Count)];
                if (t.Dims.Count > 0) t.Dims[random.Next(t.Dims.Count)] = random.Next(-2, 6);
                else t.Dims.Add(random.Next(0, 4));
                break;
            }
            case 1 when g.Node.Count > 0:
                g.Node[random.Next(g.Node.Count)].OpType = Ops[random.Next(Ops.Length)];
                break;
            case 2 when g.Node.Count > 0:
            {
                var n = g.Node[random.Next(g.Node.Count)];
                if (n.Input.Count > 0) n.Input[random.Next(n.Input.Count)] = AnyName();
                else n.Input.Add(AnyName());
                break;
            }
            case 3 when g.Node.Count > 0:
            {
                var n = g.Node[random.Next(g.Node.Count)];
                string[] names = ["alpha", "beta", "transA", "transB", "axis", "perm", "allowzero", "value_float", "value_ints",
                                  "pads", "strides", "dilations", "group", "kernel_shape", "auto_pad", "mode", "axes", "epsilon", "output_shape"];
                var a = new AttributeProto { Name = names[random.Next(names.Length)] };
                switch (random.Next(4))
                {
                    case 0: a.Type = AttributeProto.Types.AttributeType.Int; a.I = random.Next(-3, 4); break;
                    case 1: a.Type = AttributeProto.Types.AttributeType.Float; a.F = random.Next(3) == 0 ? float.NaN : (float)random.NextDouble(); break;
                    case 2: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.Add(random.Next(-2, 3)); a.Ints.Add(random.Next(-2, 3)); break;
                    default: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8("a\nb"); break;
                }
                n.Attribute.Add(a);
                break;
            }
            case 4 when g.Node.Count > 0:
                g.Node.RemoveAt(random.Next(g.Node.Count));
                break;
            case 5 when g.Initializer.Count > 0:
                g.Initializer.RemoveAt(random.Next(g.Initializer.Count));
                break;
            case 6:
            {
                var dims = g.Input[0].Type.TensorType.Shape.Dim;
                if (random.Next(3) == 0) dims.Add(new TensorShapeProto.Types.Dimension { DimValue = random.Next(0, 3) });
                else if (dims.Count > 0) dims[random.Next(dims.Count)] = new TensorShapeProto.Types.Dimension { DimValue = random.Next(-1, 4) };
                break;
            }
            case 7 when g.Node.Count > 0:
            {
                // Insert a random unary-ish node on a random value.
                string[] ops = ["Flatten", "Reshape", "Transpose", "Identity", "Relu", "Neg", "Concat"];
                var node = new NodeProto { OpType = ops[random.Next(ops.Length)], Name = "inserted\u2028" };
                node.Input.Add(AnyName());
                if (node.OpType is "Reshape" or "Concat") node.Input.Add(AnyName());
                node.Output.Add("extra" + random.Next(1000));
                g.Node.Insert(random.Next(g.Node.Count + 1), node);
                if (random.Next(2) == 0) g.Output[0].Name = node.Output[0];
                break;
            }
            case 8 when g.Initializer.Count > 0:
            {
                var t = g.Initializer[random.Next(g.Initializer.Count)];
                t.DataType = random.Next(0, 18);
                break;
            }
            case 9 when g.Initializer.Count > 0:
            {
                var t = g.Initializer[random.Next(g.Initializer.Count)];
                if (!t.RawData.IsEmpty) t.RawData = ByteString.CopyFrom(t.RawData.Span[..random.Next(t.RawData.Length)]);
                else if (t.FloatData.Count > 0) t.FloatData.Add(float.PositiveInfinity);
                else t.DoubleData.Add(1);
                break;
            }
            case 10:
            {
                var shape = new TensorProto { Name = "shape" + random.Next(3), DataType = 7 };
                shape.Dims.Add(2);
                shape.Int64Data.Add(random.Next(-2, 4));
                shape.Int64Data.Add(random.Next(-2, 4));
                g.Initializer.Add(shape);
                break;
            }
            default:
                g.Output[0].Name = AnyName();
                break;
        }
    }
}
