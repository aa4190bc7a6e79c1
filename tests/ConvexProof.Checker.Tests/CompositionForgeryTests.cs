using System.Text.Json.Nodes;
using static ConvexProof.Checker.Tests.Fixture;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Composition certificates (format /3, method "composition") and counterexamples for models with
/// quadratic parts, hand-computed: the checker re-derives every unit's rule from the exact weights,
/// and rejects a rule claimed where a weight is negative, a missing unit, a wrong rule, a concave
/// output quadratic, and CPWL certificates for a model with squares.
/// </summary>
public class CompositionForgeryTests
{
    /// <summary>
    /// d = 1. Layer 1: leaky (α = 1/5), squared: h = σ(x)², σ(1 − x)² (square_affine both). Layer 2:
    /// ReLU of h₁ + 2h₂ + ½x² (rectifier). Layer 3: <paramref name="outWeight"/>·h − x (nonneg_sum when
    /// the weight is ≥ 0). Output adds s/2·x² with s = <paramref name="s"/>.
    /// </summary>
    private static string Model(string outWeight = "3", string coefficient = "1/2", string s = "1", string alpha = "1/5", bool input = true) => $$"""
        { "input_dim": 1,
          "layers": [
            { "weights": [[1], [-1]], "bias": [0, 1], "activation": "leaky_relu", "alpha": "{{alpha}}", "square_output": true },
            { "weights": [[1, 2]], "bias": [0], "activation": "relu", "quadratic": [ { "unit": 0, "weights": [1], "coefficient": "{{coefficient}}" } ] },
            { "weights": [["{{outWeight}}"]], "bias": [0], "skip": [[-1]], "activation": "identity" } ]
          {{(input ? $", \"input_quadratic\": {{ \"s\": \"{s}\" }}" : "")}} }
        """;

    private static readonly string[][] Rules = [["square_affine", "square_affine"], ["rectifier"], ["nonneg_sum"]];

    private static JsonObject Certificate(string net, string[][]? rules = null, string? input = "psd")
    {
        var cert = new JsonObject
        {
            ["format"] = "convexproof-certificate/3",
            ["method"] = "composition",
            ["network_sha256"] = CertificateChecker.NetworkSha256(net),
            ["domain"] = null,
            ["verdict"] = "convex",
            ["rules"] = new JsonArray([.. (rules ?? Rules).Select(l => new JsonArray([.. l.Select(r => (JsonNode)JsonValue.Create(r)!)]))]),
        };
        if (input is not null) cert["input_quadratic"] = input;
        return cert;
    }

    private static CheckResult CheckCert(string netText, Func<string, JsonObject> certificate)
    {
        string net = Temp(netText), cert = "";
        try
        {
            cert = Temp(certificate(net).ToJsonString());
            return CertificateChecker.Check(net, cert);
        }
        finally
        {
            File.Delete(net);
            if (cert != "") File.Delete(cert);
        }
    }

    [Fact]
    public void TheRulesOfAClippedModelAreAccepted()
    {
        var result = CheckCert(Model(), net => Certificate(net));
        Assert.True(result.Valid, result.Reason);
        Assert.Contains("f is convex on R^1", result.Statement);
        Assert.Contains("composition rules", result.Statement);
    }

    [Fact]
    public void ARuleClaimedWhereAWeightIsNegativeIsRejected() =>
        AssertInvalid(CheckCert(Model(outWeight: "-3"), net => Certificate(net)), "$.rules[2][0]", "layer 3 unit 1", "weight -3 on unit 1", "negative");

    [Fact]
    public void AMissingUnitIsRejected() =>
        AssertInvalid(CheckCert(Model(), net => Certificate(net, [["square_affine"], ["rectifier"], ["nonneg_sum"]])), "$.rules[0]", "has 1 rules", "2 units");

    [Fact]
    public void AMissingLayerIsRejected() =>
        AssertInvalid(CheckCert(Model(), net => Certificate(net, [["square_affine", "square_affine"], ["rectifier"]])), "$.rules", "3 layers");

    [Fact]
    public void AWrongRuleIsRejected()
    {
        AssertInvalid(CheckCert(Model(), net => Certificate(net, [["rectifier", "square_affine"], ["rectifier"], ["nonneg_sum"]])),
            "layer 1 unit 1", "claims \"rectifier\"", "\"square_affine\"");
        // "affine" for the output would let a later layer use it with a negative weight.
        AssertInvalid(CheckCert(Model(), net => Certificate(net, [["square_affine", "square_affine"], ["rectifier"], ["affine"]])), "layer 3 unit 1", "\"nonneg_sum\"");
    }

    [Fact]
    public void ANegativeQuadraticCoefficientIsRejected() =>
        AssertInvalid(CheckCert(Model(coefficient: "-1/2"), net => Certificate(net)), "layer 2 unit 1", "coefficient -1/2");

