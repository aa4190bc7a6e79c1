using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// The rational implementation of the facet search (<see cref="Regions.RationalFacetFinder"/>), which
/// certify otherwise reaches only when a region's integer maps overflow, run on purpose
/// (<see cref="CertifyOptions.RationalOnly"/>): same verdict and same regions and facets as the
/// integer path, and a certificate the trusted checker accepts.
/// </summary>
public class RationalPathTests
{
    public static IEnumerable<object[]> Cases()
    {
        var folder = Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates");
        foreach (var example in ExampleCertificateTests.Manifest()) // net, box, cert, verdict
            yield return [File.ReadAllText(Path.Combine(folder, (string)example[0])), example[1], example[3]];
        // Many regions, a concave line through some of them, on a box.
        yield return [Nets.HingeGridWithOneConcaveLine, "-6:6", "not_convex"];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheRationalPathDecidesAsTheIntegerPathAndItsCertificateChecks(string json, string box, string verdict)
    {
        var network = Nets.Parse(json);
        var domain = box.Length == 0 ? Domain.Everywhere(network.InputDim) : ExampleCertificateTests.ParseBox(box, network.InputDim);
        var rational = Certifier.Certify(network, domain, new CertifyOptions { RationalOnly = true });
        var integer = Certifier.Certify(network, domain);

        Assert.Equal(verdict, rational.Verdict == Verdict.Convex ? "convex" : rational.Verdict == Verdict.NotConvex ? "not_convex" : "undecided");
        // The rational path proves no bounding boxes (the integer path does, on a box): it really ran.
        Assert.All(rational.Regions, r => Assert.True(r.Geometry.Bounds is null && r.Geometry.Dismissed == 0));
        if (box.Length > 0) Assert.Contains(integer.Regions, r => r.Geometry.Bounds is not null);
        // Facets are unique, so both paths find the same ones and number the regions alike
        // (witness points may differ: each path simplifies its own crossing points).
        Assert.Equal(integer.Regions.Select(r => r.Pattern), rational.Regions.Select(r => r.Pattern));
        Assert.Equal(integer.Regions.Select(Facets), rational.Regions.Select(Facets));
        Assert.Equal(integer.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)), rational.Conditions.Select(c => (c.Neuron, c.Downstream, c.Value)));

        var dir = Directory.CreateTempSubdirectory("convexproof-rational-");
        try
        {
            var net = Path.Combine(dir.FullName, "net.json");
            var cert = Path.Combine(dir.FullName, "cert.json");
            File.WriteAllText(net, json);
            using (var stream = File.Create(cert)) CertificateWriter.Write(rational, stream);
            var check = Checker.CertificateChecker.Check(net, cert, box.Length == 0 ? null : box);
            Assert.True(check.Valid, check.Reason);
            Assert.Equal(verdict, check.Verdict);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Facets(Regions.ExploredRegion region) => string.Join(",", region.Facets.Select(f => f.Facet.Constraint));
}
