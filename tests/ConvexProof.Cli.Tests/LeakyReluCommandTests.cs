using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ConvexProof.Cli.Tests;

/// <summary>Leaky-ReLU networks through the CLI: the bound route against enumeration, the checker, info.</summary>
public class LeakyReluCommandTests
{
    /// <summary>d → w → w → 1 with dyadic weights; hidden-to-hidden and output weights mostly ≥ 0, so both verdicts occur.</summary>
    private static string RandomLeakyNetwork(Random r, int d, int w, string alpha)
    {
        string W(int lo) => (r.Next(lo, 9) / 8.0).ToString("0.###", CultureInfo.InvariantCulture);
        string Matrix(int rows, int cols, int lo) => "[" + string.Join(",", Enumerable.Range(0, rows).Select(_ => "[" + string.Join(",", Enumerable.Range(0, cols).Select(_ => W(lo))) + "]")) + "]";
        string Vector(int n) => "[" + string.Join(",", Enumerable.Range(0, n).Select(_ => W(-8))) + "]";
        var json = new StringBuilder($"{{\"input_dim\":{d},\"layers\":[");
        json.Append($"{{\"weights\":{Matrix(w, d, -8)},\"bias\":{Vector(w)},\"activation\":\"leaky_relu\",\"alpha\":\"{alpha}\"}},");
        json.Append($"{{\"weights\":{Matrix(w, w, -2)},\"bias\":{Vector(w)},\"skip\":{Matrix(w, d, -8)},\"activation\":\"leaky_relu\",\"alpha\":\"{alpha}\"}},");
        json.Append($"{{\"weights\":{Matrix(1, w, -1)},\"bias\":[0],\"activation\":\"identity\"}}]}}");
        return json.ToString();
    }

    /// <summary>
    /// On random leaky networks and boxes, every verdict the bound route reaches is the verdict of
    /// full enumeration, and the checker accepts both certificates.
    /// </summary>
    [Fact]
    public void TheBoundRouteAgreesWithEnumerationAndTheCheckerAcceptsBoth()
    {
        using var dir = new TempFolder();
        var random = new Random(5);
        string[] alphas = ["1/8", "1/5", "1/2"];
        int decidedByBounds = 0, convex = 0;
        for (int i = 0; i < 16; i++)
        {
            string net = dir.Write($"n{i}.json", RandomLeakyNetwork(random, 2, 4, alphas[i % 3]));
            string box = i % 2 == 0 ? "0:1" : "-1:1";
            string regions = dir.File($"n{i}.regions.json"), bounds = dir.File($"n{i}.bounds.json");
            var byRegions = Cli.Invoke("certify", net, "--out", regions, "--box", box, "--method", "regions", "--all-violations", "--quiet", "--no-smt");
            Assert.True(byRegions.Code is 0 or 1, $"network {i}: regions exit {byRegions.Code}: {byRegions.Err}");
            Assert.Equal(0, Cli.Invoke("check", net, regions, "--quiet").Code);
            var byBounds = Cli.Invoke("certify", net, "--out", bounds, "--box", box, "--method", "bounds", "--quiet");
            if (byBounds.Code == 3) continue; // the bound route is sufficient only
            Assert.Equal(byRegions.Code, byBounds.Code);
            Assert.Equal(0, Cli.Invoke("check", net, bounds, "--quiet").Code);
            decidedByBounds++;
            if (byBounds.Code == 0) convex++;
        }
        Assert.True(convex >= 3 && decidedByBounds - convex >= 3, $"an unbalanced sample: {convex} convex of {decidedByBounds} decided by bounds");
    }

    /// <summary>A leaky network the interval pass cannot certify: relaxation slopes must lie in [α, 1].</summary>
    [Fact]
    public void ARelaxationSlopeBelowTheLayersAlphaIsRejected()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", """
            { "input_dim": 2, "layers": [
              { "weights": [[1, 0], [1, 0]], "bias": [0, -5], "activation": "leaky_relu", "alpha": "1/5" },
              { "weights": [[1, -1]], "bias": [-1], "skip": [[0, 1]], "activation": "leaky_relu", "alpha": "1/5" },
              { "weights": [[1]], "bias": [0], "activation": "identity" } ] }
            """), cert = dir.File("net.cert.json");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--method", "bounds", "--quiet").Code);
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
        // Turn the interval leaf into a linear one that relaxes unit 0 (it straddles 0) with slope 0 < α.
        var root = JsonNode.Parse(File.ReadAllText(cert))!;
        var leaf = root["tree"]![0]!;
        leaf["relaxation"] = new JsonArray(new JsonArray(0, "0"), new JsonArray(2, "1"));
        leaf["multipliers"] = new JsonArray();
        string forged = dir.Write("forged.cert.json", root.ToJsonString());
        var r = Cli.Invoke("check", net, forged);
        Assert.Equal(1, r.Code);
        Assert.Contains("gives unit 0 the slope 0, below its layer's alpha 1/5", r.Out + r.Err);
    }

    [Fact]
    public void InfoNamesTheSlope()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", """
            { "input_dim": 1, "layers": [ { "weights": [[1]], "bias": [0], "activation": "leaky_relu", "alpha": 0.25 },
              { "weights": [[1]], "bias": [0], "activation": "identity" } ] }
            """);
        var text = Cli.Invoke("info", net);
        Assert.Contains("architecture: 1 → 1 leaky_relu(α=1/4) → 1 identity", text.Out);
        Assert.Contains("icnn:         yes", text.Out);
        var json = JsonNode.Parse(Cli.Invoke("info", net, "--json").Out)!;
        Assert.Equal("leaky_relu", json["layers"]![0]!["activation"]!.GetValue<string>());
        Assert.Equal("1/4", json["layers"]![0]!["alpha"]!.GetValue<string>());
        Assert.Null(json["layers"]![1]!["alpha"]);
    }

    [Fact]
    public void ASlopeOfOneIsAOneLineInputError()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", """
            { "input_dim": 1, "layers": [ { "weights": [[1]], "bias": [0], "activation": "leaky_relu", "alpha": 1 },
              { "weights": [[1]], "bias": [0], "activation": "identity" } ] }
            """);
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", dir.File("net.cert.json")), "net.json", "$.layers[0].alpha", "[0, 1)");
        Cli.AssertOneLineError(Cli.Invoke("plot", net, "--out", dir.File("net.svg")), "net.json", "$.layers[0].alpha", "[0, 1)");
        foreach (var command in new[] { "info", "smt-check" })
            Cli.AssertOneLineError(Cli.Invoke(command, net), "net.json", "$.layers[0].alpha", "[0, 1)");
        Assert.Equal(["net.json"], dir.Files());
    }
}
