using System.Text.Json;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// The examples in certificates/: certify reproduces each committed certificate byte for byte
/// (determinism, and a regression test of the whole engine) with the verdict the manifest states.
/// </summary>
public class ExampleCertificateTests
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConvexProof.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static IEnumerable<object[]> Manifest()
    {
        var folder = Path.Combine(RepositoryRoot(), "certificates");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        foreach (var e in doc.RootElement.EnumerateArray())
            yield return [e.GetProperty("net").GetString()!, e.GetProperty("box").GetString() ?? "", e.GetProperty("cert").GetString()!, e.GetProperty("verdict").GetString()!];
    }

    [Theory]
    [MemberData(nameof(Manifest))]
    public void CertifyReproducesTheCommittedCertificate(string net, string box, string cert, string verdict)
    {
        var folder = Path.Combine(RepositoryRoot(), "certificates");
        var network = NetworkReader.ReadFile(Path.Combine(folder, net));
        var domain = box.Length == 0 ? Domain.Everywhere(network.InputDim) : ParseBox(box, network.InputDim);
        var result = Certifier.Certify(network, domain);
        Assert.Equal(verdict, result.Verdict == Verdict.Convex ? "convex" : "not_convex");
        using var stream = new MemoryStream();
        CertificateWriter.Write(result, stream);
        var expected = File.ReadAllBytes(Path.Combine(folder, cert));
        Assert.True(expected.AsSpan().SequenceEqual(stream.ToArray()),
            $"{cert} differs from what certify writes now (run certificates/regenerate.sh if the change is intended)");
    }

    internal static Domain ParseBox(string text, int d)
    {
        var parts = text.Split(',');
        var lo = new Rational[d];
        var hi = new Rational[d];
        for (int i = 0; i < d; i++)
        {
            var b = parts[parts.Length == 1 ? 0 : i].Split(':');
            Assert.True(ExactNumberParser.TryParse(b[0], out lo[i], out _));
            Assert.True(ExactNumberParser.TryParse(b[1], out hi[i], out _));
        }
        return Domain.Box(lo, hi);
    }
}
