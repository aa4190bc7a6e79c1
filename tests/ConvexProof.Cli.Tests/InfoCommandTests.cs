using System.Numerics;
using System.Text;
using System.Text.Json;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Tests;

public class InfoCommandTests
{
    private static Network Parse(string json) => NetworkReader.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    [Fact]
    public void DescribesArchitectureParametersIcnnAndBound()
    {
        using var dir = new TempFolder();
        var net = dir.Write("icnn.json", TestNets.Icnn);
        var r = Cli.Invoke("info", net);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Contains("input dim:    2", r.Out);
        Assert.Contains("architecture: 2 → 2 relu → 1 relu (+skip) → 1 identity (+skip)", r.Out);
        Assert.Contains("relu units:   3", r.Out);
        // 2·2+2 + (1·2+1+1·2) + (1·1+1+1·2) = 6 + 5 + 4
        Assert.Contains("parameters:   15 (7 weights, 4 biases, 4 skip weights)", r.Out);
        Assert.Contains("icnn:         yes", r.Out);
        // (1 + 2 + 1)·(1 + 1) = 8
        Assert.Contains("region bound: 8 regions at most", r.Out);
        Assert.Contains("C(n,j)", r.Out);
    }

    [Fact]
    public void NegativeHiddenWeightIsNotAnIcnnAndIsNamed()
    {
        using var dir = new TempFolder();
        var net = dir.Write("neg.json", TestNets.NegativeWeightConvex);
        var r = Cli.Invoke("info", net);
        Assert.Equal(0, r.Code);
        Assert.Contains("icnn:         no: $.layers[1].weights[0][1] = -1", r.Out);
    }

    [Theory]
    [InlineData(TestNets.Icnn, true)]
    [InlineData(TestNets.MaxOfTwo, true)]        // output weight 1 on the ReLU, skip of any sign
    [InlineData(TestNets.AbsSum2D, true)]
    [InlineData(TestNets.TwoHinges, true)]
    [InlineData(TestNets.NegativeWeightConvex, false)] // convex, but the sufficient test cannot see it
    [InlineData(TestNets.NegRelu2D, false)]
    [InlineData(TestNets.NegAbs, false)]
    [InlineData(TestNets.SmallMlp2D, false)]
    public void IcnnDetection(string json, bool expected)
    {
        var info = NetworkInfo.Of(Parse(json));
        Assert.Equal(expected, info.IsIcnn);
        Assert.Equal(expected, info.IcnnObstacle is null);
        // Soundness on these nets: an ICNN must certify convex.
        if (expected)
        {
            var network = Parse(json);
            Assert.Equal(Verdict.Convex, Certifier.Certify(network, Domain.Everywhere(network.InputDim)).Verdict);
        }
    }

    [Fact]
    public void NegativeWeightsOnAffineInputsKeepConvexity()
    {
        // Layer 1 is an identity layer (affine outputs), so layer 2 may weigh them with any sign:
        // f = relu(−(x1 + x2)) is convex. Layer 3's negative weight on a ReLU output is not allowed.
        const string ok = """
            {"input_dim":2,"layers":[{"weights":[[1,1]],"bias":[0],"activation":"identity"},
                                     {"weights":[[-1]],"bias":[0],"activation":"relu"},
                                     {"weights":[[1]],"bias":[0],"activation":"identity"}]}
            """;
        Assert.True(NetworkInfo.Of(Parse(ok)).IsIcnn);
        var notOk = ok.Replace("\"weights\":[[1]],\"bias\":[0],\"activation\":\"identity\"", "\"weights\":[[-1]],\"bias\":[0],\"activation\":\"identity\"");
        var info = NetworkInfo.Of(Parse(notOk));
        Assert.False(info.IsIcnn);
        Assert.Equal("$.layers[2].weights[0][0]", info.IcnnObstacle!.JsonPath);
    }

    [Fact]
    public void ParameterCountIsExact()
    {
        var info = NetworkInfo.Of(Parse(TestNets.SmallMlp2D));
        // (2·4 + 4) + (4·3 + 3) + (3·1 + 1) = 12 + 15 + 4
        Assert.Equal(31, info.Parameters);
        Assert.Equal(23, info.Weights);
        Assert.Equal(8, info.Biases);
        Assert.Equal(0, info.SkipWeights);
        Assert.Equal([12L, 15L, 4L], info.Layers.Select(l => l.Parameters));
        Assert.Equal(7, info.ReluUnits);
    }

    [Theory]
    [InlineData(3, 2, 7)]
    [InlineData(16, 2, 137)]
    [InlineData(4, 2, 11)]
    [InlineData(2, 5, 4)]     // n ≤ d: all 2^n patterns
    [InlineData(0, 3, 1)]
    [InlineData(10, 1, 11)]
    public void HyperplaneRegionCounts(int n, int d, long expected) =>
        Assert.Equal(new BigInteger(expected), NetworkInfo.HyperplaneRegions(n, d));

