using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Certificates for random networks on a line, written by <see cref="LineCertificates"/> (which uses
/// a literal backward pass for the condition values): all are accepted, and their forgeries rejected.
/// </summary>
public class RandomCertificateTests(ITestOutputHelper output)
{
    private static (string Net, string Cert) Write(JsonObject net, Rational lo, Rational hi, Random random)
    {
        string netPath = Fixture.Temp(net.ToJsonString());
        var cert = new LineCertificates(net, lo, hi, random).Certificate(CertificateChecker.NetworkSha256(netPath));
        return (netPath, Fixture.Temp(cert.ToJsonString()));
    }

    [Theory]
    [InlineData(new[] { 1, 3, 1 })]
    [InlineData(new[] { 1, 2, 2, 1 })]
    [InlineData(new[] { 1, 4, 3, 2, 1 })]
    public void RandomLineCertificatesAreAcceptedAndForgeriesRejected(int[] widths)
    {
        var random = new Random(widths.Sum());
        int convex = 0, notConvex = 0;
        for (int trial = 0; trial < 12; trial++)
        {
            var (net, cert) = Write(LineCertificates.RandomNet(random, widths), -4, 4, random);
            try
            {
                var result = CertificateChecker.Check(net, cert, "-4:4");
                Assert.True(result.Valid, $"trial {trial}: {result.Reason}");
                if (result.Verdict == "convex") convex++; else notConvex++;
                foreach (var variant in GenericForgeries.For(net, cert))
                {
                    var forged = variant.Run(net, cert);
                    Assert.False(forged.Valid, $"trial {trial}: forgery '{variant.Name}' was accepted");
                    foreach (var m in variant.Mentions)
                        Assert.True(forged.Reason!.Contains(m, StringComparison.OrdinalIgnoreCase), $"trial {trial}: '{variant.Name}': {forged.Reason}");
                }
            }
            finally { File.Delete(net); File.Delete(cert); }
        }
        output.WriteLine($"{convex} convex, {notConvex} not convex");
    }

    [Fact]
    public void LargeLineCertificateIsCheckedQuickly()
    {
        var random = new Random(5);
        var (net, cert) = Write(LineCertificates.RandomNet(random, [1, 64, 64, 64, 1], scale: 16), -16, 16, random);
        try
        {
            var clock = Stopwatch.StartNew();
            var result = CertificateChecker.Check(net, cert);
            Assert.True(result.Valid, result.Reason);
            var summary = Fixture.Load(cert)["summary"]!;
            output.WriteLine($"{summary.ToJsonString()}: {clock.Elapsed.TotalSeconds:F2} s");
            Assert.True(clock.Elapsed.TotalSeconds < 60);
        }
        finally { File.Delete(net); File.Delete(cert); }
    }
}
