namespace ConvexProof.Checker.Tests;

/// <summary>
/// Equivalence certificates written by hand (the checker's tests never use the engine): correct ones
/// are accepted, and every forgery — a wrong merge coefficient, a unit claimed dead or always on that
/// is not, a fold of a unit that is not affine in x, a removal or cut of something still read, a
/// replay that does not reach the second network — is rejected for its reason.
/// </summary>
public class EquivalenceCheckerTests
{
    private const string Abs = """{"input_dim":1,"layers":[{"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},{"weights":[[1,1]],"bias":[0],"activation":"identity"}]}""";
    private const string AbsMinimal = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},{"weights":[[2]],"bias":[0],"skip":[[-1]],"activation":"identity"}]}""";
    private const string AbsSteps = """[{"step":"opposite","layer":0,"unit":1,"into":0,"scale":"1"},{"step":"remove","layer":0,"unit":1}]""";

    /// <summary>relu(x) + relu(2x) + relu(x − 10): 3·relu(x) on [-1, 1].</summary>
    private const string Scaled = """{"input_dim":1,"layers":[{"weights":[[1],[2],[1]],"bias":[0,0,-10],"activation":"relu"},{"weights":[[1,1,1]],"bias":[0],"activation":"identity"}]}""";
    private const string ScaledMinimal = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},{"weights":[[3]],"bias":[0],"activation":"identity"}]}""";
    private const string ScaledSteps = """[{"step":"merge","layer":0,"unit":1,"into":0,"scale":"2"},{"step":"dead","layer":0,"unit":2},{"step":"remove","layer":0,"unit":2},{"step":"remove","layer":0,"unit":1}]""";
    private const string Box = """{"box":[["-1","1"]]}""";

    private static CheckResult Check(string net, string net2, string steps, string domain = "null", Func<string, string>? edit = null, string? expectedBox = null)
    {
        string a = Fixture.Temp(net), b = Fixture.Temp(net2);
        string cert = $$"""{"format":"convexproof-equivalence/1","network_sha256":"{{CertificateChecker.NetworkSha256(a)}}","simplified_sha256":"{{CertificateChecker.NetworkSha256(b)}}","domain":{{domain}},"steps":{{steps}}}""";
        string c = Fixture.Temp(edit is null ? cert : edit(cert));
        try { return EquivalenceChecker.Check(a, b, c, expectedBox); }
        finally { File.Delete(a); File.Delete(b); File.Delete(c); }
    }

    [Fact]
    public void OppositeUnitsFoldedIntoTheSkipAreAccepted()
    {
        var result = Check(Abs, AbsMinimal, AbsSteps);
        Assert.True(result.Valid, result.Reason);
        Assert.StartsWith("VALID: the two networks compute the same function on R^1.", result.Statement);
        Assert.Contains("1 opposite, 1 remove", result.Statement);
    }

    [Fact]
    public void MergesAndDeadUnitsOnABoxAreAccepted()
    {
        var result = Check(Scaled, ScaledMinimal, ScaledSteps, Box, expectedBox: "-1:1");
        Assert.True(result.Valid, result.Reason);
        Assert.Contains("on the box [-1, 1]", result.Statement);
    }

    [Fact]
    public void AlwaysOnUnitsAndCutsAreAccepted()
    {
        // relu(x + 5) on [-1, 1] is x + 5: folded, the hidden layer is read by nothing and is cut.
        const string net = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[5],"activation":"relu"},{"weights":[[2]],"bias":[1],"activation":"identity"}]}""";
        const string affine = """{"input_dim":1,"layers":[{"weights":[[2]],"bias":[11],"activation":"identity"}]}""";
        var result = Check(net, affine, """[{"step":"always_on","layer":0,"unit":0},{"step":"cut","layer":1}]""", Box);
        Assert.True(result.Valid, result.Reason);
    }

    [Fact]
    public void AConstantUnitIsDeadOrAlwaysOnWithoutABox()
    {
        const string net = """{"input_dim":1,"layers":[{"weights":[[0],[0],[1]],"bias":[-1,4,0],"activation":"relu"},{"weights":[[7,2,1]],"bias":[0],"activation":"identity"}]}""";
        const string net2 = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},{"weights":[[1]],"bias":[8],"activation":"identity"}]}""";
        var result = Check(net, net2, """[{"step":"dead","layer":0,"unit":0},{"step":"always_on","layer":0,"unit":1},{"step":"remove","layer":0,"unit":1},{"step":"remove","layer":0,"unit":0}]""");
        Assert.True(result.Valid, result.Reason);
    }

    [Fact]
    public void AWrongMergeCoefficientIsRejected() =>
        Fixture.AssertInvalid(Check(Scaled, ScaledMinimal, ScaledSteps.Replace("\"scale\":\"2\"", "\"scale\":\"3\""), Box), "$.steps[0]", "3 × row 0", "entry 0");

    [Fact]
    public void AMergeOfOppositeRowsIsRejected() =>
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps.Replace("opposite", "merge")), "$.steps[0]", "1 × row 0");

    [Fact]
    public void AUnitClaimedDeadThatIsNotIsRejected()
    {
        Fixture.AssertInvalid(Check(Scaled, ScaledMinimal, ScaledSteps.Replace("\"dead\",\"layer\":0,\"unit\":2", "\"dead\",\"layer\":0,\"unit\":0"), Box), "$.steps[1]", "dead", "1 > 0");
        // On R^d the dead unit of the box is not dead: only a constant has a bound there.
        Fixture.AssertInvalid(Check(Scaled, ScaledMinimal, ScaledSteps), "$.steps[1]", "only a constant pre-activation");
    }

    [Fact]
    public void AUnitClaimedAlwaysOnThatIsNotIsRejected()
    {
        const string net = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":["1/2"],"activation":"relu"},{"weights":[[1]],"bias":[0],"activation":"identity"}]}""";
        const string affine = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":["1/2"],"activation":"identity"}]}""";
        Fixture.AssertInvalid(Check(net, affine, """[{"step":"always_on","layer":0,"unit":0},{"step":"cut","layer":1}]""", Box), "$.steps[0]", "always on", "-1/2 < 0");
    }

    [Fact]
    public void FoldingAUnitThatIsNotAffineInXIsRejected()
    {
        // Layer 1 has relu(h) and relu(−h), h = relu(x): relu(h) − relu(−h) = h is not a function the skip can carry.
        const string net = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},{"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},{"weights":[[1,1]],"bias":[0],"activation":"identity"}]}""";
        const string claimed = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},{"weights":[[1]],"bias":[0],"activation":"relu"},{"weights":[[2]],"bias":[0],"activation":"identity"}]}""";
        Fixture.AssertInvalid(Check(net, claimed, """[{"step":"opposite","layer":1,"unit":1,"into":0,"scale":"1"},{"step":"remove","layer":1,"unit":1}]"""), "$.steps[0]", "not affine in x");
        Fixture.AssertInvalid(Check(net, claimed, """[{"step":"always_on","layer":1,"unit":0}]"""), "$.steps[0]", "not affine in x");
    }

    [Fact]
    public void RemovingOrCuttingWhatIsStillReadIsRejected()
    {
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"remove","layer":0,"unit":1}]"""), "$.steps[0]", "non-zero weight on it");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"cut","layer":1}]"""), "$.steps[0]", "non-zero weight");
    }

    [Fact]
    public void AReplayThatDoesNotReachTheSecondNetworkIsRejected()
    {
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"opposite","layer":0,"unit":1,"into":0,"scale":"1"}]"""), "$.steps", "not the second");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal.Replace("[[2]]", "[[3]]"), AbsSteps), "$.steps", "not the second", "layer 1");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal.Replace(",\"skip\":[[-1]]", ""), AbsSteps), "not the second");
    }

    [Fact]
    public void MalformedStepsAndHeadersAreRejected()
    {
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps.Replace("\"scale\":\"1\"", "\"scale\":\"-1\"")), "$.steps[0].scale", "> 0");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps.Replace("\"into\":0", "\"into\":1")), "$.steps[0].into", "the unit itself");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps.Replace("\"remove\"", "\"prune\"")), "$.steps[1].step", "\"prune\"");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps.Replace("\"unit\":1}", "\"unit\":1,\"why\":0}")), "$.steps[1].why", "unknown key");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps.Replace("\"unit\":1}", "\"unit\":5}")), "$.steps[1].unit");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps, edit: c => c.Replace("equivalence/1", "equivalence/2")), "$.format");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps, edit: c => c.Replace("\"network_sha256\":\"", "\"network_sha256\":\"0")), "$.network_sha256", "another network");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps, edit: c => c.Replace("\"simplified_sha256\":\"", "\"simplified_sha256\":\"0")), "$.simplified_sha256");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps, expectedBox: "-1:1"), "$.domain", "expected domain");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, AbsSteps, edit: c => c[..^3]), "invalid JSON");
    }

    [Fact]
    public void StepsOnLayersOrUnitsThatDoNotExistAreRejected()
    {
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"dead","layer":1,"unit":0}]"""), "$.steps[0].layer");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"cut","layer":0}]"""), "$.steps[0].layer");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"merge","layer":0,"unit":1,"into":2,"scale":"1"}]"""), "$.steps[0].into");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[{"step":"dead","layer":0}]"""), "$.steps[0].unit", "missing");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """[7]"""), "$.steps[0]", "step object");
        Fixture.AssertInvalid(Check(Abs, AbsMinimal, """{"step":"cut"}"""), "$.steps", "array");
        // After a cut there is no hidden layer left to name.
        const string affine = """{"input_dim":1,"layers":[{"weights":[[0]],"bias":[1],"activation":"identity"}]}""";
        Fixture.AssertInvalid(Check(affine, affine, """[{"step":"remove","layer":0,"unit":0}]"""), "$.steps[0]", "no hidden layer");
    }

    [Fact]
    public void NetworksWithDifferentInputsAreNeverEquivalent() =>
        Fixture.AssertInvalid(Check(Abs, """{"input_dim":2,"layers":[{"weights":[[1,0]],"bias":[0],"activation":"identity"}]}""", "[]"), "1 and 2 inputs");

    [Fact]
    public void LeakyUnitsAreNeitherDeadNorFoldedAsOpposites()
    {
        string leaky = Abs.Replace("\"activation\":\"relu\"", "\"activation\":\"leaky_relu\",\"alpha\":\"1/2\"");
        string leakyMinimal = AbsMinimal.Replace("\"activation\":\"relu\"", "\"activation\":\"leaky_relu\",\"alpha\":\"1/2\"");
        Fixture.AssertInvalid(Check(leaky, leakyMinimal, AbsSteps), "$.steps[0]", "leaky");
        const string net = """{"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[-10,0],"activation":"leaky_relu","alpha":"1/2"},{"weights":[[1,1]],"bias":[0],"activation":"identity"}]}""";
        const string claimed = """{"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"leaky_relu","alpha":"1/2"},{"weights":[[1]],"bias":[0],"activation":"identity"}]}""";
        Fixture.AssertInvalid(Check(net, claimed, """[{"step":"dead","layer":0,"unit":0},{"step":"remove","layer":0,"unit":0}]""", Box), "$.steps[0]", "leaky");
        // A replay that forgets the slope does not reach a leaky network.
        Fixture.AssertInvalid(Check(net, claimed.Replace(",\"alpha\":\"1/2\"", "").Replace("leaky_relu", "relu"), "[]"), "another activation");
    }

    [Fact]
    public void AnUnreadableNetworkIsAnInputError()
    {
        string b = Fixture.Temp(AbsMinimal);
        try
        {
            var e = Assert.Throws<CheckerInputException>(() => EquivalenceChecker.Check("/nonexistent/net.json", b, b));
            Assert.Equal("$", e.JsonPath);
        }
        finally { File.Delete(b); }
    }
}
