using System.Numerics;
using System.Text.Json.Nodes;
using static ConvexProof.Checker.Tests.Fixture;

namespace ConvexProof.Checker.Tests;

/// <summary>Forged variants of the hand-computed certificates: each is rejected for the right reason.</summary>
public class ForgeryTests
{
    public static TheoryData<string> Fixtures => new() { "abs", "linear", "relu", "negrelu", "deep", "flat", "box2d" };

    private static string Data(string file) => Fixture.Data(file);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void GenericForgeriesAreRejected(string name)
    {
        foreach (var variant in GenericForgeries.For(Net(name), Cert(name)))
        {
            var result = variant.Run(Net(name), Cert(name));
            Assert.False(result.Valid, $"forgery '{variant.Name}' was accepted");
            foreach (var m in variant.Mentions)
                Assert.True(result.Reason!.Contains(m, StringComparison.OrdinalIgnoreCase), $"forgery '{variant.Name}': '{result.Reason}' does not mention '{m}'");
        }
    }

    [Fact]
    public void DroppedRegionIsRejected()
    {
        AssertInvalid(CheckMutated("box2d", c => c["regions"]!.AsArray().RemoveAt(3)), "neighbour");
        // Dropping it and declaring the facets towards it boundary facets does not help either.
        AssertInvalid(CheckMutated("box2d", c =>
        {
            c["regions"]!.AsArray().RemoveAt(3);
            foreach (var (r, f) in new[] { (1, 1), (2, 0) })
            {
                c.Facet(r, f).Remove("neighbour");
                c.Facet(r, f)["boundary"] = true;
            }
        }), "region 1 facet 1", "no box face vanishes");
    }

