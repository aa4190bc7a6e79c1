using System.Text.Json;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// Which domain was proved: check states it (text and --json) and `--domain R^d` refuses a
/// convexity proof on a box; a box of equal intervals is printed as [lo, hi]^d everywhere.
/// </summary>
public class DomainTests
{
    private static JsonElement Json(Cli.Run r) => r.Json();

    /// <summary>The ICNN certified on [-1, 1]^2 and on R^2.</summary>
    private static (string Net, string Box, string All) CertifyOnBoxAndEverywhere(TempFolder dir)
    {
        string net = dir.Write("icnn.json", TestNets.Icnn), box = dir.File("box.cert.json"), all = dir.File("all.cert.json");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", box, "--box", "-1:1", "--quiet").Code);
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", all, "--quiet").Code);
        return (net, box, all);
    }

    [Fact]
    public void CheckStatesTheProvedDomain()
    {
        using var dir = new TempFolder();
        var (net, box, all) = CertifyOnBoxAndEverywhere(dir);

        var text = Cli.Invoke("check", net, box, "--quiet");
        Assert.Equal(0, text.Code);
        Assert.StartsWith("VALID: f is convex on the box [-1, 1]^2.", text.Out);
        var o = Json(Cli.Invoke("check", net, box, "--json"));
        Assert.Equal("[-1, 1]^2", o.GetProperty("domain").GetString());
        Assert.Equal("""[["-1","1"],["-1","1"]]""", o.GetProperty("box").GetRawText());
        Assert.Contains("on the box [-1, 1]^2", o.GetProperty("statement").GetString());

        var r = Json(Cli.Invoke("check", net, all, "--json"));
        Assert.Equal("R^2", r.GetProperty("domain").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("box").ValueKind);
    }

    [Fact]
    public void DomainRdRefusesAConvexityProofOnABox()
    {
        using var dir = new TempFolder();
        var (net, box, all) = CertifyOnBoxAndEverywhere(dir);

        var refused = Cli.Invoke("check", net, box, "--domain", "R^d", "--quiet");
        Assert.Equal(1, refused.Code);
        Assert.Equal("INVALID: the certificate proves convexity on the box [-1, 1]^2 only, not on all of R^2 (--domain R^d)",
            Assert.Single(refused.OutLines));
        var o = Json(Cli.Invoke("check", net, box, "--domain=R^d", "--json"));
        Assert.False(o.GetProperty("valid").GetBoolean());
        Assert.Equal(1, o.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, o.GetProperty("domain").ValueKind);
        Assert.Contains("not on all of R^2", o.GetProperty("reason").GetString());

        Assert.Equal(0, Cli.Invoke("check", net, all, "--domain", "R^d", "--quiet").Code);
        Cli.AssertOneLineError(Cli.Invoke("check", net, all, "--domain", "R^3"), "option --domain takes R^d");
        Cli.AssertOneLineError(Cli.Invoke("check", net, all, "--domain", "R^d", "--box", "-1:1"), "cannot be combined");
    }

    /// <summary>A counterexample in a box is one in R^d: a refutation on a box passes --domain R^d.</summary>
    [Fact]
    public void ARefutationOnABoxRefutesOnRd()
    {
        using var dir = new TempFolder();
        string net = dir.Write("neg.json", TestNets.NegRelu2D), cert = dir.File("neg.cert.json");
        Assert.Equal(1, Cli.Invoke("certify", net, "--out", cert, "--box", "-2:2", "--quiet").Code);
        var r = Cli.Invoke("check", net, cert, "--domain", "R^d", "--quiet");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("VALID: f is NOT convex on the box [-2, 2]^2", r.Out);
        Assert.Equal("not_convex", Json(Cli.Invoke("check", net, cert, "--json")).GetProperty("verdict").GetString());
    }

    [Fact]
    public void ABoxOfDifferentIntervalsListsThem()
    {
        using var dir = new TempFolder();
        string net = dir.Write("icnn.json", TestNets.Icnn), cert = dir.File("box.cert.json");
        var certify = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1,0:2", "--quiet");
        Assert.Contains("domain:     [-1, 1] × [0, 2]\n", certify.Out);
        Assert.Equal("[-1, 1] × [0, 2]", Json(Cli.Invoke("check", net, cert, "--json")).GetProperty("domain").GetString());
    }

    [Fact]
    public void CertifyPrintsA12DimensionalBoxShortly()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RobustnessTests.RandomNetwork(12, 2, 12, convexOutput: true)), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--quiet", "--timeout", "60");
        Assert.Equal(0, r.Code);
        Assert.Contains("domain:     [-1, 1]^12\n", r.Out);
        var check = Cli.Invoke("check", net, cert, "--quiet");
        Assert.StartsWith("VALID: f is convex on the box [-1, 1]^12.", check.Out);
    }

    [Fact]
    public void DomainText()
    {
        Rational[] Fill(int n, int v) => [.. Enumerable.Repeat(new Rational(v, 1), n)];
        Assert.Equal("R^3", Infrastructure.DomainText.Of(Domain.Everywhere(3)));
        Assert.Equal("[-1, 1]", Infrastructure.DomainText.Of(Domain.Box(Fill(1, -1), Fill(1, 1))));
        Assert.Equal("[-1, 1]^12", Infrastructure.DomainText.Of(Domain.Box(Fill(12, -1), Fill(12, 1))));
        Assert.Equal("[0, 1] × [0, 2]", Infrastructure.DomainText.OfBox(["0", "0"], ["1", "2"]));
        Assert.Equal("[-1/2, 3]^2", Infrastructure.DomainText.OfBox(["-1/2", "-1/2"], ["3", "3"]));
    }
}
