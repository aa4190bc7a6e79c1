using System.Text.Json;

namespace ConvexProof.Cli.Tests;

/// <summary>`check` end to end on files, its --json output, and certify's Z3 confirmation of degeneracies.</summary>
public class CheckCommandTests
{
    [Fact]
    public void CertifyThenCheckIsValidAndJsonStatesIt()
    {
        using var dir = new TempFolder();
        string net = dir.Write("icnn.json", TestNets.Icnn), cert = dir.File("icnn.cert.json");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", cert, "--quiet").Code);

        var text = Cli.Invoke("check", net, cert, "--quiet");
        Assert.Equal(0, text.Code);
        Assert.StartsWith("VALID: f is convex on R^2", text.Out);

        var json = Cli.Invoke("check", net, cert, "--json");
        Assert.Equal(0, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.Equal("convexproof-check/1", root.GetProperty("schema").GetString());
        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.Equal("convex", root.GetProperty("verdict").GetString());
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
    }

    [Fact]
    public void ACertificateForAnotherNetworkIsInvalidWithTheReasonInJson()
    {
        using var dir = new TempFolder();
        string net = dir.Write("icnn.json", TestNets.Icnn), other = dir.Write("other.json", TestNets.MaxOfTwo);
        string cert = dir.File("icnn.cert.json");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", cert, "--quiet").Code);
        var r = Cli.Invoke("check", other, cert, "--json");
        Assert.Equal(1, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Contains("network_sha256", doc.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void AMissingCertificateIsAnInputErrorInBothForms()
    {
        using var dir = new TempFolder();
        string net = dir.Write("icnn.json", TestNets.Icnn);
        Cli.AssertOneLineError(Cli.Invoke("check", net, dir.File("missing.cert.json")), "missing.cert.json");
        var r = Cli.Invoke("check", net, dir.File("missing.cert.json"), "--json");
        Assert.Equal(2, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Contains("missing.cert.json", doc.RootElement.GetProperty("error").GetProperty("file").GetString());
    }

    [Fact]
    public void CertifyAsksZ3ToConfirmDegenerateFrontiers()
    {
        Assert.True(Executables.Find("z3") is not null, "z3 is not on PATH: run scripts/setup (it installs z3)");
        using var dir = new TempFolder();
        string net = dir.Write("max3.json", ConvexProof.Tests.Nets.MaxOfThree), cert = dir.File("max3.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--quiet");
        Assert.Equal(0, r.Code);
        Assert.Contains("degenerate: 2 frontiers", r.Out);
        Assert.Contains("z3:         2 of 2 confirmed by z3", r.Out);

        var skipped = Cli.Invoke("certify", net, "--out", cert, "--quiet", "--no-smt");
        Assert.Contains("not asked (--no-smt)", skipped.Out);
    }
}

/// <summary>A limit that stops exploration after a violation: a refutation-only certificate the checker accepts.</summary>
public class RefutationOnlyCommandTests
{
    [Fact]
    public void LimitedRunThatFoundAViolationWritesACheckableRefutation()
    {
        using var dir = new TempFolder();
        string root = Repository.Root();
        string net = System.IO.Path.Combine(root, "certificates", "small_mlp_2d.json"), cert = dir.File("r.cert.json");
        var certify = Cli.Invoke("certify", net, "--out", cert, "--max-regions", "1", "--quiet");
        Assert.Equal(1, certify.Code);
        Assert.Contains("refutation rests on the counterexample alone", certify.Out);
        var check = Cli.Invoke("check", net, cert, "--quiet");
        Assert.Equal(0, check.Code);
        Assert.Contains("refutation only", check.Out);
    }
}
