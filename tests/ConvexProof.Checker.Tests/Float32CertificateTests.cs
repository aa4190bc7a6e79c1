using System.Numerics;
using System.Text.Json.Nodes;
using static ConvexProof.Checker.Tests.Fixture;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Certificates for float32 networks, where the checker's integer rows outgrow 64 bits. The networks
/// (Data/f32*.net.json) are 2→8→8→1 with PyTorch-style uniform(±1/√fan_in) weights and biases rounded
/// to float32 and written as exact hex floats (last layer non-negative; f32convex also has non-negative
/// second-layer weights, so it is convex); the certificates were written by the engine
/// (`convexproof certify NET --box -4:4`, and `--box -2:2` for f32notconvex). Every forgery below
/// changes a number by far less than any 64-bit or floating-point computation could notice.
/// </summary>
public class Float32CertificateTests
{
    public static TheoryData<string, string> Certificates => new() { { "f32convex", "convex" }, { "f32notconvex", "not_convex" } };

    /// <summary>2^-100: a change that only exact arithmetic sees.</summary>
    private static readonly Rational Tiny = new(BigInteger.One, BigInteger.One << 100);

    [Theory]
    [MemberData(nameof(Certificates))]
    public void Float32CertificateIsAccepted(string name, string verdict)
    {
        var result = Check(name);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(verdict, result.Verdict);
    }

    /// <summary>
    /// The output unit's scale σ = D_1·D_2·D_3 (the product of the layers' common denominators) is at
    /// least 2^64, so the output rows — and with them the conditions and most sign checks — cannot be
    /// held in 64 bits: these certificates exercise the wide integers.
    /// </summary>
    [Theory]
    [MemberData(nameof(Certificates))]
    public void TheMapsDoNotFitIn64Bits(string name, string verdict)
    {
        _ = verdict;
        BigInteger sigma = BigInteger.One;
        foreach (var layer in Load(Net(name))["layers"]!.AsArray())
        {
            BigInteger lcm = BigInteger.One;
            foreach (var node in layer!["weights"]!.AsArray().SelectMany(r => r!.AsArray()).Concat(layer["bias"]!.AsArray()))
            {
                string text = node!.GetValue<string>();
                Assert.StartsWith(text[0] == '-' ? "-0x" : "0x", text);
                Assert.True(NetNumber.TryParse(text, out var v, out _));
                lcm = lcm / BigInteger.GreatestCommonDivisor(lcm, v.Denominator) * v.Denominator;
            }
            sigma *= lcm;
        }
        Assert.True(sigma >= BigInteger.One << 64, $"σ = {sigma}");
    }

    [Theory]
    [MemberData(nameof(Certificates))]
    public void GenericForgeriesAreRejected(string name, string verdict)
    {
        _ = verdict;
        foreach (var variant in GenericForgeries.For(Net(name), Cert(name)))
        {
            var result = variant.Run(Net(name), Cert(name));
            Assert.False(result.Valid, $"forgery '{variant.Name}' was accepted");
            foreach (var m in variant.Mentions)
                Assert.True(result.Reason!.Contains(m, StringComparison.OrdinalIgnoreCase), $"forgery '{variant.Name}': '{result.Reason}' does not mention '{m}'");
        }
    }

    [Theory]
    [MemberData(nameof(Certificates))]
    public void WrongFarkasMultiplierIsRejected(string name, string verdict)
    {
        _ = verdict;
        var (r, i) = FirstRedundant(name);
        AssertInvalid(CheckMutated(name, c => Nudge(c.Region(r)["redundant"]![i]!["farkas"]![0]!.AsArray(), 1, Tiny)),
            $"region {r}", "redundant constraint", "Farkas combination");
        // Dropping a term leaves the identity unmet.
        AssertInvalid(CheckMutated(name, c => c.Region(r)["redundant"]![i]!["farkas"]!.AsArray().RemoveAt(0)),
            $"region {r}", "redundant constraint");
    }

    [Theory]
    [MemberData(nameof(Certificates))]
    public void WrongWitnessIsRejected(string name, string verdict)
    {
        _ = verdict;
        int r = FirstInnerFacetRegion(name, out int f);
        foreach (int axis in new[] { 0, 1 })
            AssertInvalid(CheckMutated(name, c => Nudge(c.Facet(r, f)["point"]!.AsArray(), axis, Tiny)),
                $"region {r} facet {f}", "not on the facet");
        // The interior point nudged by as little is still interior: this one must stay accepted.
        Assert.True(CheckMutated(name, c => Nudge(c.Region(r)["point"]!.AsArray(), 0, Tiny)).Valid);
    }

    [Theory]
    [MemberData(nameof(Certificates))]
    public void WrongConditionValueIsRejected(string name, string verdict)
    {
        _ = verdict;
        foreach (var change in new[] { Tiny, -Tiny })
            AssertInvalid(CheckMutated(name, c => Nudge(c["conditions"]![0]!.AsObject(), "value", change)),
                "conditions[0].value", "recomputed value");
    }

    [Theory]
    [MemberData(nameof(Certificates))]
    public void WrongNeighbourPatternIsRejected(string name, string verdict)
    {
        _ = verdict;
        int r = FirstInnerFacetRegion(name, out int f);
        // Swap the claimed neighbour for another region: its pattern is not the one beyond the facet.
        var cert = Load(Cert(name));
        int neighbour = cert.Facet(r, f)["neighbour"]!.GetValue<int>();
        int other = Enumerable.Range(0, cert["regions"]!.AsArray().Count).First(k => k != r && k != neighbour);
        AssertInvalid(CheckMutated(name, c => c.Facet(r, f)["neighbour"] = other), $"region {r} facet {f}");
    }

    private static (int Region, int Index) FirstRedundant(string name)
    {
        var regions = Load(Cert(name))["regions"]!.AsArray();
        for (int r = 0; r < regions.Count; r++)
            if (regions[r]!["redundant"]!.AsArray().Count > 0) return (r, 0);
        throw new InvalidOperationException("no redundant constraint");
    }

    private static int FirstInnerFacetRegion(string name, out int facet)
    {
        var regions = Load(Cert(name))["regions"]!.AsArray();
        for (int r = 0; r < regions.Count; r++)
        {
            var facets = regions[r]!["facets"]!.AsArray();
            for (int f = 0; f < facets.Count; f++)
                if (facets[f]!["neighbour"] is not null) { facet = f; return r; }
        }
        throw new InvalidOperationException("no inner facet");
    }

    /// <summary>A number of the certificate: canonical, or a Farkas multiplier over its list's denominator (not reduced).</summary>
    private static Rational Value(JsonNode node)
    {
        var parts = node.GetValue<string>().Split('/');
        return new Rational(System.Numerics.BigInteger.Parse(parts[0]), parts.Length > 1 ? System.Numerics.BigInteger.Parse(parts[1]) : 1);
    }

    private static void Nudge(JsonArray array, int index, Rational change) => array[index] = (Value(array[index]!) + change).ToString();

    private static void Nudge(JsonObject obj, string key, Rational change) => obj[key] = (Value(obj[key]!) + change).ToString();
}
