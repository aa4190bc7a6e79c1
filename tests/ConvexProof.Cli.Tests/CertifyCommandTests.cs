using System.Text.Json;

namespace ConvexProof.Cli.Tests;

public class CertifyCommandTests
{
    [Fact]
    public void ConvexNetworkExitsZeroAndWritesTheCertificate()
    {
        using var dir = new TempFolder();
        var net = dir.Write("abs.json", TestNets.AbsSum2D);
        var cert = dir.File("abs.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--quiet");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("verdict:    convex", r.Out);
        Assert.Contains("regions:    4", r.Out);
        Assert.True(File.Exists(cert));
        Assert.Equal(["abs.cert.json", "abs.json"], dir.Files());
        using var doc = JsonDocument.Parse(File.ReadAllBytes(cert));
        Assert.Equal("convex", doc.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void NonConvexNetworkExitsOneAndWritesTheRefutation()
    {
        using var dir = new TempFolder();
        var net = dir.Write("neg.json", TestNets.NegRelu2D);
        var cert = dir.File("neg.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert);
        Assert.Equal(1, r.Code);
        Assert.Contains("NOT convex", r.Out);
        Assert.Contains("counterexample: x = (", r.Out);
        Assert.True(File.Exists(cert));
    }

    [Fact]
    public void LimitReachedExitsThreeAndWritesNothing()
    {
        using var dir = new TempFolder();
        var net = dir.Write("abs.json", TestNets.AbsSum2D);
        var cert = dir.File("abs.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--max-regions", "1");
        Assert.Equal(3, r.Code);
        Assert.Contains("undecided: region limit reached", r.Out);
        Assert.False(File.Exists(cert));
        Assert.Equal(["abs.json"], dir.Files());
    }

    [Fact]
    public void InvalidJsonIsOneLineNamingFileAndPath()
    {
        using var dir = new TempFolder();
        var net = dir.Write("broken.json", TestNets.BadJson);
        var cert = dir.File("broken.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert);
        Cli.AssertOneLineError(r, "broken.json", "$", "invalid JSON");
        Assert.Equal("", r.Out);
        Assert.False(File.Exists(cert));
    }

    [Fact]
    public void WrongShapeIsOneLineNamingTheJsonPath()
    {
        using var dir = new TempFolder();
        var net = dir.Write("shape.json", TestNets.WrongShape);
        var cert = dir.File("shape.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert);
        Cli.AssertOneLineError(r, "shape.json", "$.layers[0].weights", "expected 2 rows");
        Assert.False(File.Exists(cert));
    }

    [Fact]
    public void MissingFileIsOneLine()
    {
        using var dir = new TempFolder();
        var r = Cli.Invoke("certify", dir.File("nowhere.json"), "--out", dir.File("x.cert.json"));
        Cli.AssertOneLineError(r, "nowhere.json"); // the wording: FileErrorTests
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void BoxOfTheWrongDimensionIsAnInputError()
    {
        using var dir = new TempFolder();
        var net = dir.Write("abs.json", TestNets.AbsSum2D);
        var r = Cli.Invoke("certify", net, "--out", dir.File("abs.cert.json"), "--box", "0:1,0:1,0:1");
        Cli.AssertOneLineError(r, "abs.json", "--box");
        Assert.Equal(["abs.json"], dir.Files());
    }

    [Fact]
    public void UsageErrors()
    {
        using var dir = new TempFolder();
        var net = dir.Write("abs.json", TestNets.AbsSum2D);
        Cli.AssertOneLineError(Cli.Invoke("certify", net), "--out");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, net, "--out", dir.File("a")), "--out-dir");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", dir.File("a"), "--out-dir", dir.Path), "cannot be combined");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out-dir", dir.Path, "--box", "1:0"), "--box");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", dir.File("a"), "--frobnicate"), "unknown option");
        Assert.Equal(["abs.json"], dir.Files());
    }

    [Fact]
    public void JsonSummaryHasTheDocumentedFields()
    {
        using var dir = new TempFolder();
        var net = dir.Write("abs.json", TestNets.AbsSum2D);
        var cert = dir.File("abs.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--json");
        Assert.Equal(0, r.Code);
        var line = Assert.Single(r.OutLines);
        using var doc = JsonDocument.Parse(line);
        var o = doc.RootElement;
        Assert.Equal("convexproof-certify/1", o.GetProperty("schema").GetString());
        Assert.Equal(net, o.GetProperty("network").GetString());
        Assert.Matches("^[0-9a-f]{64}$", o.GetProperty("network_sha256").GetString());
        Assert.Equal("convex", o.GetProperty("verdict").GetString());
        Assert.Equal(0, o.GetProperty("exit_code").GetInt32());
        Assert.Equal(cert, o.GetProperty("certificate").GetString());
        Assert.Equal(2, o.GetProperty("input_dim").GetInt32());
        var box = o.GetProperty("domain").GetProperty("box");
        Assert.Equal("[[\"-1\",\"1\"],[\"-1\",\"1\"]]", box.GetRawText());
        Assert.True(o.GetProperty("complete").GetBoolean());
        var counts = o.GetProperty("counts");
        Assert.Equal(4, counts.GetProperty("neurons").GetInt32());
        Assert.Equal(4, counts.GetProperty("regions").GetInt32());
        foreach (var key in new[] { "facets", "boundary_facets", "redundant", "flat", "conditions", "violations", "degenerate_facets" })
            Assert.Equal(JsonValueKind.Number, counts.GetProperty(key).ValueKind);
        Assert.True(o.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("violation").ValueKind);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("counterexample").ValueKind);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("undecided_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("error").ValueKind);
        // The certificate's hash is the one reported.
        using var c = JsonDocument.Parse(File.ReadAllBytes(cert));
        Assert.Equal(o.GetProperty("network_sha256").GetString(), c.RootElement.GetProperty("network_sha256").GetString());
    }

    [Fact]
    public void JsonSummaryOfANonConvexNetworkHasViolationAndCounterexample()
    {
        using var dir = new TempFolder();
        var net = dir.Write("neg.json", TestNets.NegRelu2D);
        var r = Cli.Invoke("certify", net, "--out", dir.File("neg.cert.json"), "--json");
        Assert.Equal(1, r.Code);
        using var doc = JsonDocument.Parse(Assert.Single(r.OutLines));
        var o = doc.RootElement;
        Assert.Equal("not_convex", o.GetProperty("verdict").GetString());
        Assert.Equal(1, o.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("domain").ValueKind);
        var v = o.GetProperty("violation");
        Assert.Equal("-1", v.GetProperty("value").GetString());
        Assert.Equal([0], v.GetProperty("units").EnumerateArray().Select(u => u.GetInt32()));
        Assert.False(v.GetProperty("degenerate").GetBoolean());
        var ce = o.GetProperty("counterexample");
        Assert.Equal(2, ce.GetProperty("x").GetArrayLength());
        Assert.Equal(2, ce.GetProperty("y").GetArrayLength());
        foreach (var key in new[] { "fx", "fy", "fmid" }) Assert.Equal(JsonValueKind.String, ce.GetProperty(key).ValueKind);
    }

    [Fact]
    public void JsonSummaryOfAnInputErrorIsAnErrorObject()
    {
        using var dir = new TempFolder();
        var net = dir.Write("shape.json", TestNets.WrongShape);
        var r = Cli.Invoke("certify", net, "--out", dir.File("shape.cert.json"), "--json");
        Assert.Equal(2, r.Code);
        Assert.Single(r.ErrLines);
        using var doc = JsonDocument.Parse(Assert.Single(r.OutLines));
        var o = doc.RootElement;
        Assert.Equal("error", o.GetProperty("verdict").GetString());
        Assert.Equal(2, o.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("certificate").ValueKind);
        Assert.Equal(JsonValueKind.Null, o.GetProperty("counts").ValueKind);
        var e = o.GetProperty("error");
        Assert.Equal("$.layers[0].weights", e.GetProperty("json_path").GetString());
        Assert.Equal(net, e.GetProperty("file").GetString());
        Assert.Contains("expected 2 rows", e.GetProperty("problem").GetString());
    }

    [Fact]
    public void BatchReportsEveryNetworkAndTheWorstExitCode()
    {
        using var dir = new TempFolder();
        var good = dir.Write("good.json", TestNets.MaxOfTwo);
        var bad = dir.Write("bad.json", TestNets.BadJson);
        var neg = dir.Write("neg.json", TestNets.NegRelu2D);
        var missing = dir.File("missing.json");
        var outDir = Path.Combine(dir.Path, "certs");
        var r = Cli.Invoke("certify", good, bad, neg, missing, "--out-dir", outDir);
        Assert.Equal(2, r.Code);
        var lines = r.OutLines;
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{good}: convex (2 regions", lines[0]);
        Assert.EndsWith(Path.Combine(outDir, "good.cert.json"), lines[0]);
        Assert.StartsWith($"{bad}: error: $: invalid JSON", lines[1]);
        Assert.StartsWith($"{neg}: NOT convex (unit 0 (layer 1 unit 1) c = -1;", lines[2]);
        Assert.StartsWith($"{missing}: error: ", lines[3]);
        Assert.DoesNotContain("   at ", r.Out + r.Err);
        Assert.Equal(["good.cert.json", "neg.cert.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("4 networks: 1 convex, 1 not convex, 0 undecided, 2 input errors", r.Err);
    }

    [Fact]
    public void BatchExitCodesFollowTheDocumentedPriority()
    {
        using var dir = new TempFolder();
        var convex = dir.Write("convex.json", TestNets.MaxOfTwo);
        var neg = dir.Write("neg.json", TestNets.NegRelu2D);
        var many = dir.Write("abs.json", TestNets.AbsSum2D);
        var outDir = dir.File("out");
        Assert.Equal(0, Cli.Invoke("certify", convex, many, "--out-dir", outDir, "--quiet").Code);
        Assert.Equal(1, Cli.Invoke("certify", convex, neg, "--out-dir", outDir, "--quiet").Code);
        // With one region allowed, |x1|+|x2| (4 regions) is undecided; −relu is refuted in its first region.
        var r = Cli.Invoke("certify", neg, many, convex, "--out-dir", outDir, "--max-regions", "1", "--quiet");
        Assert.Equal(3, r.Code);
        Assert.Contains("undecided: region limit reached", r.OutLines[1]);
        Assert.Equal("", r.Err);
        Assert.Equal(0, Cli.Invoke("certify", convex, "--out-dir", outDir, "--quiet").Code);
    }

    [Fact]
    public void BatchCertificatesAreTheSingleModeCertificates()
    {
        using var dir = new TempFolder();
        var a = dir.Write("a.json", TestNets.TwoLines);
        var b = dir.Write("b.net.json", TestNets.SmallMlp2D);
        var outDir = dir.File("out");
        // TwoLines is convex, the small MLP is not: overall exit 1.
        Assert.Equal(1, Cli.Invoke("certify", a, b, "--out-dir", outDir, "--box", "-3:3", "--quiet").Code);
        Assert.Equal(0, Cli.Invoke("certify", a, "--out", dir.File("a.single.json"), "--box", "-3:3", "--quiet").Code);
        Assert.Equal(1, Cli.Invoke("certify", b, "--out", dir.File("b.single.json"), "--box", "-3:3", "--quiet").Code);
        Assert.Equal(File.ReadAllBytes(dir.File("a.single.json")), File.ReadAllBytes(Path.Combine(outDir, "a.cert.json")));
        Assert.Equal(File.ReadAllBytes(dir.File("b.single.json")), File.ReadAllBytes(Path.Combine(outDir, "b.net.cert.json")));
    }

    [Fact]
    public void BatchJsonIsOneObjectPerLine()
    {
        using var dir = new TempFolder();
        var good = dir.Write("good.json", TestNets.MaxOfTwo);
        var shape = dir.Write("shape.json", TestNets.WrongShape);
        var one = dir.Write("one.json", TestNets.TwoHinges);
        var r = Cli.Invoke("certify", good, shape, one, "--out-dir", dir.File("out"), "--json", "--box", "-2:2,-2:2");
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Err);
        var objects = r.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(3, objects.Length);
        Assert.Equal(["convex", "error", "error"], objects.Select(o => o.GetProperty("verdict").GetString()));
        Assert.Equal([0, 2, 2], objects.Select(o => o.GetProperty("exit_code").GetInt32()));
        // The 1-input network cannot take a 2-coordinate box: reported on its own line, the others go on.
        Assert.Contains("--box", objects[2].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, objects[2].GetProperty("error").GetProperty("json_path").ValueKind);
        Assert.Equal(1, objects[2].GetProperty("input_dim").GetInt32());
    }

    [Fact]
    public void BatchRejectsTwoNetworksWithTheSameCertificateName()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("x"));
        Directory.CreateDirectory(dir.File("y"));
        var a = dir.Write(Path.Combine("x", "net.json"), TestNets.MaxOfTwo);
        var b = dir.Write(Path.Combine("y", "net.json"), TestNets.MaxOfTwo);
        Cli.AssertOneLineError(Cli.Invoke("certify", a, b, "--out-dir", dir.File("out")), "net.cert.json");
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void ForcedProgressInBatchModeIsLabelledPerNetwork()
    {
        using var dir = new TempFolder();
        var a = dir.Write("a.json", TestNets.MaxOfTwo);
        var b = dir.Write("b.json", TestNets.AbsSum2D);
        var r = Cli.Invoke("certify", a, b, "--out-dir", dir.File("out"), "--progress");
        Assert.Equal(0, r.Code);
        Assert.Contains(r.ErrLines, l => l.StartsWith($"[1/2] {a}: regions 2 done", StringComparison.Ordinal));
        Assert.Contains(r.ErrLines, l => l.StartsWith($"[2/2] {b}: regions 4 done", StringComparison.Ordinal));
        Assert.Equal(2, r.OutLines.Length);
    }

    [Fact]
    public void OverallExitCodePriority()
    {
        Assert.Equal(0, Commands.BatchCertification.OverallExitCode([0, 0]));
        Assert.Equal(1, Commands.BatchCertification.OverallExitCode([0, 1]));
        Assert.Equal(3, Commands.BatchCertification.OverallExitCode([1, 3, 0]));
        Assert.Equal(2, Commands.BatchCertification.OverallExitCode([3, 1, 2, 0]));
        Assert.Equal("a.cert.json", Commands.BatchCertification.CertificateName("dir/a.json"));
        Assert.Equal("model.onnx.cert.json", Commands.BatchCertification.CertificateName("model.onnx"));
    }
}
