using System.Text.Json.Nodes;
using static ConvexProof.Checker.Tests.Fixture;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// A not_convex certificate written after a limit stopped exploration lists no regions: the
/// counterexample alone is the proof. It is accepted only in that exact shape.
/// </summary>
public class RefutationOnlyTests
{
    /// <summary>negrelu's certificate reduced to its counterexample, as the engine writes it.</summary>
    private static void RefutationOnly(JsonObject c)
    {
        c["regions"] = new JsonArray();
        c["conditions"] = new JsonArray();
        c.Remove("degeneracies");
        foreach (var key in c["summary"]!.AsObject().Select(p => p.Key).ToList())
            if (key != "neurons") c["summary"]![key] = 0;
    }

    [Fact]
    public void ACounterexampleAloneProvesNonConvexity()
    {
        var result = CheckMutated("negrelu", RefutationOnly);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal("not_convex", result.Verdict);
        Assert.Contains("refutation only", result.Statement);
    }

    [Fact]
    public void AConvexityClaimWithoutRegionsIsRejected() =>
        AssertInvalid(CheckMutated("negrelu", c => { RefutationOnly(c); c["verdict"] = "convex"; c.Remove("counterexample"); }), "at least one region");

    [Fact]
    public void AWrongCounterexampleIsRejected() =>
        AssertInvalid(CheckMutated("negrelu", c => { RefutationOnly(c); c["counterexample"]!["y"] = Points("2"); }), "counterexample");

    [Fact]
    public void LeftoverConditionsOrCountsAreRejected()
    {
        AssertInvalid(CheckMutated("negrelu", c => { var conditions = c["conditions"]!.DeepClone(); RefutationOnly(c); c["conditions"] = conditions; }),
            "conditions", "must be empty");
        AssertInvalid(CheckMutated("negrelu", c => { RefutationOnly(c); c["summary"]!["regions"] = 2; }), "summary.regions");
    }
}
