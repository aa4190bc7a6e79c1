using System.Runtime.InteropServices;
using System.Text.Json;
using ConvexProof.Bounds;
using ConvexProof.Certificates;
using ConvexProof.Networks;

namespace ConvexProof.Sharding;

/// <summary>What merging the parts gave.</summary>
public enum MergeVerdict
{
    /// <summary>
    /// Every shard convex: one bound certificate of the domain (every shard by bounds), a structural
    /// one (the network is an ICNN), or a sharded certificate (some shard by regions).
    /// </summary>
    Convex,

    /// <summary>Some part found a counterexample: the refutation-only certificate of the domain.</summary>
    NotConvex,

    /// <summary>Every shard convex, but a region-certified one has a unit whose kink lies in a shared face: no certificate (re-plan).</summary>
    KinkInSharedFace,
}

/// <summary>The outcome of <see cref="CertificateMerge.Merge"/>.</summary>
public sealed record MergeOutcome(MergeVerdict Verdict, string Reason, int? DecidingShard = null);

/// <summary>
/// Merges the parts of a plan into one ordinary certificate that `check` verifies like any other.
/// A not-convex part decides the network (its refutation is for the whole domain; the lowest such
/// shard is taken), even when other parts are missing. Otherwise every shard must have exactly one
/// part. When every shard is convex by bounds, the merged bound certificate is the plan's tree with
/// each shard's leaf replaced by the tree of that shard's certificate; when some shard is convex by
/// regions, it is a sharded certificate (format /4): the plan's tree with each shard's certificate
/// at its leaf, provided no region has a unit whose kink lies in a shared face (docs/certificate.md,
/// "Merged certificates").
/// </summary>
public static class CertificateMerge
{
    /// <summary>The format of a sharded certificate (checked by the checker's Shards/ extension).</summary>
    public const string ShardedFormat = "convexproof-certificate/4";

    public static MergeOutcome Merge(ShardPlan plan, string planFile, string planSha256, IReadOnlyList<string> partFiles, Func<Func<Stream, bool>, bool> writeOutput)
    {
        var byShard = new PartHeader?[plan.Shards.Count];
        foreach (var file in partFiles)
        {
            var part = PartFile.ReadHeader(file, plan, planSha256);
            if (byShard[part.Shard] is { } earlier)
                throw new InputException(file, "$.shard", $"shard {part.Shard} is also given by {earlier.File}: parts overlap");
            byShard[part.Shard] = part;
        }
        var refutation = byShard.FirstOrDefault(p => p?.Verdict == PartVerdict.NotConvex);
        if (refutation is not null)
        {
            writeOutput(stream =>
            {
                using var doc = PartFile.ReadDocument(refutation.File);
                CopyCertificate(doc.RootElement.GetProperty("certificate"), stream);
                return true;
            });
            return new(MergeVerdict.NotConvex, $"shard {refutation.Shard} ({refutation.File}) found a counterexample; it decides the whole domain", refutation.Shard);
        }
        var missing = Enumerable.Range(0, byShard.Length).Where(k => byShard[k] is null).ToList();
        if (missing.Count > 0)
            throw new InputException(planFile, "$.tree", $"no part for shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Take(10))}" +
                $"{(missing.Count > 10 ? ", …" : "")} of {byShard.Length}: the parts leave a gap (re-run certify --plan … --shard K for each)");
        var parts = byShard.Select(p => p!).ToList();
        if (parts.FirstOrDefault(p => p.FaceKink is not null) is { } blocked)
            return new(MergeVerdict.KinkInSharedFace,
                $"every shard is convex, but in shard {blocked.Shard} ({blocked.File}) {blocked.FaceKink}, shared with a neighbouring shard: " +
                "neither shard's certificate sees a kink there (docs/certificate.md), so there is no merged certificate; " +
                "make a plan with other split values, or certify the network unsharded", blocked.Shard);
        if (parts.FirstOrDefault(p => p.Method == "structural") is { } structural)
        {
            writeOutput(stream =>
            {
                BoundCertificateWriter.Write(new BoundCertification(BoundVerdict.Convex, BoundMethod.Structural, "", null, null, null, 0, TimeSpan.Zero),
                    plan.NetworkSha256, plan.Domain, 0, stream);
                return true;
            });
            return new(MergeVerdict.Convex, $"the network is an ICNN (shard {structural.Shard}): the structural certificate holds on every box");
        }
        if (parts.Any(p => p.Method == "regions"))
        {
            writeOutput(stream =>
            {
                WriteSharded(plan, parts, stream);
                return true;
            });
            int byRegions = parts.Count(p => p.Method == "regions");
            return new(MergeVerdict.Convex, $"every one of the {parts.Count} shards is convex ({byRegions} by their {parts.Sum(p => (long)p.Regions)} regions, " +
                $"{parts.Count - byRegions} by bounds) and no unit has its kink in a shared face: one sharded certificate of the domain");
        }
        long leaves = 0;
        writeOutput(stream =>
        {
            leaves = WriteGrafted(plan, parts, stream);
            return true;
        });
        return new(MergeVerdict.Convex, $"every one of the {parts.Count} shards is convex by bounds: one split tree of {leaves} leaves over the domain");
    }

