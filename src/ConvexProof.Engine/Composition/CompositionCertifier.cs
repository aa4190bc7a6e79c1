using System.Text.Json;
using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>What certify found for a composition model: the rules' derivation, and the search when they failed.</summary>
public sealed record CompositionResult(Verdict Verdict, string NetworkSha256, Domain Domain, CompositionRules.Derivation Derivation,
    MidpointSearchResult? Search, TimeSpan Elapsed)
{
    /// <summary>Why it is undecided: which rules failed where, and how much was searched.</summary>
    public string? UndecidedReason => Verdict != Verdict.Undecided ? null
        : $"no composition rule applies at {Derivation.Failures.Count} place{(Derivation.Failures.Count == 1 ? "" : "s")} (first: {Derivation.Failures[0]}), " +
          $"and {Search!.Lines} lines searched ({Search.ExactChecks} candidates checked exactly) found no midpoint violation";
}

/// <summary>
/// Certifies a composition model: the rule table first (instant for any size: convex, written as a
/// composition certificate, format convexproof-certificate/3); where a rule fails, the midpoint
/// search (an exact violation: not convex, written as a refutation-only certificate of format /1,
/// which the checker re-evaluates); else undecided.
/// </summary>
public static class CompositionCertifier
{
    public const string Format = "convexproof-certificate/3";
    public const string Method = "composition";

    public static CompositionResult Certify(CompositionNetwork model, Domain domain, IReadOnlyList<Rational[]> points, int maxLines,
        CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string sha = CompositionHash.Sha256(model);
        var derivation = CompositionRules.Derive(model);
        if (derivation.Convex) return new(Verdict.Convex, sha, domain, derivation, null, clock.Elapsed);
        var search = MidpointSearch.Run(model, domain, points, maxLines, cancel: cancel);
        return new(search.Violation is null ? Verdict.Undecided : Verdict.NotConvex, sha, domain, derivation, search, clock.Elapsed);
    }

    /// <summary>The certificate of a decided result (same input, same bytes).</summary>
    public static void Write(CompositionResult result, CompositionNetwork model, Stream stream)
    {
        if (result.Verdict == Verdict.NotConvex)
        {
            var v = result.Search!.Violation!;
            var statistics = new CertificationStatistics(model.Plain.NeuronCount, 0, 0, 0, 0, 0, 0, 0, 0, 0, result.Elapsed);
            CertificateWriter.Write(new CertificationResult(Verdict.NotConvex, result.NetworkSha256, result.Domain, [], [], null,
                new Counterexample(v.X, v.Y, v.Fx, v.Fy, v.FMid), null, statistics, Complete: false, new Degeneracies([], [])), stream);
            return;
        }
        if (result.Verdict != Verdict.Convex) throw new InvalidOperationException("an undecided result has no certificate");
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteString("method", Method);
        w.WriteString("network_sha256", result.NetworkSha256);
        CertificateWriter.WriteDomain(w, result.Domain);
        w.WriteString("verdict", "convex");
        w.WriteStartArray("rules");
        foreach (var layer in result.Derivation.Rules)
        {
            w.WriteStartArray();
            foreach (var rule in layer) w.WriteStringValue(rule);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        if (result.Derivation.InputRule is string input) w.WriteString("input_quadratic", input);
        w.WriteEndObject();
    }
}
