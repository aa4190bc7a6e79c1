using ConvexProof.Networks;
using ConvexProof.Numbers;
using static ConvexProof.Onnx.Tests.Nets;

namespace ConvexProof.Onnx.Tests;

public class RoundTripTests
{
    private const string Mixed = """
        { "input_dim": 3, "layers": [
          { "weights": [["0x1.99999ap-4", -1.5, 2], [0.25, "3/4", 0], [-2, 1, "0x1p-20"], [0, 0, 1]],
            "bias": [0, "0x1p-3", -0.5, 1e3], "activation": "relu" },
          { "weights": [[1, 0.5, 0, 1], [0, 2, "0x1.8p1", -1]], "bias": [0.125, -1], "activation": "identity" },
          { "weights": [[1, -1], [2, 3]], "bias": [0, 0], "skip": [[0.5, -0.25, 0], [1, 0, 0]], "activation": "relu" },
          { "weights": [[1, 1]], "bias": [0], "skip": [["-0x1.99999ap-4", 0.75, 1]], "activation": "identity" } ] }
        """;

    public static TheoryData<bool, bool, bool> Options() => new()
    {
        { false, true, false }, { false, false, false }, { true, true, false }, { true, false, false },
        { false, true, true }, { true, false, true },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Network_to_onnx_to_network_is_the_identity(bool float64, bool raw, bool matMul)
    {
        var net = Parse(Mixed);
        var options = new OnnxWriterOptions
        {
            ElementType = float64 ? OnnxElementType.Float64 : OnnxElementType.Float32, RawData = raw, UseMatMul = matMul,
        };
        AssertEqual(net, Import(OnnxWriter.ToBytes(net, options)));
    }

    private const string Leaky = """
        { "input_dim": 2, "layers": [
          { "weights": [[1, -1], [0.5, 2]], "bias": [0, "0x1p-3"], "activation": "leaky_relu", "alpha": "0x1.99999ap-3" },
          { "weights": [[1, -2]], "bias": [0], "activation": "identity" } ] }
        """;

    [Fact]
    public void A_leaky_relu_network_goes_to_onnx_and_back_with_its_exact_slope()
    {
        var net = Parse(Leaky);
        Assert.Equal(new Rational(13421773, 1 << 26), net.Layers[0].Alpha);
        var back = Import(OnnxWriter.ToBytes(net));
        AssertEqual(net, back);
        Assert.True(back.Layers[0].IsLeaky);
        // The hex net.json writer spells the slope too, and reads back to the same network.
        var text = ExactText.NetworkJson(net);
        Assert.Contains("\"activation\": \"leaky_relu\",\n      \"alpha\": \"0x1.99999ap-3\"", text);
        AssertEqual(net, Parse(text));
    }

    [Fact]
    public void Writer_refuses_a_slope_that_is_not_exactly_float32()
    {
        var net = Parse(Leaky.Replace("\"0x1.99999ap-3\"", "\"1/5\"", StringComparison.Ordinal));
        var e = Assert.Throws<ArgumentException>(() => OnnxWriter.ToBytes(net));
        Assert.Contains("layer1.alpha[0] = 1/5 is not exactly a float32", e.Message);
    }

    [Fact]
    public void Writer_output_is_deterministic()
    {
        var net = Parse(Mixed);
        Assert.Equal(OnnxWriter.ToBytes(net), OnnxWriter.ToBytes(Parse(Mixed)));
    }

    [Fact]
    public void Writer_refuses_values_that_are_not_exactly_float32()
    {
        var net = Parse("""{ "input_dim": 1, "layers": [ { "weights": [["1/3"]], "bias": [0], "activation": "identity" } ] }""");
        var e = Assert.Throws<ArgumentException>(() => OnnxWriter.ToBytes(net));
        Assert.Contains("layer1.weight[0] = 1/3 is not exactly a float32", e.Message);
        var tenth = Parse("""{ "input_dim": 1, "layers": [ { "weights": [[0.1]], "bias": [0], "activation": "identity" } ] }""");
        Assert.Throws<ArgumentException>(() => OnnxWriter.ToBytes(tenth, new OnnxWriterOptions { ElementType = OnnxElementType.Float64 }));
    }

    [Fact]
    public void Hex_net_json_reads_back_to_the_same_network()
    {
        var net = Parse(Mixed);
        var text = ExactText.NetworkJson(net);
        Assert.Contains("\"0x1.99999ap-4\"", text);
        AssertEqual(net, Parse(text));
        // The engine's own writer and the hex writer spell the same network.
        AssertEqual(Parse(NetworkWriter.ToJson(net)), Parse(text));
    }

    [Theory]
    [InlineData("13421773/134217728", "0x1.99999ap-4")]
    [InlineData("-1/8", "-0x1p-3")]
    [InlineData("3/2", "0x1.8p0")]
    [InlineData("1/3", "1/3")]
    [InlineData("-7", "-7")]
    [InlineData("0", "0")]
    [InlineData("1/1024", "0x1p-10")]
    [InlineData("3602879701896397/36028797018963968", "0x1.999999999999ap-4")]
    public void Hex_spelling(string rational, string expected)
    {
        Assert.True(Rational.TryParseCanonical(rational, out var value));
        Assert.Equal(expected, ExactText.Format(value));
        Assert.Equal(value, R(expected));
    }

    [Fact]
    public void Hex_spelling_round_trips_for_many_doubles_and_floats()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            double d = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(d)) continue;
            var value = Rational.FromDouble(d);
            Assert.Equal(value, R(ExactText.Format(value)));
            if (!float.IsFinite((float)d)) continue;
            var f = Rational.FromDouble((float)d);
            Assert.Equal(f, R(ExactText.Format(f)));
        }
        Assert.Equal("0x1p-1074", ExactText.Format(Rational.FromDouble(double.Epsilon)));
        Assert.Equal("0x1.fffffffffffffp1023", ExactText.Format(Rational.FromDouble(double.MaxValue)));
    }
}