    [Theory]
    [InlineData(TestNets.SmallMlp2D, 77)]
    [InlineData(TestNets.AbsSum2D, 11)]
    [InlineData(TestNets.TwoLines, 4)]
    [InlineData(TestNets.TwoHinges, 3)]
    [InlineData(TestNets.Icnn, 8)]
    public void RegionBoundIsAtLeastTheActualCount(string json, long bound)
    {
        var network = Parse(json);
        var info = NetworkInfo.Of(network);
        Assert.Equal(new BigInteger(bound), info.RegionBound);
        var result = Certifier.Certify(network, Domain.Everywhere(network.InputDim));
        Assert.True(result.Complete);
        Assert.True(result.Regions.Count <= bound, $"{result.Regions.Count} regions > bound {bound}");
    }

    [Fact]
    public void HugeBoundsAreExactInJsonAndShortInText()
    {
        var sb = new StringBuilder("""{"input_dim":8,"layers":[""");
        for (int l = 0; l < 6; l++)
        {
            int inputs = l == 0 ? 8 : 60;
            var row = "[" + string.Join(",", Enumerable.Repeat("1", inputs)) + "]";
            sb.Append("{\"weights\":[").Append(string.Join(",", Enumerable.Repeat(row, 60))).Append("],\"bias\":[")
              .Append(string.Join(",", Enumerable.Repeat("0", 60))).Append("],\"activation\":\"relu\"},");
        }
        sb.Append("{\"weights\":[[" + string.Join(",", Enumerable.Repeat("1", 60)) + "]],\"bias\":[0],\"activation\":\"identity\"}]}");
        using var dir = new TempFolder();
        var net = dir.Write("deep.json", sb.ToString());
        var expected = BigInteger.Pow(NetworkInfo.HyperplaneRegions(60, 8), 6);
        var text = Cli.Invoke("info", net);
        Assert.Equal(0, text.Code);
        Assert.Contains($"digits; exact value with --json", text.Out);
        var json = Cli.Invoke("info", net, "--json");
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(expected.ToString(), doc.RootElement.GetProperty("region_bound").GetProperty("value").GetString());
        Assert.Equal(Math.Round(BigInteger.Log10(expected), 4), doc.RootElement.GetProperty("region_bound").GetProperty("log10").GetDouble());
    }

    [Fact]
    public void JsonOutputHasTheDocumentedFields()
    {
        using var dir = new TempFolder();
        var net = dir.Write("mlp.json", TestNets.SmallMlp2D);
        var r = Cli.Invoke("info", net, "--json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(Assert.Single(r.OutLines));
        var o = doc.RootElement;
        Assert.Equal("convexproof-info/1", o.GetProperty("schema").GetString());
        Assert.Equal(net, o.GetProperty("network").GetString());
        Assert.Matches("^[0-9a-f]{64}$", o.GetProperty("network_sha256").GetString());
        Assert.Equal(2, o.GetProperty("input_dim").GetInt32());
        var layers = o.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal([4, 3, 1], layers.Select(l => l.GetProperty("units").GetInt32()));
        Assert.Equal([2, 4, 3], layers.Select(l => l.GetProperty("inputs").GetInt32()));
        Assert.Equal(["relu", "relu", "identity"], layers.Select(l => l.GetProperty("activation").GetString()));
        Assert.All(layers, l => Assert.False(l.GetProperty("skip").GetBoolean()));
        Assert.Equal(7, o.GetProperty("relu_units").GetInt32());
        Assert.Equal(31, o.GetProperty("parameters").GetInt64());
        var icnn = o.GetProperty("icnn");
        Assert.False(icnn.GetProperty("is_icnn").GetBoolean());
        Assert.Equal("$.layers[1].weights[0][1]", icnn.GetProperty("obstacle").GetProperty("json_path").GetString());
        Assert.Equal("-3/5", icnn.GetProperty("obstacle").GetProperty("value").GetString());
        Assert.Equal("77", o.GetProperty("region_bound").GetProperty("value").GetString());
        Assert.Contains("C(n,j)", o.GetProperty("region_bound").GetProperty("formula").GetString());
    }

    [Fact]
    public void InputErrorsAreOneLine()
    {
        using var dir = new TempFolder();
        Cli.AssertOneLineError(Cli.Invoke("info", dir.Write("bad.json", TestNets.BadJson)), "bad.json", "invalid JSON");
        Cli.AssertOneLineError(Cli.Invoke("info", dir.Write("shape.json", TestNets.WrongShape)), "shape.json", "$.layers[0].weights");
        Cli.AssertOneLineError(Cli.Invoke("info", dir.File("none.json")), "none.json");
        Cli.AssertOneLineError(Cli.Invoke("info"), "info takes one network file");
    }
}
