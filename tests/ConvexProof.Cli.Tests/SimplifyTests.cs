using System.Text.Json;

namespace ConvexProof.Cli.Tests;

/// <summary>simplify, check-equiv and to-icnn through the CLI: files written, certificates checked, errors as one line.</summary>
public class SimplifyTests
{
    /// <summary>relu(x) + relu(2x) + relu(−x) + relu(x − 10): on [-1, 1] that is 3·relu(x) + relu(−x) = 4·relu(x) − x.</summary>
    private const string Redundant = """
        {"input_dim":1,"layers":[{"weights":[[1],[2],[-1],[1]],"bias":[0,0,0,-10],"activation":"relu"},
                                 {"weights":[[1,1,1,1]],"bias":[0],"activation":"identity"}]}
        """;

    [Fact]
    public void SimplifyWritesTheNetworkAndACertificateThatCheckEquivAccepts()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", Redundant), net2 = dir.File("small.json");
        var run = Cli.Invoke("simplify", net, "--box", "-1:1", "--out", net2);
        Assert.Equal(0, run.Code);
        Assert.Contains("simplified: 1 → 1 relu → 1 identity (+skip) (1 ReLU unit)", run.Out);
        Assert.Contains("1 merge, 1 opposite, 1 dead", run.Out);
        Assert.Equal(["net.json", "small.equiv.json", "small.json"], dir.Files());

        var check = Cli.Invoke("check-equiv", net, net2, dir.File("small.equiv.json"), "--box", "-1:1");
        Assert.Equal(0, check.Code);
        Assert.StartsWith("VALID: the two networks compute the same function on the box [-1, 1].", check.Out);

        // On R^1 the fourth unit is not dead: one more unit stays.
        Assert.Equal(0, Cli.Invoke("simplify", net, "--out", net2, "--cert", dir.File("r.json"), "--quiet").Code);
        Assert.Equal(2, JsonDocument.Parse(File.ReadAllText(net2)).RootElement.GetProperty("layers")[0].GetProperty("bias").GetArrayLength());
        Assert.Equal(0, Cli.Invoke("check-equiv", net, net2, dir.File("r.json")).Code);
    }

    [Fact]
    public void CheckEquivRejectsAForgedCertificate()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", Redundant), net2 = dir.File("small.json");
        Assert.Equal(0, Cli.Invoke("simplify", net, "--box", "-1:1", "--out", net2, "--quiet").Code);
        string cert = dir.File("small.equiv.json");
        File.WriteAllText(cert, File.ReadAllText(cert).Replace("\"scale\": \"2\"", "\"scale\": \"3\"", StringComparison.Ordinal).Replace("\"scale\":\"2\"", "\"scale\":\"3\"", StringComparison.Ordinal));
        var run = Cli.Invoke("check-equiv", net, net2, cert);
        Assert.Equal(1, run.Code);
        Assert.StartsWith("INVALID: $.steps[", run.Out);
        Assert.Contains("3 × row 0", run.Out);
        // A certificate on the box is not one on another box.
        Assert.Equal(0, Cli.Invoke("simplify", net, "--box", "-1:1", "--out", net2, "--quiet").Code);
        Assert.Equal(1, Cli.Invoke("check-equiv", net, net2, cert, "--box", "-2:2").Code);
    }

    [Fact]
    public void BadInputIsOneLineAndWritesNothing()
    {
        using var dir = new TempFolder();
        string bad = dir.Write("bad.json", """{"input_dim":1,"layers":[]}""");
        Cli.AssertOneLineError(Cli.Invoke("simplify", bad, "--out", dir.File("out.json")), "bad.json", "$.layers");
        Cli.AssertOneLineError(Cli.Invoke("simplify", dir.Write("net.json", Redundant)), "--out");
        Cli.AssertOneLineError(Cli.Invoke("simplify", dir.File("net.json"), "--out", dir.File("net.json")), "overwrite its input");
        Cli.AssertOneLineError(Cli.Invoke("check-equiv", dir.File("net.json"), dir.File("missing.json"), dir.File("net.json")), "missing.json", "no such file");
        Cli.AssertOneLineError(Cli.Invoke("to-icnn", dir.Write("deep.json", TestNets.NegativeWeightConvex), "--out", dir.File("icnn.json")), "deep.json", "one hidden ReLU layer");
        Assert.Equal(["bad.json", "deep.json", "net.json"], dir.Files());
    }

    [Fact]
    public void ToIcnnGivesAnIcnnOfTheSameWidthThatInfoRecognises()
    {
        using var dir = new TempFolder();
        // relu(x) + relu(−x) − relu(x − 1) + 2·relu(x − 1)... written with a negative weight on an opposite unit: convex.
        string net = dir.Write("net.json", """
            {"input_dim":1,"layers":[{"weights":[[1],[-1],[1],[-2]],"bias":[0,0,-1,2],"activation":"relu"},
                                     {"weights":[[2,-1,-1,1]],"bias":[0],"activation":"identity"}]}
            """);
        var run = Cli.Invoke("to-icnn", net, "--out", dir.File("icnn.json"));
        Assert.Equal(0, run.Code);
        Assert.Contains("ICNN of width 4", run.Out);
        var info = Cli.Invoke("info", dir.File("icnn.json"), "--json").Json();
        Assert.True(info.GetProperty("icnn").GetProperty("is_icnn").GetBoolean());
        Assert.Equal(4, info.GetProperty("layers")[0].GetProperty("units").GetInt32());
        Assert.Equal(0, Cli.Invoke("check-equiv", net, dir.File("icnn.json"), dir.File("icnn.equiv.json")).Code);
    }

    [Fact]
    public void ToIcnnOnANonConvexNetworkPrintsACounterexampleAndWritesNothing()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.NegAbs);
        var run = Cli.Invoke("to-icnn", net, "--out", dir.File("icnn.json"));
        Assert.Equal(1, run.Code);
        Assert.Contains("not convex on R^1", run.Out);
        Assert.Contains("counterexample: x = (", run.Out);
        Assert.Equal(["net.json"], dir.Files());
    }
}
