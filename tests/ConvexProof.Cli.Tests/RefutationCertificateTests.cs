using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Regions;
using ConvexProof.Tests;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// The refutation-only policy (Engine/Certificates/RefutationCertificate): it applies to a refutation
/// whose exploration did not cover the domain, and rewriting a half-streamed file gives exactly the
/// certificate the writer makes from the result alone, which the checker accepts.
/// </summary>
public class RefutationCertificateTests
{
    [Fact]
    public void ARewrittenStreamIsTheRefutationOnlyCertificate()
    {
        var network = NetworkReader.Parse(System.Text.Encoding.UTF8.GetBytes(Nets.HingeGridWithOneConcaveLine), "grid.json");
        var domain = Domain.Everywhere(2);
        using var stream = new MemoryStream();
        string sha = NetworkHash.Sha256(network);
        var writer = new CertificateStreamWriter(stream, sha, domain);
        var result = Certifier.Certify(network, domain, new CertifyOptions { RegionSink = writer.Add, KeepRegions = false, StopAtFirstViolation = true, NetworkSha256 = sha });
        Assert.True(RefutationCertificate.Applies(result));
        Assert.True(stream.Length > 0 || result.Statistics.Regions > 0);
        writer.Discard();
        RefutationCertificate.Rewrite(result, stream);

        using var expected = new MemoryStream();
        CertificateWriter.Write(result, expected);
        Assert.Equal(expected.ToArray(), stream.ToArray());

        using var dir = new TempFolder();
        string net = dir.Write("grid.json", Nets.HingeGridWithOneConcaveLine), cert = dir.File("grid.cert.json");
        File.WriteAllBytes(cert, stream.ToArray());
        var check = Cli.Invoke("check", net, cert, "--quiet");
        Assert.Equal(0, check.Code);
        Assert.Contains("refutation only", check.Out);
    }

    [Fact]
    public void ItDoesNotApplyToACompleteExplorationOrAConvexNetwork()
    {
        var grid = NetworkReader.Parse(System.Text.Encoding.UTF8.GetBytes(Nets.HingeGridWithOneConcaveLine), "grid.json");
        var full = Certifier.Certify(grid, Domain.Everywhere(2));
        Assert.Equal(Verdict.NotConvex, full.Verdict);
        Assert.False(RefutationCertificate.Applies(full));
        var convex = Certifier.Certify(NetworkReader.Parse(System.Text.Encoding.UTF8.GetBytes(Nets.Icnn), "icnn.json"), Domain.Everywhere(2));
        Assert.False(RefutationCertificate.Applies(convex));
        Assert.Throws<InvalidOperationException>(() => RefutationCertificate.Rewrite(convex, new MemoryStream()));
    }
}
