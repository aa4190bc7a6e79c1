namespace ConvexProof.Cli.Tests;

/// <summary>
/// certify, check and info on composition models (the committed examples in certificates/composition:
/// dense models of the two families of issue 17, clipped and unclipped).
/// </summary>
public class CompositionCommandTests
{
    private static string Example(string name) => Path.Combine(Repository.Root(), "certificates", "composition", name);

    [Theory]
    [InlineData("ot_clipped.json")]
    [InlineData("deepinv_dense_clipped.json")]
    public void ClippedModelsAreCertifiedByTheRulesAndChecked(string name)
    {
        using var dir = new TempFolder();
        string cert = dir.File("cert.json");
        var r = Cli.Invoke("certify", Example(name), "--out", cert, "--quiet");
        Assert.Equal(0, r.Code);
        Assert.Contains("CONVEX by composition rules", r.Out);
        Assert.Contains("convexproof-certificate/3", File.ReadAllText(cert));
        var check = Cli.Invoke("check", Example(name), cert);
        Assert.Equal(0, check.Code);
        Assert.Contains("VALID: f is convex", check.Out);
        Assert.Contains("By composition rules", check.Out);
    }

    [Theory]
    [InlineData("ot_unclipped.json", "layer 2 unit 3: z-weight -0.9 on unit 2")]
    [InlineData("deepinv_dense_unclipped.json", "layer 3 unit 1: z-weight -3 on unit 1")]
    public void UnclippedModelsAreRefutedAndChecked(string name, string failure)
    {
        using var dir = new TempFolder();
        string cert = dir.File("cert.json");
        var r = Cli.Invoke("certify", Example(name), "--out", cert, "--quiet");
        Assert.Equal(1, r.Code);
        Assert.Contains("NOT CONVEX", r.Out);
        Assert.Contains(failure, r.Out);
        var check = Cli.Invoke("check", Example(name), cert);
        Assert.Equal(0, check.Code);
        Assert.Contains("VALID: f is NOT convex", check.Out);
        // The JSON summary names the failed rule with its path.
        var json = Cli.Invoke("certify", Example(name), "--out", cert, "--json").Json();
        Assert.Equal("not_convex", json.GetProperty("verdict").GetString());
        Assert.Equal("composition", json.GetProperty("method").GetString());
        Assert.Contains(failure.Split(": ")[1], json.GetProperty("rule_failures")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public void UndecidedSaysWhatWasTriedAndWritesNothing()
    {
        using var dir = new TempFolder();
        // f = x² written as −(−x²): convex, but no rule applies and no violation exists.
        var net = dir.Write("net.json", """
            { "input_dim": 1, "layers": [
              { "weights": [[0]], "bias": [0], "activation": "identity", "quadratic": [ { "unit": 0, "weights": [1], "coefficient": -1 } ] },
              { "weights": [[-1]], "bias": [0], "activation": "identity" } ] }
            """);
        string cert = dir.File("cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--max-regions", "200", "--quiet");
        Assert.Equal(3, r.Code);
        Assert.Contains("UNDECIDED", r.Out);
        Assert.Contains("layer 1 unit 1: quadratic term 1 has coefficient -1 < 0", r.Out);
        Assert.Contains("200 lines searched", r.Out);
        Assert.False(File.Exists(cert));
    }

    [Fact]
    public void InfoNamesTheRuleThatFails()
    {
        var r = Cli.Invoke("info", Example("ot_unclipped.json"));
        Assert.Equal(0, r.Code);
        Assert.Contains("composition model", r.Out);
        Assert.Contains("outputs squared", r.Out);
        Assert.Contains("layer 2 unit 3: z-weight -0.9 on unit 2 (convex, not affine: a negative weight makes it concave) ($.layers[1].weights[2][1])", r.Out);
        var clipped = Cli.Invoke("info", Example("deepinv_dense_clipped.json"));
        Assert.Contains("composition:  yes: convex by the composition rules", clipped.Out);
        Assert.Contains("s/2·|x|² with s = 1/2", clipped.Out);
        var json = Cli.Invoke("info", Example("ot_unclipped.json"), "--json").Json();
        Assert.False(json.GetProperty("composition").GetProperty("convex_by_rules").GetBoolean());
        Assert.Equal("$.layers[1].weights[2][1]", json.GetProperty("composition").GetProperty("failures")[0].GetProperty("json_path").GetString());
    }

    [Fact]
    public void InputErrorsAreOneLineAndOtherCommandsRefuseCompositionModels()
    {
        using var dir = new TempFolder();
        var net = dir.Write("net.json", File.ReadAllText(Example("ot_clipped.json")).Replace("\"square_output\": true", "\"square_output\": 1", StringComparison.Ordinal));
        string cert = dir.File("cert.json");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", cert), "$.layers[0].square_output", "true or false");
        Assert.False(File.Exists(cert));
        Cli.AssertOneLineError(Cli.Invoke("plot", Example("ot_clipped.json"), "--out", dir.File("p.svg")), "square_output", "only certify (one model at a time, not with --out-dir), check and info");
        Cli.AssertOneLineError(Cli.Invoke("certify", Example("ot_clipped.json"), "--out", cert, "--method", "regions"), "composition model", "--method regions");
        Assert.False(File.Exists(cert));
    }

    [Fact]
    public void PointsGuideTheSearch()
    {
        using var dir = new TempFolder();
        string cert = dir.File("cert.json");
        var points = dir.Write("points.json", "[[0.5, -0.5, 0.25], [1, 1, 1]]");
        var r = Cli.Invoke("certify", Example("ot_unclipped.json"), "--out", cert, "--points", points, "--quiet");
        Assert.Equal(1, r.Code);
        Assert.Equal(0, Cli.Invoke("check", Example("ot_unclipped.json"), cert).Code);
        Cli.AssertOneLineError(Cli.Invoke("certify", Example("ot_unclipped.json"), "--out", cert, "--points", dir.Write("bad.json", "[[1]]")), "bad.json", "3 numbers");
    }
}
