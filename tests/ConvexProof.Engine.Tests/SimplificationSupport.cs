using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Simplification;

namespace ConvexProof.Tests;

/// <summary>What every simplification test asserts: the checker accepts the certificate, and f = g at sampled points.</summary>
internal static class SimplificationSupport
{
    /// <summary>The independent checker's verdict on the result's certificate (files written to a temporary folder).</summary>
    public static Checker.CheckResult Check(SimplificationResult result, string? certificate = null)
    {
        string folder = Path.Combine(Path.GetTempPath(), "convexproof-simplify-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            string net = Path.Combine(folder, "net.json"), net2 = Path.Combine(folder, "net2.json"), cert = Path.Combine(folder, "cert.json");
            File.WriteAllText(net, NetworkWriter.ToJson(result.Original));
            File.WriteAllText(net2, NetworkWriter.ToJson(result.Result));
            File.WriteAllText(cert, certificate ?? EquivalenceCertificateWriter.ToJson(result));
            return Checker.EquivalenceChecker.Check(net, net2, cert);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Accepted by the checker and equal at 200 seeded points of the domain (|x| ≤ 20 on R^d), compared exactly.</summary>
    public static void AssertEquivalent(SimplificationResult result, int seed = 1)
    {
        var check = Check(result);
        Assert.True(check.Valid, check.Reason);
        var random = new Random(seed);
        int d = result.Original.InputDim;
        for (int i = 0; i < 200; i++)
        {
            var x = new Rational[d];
            for (int j = 0; j < d; j++)
            {
                var (lo, hi) = result.Domain.IsBox ? (result.Domain.Lower![j], result.Domain.Upper![j]) : ((Rational)(-20), (Rational)(20));
                x[j] = lo + (hi - lo) * new Rational(random.Next(0, 1001), 1000);
            }
            Assert.Equal(result.Original.Evaluate(x), result.Result.Evaluate(x));
        }
    }

    public static int[] Widths(Network network) => [.. network.Layers.Select(l => l.Outputs)];

    public static SimplificationResult Simplify(string json, Domain? domain = null)
    {
        var network = Nets.Parse(json);
        return Simplifier.Simplify(network, domain ?? Domain.Everywhere(network.InputDim));
    }
}
