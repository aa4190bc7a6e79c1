using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Every engine-produced certificate listed in certificates/manifest.json is accepted (with the
/// manifest's box as the expected domain and its verdict), and every generic forgery is rejected.
/// </summary>
public class EngineCertificateTests
{
    private static string Folder => Path.Combine(IndependenceTests.RepositoryRoot(), "certificates");

    /// <summary>The manifest's entries; a missing or empty manifest fails the test instead of checking nothing.</summary>
    public static List<(string Net, string Cert, string? Box, string Verdict)> Manifest()
    {
        string manifest = Path.Combine(Folder, "manifest.json");
        Assert.True(File.Exists(manifest), $"{manifest} is missing: it lists the committed example certificates these tests re-check");
        var entries = JsonNode.Parse(File.ReadAllText(manifest))!.AsArray()
            .Select(entry => (Path.Combine(Folder, entry!["net"]!.GetValue<string>()), Path.Combine(Folder, entry["cert"]!.GetValue<string>()),
                entry["box"]?.GetValue<string>(), entry["verdict"]!.GetValue<string>()))
            .ToList();
        Assert.NotEmpty(entries);
        return entries;
    }

    [Fact]
    public void EngineCertificatesAreAccepted()
    {
        foreach (var (net, cert, box, verdict) in Manifest())
        {
            var result = CertificateChecker.Check(net, cert, box);
            Assert.True(result.Valid, $"{cert}: {result.Reason}");
            Assert.Equal(verdict, result.Verdict);
        }
    }

    [Fact]
    public void EveryCertificateInTheFolderIsInTheManifest()
    {
        var listed = Manifest().Select(m => Path.GetFileName(m.Cert)).ToHashSet();
        foreach (var cert in Directory.GetFiles(Folder, "*.cert.json"))
            Assert.Contains(Path.GetFileName(cert), listed);
    }

    [Fact]
    public void ForgeriesOfEngineCertificatesAreRejected()
    {
        foreach (var (net, cert, _, _) in Manifest())
            foreach (var variant in GenericForgeries.For(net, cert))
            {
                var forged = variant.Run(net, cert);
                Assert.False(forged.Valid, $"{cert}: forgery '{variant.Name}' was accepted");
                foreach (var m in variant.Mentions)
                    Assert.True(forged.Reason!.Contains(m, StringComparison.OrdinalIgnoreCase), $"{cert}: forgery '{variant.Name}': reason '{forged.Reason}' does not mention '{m}'");
            }
    }
}
