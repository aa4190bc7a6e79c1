using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Every engine-produced certificate listed in certificates/manifest.json is accepted (with the
/// manifest's box as the expected domain and its verdict), and every generic forgery is rejected.
/// </summary>
public class EngineCertificateTests
{
    public static IEnumerable<(string Net, string Cert, string? Box, string Verdict)> Manifest()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ConvexProof.sln"))) dir = Path.GetDirectoryName(dir);
        string folder = Path.Combine(dir!, "certificates");
        string manifest = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifest)) yield break;
        foreach (var entry in JsonNode.Parse(File.ReadAllText(manifest))!.AsArray())
            yield return (Path.Combine(folder, entry!["net"]!.GetValue<string>()), Path.Combine(folder, entry["cert"]!.GetValue<string>()),
                entry["box"]?.GetValue<string>(), entry["verdict"]!.GetValue<string>());
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
        string? folder = Manifest().Select(m => Path.GetDirectoryName(m.Cert)).FirstOrDefault();
        if (folder is null) return;
        foreach (var cert in Directory.GetFiles(folder, "*.cert.json"))
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
