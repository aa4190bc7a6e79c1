using System.Numerics;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using static ConvexProof.Onnx.Tests.ModelBuilder;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

public class ImporterTests
{
    /// <summary>x [batch, 2] → Gemm(W0, b0) → Relu → Gemm(W1, b1) → y, weights given as float32.</summary>
    private static ModelBuilder TwoLayer(float[] w0, float[] b0, float[] w1, float[] b1, bool raw)
    {
        return new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W0", [b0.Length, 2], w0, raw).Floats("b0", [b0.Length], b0, raw)
            .Floats("W1", [1, b0.Length], w1, raw).Floats("b1", [1], b1, raw)
            .Node("Gemm", "fc0", ["x", "W0", "b0"], "z0", I("transB", 1))
            .Node("Relu", "relu0", ["z0"], "h0")
            .Node("Gemm", "fc1", ["h0", "W1", "b1"], "y", I("transB", 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float32_weights_become_their_exact_binary_values(bool raw)
    {
        var net = Import(TwoLayer([0.1f, -2f, 0.5f, 3f], [0.2f, -0.3f], [1f, -1f], [0f], raw).Bytes());
        Assert.Equal(2, net.InputDim);
        Assert.Equal(2, net.Layers.Count);
        var l0 = net.Layers[0];
        Assert.Equal(Activation.Relu, l0.Activation);
        Assert.Equal(new Rational(13421773, 134217728), l0.Weights[0][0]);  // 0.1f
        Assert.Equal(R("0x1.99999ap-4"), l0.Weights[0][0]);
        Assert.Equal(new Rational(-2, 1), l0.Weights[0][1]);
        Assert.Equal(new Rational(1, 2), l0.Weights[1][0]);
        Assert.Equal(F32(0.2f), l0.Bias[0]);
        Assert.Equal(new Rational(13421773, 67108864), l0.Bias[0]);
        Assert.Equal(F32(-0.3f), l0.Bias[1]);
        Assert.Null(l0.Skip);
        var l1 = net.Layers[1];
        Assert.Equal(Activation.Identity, l1.Activation);
        Assert.Equal([Rational.One, Rational.MinusOne], l1.Weights[0]);
    }

    [Fact]
    public void Raw_data_and_float_data_give_the_same_network()
    {
        float[] w0 = [0.1f, -2.7f, 1e-7f, 3.3e5f], b0 = [0.2f, -0.3f], w1 = [1.1f, -1f], b1 = [0.7f];
        AssertEqual(Import(TwoLayer(w0, b0, w1, b1, raw: false).Bytes()), Import(TwoLayer(w0, b0, w1, b1, raw: true).Bytes()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float64_weights_are_exact_too(bool raw)
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 1).Output("y", null, 1)
            .Doubles("W", [1, 1], [0.1], raw).Doubles("b", [1], [-1e-300], raw)
            .Node("Gemm", "fc", ["x", "W", "b"], "y", I("transB", 1))
            .Bytes();
        var net = Import(bytes);
        Assert.Equal(new Rational(3602879701896397, BigInteger.Pow(2, 55)), net.Layers[0].Weights[0][0]);
        Assert.Equal(Rational.FromDouble(-1e-300), net.Layers[0].Bias[0]);
    }

    [Fact]
    public void Gemm_alpha_beta_and_untransposed_B_are_applied_exactly()
    {
        // B is stored [in=2, out=3] (transB = 0); Y = 0.1f·x·B + 2·C.
        float[] b = [1, 2, 3, 4, 5, 6];
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("B", [2, 3], b).Floats("C", [1, 3], [0.5f, -1f, 0.1f])
            .Floats("W1", [3, 1], [1, 1, 1]).Floats("b1", [1], [0])
            .Node("Gemm", "fc0", ["x", "B", "C"], "z0", F("alpha", 0.1f), F("beta", 2f))
            .Node("Relu", "relu0", ["z0"], "h0")
            .Node("Gemm", "fc1", ["h0", "W1", "b1"], "y")
            .Bytes();
        var net = Import(bytes);
        var alpha = F32(0.1f);
        var l0 = net.Layers[0];
        Assert.Equal(3, l0.Outputs);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                Assert.Equal(alpha * F32(b[j * 3 + i]), l0.Weights[i][j]);
        Assert.Equal([Rational.One, -2, 2 * F32(0.1f)], l0.Bias);
        Assert.Equal([Rational.One, Rational.One, Rational.One], net.Layers[1].Weights[0]);
    }

    [Fact]
    public void MatMul_plus_Add_and_a_transposed_weight_are_read_like_Gemm()
    {
        // As newer PyTorch exporters write nn.Linear: MatMul(x, Transpose(W)) + b.
        float[] w0 = [0.1f, -2f, 0.5f, 3f, 1f, -1f], b0 = [0.25f, -0.5f, 1f], w1 = [1f, 2f, -3f], b1 = [0.125f];
        var viaMatMul = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W0", [3, 2], w0).Floats("b0", [3], b0).Floats("W1t", [3, 1], w1).Floats("b1", [1], b1)
            .Node("Transpose", "t0", ["W0"], "W0t", Ints("perm", 1, 0))
            .Node("MatMul", "mm0", ["x", "W0t"], "m0")
            .Node("Add", "add0", ["m0", "b0"], "z0")
            .Node("Relu", "relu0", ["z0"], "h0")
            .Node("MatMul", "mm1", ["h0", "W1t"], "m1")
            .Node("Add", "add1", ["b1", "m1"], "y")
            .Bytes();
        var viaGemm = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W0", [3, 2], w0).Floats("b0", [3], b0).Floats("W1", [1, 3], w1).Floats("b1", [1], b1)
            .Node("Gemm", "fc0", ["x", "W0", "b0"], "z0", I("transB", 1))
            .Node("Relu", "relu0", ["z0"], "h0")
            .Node("Gemm", "fc1", ["h0", "W1", "b1"], "y", I("transB", 1))
            .Bytes();
        AssertEqual(Import(viaGemm), Import(viaMatMul));
    }

    [Fact]
    public void Icnn_skip_as_Add_of_two_Gemms_becomes_a_skip()
    {
        // z1 = relu(Wx0 x + b0); z2 = relu(Wz1 z1 + Wx1 x + b1); y = Wz2 z2 + Wx2 x + b2
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("Wx0", [2, 2], [1, 2, 3, 4]).Floats("b0", [2], [0.5f, -0.5f])
            .Floats("Wz1", [2, 2], [0.25f, 0, 1, 2]).Floats("Wx1", [2, 2], [-1, 0.1f, 5, 6]).Floats("b1", [2], [1, 2])
            .Floats("Wz2", [1, 2], [1, 3]).Floats("Wx2", [1, 2], [-0.75f, 0]).Floats("b2", [1], [7])
            .Node("Gemm", "x0", ["x", "Wx0", "b0"], "p0", I("transB", 1))
            .Node("Relu", "r0", ["p0"], "z1")
            .Node("Gemm", "z_1", ["z1", "Wz1"], "a1", I("transB", 1))
            .Node("Gemm", "x_1", ["x", "Wx1", "b1"], "c1", I("transB", 1))
            .Node("Add", "add1", ["a1", "c1"], "p1")
            .Node("Relu", "r1", ["p1"], "z2")
            .Node("Gemm", "x_2", ["x", "Wx2"], "c2", I("transB", 1))
            .Node("Gemm", "z_2", ["z2", "Wz2", "b2"], "a2", I("transB", 1))
            .Node("Add", "add2", ["c2", "a2"], "y")
            .Bytes();
        var expected = Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, 2], [3, 4]], "bias": [0.5, -0.5], "activation": "relu" },
              { "weights": [[0.25, 0], [1, 2]], "bias": [1, 2], "skip": [[-1, "0x1.99999ap-4"], [5, 6]], "activation": "relu" },
              { "weights": [[1, 3]], "bias": [7], "skip": [[-0.75, 0]], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));
    }

