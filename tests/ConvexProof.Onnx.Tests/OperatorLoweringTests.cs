using System.Diagnostics;
using System.Numerics;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using static ConvexProof.Onnx.Tests.ModelBuilder;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

/// <summary>
/// The lowerings of convolutions, pooling, padding, slicing, reshapes and batch normalisation on
/// small hand-computed cases. Each model ends in a MatMul to one output, so the operator under
/// test is the first (identity) layer and its matrix is compared entry by entry.
/// </summary>
public class OperatorLoweringTests
{
    /// <summary>x of <paramref name="inputShape"/> → the nodes → Flatten → MatMul by ones → y.</summary>
    private static Layer FirstLayer(long?[] inputShape, int entries, Action<ModelBuilder> nodes, string last)
    {
        var builder = new ModelBuilder().Input("x", inputShape).Output("y", null, 1);
        nodes(builder);
        builder.Floats("ones", [entries, 1], Enumerable.Repeat(1f, entries).ToArray())
            .Node("Flatten", "flat", [last], "f", I("axis", 1))
            .Node("MatMul", "sum", ["f", "ones"], "y");
        var network = Import(builder.Bytes());
        Assert.Equal(2, network.Layers.Count);
        return network.Layers[0];
    }

    private static void AssertRows(string[] expected, Rational[][] actual) =>
        Assert.Equal(expected, actual.Select(row => string.Join(" ", row.Select(ExactText.Format))).ToArray());

    [Fact]
    public void Conv_on_a_1x1x4x4_input_reads_each_window_with_its_weights()
    {
        // The importer used to reject this input shape ("only the first dimension may be a batch dimension").
        var layer = FirstLayer([null, 1, 4, 4], 4, b => b
            .Floats("W", [1, 1, 2, 2], [1, 2, 3, 4]).Floats("B", [1], [0.5f])
            .Node("Conv", "conv", ["x", "W", "B"], "c", Ints("strides", 2, 2), Ints("kernel_shape", 2, 2)), "c");
        AssertRows([
            "1 2 0 0 3 4 0 0 0 0 0 0 0 0 0 0",
            "0 0 1 2 0 0 3 4 0 0 0 0 0 0 0 0",
            "0 0 0 0 0 0 0 0 1 2 0 0 3 4 0 0",
            "0 0 0 0 0 0 0 0 0 0 1 2 0 0 3 4",
        ], layer.Weights);
        Assert.Equal(Enumerable.Repeat(new Rational(1, 2), 4), layer.Bias);
    }

    [Theory]
    [InlineData("SAME_UPPER", new[] { "1 10 0", "0 1 10", "0 0 1" })]
    [InlineData("SAME_LOWER", new[] { "10 0 0", "1 10 0", "0 1 10" })]
    [InlineData("VALID", new[] { "1 10 0", "0 1 10" })]
    public void Conv_auto_pad_places_the_padding_as_onnx_says(string autoPad, string[] expected)
    {
        var layer = FirstLayer([1, 1, 3], expected.Length, b => b
            .Floats("W", [1, 1, 2], [1, 10])
            .Node("Conv", "conv", ["x", "W"], "c", Str("auto_pad", autoPad)), "c");
        AssertRows(expected, layer.Weights);
    }

    [Fact]
    public void Conv_with_pads_dilation_and_groups()
    {
        // Two channels, two groups: output channel g reads input channel g only; kernel [1, 2]
        // dilated by 2 with one zero of padding on each side: y_g[i] = a_g·x_g[i−1] + b_g·x_g[i+1].
        var layer = FirstLayer([1, 2, 3], 6, b => b
            .Floats("W", [2, 1, 2], [1, 2, 3, 4])
            .Node("Conv", "conv", ["x", "W"], "c", I("group", 2), Ints("dilations", 2), Ints("pads", 1, 1)), "c");
        AssertRows([
            "0 2 0 0 0 0", "1 0 2 0 0 0", "0 1 0 0 0 0",
            "0 0 0 0 4 0", "0 0 0 3 0 4", "0 0 0 0 3 0",
        ], layer.Weights);
    }

    [Fact]
    public void ConvTranspose_scatters_each_input_entry_over_its_kernel()
    {
        var layer = FirstLayer([1, 1, 2], 4, b => b
            .Floats("W", [1, 1, 2], [1, 10])
            .Node("ConvTranspose", "up", ["x", "W"], "c", Ints("strides", 2)), "c");
        AssertRows(["1 0", "10 0", "0 1", "0 10"], layer.Weights);

        var cropped = FirstLayer([1, 1, 2], 2, b => b
            .Floats("W", [1, 1, 3], [1, 10, 100])
            .Node("ConvTranspose", "up", ["x", "W"], "c", Ints("strides", 2), Ints("pads", 1, 2)), "c");
        // Full output (length 5): [x0, 10x0, 100x0 + x1, 10x1, 100x1]; pads 1 and 2 keep entries 1..2.
        AssertRows(["10 0", "100 1"], cropped.Weights);
    }

