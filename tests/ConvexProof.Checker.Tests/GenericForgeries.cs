using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Forgery variants that apply to any valid certificate (hand-made or engine-produced): each must
/// be rejected, with a reason that mentions what was broken.
/// </summary>
internal static class GenericForgeries
{
    public sealed record Variant(string Name, Func<string, string, CheckResult> Run, string[] Mentions);

    public static IEnumerable<Variant> For(string netPath, string certPath)
    {
        var cert = Fixture.Load(certPath);
        var regions = cert["regions"]!.AsArray();
        int withFacet = regions.Select((r, i) => (r, i)).First(p => p.r!["facets"]!.AsArray().Count > 0).i;
        bool notConvex = cert["verdict"]!.GetValue<string>() == "not_convex";
        Variant Mutation(string name, Action<JsonObject> mutate, params string[] mentions) =>
            new(name, (n, c) => Fixture.CheckMutated(n, c, mutate), mentions);

        if (regions.Count > 1)
            yield return Mutation("drop the last region", c => c["regions"]!.AsArray().RemoveAt(regions.Count - 1));
        yield return Mutation("drop a facet", c => c.Region(withFacet)["facets"]!.AsArray().RemoveAt(0), "constraint");
        if (cert["conditions"]!.AsArray().Count > 0)
        {
            yield return Mutation("drop a condition", c => c["conditions"]!.AsArray().RemoveAt(0), "conditions");
            yield return Mutation("change a condition value", c =>
            {
                var entry = c["conditions"]![0]!;
                Assert.True(Rational.TryParseCanonical(entry["value"]!.GetValue<string>(), out var v));
                entry["value"] = (v + Rational.One).ToString();
            }, "value");
        }
        yield return Mutation("move a witness point off its hyperplane",
            c => c.Facet(withFacet, 0)["point"] = c.Region(withFacet)["point"]!.DeepClone(), "not on the facet");
        yield return Mutation("move an interior point onto its boundary",
            c => c.Region(withFacet)["point"] = c.Facet(withFacet, 0)["point"]!.DeepClone(), "not interior");
        yield return Mutation("wrong hash", c => c["network_sha256"] = new string('0', 64), "network_sha256");
        yield return Mutation("flip the verdict", c => c["verdict"] = notConvex ? "convex" : "not_convex", "counterexample");
        yield return Mutation("non-canonical number", c =>
        {
            var point = c.Region(0)["point"]!.AsArray();
            string text = point[0]!.GetValue<string>();
            int slash = text.IndexOf('/');
            point[0] = slash < 0 ? text + "/1" : $"{2 * long.Parse(text[..slash])}/{2 * long.Parse(text[(slash + 1)..])}";
        }, "canonical");
        yield return new Variant("truncated file", (n, c) =>
        {
            string text = File.ReadAllText(c);
            string temp = Fixture.Temp(text[..(text.Length / 2)]);
            try { return CertificateChecker.Check(n, temp); } finally { File.Delete(temp); }
        }, ["JSON"]);
        yield return new Variant("perturbed network", (n, c) =>
        {
            var net = Fixture.Load(n);
            var weights = net["layers"]![0]!["weights"]![0]!.AsArray();
            string text = weights[0]!.GetValueKind() == System.Text.Json.JsonValueKind.Number ? weights[0]!.ToJsonString() : weights[0]!.GetValue<string>();
            Assert.True(NetNumber.TryParse(text, out var w, out _));
            weights[0] = (w + new Rational(1, 1000)).ToString();
            string temp = Fixture.Temp(net.ToJsonString());
            try { return CertificateChecker.Check(temp, c); } finally { File.Delete(temp); }
        }, ["network_sha256"]);
        if (notConvex)
        {
            yield return Mutation("claim convex, without the counterexample", c =>
            {
                c["verdict"] = "convex";
                c.Remove("counterexample");
            }, "negative");
            yield return Mutation("collapse the counterexample", c => c["counterexample"]!["y"] = c["counterexample"]!["x"]!.DeepClone(), "same point");
            yield return Mutation("move the counterexample into one region", c =>
            {
                // Both points and their midpoint lie in region 0, where f is affine: no strict inequality.
                var ce = c["counterexample"]!.AsObject();
                foreach (var key in new[] { "fx", "fy", "fmid" }) ce.Remove(key);
                ce["x"] = c.Region(withFacet)["point"]!.DeepClone();
                var p = c.Region(withFacet)["point"]!.AsArray().Select(v => Parse(v!)).ToArray();
                var w = c.Facet(withFacet, 0)["point"]!.AsArray().Select(v => Parse(v!)).ToArray();
                ce["y"] = Fixture.Points([.. p.Zip(w, (a, b) => ((a + b) / 2).ToString())]);
            }, "not above");
        }
    }

    private static Rational Parse(JsonNode node)
    {
        Assert.True(Rational.TryParseCanonical(node.GetValue<string>(), out var v));
        return v;
    }
}
