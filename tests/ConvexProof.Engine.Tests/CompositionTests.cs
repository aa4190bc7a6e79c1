using System.Text;
using ConvexProof.Composition;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using CertificateChecker = ConvexProof.Checker.CertificateChecker;

namespace ConvexProof.Tests;

/// <summary>
/// Composition models (docs/formats.md, "Composition models"): exact evaluation by hand, the hash
/// (plain networks keep theirs; the engine's and the checker's agree), the rule table on both
/// families, and certify's three outcomes, each certificate re-checked by the independent checker.
/// </summary>
public class CompositionTests
{
    private static Rational R(long p, long q = 1) => new(p, q);

    private static CompositionNetwork Parse(string json) => CompositionReader.Parse(Encoding.UTF8.GetBytes(json), "model.json");

    /// <summary>f = 3·relu(σ(x)² + 2σ(1−x)² + ½x²) − x + ½x², σ leaky with α = 1/5 (the checker tests use it too).</summary>
    private const string HandModel = """
        { "input_dim": 1,
          "layers": [
            { "weights": [[1], [-1]], "bias": [0, 1], "activation": "leaky_relu", "alpha": "1/5", "square_output": true },
            { "weights": [[1, 2]], "bias": [0], "activation": "relu", "quadratic": [ { "unit": 0, "weights": [1], "coefficient": "1/2" } ] },
            { "weights": [[3]], "bias": [0], "skip": [[-1]], "activation": "identity" } ],
          "input_quadratic": { "s": 1 } }
        """;

    [Fact]
    public void ValuesAreExactWithEveryQuadraticPart()
    {
        var model = Parse(HandModel);
        // x = 2: σ(2)² = 4, σ(−1)² = 1/25; relu(4 + 2/25 + 2) = 152/25; 3·152/25 − 2 + 2 = 456/25.
        Assert.Equal(R(456, 25), model.Evaluate([R(2)]));
        // x = 0: 0 + 2·1 + 0 = 2, f = 6. x = 1: 1 + 0 + 1/2 = 3/2, f = 9/2 − 1 + 1/2 = 4.
        Assert.Equal(R(6), model.Evaluate([R(0)]));
        Assert.Equal(R(4), model.Evaluate([R(1)]));
        // x = −1/2: σ(−1/2)² = 1/100, σ(3/2)² = 9/4; 1/100 + 9/2 + 1/8 = 927/200; f = 2781/200 + 1/2 + 1/8 = 2906/200.
        Assert.Equal(R(1453, 100), model.Evaluate([R(-1, 2)]));
        Assert.Equal(1453.0 / 100, model.ToFloat().Evaluate([-0.5]), 12);
    }

    [Fact]
    public void PlainNetworksKeepTheirHashAndTheCheckerAgrees()
    {
        const string plain = """{ "input_dim": 1, "layers": [ { "weights": [[1]], "bias": [0], "activation": "relu" }, { "weights": [[1]], "bias": [0], "activation": "identity" } ] }""";
        string declared = plain.Replace("\"relu\" }", "\"relu\", \"square_output\": false, \"quadratic\": [] }", StringComparison.Ordinal);
        var model = Parse(declared);
        Assert.False(model.HasSquares);
        Assert.Equal(NetworkHash.Sha256(Nets.Parse(plain)), CompositionHash.Sha256(model));
        foreach (var json in new[] { HandModel, declared, CompositionModels.Ot(1), CompositionModels.DeepInv(2, clipped: false) })
        {
            string path = Path.GetTempFileName();
            try
            {
                File.WriteAllText(path, json);
                Assert.Equal(CompositionHash.Sha256(Parse(json)), CertificateChecker.NetworkSha256(path));
            }
            finally { File.Delete(path); }
        }
        // Every quadratic part changes the hash.
        Assert.NotEqual(CompositionHash.Sha256(Parse(HandModel)), CompositionHash.Sha256(Parse(HandModel.Replace("\"s\": 1", "\"s\": 2", StringComparison.Ordinal))));
        Assert.NotEqual(CompositionHash.Sha256(Parse(HandModel)), CompositionHash.Sha256(Parse(HandModel.Replace("\"square_output\": true", "\"square_output\": false", StringComparison.Ordinal))));
    }