    /// <summary>The merged bound certificate, in the key order of <see cref="BoundCertificateWriter"/>; returns its leaf count.</summary>
    private static long WriteGrafted(ShardPlan plan, IReadOnlyList<PartHeader> parts, Stream stream)
    {
        // The summary comes before the tree: add up the parts' (the checker recomputes it anyway).
        long[] counts = new long[5]; // leaves, box splits, sign splits, empty leaves, conditions
        string[] names = ["leaves", "box_splits", "sign_splits", "empty_leaves", "conditions"];
        int neurons = -1;
        foreach (var part in parts)
        {
            using var doc = PartFile.ReadDocument(part.File);
            var certificate = new ShardJson(part.File, doc.RootElement.GetProperty("certificate"), "$.certificate");
            var summary = certificate.Member("summary");
            int n = summary.Int("neurons", 0, int.MaxValue);
            if (neurons >= 0 && n != neurons) throw summary.Problem("neurons", $"{n}, but another part has {neurons}");
            neurons = n;
            for (int i = 0; i < names.Length; i++) counts[i] += summary.Int(names[i], 0, int.MaxValue);
            CheckComplete(certificate);
        }
        counts[1] += plan.BoxSplits;
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", BoundCertificateWriter.Format);
            w.WriteString("network_sha256", plan.NetworkSha256);
            CertificateWriter.WriteDomain(w, plan.Domain);
            w.WriteString("verdict", "convex");
            w.WriteString("method", "bounds");
            w.WriteStartObject("summary");
            w.WriteNumber("neurons", neurons);
            for (int i = 0; i < names.Length; i++) w.WriteNumber(names[i], counts[i]);
            w.WriteEndObject();
            w.WriteStartArray("tree");
            foreach (var node in plan.Tree)
            {
                if (!node.IsShard)
                {
                    w.WriteStartObject();
                    node.WriteSplit(w);
                    w.WriteEndObject();
                    continue;
                }
                // One part at a time: memory holds one part's tree, not all of them.
                using var doc = PartFile.ReadDocument(parts[node.Shard].File);
                foreach (var item in doc.RootElement.GetProperty("certificate").GetProperty("tree").EnumerateArray()) item.WriteTo(w);
                w.Flush();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return counts[0];
    }

    /// <summary>
    /// The sharded certificate (format /4, key order of docs/formats.md): the plan's tree, each shard's
    /// leaf carrying its part's certificate, copied byte for byte (one part in memory at a time).
    /// </summary>
    private static void WriteSharded(ShardPlan plan, IReadOnlyList<PartHeader> parts, Stream stream)
    {
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", ShardedFormat);
            w.WriteString("method", "shards");
            w.WriteString("network_sha256", plan.NetworkSha256);
            CertificateWriter.WriteDomain(w, plan.Domain);
            w.WriteString("verdict", "convex");
            w.WriteStartObject("summary");
            w.WriteNumber("neurons", parts.First(p => p.Neurons >= 0).Neurons);
            w.WriteNumber("shards", plan.Shards.Count);
            w.WriteNumber("box_splits", plan.BoxSplits);
            w.WriteNumber("regions", parts.Where(p => p.Method == "regions").Sum(p => (long)p.Regions));
            w.WriteEndObject();
            w.WriteStartArray("tree");
            foreach (var node in plan.Tree)
            {
                w.WriteStartObject();
                if (node.IsShard)
                {
                    w.WriteString("node", "shard");
                    using var doc = PartFile.ReadDocument(parts[node.Shard].File);
                    w.WritePropertyName("certificate");
                    w.WriteRawValue(JsonMarshal.GetRawUtf8Value(doc.RootElement.GetProperty("certificate")), skipInputValidation: true);
                }
                else node.WriteSplit(w);
                w.WriteEndObject();
                w.Flush();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    /// <summary>A part's tree read in preorder is one complete tree (else grafting it would shift every node after it).</summary>
    private static void CheckComplete(ShardJson certificate)
    {
        int open = 1;
        foreach (var node in certificate.Array("tree"))
        {
            if (open == 0) throw new InputException(node.File, node.Path, "the tree is complete before this node");
            string kind = node.Element.ValueKind == JsonValueKind.Object ? node.String("node") : throw new InputException(node.File, node.Path, "expected a node object");
            open += kind is "box" or "sign" ? 1 : kind is "leaf" or "empty" ? -1 : throw node.Problem("node", $"unknown node kind \"{kind}\"");
        }
        if (open != 0) throw certificate.Problem("tree", "incomplete (a split lacks a subtree)");
    }

    private static void CopyCertificate(JsonElement certificate, Stream stream)
    {
        using (var w = new Utf8JsonWriter(stream)) certificate.WriteTo(w);
        stream.WriteByte((byte)'\n');
    }
}
