using System.Text.Json;

namespace ConvexProof.Bench;

/// <summary>A region of the certificate, as the baselines need it: its pattern and facet constraints.</summary>
public sealed record SampledRegion(int Index, string Pattern, int[] FacetConstraints);

/// <summary>The parts of a cert.json (docs/formats.md) the benchmark reports.</summary>
public sealed record CertificateInfo(string Verdict, IReadOnlyDictionary<string, long> Summary, IReadOnlyList<SampledRegion> Sample, long Bytes)
{
    public long this[string key] => Summary.TryGetValue(key, out var v) ? v : 0;

    /// <summary>Reads the summary and the first <paramref name="sample"/> regions.</summary>
    public static CertificateInfo Read(string path, int sample)
    {
        var bytes = File.ReadAllBytes(path);
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        var summary = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in root.GetProperty("summary").EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Number) summary[p.Name] = p.Value.GetInt64();
        var regions = new List<SampledRegion>();
        foreach (var r in root.GetProperty("regions").EnumerateArray())
        {
            if (regions.Count >= sample) break;
            var facets = r.GetProperty("facets").EnumerateArray().Select(f => f.GetProperty("c").GetInt32()).ToArray();
            regions.Add(new SampledRegion(regions.Count, r.GetProperty("pattern").GetString()!, facets));
        }
        return new CertificateInfo(root.GetProperty("verdict").GetString()!, summary, regions, bytes.LongLength);
    }
}