    [Theory]
    [InlineData(0, new[] { "1 0 0", "0x1p-1 0x1p-1 0", "0 0x1p-1 0x1p-1" })]
    [InlineData(1, new[] { "0x1p-1 0 0", "0x1p-1 0x1p-1 0", "0 0x1p-1 0x1p-1" })]
    public void AveragePool_divides_by_the_window_count(int countIncludePad, string[] expected)
    {
        var layer = FirstLayer([1, 1, 3], 3, b => b
            .Node("AveragePool", "pool", ["x"], "p", Ints("kernel_shape", 2), Ints("pads", 1, 0), I("count_include_pad", countIncludePad)), "p");
        AssertRows(expected, layer.Weights);
    }

    [Fact]
    public void GlobalAveragePool_averages_each_channel()
    {
        var layer = FirstLayer([1, 2, 3], 2, b => b.Node("GlobalAveragePool", "gap", ["x"], "p"), "p");
        AssertRows(["1/3 1/3 1/3 0 0 0", "0 0 0 1/3 1/3 1/3"], layer.Weights);
    }

    [Theory]
    [InlineData("reflect", "x2 x1 x0 x1 x2 x1")]
    [InlineData("edge", "x0 x0 x0 x1 x2 x2")]
    [InlineData("constant", "0 0 x0 x1 x2 0")]
    [InlineData("wrap", "x1 x2 x0 x1 x2 x0")]     // circular padding (ONNX opset 19)
    public void Pad_modes_rearrange_the_entries(string mode, string expected)
    {
        // Pad(x) · [1, 10, 100, …]: the weight of x_j is the sum of the powers of ten at its places.
        var builder = new ModelBuilder().Input("x", null, 3).Output("y", null, 1)
            .Int64s("pads", [4], [0, 2, 0, 1])
            .Floats("powers", [6, 1], [1, 10, 100, 1000, 10000, 100000])
            .Node("Pad", "pad", ["x", "pads"], "p", Str("mode", mode))
            .Node("MatMul", "sum", ["p", "powers"], "y");
        var network = Import(builder.Bytes());
        var places = expected.Split(' ');
        var weights = Enumerable.Range(0, 3).Select(j => places.Select((p, k) => p == $"x{j}" ? BigInteger.Pow(10, k) : 0).Aggregate(BigInteger.Zero, (a, v) => a + v)).ToArray();
        Assert.Equal(weights.Select(w => (Rational)w), network.Layers[0].Weights[0]);
    }

    [Fact]
    public void Slice_with_a_negative_step_reverses()
    {
        var builder = new ModelBuilder().Input("x", null, 3).Output("y", null, 1)
            .Int64s("starts", [1], [-1]).Int64s("ends", [1], [long.MinValue]).Int64s("axes", [1], [1]).Int64s("steps", [1], [-1])
            .Floats("w", [3, 1], [1, 10, 100])
            .Node("Slice", "rev", ["x", "starts", "ends", "axes", "steps"], "r")
            .Node("MatMul", "sum", ["r", "w"], "y");
        Assert.Equal([(Rational)100, 10, 1], Import(builder.Bytes()).Layers[0].Weights[0]);
    }

    [Fact]
    public void Squeeze_and_Unsqueeze_change_only_the_shape()
    {
        var builder = new ModelBuilder().Input("x", null, 3).Output("y", null, 1)
            .Int64s("axes", [2], [1, -1])
            .Floats("w", [3, 1], [1, 2, 3])
            .Node("Unsqueeze", "u", ["x", "axes"], "u1")    // [1, 1, 3, 1]
            .Node("Squeeze", "s", ["u1"], "s1")             // [3]
            .Node("MatMul", "dot", ["s1", "w"], "y");
        Assert.Equal([(Rational)1, 2, 3], Import(builder.Bytes()).Layers[0].Weights[0]);
    }

    [Fact]
    public void A_fixed_batch_size_in_a_reshape_stands_for_the_one_sample()
    {
        var builder = new ModelBuilder().Input("x", 3, 2, 2).Output("y", 3, 1)
            .Int64s("shape", [2], [3, -1]).Floats("w", [4, 1], [1, 2, 3, 4])
            .Node("Reshape", "flat", ["x", "shape"], "f")
            .Node("MatMul", "dot", ["f", "w"], "y");
        var network = Import(builder.Bytes());
        Assert.Equal(4, network.InputDim);
        Assert.Equal([(Rational)1, 2, 3, 4], network.Layers[0].Weights[0]);
    }