    [Fact]
    public void SparseEntriesAreTheSameFormAsDenseWeights()
    {
        string sparse = HandModel.Replace("\"weights\": [1], \"coefficient\"", "\"entries\": [[0, 1]], \"coefficient\"", StringComparison.Ordinal);
        Assert.NotEqual(HandModel, sparse);
        Assert.Equal(CompositionHash.Sha256(Parse(HandModel)), CompositionHash.Sha256(Parse(sparse)));
        Assert.Equal(R(456, 25), Parse(sparse).Evaluate([R(2)]));
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, sparse);
            Assert.Equal(CompositionHash.Sha256(Parse(HandModel)), CertificateChecker.NetworkSha256(path));
        }
        finally { File.Delete(path); }
        var both = Assert.Throws<InputException>(() => Parse(sparse.Replace("\"entries\": [[0, 1]]", "\"entries\": [[0, 1]], \"weights\": [1]", StringComparison.Ordinal)));
        Assert.Contains("exactly one of them", both.Message);
        var order = Assert.Throws<InputException>(() => Parse(sparse.Replace("[[0, 1]]", "[[0, 1], [0, 2]]", StringComparison.Ordinal)));
        Assert.Contains("$.layers[1].quadratic[0].entries[1]", order.Message);
    }

    [Fact]
    public void ThePlainReaderRefusesCompositionKeysByName()
    {
        var e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.UTF8.GetBytes(HandModel), "model.json"));
        Assert.Contains("$.input_quadratic", e.Message);
        e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.UTF8.GetBytes(HandModel.Replace(",\n  \"input_quadratic\": { \"s\": 1 }", "", StringComparison.Ordinal)), "model.json"));
        Assert.Contains("$.layers[0].square_output", e.Message);
        Assert.Contains("only certify (one model at a time, not with --out-dir), check and info", e.Message);
        var bad = Assert.Throws<InputException>(() => Parse(HandModel.Replace("\"unit\": 0", "\"unit\": 1", StringComparison.Ordinal)));
        Assert.Contains("$.layers[1].quadratic[0].unit", bad.Message);
        bad = Assert.Throws<InputException>(() => Parse(HandModel.Replace("\"weights\": [1], \"coefficient\"", "\"weights\": [1, 2], \"coefficient\"", StringComparison.Ordinal)));
        Assert.Contains("$.layers[1].quadratic[0].weights", bad.Message);
    }

    [Fact]
    public void TheRulesNameEveryUnit()
    {
        var derivation = CompositionRules.Derive(Parse(HandModel));
        Assert.True(derivation.Convex);
        Assert.Equal<string?[]>(["square_affine", "square_affine"], derivation.Rules[0]);
        Assert.Equal<string?[]>(["rectifier"], derivation.Rules[1]);
        Assert.Equal<string?[]>(["nonneg_sum"], derivation.Rules[2]);
        Assert.Equal("psd", derivation.InputRule);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ClippedModelsOfBothFamiliesAreConvexByTheRules(int seed)
    {
        foreach (var json in new[] { CompositionModels.Ot(seed, hidden: 3), CompositionModels.DeepInv(seed, hidden: 3) })
            Assert.True(CompositionRules.Derive(Parse(json)).Convex);
    }

    [Fact]
    public void AFailedRuleNamesTheUnitAndTheWeight()
    {
        var failures = CompositionRules.Derive(Parse(HandModel.Replace("[[3]]", "[[\"-0.013\"]]", StringComparison.Ordinal))).Failures;
        var f = Assert.Single(failures);
        Assert.Equal("layer 3 unit 1: z-weight -0.013 on unit 1 (convex, not affine: a negative weight makes it concave)", f.ToString());
        Assert.Equal("$.layers[2].weights[0][0]", f.JsonPath);
        // A weight on an affine unit may have any sign; the unclipped OT model fails wherever a z-weight is negative.
        var ot = CompositionRules.Derive(Parse(CompositionModels.Ot(1, clipped: false))).Failures;
        Assert.NotEmpty(ot);
        Assert.All(ot, x => Assert.Contains("z-weight -", x.Reason));
        var s = Assert.Single(CompositionRules.Derive(Parse(CompositionModels.DeepInv(1, s: "-1"))).Failures);
        Assert.StartsWith("input_quadratic: s = -1 < 0", s.ToString());
    }

    /// <summary>Certify, write, and check with the independent checker.</summary>
    private static (CompositionResult Result, Checker.CheckResult Check) CertifyAndCheck(string json, Domain? domain = null)
    {
        var model = Parse(json);
        var result = CompositionCertifier.Certify(model, domain ?? Domain.Everywhere(model.InputDim), [], MidpointSearch.DefaultLines);
        if (result.Verdict == Verdict.Undecided) return (result, new Checker.CheckResult(false, null, null, "undecided"));
        string net = Path.GetTempFileName(), cert = Path.GetTempFileName();
        try
        {
            File.WriteAllText(net, json);
            using (var stream = File.Create(cert)) CompositionCertifier.Write(result, model, stream);
            return (result, CertificateChecker.Check(net, cert));
        }
        finally
        {
            File.Delete(net);
            File.Delete(cert);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ClippedModelsAreCertifiedAndChecked(int seed)
    {
        foreach (var json in new[] { CompositionModels.Ot(seed), CompositionModels.DeepInv(seed) })
        {
            var (result, check) = CertifyAndCheck(json);
            Assert.Equal(Verdict.Convex, result.Verdict);
            Assert.True(check.Valid, check.Reason);
            Assert.Equal("convex", check.Verdict);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void UnclippedModelsAreRefutedExactlyAndChecked(int seed)
    {
        foreach (var json in new[] { CompositionModels.Ot(seed, clipped: false), CompositionModels.DeepInv(seed, clipped: false) })
        {
            var (result, check) = CertifyAndCheck(json);
            Assert.Equal(Verdict.NotConvex, result.Verdict);
            var v = result.Search!.Violation!;
            var model = Parse(json);
            Assert.True(2 * model.Evaluate([.. v.X.Zip(v.Y, (a, b) => (a + b) / 2)]) > model.Evaluate(v.X) + model.Evaluate(v.Y));
            Assert.True(check.Valid, check.Reason);
            Assert.Equal("not_convex", check.Verdict);
        }
    }

    [Fact]
    public void ARefutationOnABoxStaysInTheBox()
    {
        var json = CompositionModels.Ot(1, clipped: false);
        var box = Domain.Box([R(-2), R(-2), R(-2)], [R(2), R(2), R(2)]);
        var (result, check) = CertifyAndCheck(json, box);
        Assert.Equal(Verdict.NotConvex, result.Verdict);
        Assert.True(box.Contains(result.Search!.Violation!.X) && box.Contains(result.Search.Violation.Y));
        Assert.True(check.Valid, check.Reason);
        Assert.Contains("the box", check.Statement);
    }

    [Fact]
    public void WhenNeitherRulesNorSearchDecideTheReasonSaysWhatWasTried()
    {
        // f = −(−x²) = x² is convex, but its pre-activation −x² has a negative coefficient: no rule, and no violation exists.
        const string json = """
            { "input_dim": 1, "layers": [
              { "weights": [[0]], "bias": [0], "activation": "identity", "quadratic": [ { "unit": 0, "weights": [1], "coefficient": -1 } ] },
              { "weights": [[-1]], "bias": [0], "activation": "identity" } ] }
            """;
        var model = Parse(json);
        var result = CompositionCertifier.Certify(model, Domain.Everywhere(1), [[R(1)], [R(-1)]], 300);
        Assert.Equal(Verdict.Undecided, result.Verdict);
        Assert.Equal(300, result.Search!.Lines);
        Assert.Contains("layer 1 unit 1: quadratic term 1 has coefficient -1 < 0", result.UndecidedReason);
        Assert.Contains("300 lines searched", result.UndecidedReason);
    }

    [Fact]
    public void TheCommittedExamplesAreReproducedByteForByteAndChecked()
    {
        var folder = Path.Combine(ExampleCertificateTests.RepositoryRoot(), "certificates", "composition");
        var nets = Directory.GetFiles(folder, "*.json").Where(f => !f.EndsWith(".cert.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, nets.Count);
        foreach (var net in nets)
        {
            var model = CompositionReader.ReadFile(net);
            var result = CompositionCertifier.Certify(model, Domain.Everywhere(model.InputDim), [], MidpointSearch.DefaultLines);
            using var stream = new MemoryStream();
            CompositionCertifier.Write(result, model, stream);
            string cert = net[..^".json".Length] + ".cert.json";
            Assert.True(File.ReadAllBytes(cert).AsSpan().SequenceEqual(stream.ToArray()), $"{cert} differs from what certify writes now");
            var check = CertificateChecker.Check(net, cert);
            Assert.True(check.Valid, check.Reason);
            Assert.Equal(net.Contains("unclipped", StringComparison.Ordinal) ? "not_convex" : "convex", check.Verdict);
        }
    }
}