    [Fact]
    public void DroppedFacetIsRejected()
    {
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["facets"]!.AsArray().RemoveAt(0)), "region 0", "uses constraint 0", "not a facet");
        AssertInvalid(CheckMutated("relu", c => c.Region(0)["facets"]!.AsArray().RemoveAt(0)), "region 0", "constraint 0", "none of", "cannot be dismissed");
        // ...and calling it redundant needs multipliers that do not exist.
        AssertInvalid(CheckMutated("box2d", c =>
        {
            c.Region(0)["facets"]!.AsArray().RemoveAt(0);
            c.Region(0)["redundant"]!.AsArray().Insert(0, JsonNode.Parse("""{"c": 0, "farkas": [[1, "1"]]}"""));
        }), "region 0", "redundant constraint 0");
    }

    [Fact]
    public void DroppedOrChangedConditionIsRejected()
    {
        AssertInvalid(CheckMutated("box2d", c => c["conditions"]!.AsArray().RemoveAt(1)), "no entry for neuron 1");
        AssertInvalid(CheckMutated("box2d", c => c["conditions"]![0]!["value"] = "2"), "conditions[0].value", "recomputed value", "is 1");
        AssertInvalid(CheckMutated("deep", c => c["conditions"]![0]!["downstream"] = "1"), "neuron 0", "does not switch alone");
        AssertInvalid(CheckMutated("deep", c => c["conditions"]![0]!["region"] = 1), "first region", "is 0");
        AssertInvalid(CheckMutated("deep", c =>
        {
            var list = c["conditions"]!.AsArray();
            var first = list[0]!;
            list.RemoveAt(0);
            list.Add(first);
        }), "sorted");
        AssertInvalid(CheckMutated("box2d", c => c["conditions"]![0]!["point"] = Points("0", "1/4")), "conditions[0].point", "witness");
    }

    [Fact]
    public void MovedWitnessIsRejected()
    {
        AssertInvalid(CheckMutated("box2d", c => c.Facet(0, 0)["point"] = Points("1/10", "1/2")), "region 0 facet 0", "not on the facet", "1/10");
        AssertInvalid(CheckMutated("box2d", c => c.Facet(0, 0)["point"] = Points("0", "2")), "region 0 facet 0", "outside the region", "constraint 5");
        // At the corner (0, 0) a second, non-proportional constraint vanishes: the face would be a vertex.
        AssertInvalid(CheckMutated("box2d", c => c.Facet(0, 0)["point"] = Points("0", "0")), "facet constraint 1", "not a positive multiple");
    }

    [Fact]
    public void MovedInteriorPointIsRejected()
    {
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["point"] = Points("-1/2", "1/2")), "region 0", "not interior", "constraint 0", "-1/2");
        AssertInvalid(CheckMutated("box2d", c => c.Region(1)["point"] = Points("-2", "1/2")), "region 1", "constraint 2");
        AssertInvalid(CheckMutated("relu", c => c.Region(0)["point"] = Points("0")), "region 0", "not interior");
    }

    [Fact]
    public void PerturbedNetworkIsRejected()
    {
        var net = Load(Net("box2d"));
        net["layers"]![0]!["weights"]![0]![0] = "1001/1000";
        string temp = Temp(net.ToJsonString());
        try
        {
            AssertInvalid(CertificateChecker.Check(temp, Cert("box2d")), "network_sha256", "another network");
            // Even with the hash updated, the exact geometry no longer fits.
            string sha = CertificateChecker.NetworkSha256(temp);
            AssertInvalid(CheckMutated(temp, Cert("box2d"), c => c["network_sha256"] = sha), "region 0", "redundant constraint 2");
        }
        finally { File.Delete(temp); }
    }

    [Fact]
    public void NonConvexNetworkCannotBeCertifiedConvex()
    {
        AssertInvalid(CheckMutated("negrelu", c => { c["verdict"] = "convex"; c.Remove("counterexample"); }), "verdict", "negative", "value -1");
        AssertInvalid(CheckMutated("negrelu", c =>
        {
            c["verdict"] = "convex";
            c.Remove("counterexample");
            c["conditions"]![0]!["value"] = "1";
        }), "value", "recomputed value", "-1");
        // Hiding the violating facet as a boundary facet is caught by the geometry.
        AssertInvalid(CheckMutated("negrelu", c => { c.Facet(0, 0).Remove("neighbour"); c.Facet(0, 0)["boundary"] = true; }), "no box face vanishes");
    }

    [Fact]
    public void CounterexampleIsRecomputed()
    {
        AssertInvalid(CheckMutated("negrelu", c => c["counterexample"]!["y"] = Points("-1")), "same point");
        AssertInvalid(CheckMutated("negrelu", c => c["counterexample"]!["x"] = Points("2")), "fx", "network gives -2");
        AssertInvalid(CheckMutated("negrelu", c =>
        {
            c["counterexample"] = JsonNode.Parse("""{"x": ["1"], "y": ["2"]}""");
        }), "not above");
        AssertInvalid(CheckMutated("negrelu", c => c["counterexample"]!["fmid"] = "1"), "fmid");
        Assert.True(CheckMutated("negrelu", c => c["counterexample"] = JsonNode.Parse("""{"x": ["-3"], "y": ["1/2"]}""")).Valid);
        // On a box, the points must lie in the domain.
        AssertInvalid(CheckMutated("box2d", c =>
        {
            c["verdict"] = "not_convex";
            c["counterexample"] = JsonNode.Parse("""{"x": ["-3", "0"], "y": ["1", "0"]}""");
        }), "verdict");
    }

    [Fact]
    public void FlippedVerdictIsRejected()
    {
        AssertInvalid(CheckMutated("relu", c => c["verdict"] = "not_convex"), "counterexample", "required");
        AssertInvalid(CheckMutated("relu", c =>
        {
            c["verdict"] = "not_convex";
            c["counterexample"] = JsonNode.Parse("""{"x": ["-1"], "y": ["1"]}""");
        }), "verdict", "no condition value");
        AssertInvalid(CheckMutated("negrelu", c => c["verdict"] = "convex"), "counterexample", "absent");
        AssertInvalid(CheckMutated("relu", c => c["verdict"] = "maybe"), "verdict");
    }

    [Fact]
    public void TruncatedOrMalformedFileIsInvalidNotAnInputError()
    {
        string text = File.ReadAllText(Cert("box2d"));
        foreach (int cut in new[] { 0, 1, text.Length / 3, text.Length - 3 })
        {
            string temp = Temp(text[..cut]);
            try { AssertInvalid(CertificateChecker.Check(Net("box2d"), temp), "JSON"); }
            finally { File.Delete(temp); }
        }
        AssertInvalid(CheckMutated("relu", c => c.Remove("summary")), "summary", "missing");
        AssertInvalid(CheckMutated("relu", c => c["extra"] = 1), "unknown key");
        AssertInvalid(CheckMutated("relu", c => c.Facet(0, 0)["neighbour"] = "1"), "neighbour", "whole number");
        AssertInvalid(CheckMutated("relu", c => c["regions"] = new JsonArray()), "at least one region");
        AssertInvalid(CheckMutated("relu", c => c["format"] = "convexproof-certificate/2"), "format");
        AssertInvalid(CheckMutated("relu", c => c.Region(0)["pattern"] = "10"), "pattern", "characters");
        AssertInvalid(CheckMutated("relu", c => c.Region(0)["pattern"] = "x"), "pattern");
    }

    [Fact]
    public void WrongHashIsRejected() =>
        AssertInvalid(CheckMutated("abs", c => c["network_sha256"] = CertificateChecker.NetworkSha256(Net("linear"))), "network_sha256");

    [Theory]
    [InlineData("2/4")]
    [InlineData("1/1")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("1/-2")]
    [InlineData("0/3")]
    [InlineData(" 1")]
    public void NonCanonicalNumberIsRejected(string spelling)
    {
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["point"] = Points(spelling, "1/2")), "regions[0].point[0]", "canonical");
        AssertInvalid(CheckMutated("box2d", c => c["conditions"]![0]!["value"] = spelling), "canonical");
    }

    [Fact]
    public void DegenerateFacetsAreChecked()
    {
        AssertInvalid(CheckMutated("abs", c => c.Facet(0, 0)["degenerate"]!["jump"] = "3"), "degenerate.jump", "is 2");
        AssertInvalid(CheckMutated("abs", c => c.Facet(0, 0).Remove("degenerate")), "switches 2 units", "degenerate");
        AssertInvalid(CheckMutated("abs", c => c.Facet(0, 0)["degenerate"]!["neurons"] = new JsonArray(0)), "units that switch are [0, 1]");
        AssertInvalid(CheckMutated("relu", c => c.Facet(0, 0)["degenerate"] = JsonNode.Parse("""{"neurons": [0], "jump": "1"}""")), "only unit 0 switches");
    }

    [Fact]
    public void NeighbourMustBeTheRegionBeyondTheFacet()
    {
        AssertInvalid(CheckMutated("box2d", c => c.Facet(0, 0)["neighbour"] = 3), "region 0 facet 0", "unit 1", "cannot switch");
        AssertInvalid(CheckMutated("box2d", c => c.Facet(0, 0)["neighbour"] = 0), "regions[0].pattern is not the activation pattern", "unit 0");
        // Swapping patterns: region 1 claims the pattern of the opposite quadrant.
        AssertInvalid(CheckMutated("box2d", c => { c.Region(1)["pattern"] = "00"; c.Region(3)["pattern"] = "01"; }), "region 0 facet 0");
        // A boundary facet must say so, and an inner one must not.
        AssertInvalid(CheckMutated("box2d", c => { c.Facet(0, 2).Remove("boundary"); c.Facet(0, 2)["neighbour"] = 1; }), "must say \"boundary\": true");
        AssertInvalid(CheckMutated("box2d", c => c.Facet(0, 0)["boundary"] = true), "exactly one of");
        AssertInvalid(CheckMutated("box2d", c => c.Region(3)["pattern"] = "11"), "same as the pattern of region 0");
    }

    /// <summary>
    /// A Farkas multiplier is any fraction p/q &gt; 0 (formats.md: lists are written over their least
    /// common denominator, so μ_j/D need not be reduced): the same values spelled over a larger
    /// denominator are still a proof; zero, negative, zero-denominator and non-integer spellings are not.
    /// </summary>
    [Fact]
    public void FarkasMultipliersAreFractionsOverAnyDenominator()
    {
        static void OverSevenTimes(JsonObject c)
        {
            foreach (var region in c["regions"]!.AsArray())
                foreach (var redundant in region!["redundant"]!.AsArray())
                    foreach (var term in redundant!["farkas"]!.AsArray())
                    {
                        var parts = term![1]!.GetValue<string>().Split('/');
                        term[1] = $"{BigInteger.Parse(parts[0]) * 7}/{(parts.Length > 1 ? BigInteger.Parse(parts[1]) : 1) * 7}";
                    }
        }
        foreach (var name in new[] { "box2d", "deep" })
        {
            var result = CheckMutated(name, OverSevenTimes);
            Assert.True(result.Valid, result.Reason);
        }
        foreach (var spelling in new[] { "0/7", "-1/3", "1/0", "1/-2", "01/2", "1/02", "1.5", "" })
            AssertInvalid(CheckMutated("box2d", c => c.Region(0)["redundant"]![0]!["farkas"]![0]![1] = spelling), "redundant[0].farkas[0][1]", "multiplier");
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["redundant"]![0]!["farkas"]![0]![1] = 1), "multiplier");
        // 2/2 is the value 1 spelled unreduced: accepted exactly when 1 is.
        Assert.True(CheckMutated("box2d", c => c.Region(0)["redundant"]![0]!["farkas"]![0]![1] = "2/2").Valid);
    }

    [Fact]
    public void RedundantAndFlatConstraintsAreChecked()
    {
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["redundant"]![0]!["farkas"]![0]![1] = "2"), "redundant constraint 2", "gradient coefficient 0");
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["redundant"]![0]!["farkas"]![0]![1] = "0"), "multiplier", "> 0");
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["redundant"]![0]!["farkas"]![0]![0] = 4), "not a facet");
        AssertInvalid(CheckMutated("deep", c => c.Region(2)["redundant"]![0]!["farkas"] = JsonNode.Parse("""[[1, "1"], [1, "1"]]""")), "gradient coefficient");
        AssertInvalid(CheckMutated("flat", c => { c.Region(1)["flat"] = new JsonArray(); c.Region(1)["redundant"] = JsonNode.Parse("""[{"c": 1, "farkas": []}]"""); }), "identically zero", "flat");
        AssertInvalid(CheckMutated("flat", c => { c.Region(0)["flat"] = new JsonArray(1); c.Region(0)["redundant"] = new JsonArray(); }), "flat unit 1");
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["flat"] = new JsonArray(2)), "listed twice");
        AssertInvalid(CheckMutated("box2d", c => c.Region(0)["flat"] = new JsonArray(6)), "flat[0]", "from 0 to 5");
    }

    [Fact]
    public void SummaryIsRecomputed()
    {
        AssertInvalid(CheckMutated("box2d", c => c["summary"]!["regions"] = 5), "summary.regions", "has 4");
        AssertInvalid(CheckMutated("box2d", c => c["summary"]!["boundary_facets"] = 7), "boundary_facets", "has 8");
        AssertInvalid(CheckMutated("negrelu", c => c["summary"]!["violations"] = 0), "violations", "has 1");
    }

    [Fact]
    public void BoundsAndDismissedConstraintsAreChecked()
    {
        string net = Net("box2d"), cert = Data("box2d.bounds.cert.json");
        var valid = CertificateChecker.Check(net, cert);
        Assert.True(valid.Valid, valid.Reason);
        Assert.Contains("2 dismissed", valid.Statement);
        // A bound tighter than the region: its Farkas slack is negative.
        AssertInvalid(CheckMutated(net, cert, c => c.Region(0)["bounds"]![0]![0] = "1/2"), "region 0", "lower bound on x_0", "slack is -1/2");
        // A looser bound is true, but then a dismissed constraint can go negative on the box.
        AssertInvalid(CheckMutated(net, cert, c => c.Region(0)["bounds"]![0]![0] = "-2"), "constraint 2", "minimum over the bounds is -1 < 0");
        // Without the bound on that side, the constraint cannot be dismissed.
        AssertInvalid(CheckMutated(net, cert, c => { c.Region(0)["bounds"]![0]![0] = null; c.Region(0)["bounds_farkas"]![0]![0] = null; }),
            "constraint 2", "cannot be dismissed", "no lower bound on x_0");
        AssertInvalid(CheckMutated(net, cert, c => c.Region(0)["bounds_farkas"]![0]![0] = null), "bounds[0][0]", "present exactly when");
        AssertInvalid(CheckMutated(net, cert, c => c.Region(0).Remove("bounds_farkas")), "come together");
        AssertInvalid(CheckMutated(net, cert, c => c.Region(0)["bounds_farkas"]![1]![1] = JsonNode.Parse("""[[5, "2"]]""")), "upper bound on x_1", "gradient coefficient 1");
        AssertInvalid(CheckMutated(net, cert, c => c["summary"]!["dismissed"] = 0), "summary.dismissed", "has 2");
    }
}
