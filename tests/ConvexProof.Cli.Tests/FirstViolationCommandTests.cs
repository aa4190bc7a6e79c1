using System.Text.Json;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Tests;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// `certify` stops at the first exactly verified violation by default (a refutation-only certificate
/// that `check` accepts); `--all-violations` enumerates every region as before; a convex network is
/// enumerated in full either way; the early-stop certificate does not depend on --threads.
/// </summary>
public class FirstViolationCommandTests
{
    private static JsonElement Summary(Cli.Run r) => r.Json();

    [Fact]
    public void ByDefaultANonConvexNetworkStopsAtTheFirstViolationWithACheckableRefutation()
    {
        using var dir = new TempFolder();
        string net = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine), cert = dir.File("grid.cert.json"), full = dir.File("full.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--json");
        Assert.Equal(1, r.Code);
        var o = Summary(r);
        Assert.Equal("not_convex", o.GetProperty("verdict").GetString());
        Assert.False(o.GetProperty("complete").GetBoolean());
        Assert.Equal("first_violation", o.GetProperty("exploration").GetString());
        double verdictSeconds = o.GetProperty("verdict_seconds").GetDouble();
        Assert.InRange(verdictSeconds, 0, o.GetProperty("seconds").GetDouble());
        int explored = o.GetProperty("counts").GetProperty("regions").GetInt32();

        var all = Cli.Invoke("certify", net, "--out", full, "--json", "--all-violations");
        Assert.Equal(1, all.Code);
        int regions = Summary(all).GetProperty("counts").GetProperty("regions").GetInt32();
        Assert.Equal(167, regions);
        Assert.InRange(explored, 2, regions - 1);

        // The certificate is refutation-only, and its counterexample is exactly violated.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(cert));
        var root = doc.RootElement;
        Assert.Equal("not_convex", root.GetProperty("verdict").GetString());
        Assert.Equal(0, root.GetProperty("regions").GetArrayLength());
        Assert.Equal(0, root.GetProperty("conditions").GetArrayLength());
        var network = NetworkReader.ReadFile(net);
        var ce = root.GetProperty("counterexample");
        Rational[] Point(string key) => [.. ce.GetProperty(key).EnumerateArray().Select(v => Parse(v.GetString()!))];
        var x = Point("x");
        var y = Point("y");
        var mid = x.Zip(y, (a, b) => (a + b) / 2).ToArray();
        Rational fx = network.Evaluate(x), fy = network.Evaluate(y), fmid = network.Evaluate(mid);
        Assert.Equal(Parse(ce.GetProperty("fx").GetString()!), fx);
        Assert.Equal(Parse(ce.GetProperty("fy").GetString()!), fy);
        Assert.Equal(Parse(ce.GetProperty("fmid").GetString()!), fmid);
        Assert.True(fmid * 2 > fx + fy);
        // The same first violation as full enumeration.
        Assert.Equal(Summary(all).GetProperty("violation").GetRawText(), o.GetProperty("violation").GetRawText());

