using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>Paths of the hand-computed fixtures and helpers that check mutated copies.</summary>
internal static class Fixture
{
    public static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    public static string Net(string name) => Data($"{name}.net.json");
    public static string Cert(string name) => Data($"{name}.cert.json");

    public static CheckResult Check(string name) => CertificateChecker.Check(Net(name), Cert(name));

    public static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    /// <summary>Writes text to a fresh temporary file and returns its path.</summary>
    public static string Temp(string text, string suffix = ".json")
    {
        string path = Path.Combine(Path.GetTempPath(), $"convexproof-checker-test-{Guid.NewGuid():N}{suffix}");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Checks a mutated copy of a certificate against a network.</summary>
    public static CheckResult CheckMutated(string netPath, string certPath, Action<JsonObject> mutate)
    {
        var cert = Load(certPath);
        mutate(cert);
        string temp = Temp(cert.ToJsonString());
        try { return CertificateChecker.Check(netPath, temp); }
        finally { File.Delete(temp); }
    }

    public static CheckResult CheckMutated(string name, Action<JsonObject> mutate) => CheckMutated(Net(name), Cert(name), mutate);

    public static void AssertInvalid(CheckResult result, params string[] mentions)
    {
        Assert.False(result.Valid, $"a forged certificate was accepted: {result.Statement}");
        foreach (var m in mentions)
            Assert.True(result.Reason!.Contains(m, StringComparison.OrdinalIgnoreCase), $"the reason does not mention '{m}': {result.Reason}");
    }

    public static JsonObject Region(this JsonObject cert, int r) => cert["regions"]![r]!.AsObject();
    public static JsonObject Facet(this JsonObject cert, int r, int f) => cert.Region(r)["facets"]![f]!.AsObject();
    public static JsonArray Points(params string[] values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