    [Fact]
    public void BatchNormalization_is_exact_when_float32_arithmetic_is()
    {
        // var + ε = 1/4: 1/√ = 2 exactly, α = 2·3 = 6, β = 1 − 0.5·6 = −2.
        var layer = BatchNormLayer(scale: 3, bias: 1, mean: 0.5f, variance: 0.25f, epsilon: 0);
        Assert.Equal((Rational)6, layer.Weights[0][0]);
        Assert.Equal((Rational)(-2), layer.Bias[0]);
    }

    [Fact]
    public void BatchNormalization_rounds_its_coefficients_as_float32_inference_does()
    {
        // α = fl(fl(1/fl(√fl(2 + ε)))·1): the float32 nearest 1/√2, not the irrational itself.
        var layer = BatchNormLayer(scale: 1, bias: 0, mean: 0, variance: 2, epsilon: 1e-5f);
        var alpha = layer.Weights[0][0];
        Assert.Equal(alpha, F32((float)alpha.ToDouble()));
        Assert.True((alpha * alpha * (2 + F32(1e-5f)) - 1).Abs() < new Rational(1, 1 << 22));
    }

    private static Layer BatchNormLayer(float scale, float bias, float mean, float variance, float epsilon)
    {
        var builder = new ModelBuilder().Input("x", null, 1).Output("y", null, 1)
            .Floats("s", [1], [scale]).Floats("b", [1], [bias]).Floats("m", [1], [mean]).Floats("v", [1], [variance])
            .Node("BatchNormalization", "bn", ["x", "s", "b", "m", "v"], "y", F("epsilon", epsilon));
        var network = Import(builder.Bytes());
        return Assert.Single(network.Layers);
    }

    [Fact]
    public void MaxPool_is_rejected_with_its_reason()
    {
        var bytes = new ModelBuilder().Input("x", null, 1, 4).Output("y", null, 1)
            .Node("MaxPool", "pool", ["x"], "y", Ints("kernel_shape", 4)).Bytes();
        Assert.Equal("test.onnx: node 'pool' (MaxPool): MaxPool is not supported: a maximum is not an affine map (replace it by AveragePool or a strided Conv before exporting)",
            ImportError(bytes).Message);
    }

    [Theory]
    [InlineData(1f, "the slope alpha = 1 is not in [0, 1)")]
    [InlineData(-0.5f, "the slope alpha = -0x1p-1 is not in [0, 1)")]
    public void LeakyRelu_is_recognised_with_its_exact_slope(float alpha, string message)
    {
        var bytes = new ModelBuilder().Input("x", null, 1).Output("y", null, 1)
            .Node("LeakyRelu", "act", ["x"], "y", F("alpha", alpha)).Bytes();
        Assert.Contains("node 'act' (LeakyRelu): " + message, ImportError(bytes).Message);
    }

    [Fact]
    public void A_convolution_whose_dense_layer_would_be_too_large_is_refused_before_it_is_built()
    {
        // 10 channels of a 1×1 convolution on 100×100: 10⁵ rows × 10⁴ columns = 10⁹ dense weights.
        var bytes = new ModelBuilder().Input("x", null, 1, 100, 100).Output("y", null, 1)
            .Floats("W", [10, 1, 1, 1], Enumerable.Repeat(1f, 10).ToArray())
            .Floats("ones", [100_000, 1], Enumerable.Repeat(1f, 100_000).ToArray())
            .Node("Conv", "conv", ["x", "W"], "c")
            .Node("Relu", "relu", ["c"], "h")
            .Node("Flatten", "flat", ["h"], "f")
            .Node("MatMul", "sum", ["f", "ones"], "y")
            .Bytes();
        Assert.Equal("test.onnx: node 'relu' (Relu): the dense network would have more than 20000000 parameters (ConvexProof's layers are dense matrices, a convolution's zeros included)",
            ImportError(bytes).Message);
    }

    [Fact]
    public void A_28x28_convolutional_model_imports_in_seconds()
    {
        var watch = Stopwatch.StartNew();
        var model = OnnxImporter.Import(TorchSamples.Read("conv_28x28").ModelPath);
        watch.Stop();
        Assert.Equal(784, model.Network.InputDim);
        Assert.Equal(628_293, model.Network.ParameterCount);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"import took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal("Conv ×2, Relu ×2, Flatten, Gemm → 3 layers, widths 784 → 676 relu → 144 relu → 1, 628293 parameters, 820 ReLU units",
            ImportSummary.Describe(model));
    }

    [Fact]
    public void The_summary_names_the_lowered_operators_and_the_folded_constants()
    {
        var model = OnnxImporter.Import(TorchSamples.Read("conv_icnn_4x4").ModelPath);
        Assert.StartsWith("Conv ×3, Relu ×2, Add ×2, Flatten ×2, MatMul, Gemm (", ImportSummary.Describe(model));
        Assert.EndsWith(" → 3 layers, widths 16 → 2 relu → 2 relu → 1, 2 skip connections, 91 parameters, 4 ReLU units", ImportSummary.Describe(model));
    }
}