        var check = Cli.Invoke("check", net, cert, "--quiet");
        Assert.Equal(0, check.Code);
        Assert.Contains("refutation only", check.Out);
    }

    [Fact]
    public void TheHumanSummarySaysWhereExplorationStopped()
    {
        using var dir = new TempFolder();
        string net = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine);
        var first = Cli.Invoke("certify", net, "--out", dir.File("a.cert.json"), "--quiet");
        Assert.Equal(1, first.Code);
        Assert.Contains("exploration: stopped at the first violation", first.Out);
        Assert.Contains("explored; the refutation rests on the counterexample alone", first.Out);
        Assert.Matches(@"time:       [0-9.]+ s \(verdict after [0-9.]+ s\)", first.Out);

        var all = Cli.Invoke("certify", net, "--out", dir.File("b.cert.json"), "--quiet", "--all-violations");
        Assert.Equal(1, all.Code);
        Assert.Contains("exploration: complete", all.Out);
        Assert.Contains("regions:    167\n", all.Out);
    }

    [Fact]
    public void AllViolationsWritesTheFullCertificateAsBefore()
    {
        using var dir = new TempFolder();
        string net = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine), cert = dir.File("grid.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--json", "--all-violations", "--no-smt");
        Assert.Equal(1, r.Code);
        var o = Summary(r);
        Assert.True(o.GetProperty("complete").GetBoolean());
        Assert.Equal("complete", o.GetProperty("exploration").GetString());

        // Byte for byte what full enumeration writes (the library's default).
        var network = NetworkReader.ReadFile(net);
        using var expected = new MemoryStream();
        CertificateWriter.Write(Certifier.Certify(network, Domain.Everywhere(2)), expected);
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(cert));
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
    }

    [Theory]
    [InlineData(Nets.Icnn, "-3:3")]
    [InlineData(Nets.MaxOfThree, "")]
    [InlineData(Nets.NegativeWeightConvex, "-2:2")]
    public void AConvexNetworkIsEnumeratedInFullInBothModes(string json, string box)
    {
        using var dir = new TempFolder();
        string net = dir.Write("convex.json", json);
        string[] Args(string cert, params string[] more) =>
            [.. new[] { "certify", net, "--out", cert, "--json", "--no-smt" }, .. box.Length > 0 ? new[] { "--box", box } : [], .. more];
        var first = Cli.Invoke(Args(dir.File("a.cert.json")));
        var all = Cli.Invoke(Args(dir.File("b.cert.json"), "--all-violations"));
        Assert.Equal(0, first.Code);
        Assert.Equal(0, all.Code);
        Assert.Equal("complete", Summary(first).GetProperty("exploration").GetString());
        Assert.True(Summary(first).GetProperty("complete").GetBoolean());
        Assert.Equal(File.ReadAllBytes(dir.File("b.cert.json")), File.ReadAllBytes(dir.File("a.cert.json")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-7:7")]
    public void TheEarlyStopCertificateIsTheSameForAnyThreadCount(string box)
    {
        using var dir = new TempFolder();
        string net = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine);
        string[] Args(string cert, string threads) =>
            [.. new[] { "certify", net, "--out", cert, "--quiet", "--threads", threads }, .. box.Length > 0 ? new[] { "--box", box } : []];
        Assert.Equal(1, Cli.Invoke(Args(dir.File("t1.cert.json"), "1")).Code);
        Assert.Equal(1, Cli.Invoke(Args(dir.File("t2.cert.json"), "2")).Code);
        Assert.Equal(File.ReadAllBytes(dir.File("t1.cert.json")), File.ReadAllBytes(dir.File("t2.cert.json")));
    }

    [Fact]
    public void BatchModeHasTheSameDefaultAndFlag()
    {
        using var dir = new TempFolder();
        string grid = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine), convex = dir.Write("icnn.json", Nets.Icnn);
        string first = dir.File("first"), all = dir.File("all");
        var r = Cli.Invoke("certify", grid, convex, "--out-dir", first, "--quiet");
        Assert.Equal(1, r.Code);
        Assert.Matches(@"NOT convex \(unit 22 \(layer 1 unit 23\) c = -3; stopped at the first violation after [0-9]+ regions, ", r.OutLines[0]);
        Assert.StartsWith($"{convex}: convex (", r.OutLines[1]);
        var a = Cli.Invoke("certify", grid, convex, "--out-dir", all, "--quiet", "--all-violations");
        Assert.Equal(1, a.Code);
        Assert.Contains("c = -3; 167 regions, ", a.OutLines[0]);

        // Each batch certificate is the single-network one of the same mode.
        Assert.Equal(1, Cli.Invoke("certify", grid, "--out", dir.File("single.cert.json"), "--quiet").Code);
        Assert.Equal(File.ReadAllBytes(dir.File("single.cert.json")), File.ReadAllBytes(Path.Combine(first, "grid.cert.json")));
        Assert.Equal(1, Cli.Invoke("certify", grid, "--out", dir.File("single.all.cert.json"), "--quiet", "--all-violations").Code);
        Assert.Equal(File.ReadAllBytes(dir.File("single.all.cert.json")), File.ReadAllBytes(Path.Combine(all, "grid.cert.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(all, "icnn.cert.json")), File.ReadAllBytes(Path.Combine(first, "icnn.cert.json")));
    }

    [Fact]
    public void ALimitIsReportedAsSuch()
    {
        using var dir = new TempFolder();
        string grid = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine), small = dir.Write("small.json", TestNets.SmallMlp2D);
        // Before any violation: undecided, nothing written.
        var undecided = Summary(Cli.Invoke("certify", grid, "--out", dir.File("g.cert.json"), "--json", "--max-regions", "3"));
        Assert.Equal("undecided", undecided.GetProperty("verdict").GetString());
        Assert.Equal("limit", undecided.GetProperty("exploration").GetString());
        Assert.False(File.Exists(dir.File("g.cert.json")));
        // After a violation, with --all-violations: refuted, but by the limit.
        var r = Cli.Invoke("certify", small, "--out", dir.File("s.cert.json"), "--json", "--max-regions", "2", "--all-violations");
        Assert.Equal(1, r.Code);
        var o = Summary(r);
        Assert.False(o.GetProperty("complete").GetBoolean());
        Assert.Equal("limit", o.GetProperty("exploration").GetString());
        Assert.Equal(0, Cli.Invoke("check", small, dir.File("s.cert.json"), "--quiet").Code);
    }

    private static Rational Parse(string text) =>
        ExactNumberParser.TryParse(text, out var value, out _) ? value : throw new FormatException(text);
}