    [Fact]
    public void Icnn_skip_as_Concat_of_hidden_and_input_is_split_into_weights_and_skip()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W0", [3, 2], [1, 2, 3, 4, 5, 6]).Floats("b0", [3], [0, 0, 1])
            .Floats("W1", [2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).Floats("b1", [2], [-1, -2])
            .Floats("W2", [1, 4], [0.5f, 0.25f, -1, -2]).Floats("b2", [1], [3])
            .Node("Gemm", "fc0", ["x", "W0", "b0"], "p0", I("transB", 1))
            .Node("Relu", "relu0", ["p0"], "h0")
            .Node("Concat", "cat1", ["h0", "x"], "c1", I("axis", 1))
            .Node("Gemm", "fc1", ["c1", "W1", "b1"], "p1", I("transB", 1))
            .Node("Relu", "relu1", ["p1"], "h1")
            .Node("Concat", "cat2", ["h1", "x"], "c2", I("axis", -1))
            .Node("Gemm", "fc2", ["c2", "W2", "b2"], "y", I("transB", 1))
            .Bytes();
        var expected = Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, 2], [3, 4], [5, 6]], "bias": [0, 0, 1], "activation": "relu" },
              { "weights": [[1, 2, 3], [6, 7, 8]], "bias": [-1, -2], "skip": [[4, 5], [9, 10]], "activation": "relu" },
              { "weights": [[0.5, 0.25]], "bias": [3], "skip": [[-1, -2]], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));
    }

    [Fact]
    public void Flatten_Identity_Reshape_and_Constant_nodes_are_understood()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 1, 2).Output("y", null, 1)
            .Floats("W0", [2, 2], [1, -1, 2, 0.5f])
            .Int64s("shape", [2], [-1, 2])
            .Node("Flatten", "flatten", ["x"], "xf")
            .Node("Identity", "id", ["xf"], "xi")
            .Node("Constant", "bias0", [], "b0", new Onnx.Proto.AttributeProto
            {
                Name = "value_floats", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Floats, Floats = { 0.5f, -0.25f },
            })
            .Node("Gemm", "fc0", ["xi", "W0", "b0"], "p0", I("transB", 1))
            .Node("Relu", "relu0", ["p0"], "h0")
            .Node("Reshape", "reshape", ["h0", "shape"], "h0r")
            .Node("Constant", "w1", [], "W1", new Onnx.Proto.AttributeProto
            {
                Name = "value", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Tensor,
                T = new Onnx.Proto.TensorProto { DataType = 1, Dims = { 2, 1 }, FloatData = { 3, -4 } },
            })
            .Node("MatMul", "fc1", ["h0r", "W1"], "y")
            .Bytes();
        var expected = Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, -1], [2, 0.5]], "bias": [0.5, -0.25], "activation": "relu" },
              { "weights": [[3, -4]], "bias": [0], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));
    }

    [Fact]
    public void Mul_Sub_and_Div_by_constants_fold_into_the_layer()
    {
        // y = (Gemm(relu(x·2 − 1)) / 4)
        var bytes = new ModelBuilder()
            .Input("x", null, 1).Output("y", null, 1)
            .Floats("two", [], [2]).Floats("one", [1], [1]).Floats("four", [1, 1], [4])
            .Floats("W", [1, 1], [3]).Floats("b", [1], [1])
            .Node("Mul", "scale", ["x", "two"], "x2")
            .Node("Sub", "shift", ["x2", "one"], "p0")
            .Node("Relu", "relu", ["p0"], "h0")
            .Node("Gemm", "fc", ["h0", "W", "b"], "g", I("transB", 1))
            .Node("Div", "div", ["g", "four"], "y")
            .Bytes();
        var expected = Parse("""
            { "input_dim": 1, "layers": [
              { "weights": [[2]], "bias": [-1], "activation": "relu" },
              { "weights": [["3/4"]], "bias": ["1/4"], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));
    }

    [Fact]
    public void Clip_folds_clamped_weights_and_acts_as_relu_with_min_zero()
    {
        // An ICNN-style clamp of the hidden weights (Clip(W, 0)), and Clip(z, 0) as the activation.
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W0", [2, 2], [1, -1, 2, 3]).Floats("zero", [], [0])
            .Floats("W1raw", [1, 2], [-0.5f, 0.75f])
            .Node("Gemm", "fc0", ["x", "W0"], "p0", I("transB", 1))
            .Node("Clip", "act0", ["p0", "zero"], "h0")
            .Node("Clip", "clamp1", ["W1raw", "zero"], "W1")
            .Node("Gemm", "fc1", ["h0", "W1"], "y", I("transB", 1))
            .Bytes();
        var expected = Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, -1], [2, 3]], "bias": [0, 0], "activation": "relu" },
              { "weights": [[0, 0.75]], "bias": [0], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));

        var clipped = new ModelBuilder()
            .Input("x", null, 1).Output("y", null, 1).Floats("one", [], [1])
            .Node("Clip", "clip", ["x", "", "one"], "y")
            .Bytes();
        Assert.Contains("node 'clip' (Clip): Clip of a value computed from the graph input is supported only as a ReLU", ImportError(clipped).Message);
    }

    [Fact]
    public void Unused_nodes_are_ignored_even_if_unsupported()
    {
        var builder = TwoLayer([1, 2, 3, 4], [0, 0], [1, 1], [0], raw: false)
            .Node("Sigmoid", "debug_probe", ["z0"], "unused");
        Assert.Equal(2, Import(builder.Bytes()).Layers.Count);
    }

    [Fact]
    public void Unsupported_operator_names_the_node_on_one_line()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1, 1])
            .Node("Gemm", "fc", ["x", "W"], "z", I("transB", 1))
            .Node("Sigmoid", "act1", ["z"], "y")
            .Bytes();
        var e = ImportError(bytes, "model.onnx");
        Assert.StartsWith("model.onnx: node 'act1' (Sigmoid): unsupported operator Sigmoid", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Unnamed_nodes_are_named_by_position()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Node("Erf", "", ["x"], "y")
            .Bytes();
        Assert.Contains("node #0 (Erf): unsupported operator Erf", ImportError(bytes).Message);
    }

    [Fact]
    public void Unknown_attribute_is_rejected()
    {
        var bytes = TwoLayer([1, 2, 3, 4], [0, 0], [1, 1], [0], raw: false).Bytes();
        var model = Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        model.Graph.Node[1].Attribute.Add(F("alpha", 0.5f));
        var e = ImportError(Google.Protobuf.MessageExtensions.ToByteArray(model));
        Assert.Contains("node 'relu0' (Relu): attribute 'alpha' of Relu is not supported", e.Message);
    }

    [Fact]
    public void Truncated_file_is_an_input_error()
    {
        var bytes = OnnxWriter.ToBytes(Parse(File.ReadAllText(Paths.Asset("icnn_small.net.json"))));
        var e = ImportError(bytes[..(bytes.Length / 2)], "cut.onnx");
        Assert.StartsWith("cut.onnx: file: not a valid ONNX model", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Garbage_and_json_files_are_input_errors()
    {
        Assert.Contains("not", ImportError([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02]).Message);
        Assert.Contains("not an ONNX model", ImportError([]).Message);
        var json = ImportError(System.Text.Encoding.UTF8.GetBytes("{ \"input_dim\": 1, \"layers\": [] }"));
        Assert.Contains("looks like a JSON file", json.Message);
    }

    [Fact]
    public void Random_corruptions_give_input_errors_or_networks_never_crashes()
    {
        var original = OnnxWriter.ToBytes(Parse(File.ReadAllText(Paths.Asset("icnn_small.net.json"))),
            new OnnxWriterOptions { RawData = false });
        var random = new Random(12345);
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                OnnxImporter.Parse(bytes, "fuzz.onnx");
            }
            catch (InputException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }

    [Fact]
    public void Two_outputs_two_inputs_and_wide_outputs_are_rejected()
    {
        var twoOutputs = TwoLayer([1, 2, 3, 4], [0, 0], [1, 1], [0], raw: false).Output("z0", null, 2).Bytes();
        Assert.Contains("the graph has 2 outputs ('y', 'z0')", ImportError(twoOutputs).Message);

        var twoInputs = TwoLayer([1, 2, 3, 4], [0, 0], [1, 1], [0], raw: false).Input("t", null, 1).Bytes();
        Assert.Contains("the graph has 2 inputs ('x', 't')", ImportError(twoInputs).Message);

        var wide = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 2)
            .Floats("W", [2, 2], [1, 0, 0, 1])
            .Node("Gemm", "fc", ["x", "W"], "y", I("transB", 1))
            .Bytes();
        Assert.Contains("output 'y': the output has 2 values per sample", ImportError(wide).Message);
    }

    [Fact]
    public void Wrong_shapes_are_rejected_with_the_node_name()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 3).Output("y", null, 1)
            .Floats("W", [1, 2], [1, 1])
            .Node("Gemm", "fc", ["x", "W"], "y", I("transB", 1))
            .Bytes();
        var e = ImportError(bytes);
        Assert.Contains("node 'fc' (Gemm): B has shape [1, 2] (transB=1), which does not fit an input of 3 features", e.Message);

        var badBias = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1, 1]).Floats("b", [3], [1, 2, 3])
            .Node("Gemm", "fc", ["x", "W", "b"], "y", I("transB", 1))
            .Bytes();
        Assert.Contains("node 'fc' (Gemm): the C has shape [3]", ImportError(badBias).Message);

        var noShape = new ModelBuilder().Output("y", null, 1).Node("Relu", "r", ["x"], "y").Bytes();
        var model = Onnx.Proto.ModelProto.Parser.ParseFrom(noShape);
        model.Graph.Input.Add(new Onnx.Proto.ValueInfoProto { Name = "x", Type = new Onnx.Proto.TypeProto { TensorType = new() { ElemType = 1 } } });
        Assert.Contains("input 'x': the graph input has no shape", ImportError(Google.Protobuf.MessageExtensions.ToByteArray(model)).Message);
    }

    [Fact]
    public void Tensor_size_mismatch_and_nan_are_rejected()
    {
        var shortData = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1])
            .Node("Gemm", "fc", ["x", "W"], "y", I("transB", 1))
            .Bytes();
        Assert.Contains("initializer 'W': the tensor holds 1 values but its shape [1, 2] needs 2", ImportError(shortData).Message);

        var nan = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1, float.NaN], raw: true)
            .Node("Gemm", "fc", ["x", "W"], "y", I("transB", 1))
            .Bytes();
        Assert.Contains("initializer 'W': entry 1 is NaN", ImportError(nan).Message);

        var external = new Onnx.Proto.TensorProto { Name = "W", DataType = 1, Dims = { 1, 2 }, DataLocation = Onnx.Proto.TensorProto.Types.DataLocation.External };
        external.ExternalData.Add(new Onnx.Proto.StringStringEntryProto { Key = "location", Value = "weights.bin" });
        var ext = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1).Tensor(external)
            .Node("Gemm", "fc", ["x", "W"], "y", I("transB", 1))
            .Bytes();
        Assert.Contains("external file", ImportError(ext).Message);
    }

    [Fact]
    public void A_layer_that_reads_an_older_layer_is_rejected()
    {
        // y = Gemm(Concat(h1, h2)) where h2 = relu(Gemm(h1)): the output reads layers 1 and 2.
        var bytes = new ModelBuilder()
            .Input("x", null, 1).Output("y", null, 1)
            .Floats("W0", [1, 1], [1]).Floats("W1", [1, 1], [2]).Floats("W2", [1, 2], [1, 1])
            .Node("Gemm", "fc0", ["x", "W0"], "p0", I("transB", 1))
            .Node("Relu", "relu0", ["p0"], "h1")
            .Node("Gemm", "fc1", ["h1", "W1"], "p1", I("transB", 1))
            .Node("Relu", "relu1", ["p1"], "h2")
            .Node("Concat", "cat", ["h1", "h2"], "c", I("axis", 1))
            .Node("Gemm", "fc2", ["c", "W2"], "y", I("transB", 1))
            .Bytes();
        var e = ImportError(bytes);
        Assert.Contains("output 'y': the output layer reads hidden layer 1 directly", e.Message);
    }

    [Fact]
    public void Products_of_two_inputs_are_rejected()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 1).Output("y", null, 1)
            .Node("Neg", "neg", ["x"], "n")
            .Node("Mul", "square", ["x", "n"], "y")
            .Bytes();
        // (Mul(x, x), a square, imports as a composition model: CompositionFixtureTests.)
        Assert.Contains("node 'square' (Mul): Mul of two values computed from the graph input is not piecewise linear", ImportError(bytes).Message);
    }

    [Fact]
    public void A_graph_ending_in_Relu_gets_an_identity_output_layer()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1, -1])
            .Node("Gemm", "fc", ["x", "W"], "p", I("transB", 1))
            .Node("Relu", "relu", ["p"], "y")
            .Bytes();
        var expected = Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, -1]], "bias": [0], "activation": "relu" },
              { "weights": [[1]], "bias": [0], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));
    }

    [Theory]
    [InlineData(new long[] { 2147483647, 2147483647, 2147483647, 0 }, "cannot reshape [1, 2] to [2147483647, 2147483647, 2147483647, 0]")]
    [InlineData(new long[] { -1, 2147483647, 2147483647, 2147483647 }, "cannot infer the -1 dimension")]
    public void Constant_shapes_whose_size_overflows_are_input_errors(long[] shape, string problem)
    {
        // A weight reshaped to a shape with more entries than a long can count (allowzero keeps the 0).
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1, 1]).Int64s("shape", [shape.Length], shape)
            .Node("Reshape", "reshape", ["W", "shape"], "Wr", I("allowzero", 1))
            .Node("Gemm", "fc", ["x", "Wr"], "y", I("transB", 1))
            .Bytes();
        Assert.Equal($"test.onnx: node 'reshape' (Reshape): {problem}", ImportError(bytes).Message);
    }

    [Fact]
    public void Empty_constants_with_huge_dimensions_do_not_overflow()
    {
        // Zero entries, but the dimensions before the 0 multiply past long.MaxValue.
        var empty = new Onnx.Proto.TensorProto { Name = "E", DataType = 1, Dims = { 4611686018427387904, 4, 0 } };
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W", [1, 2], [1, 1]).Tensor(empty)
            .Node("Add", "add", ["E", "E"], "E2")
            .Node("Flatten", "flat", ["E2"], "E3", I("axis", 2))
            .Node("Add", "shift", ["x", "E3"], "s")
            .Node("Gemm", "fc", ["s", "W"], "y", I("transB", 1))
            .Bytes();
        Assert.Contains("node 'shift' (Add): the constant has shape [9223372036854775807, 0]", ImportError(bytes).Message);
    }

    [Fact]
    public void Unsupported_operator_message_lists_every_registered_operator()
    {
        var bytes = new ModelBuilder()
            .Input("x", null, 1).Output("y", null, 1)
            .Node("Sigmoid", "act", ["x"], "y")
            .Bytes();
        Assert.Equal("test.onnx: node 'act' (Sigmoid): unsupported operator Sigmoid (supported: Gemm, MatMul, Add, Sub, Mul, Div, "
                     + "Neg, Conv, ConvTranspose, BatchNormalization, AveragePool, GlobalAveragePool, Relu, LeakyRelu, Clip, Identity, Flatten, "
                     + "Reshape, Squeeze, Unsqueeze, Pad, Slice, Concat, Transpose, Constant, ConstantOfShape, Cast, Pow, ReduceSum)", ImportError(bytes).Message);
    }

    [Fact]
    public void Two_products_of_one_computed_value_share_its_identity_layer()
    {
        // g = Gemm(x) is arithmetic: both products of it (one through an Identity node) read one identity layer.
        var bytes = new ModelBuilder()
            .Input("x", null, 2).Output("y", null, 1)
            .Floats("W0", [2, 2], [1, 2, 3, 4]).Floats("b0", [2], [5, 6])
            .Floats("W1", [1, 2], [1, -1]).Floats("W2", [1, 2], [0.5f, 2])
            .Node("Gemm", "fc0", ["x", "W0", "b0"], "g", I("transB", 1))
            .Node("Identity", "alias", ["g"], "gi")
            .Node("Gemm", "fc1", ["g", "W1"], "a", I("transB", 1))
            .Node("Gemm", "fc2", ["gi", "W2"], "b", I("transB", 1))
            .Node("Add", "sum", ["a", "b"], "y")
            .Bytes();
        var expected = Parse("""
            { "input_dim": 2, "layers": [
              { "weights": [[1, 2], [3, 4]], "bias": [5, 6], "activation": "identity" },
              { "weights": [[1.5, 1]], "bias": [0], "activation": "identity" } ] }
            """);
        AssertEqual(expected, Import(bytes));
    }
}