    [Fact]
    public void TheSquareOfALeakyConvexUnitHasNoRule()
    {
        // Layer 2's pre-activation is convex, not affine; squaring a leaky ReLU of it is not a rule.
        string model = Model().Replace("\"activation\": \"relu\",", "\"activation\": \"leaky_relu\", \"alpha\": \"1/2\", \"square_output\": true,", StringComparison.Ordinal);
        AssertInvalid(CheckCert(model, net => Certificate(net, [["square_affine", "square_affine"], ["square_relu"], ["nonneg_sum"]])), "layer 2 unit 1", "leaky ReLU or identity");
        // With a ReLU (α = 0) the square of a convex pre-activation is convex: square_relu.
        string relu = Model().Replace("\"activation\": \"relu\",", "\"activation\": \"relu\", \"square_output\": true,", StringComparison.Ordinal);
        var result = CheckCert(relu, net => Certificate(net, [["square_affine", "square_affine"], ["square_relu"], ["nonneg_sum"]]));
        Assert.True(result.Valid, result.Reason);
    }

    [Fact]
    public void TheOutputQuadraticMustBePsdAndClaimed()
    {
        AssertInvalid(CheckCert(Model(s: "-1"), net => Certificate(net)), "$.input_quadratic", "s = -1");
        AssertInvalid(CheckCert(Model(), net => Certificate(net, input: null)), "$.input_quadratic", "required");
        AssertInvalid(CheckCert(Model(input: false), net => Certificate(net)), "$.input_quadratic", "must be absent");
    }

    [Fact]
    public void HeaderForgeriesAreRejected()
    {
        AssertInvalid(CheckCert(Model(), net => Certificate(net) is var c && (c["verdict"] = "not_convex") is not null ? c : c), "$.verdict");
        AssertInvalid(CheckCert(Model(), net => Certificate(net) is var c && (c["method"] = "regions") is not null ? c : c), "$.method");
        // The hash binds the quadratic parts: the certificate of the model with s = 1 is not one for s = 2.
        string other = Temp(Model(s: "2"));
        try
        {
            AssertInvalid(CheckCert(Model(), _ => Certificate(other)), "$.network_sha256", "another network");
        }
        finally { File.Delete(other); }
    }

    [Fact]
    public void SparseEntriesReadAsTheSameModel()
    {
        string dense = Temp(Model()), sparse = Temp(Model().Replace("\"weights\": [1], \"coefficient\"", "\"entries\": [[0, 1]], \"coefficient\"", StringComparison.Ordinal));
        string bad = Temp(Model().Replace("\"weights\": [1], \"coefficient\"", "\"entries\": [[1, 1]], \"coefficient\"", StringComparison.Ordinal));
        try
        {
            Assert.Equal(CertificateChecker.NetworkSha256(dense), CertificateChecker.NetworkSha256(sparse));
            var e = Assert.Throws<CheckerInputException>(() => CertificateChecker.NetworkSha256(bad));
            Assert.Contains("$.layers[1].quadratic[0].entries[0][0]", e.Message);
        }
        finally
        {
            File.Delete(dense);
            File.Delete(sparse);
            File.Delete(bad);
        }
    }

    /// <summary>The model with output weight −3 (not convex): f(0) = −6, f(2) = −456/25, f(1) = −5, by hand.</summary>
    private static JsonObject Counterexample(string fmid = "-5") => new()
    {
        ["format"] = "convexproof-certificate/1",
        ["domain"] = null,
        ["regions"] = new JsonArray(),
        ["conditions"] = new JsonArray(),
        ["verdict"] = "not_convex",
        ["summary"] = JsonNode.Parse("""{ "neurons": 3, "regions": 0, "facets": 0, "boundary_facets": 0, "redundant": 0, "flat": 0, "dismissed": 0, "conditions": 0, "violations": 0, "degenerate_facets": 0 }"""),
        ["counterexample"] = new JsonObject { ["x"] = new JsonArray("0"), ["y"] = new JsonArray("2"), ["fx"] = "-6", ["fy"] = "-456/25", ["fmid"] = fmid },
    };

    private static JsonObject WithHash(JsonObject cert, string net)
    {
        cert["network_sha256"] = CertificateChecker.NetworkSha256(net);
        return cert;
    }

    [Fact]
    public void ACounterexampleIsEvaluatedWithEveryQuadraticPart()
    {
        var result = CheckCert(Model(outWeight: "-3"), net => WithHash(Counterexample(), net));
        Assert.True(result.Valid, result.Reason);
        Assert.Contains("NOT convex", result.Statement);
        AssertInvalid(CheckCert(Model(outWeight: "-3"), net => WithHash(Counterexample("-4"), net)), "$.counterexample.fmid", "the network gives -5");
        // On the convex model the same points are no violation (f(1) = 5 ≤ (f(0)+f(2))/2).
        AssertInvalid(CheckCert(Model(), net => WithHash(Counterexample(), net) is var c && c["counterexample"]!.AsObject().Remove("fx") && c["counterexample"]!.AsObject().Remove("fy")
            && c["counterexample"]!.AsObject().Remove("fmid") ? c : c), "is not above");
    }

    [Fact]
    public void RegionCertificatesDoNotApplyToModelsWithSquares()
    {
        var regions = Counterexample();
        regions["verdict"] = "convex";
        regions.Remove("counterexample");
        regions["regions"] = JsonNode.Parse("""[ { "pattern": "111", "point": ["1"], "facets": [], "redundant": [], "flat": [] } ]""");
        AssertInvalid(CheckCert(Model(), net => WithHash(regions, net)), "quadratic parts", "not piecewise linear");
    }
}
