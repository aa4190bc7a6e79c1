using System.Text.Json;
using ConvexProof.Certificates;

namespace ConvexProof.Sharding;

/// <summary>What merge needs to know of a part file before it reads the certificate inside (Neurons: of a region certificate's summary, else -1).</summary>
public sealed record PartHeader(string File, int Shard, PartVerdict Verdict, string Method, int Regions, FaceKink? FaceKink, int Neurons = -1);

/// <summary>
/// A part file (format convexproof-shard-part/1, docs/formats.md): which plan, network and shard it
/// is for, the shard's box, the verdict and method, for a region-certified part the first unit whose
/// kink lies in a shared face (or null), and an ordinary certificate — for the shard's box when
/// convex (a bound, structural or region certificate), for the plan's whole domain when not convex
/// (the refutation-only certificate, whose counterexample may straddle a shared face).
/// </summary>
public static class PartFile
{
    public const string Format = "convexproof-shard-part/1";

    public static void Write(PartOutcome outcome, ShardPlan plan, string planSha256, int neurons, Stream stream)
    {
        if (outcome.Verdict == PartVerdict.Undecided) throw new InvalidOperationException("an undecided part has no part file");
        byte[] certificate = outcome.Verdict == PartVerdict.NotConvex
            ? Bytes(s => BoundCertificateWriter.WriteRefutation(outcome.Counterexample!, plan.NetworkSha256, plan.Domain, neurons, s))
            : outcome.Method != "regions" ? Bytes(s => BoundCertificateWriter.Write(outcome.Bounds!, plan.NetworkSha256, outcome.Box, neurons, s))
            : outcome.RegionCertificate ?? throw new InvalidOperationException("a region-certified part needs its region certificate");
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("plan_sha256", planSha256);
            w.WriteString("network_sha256", plan.NetworkSha256);
            w.WriteNumber("shard", outcome.Shard);
            CertificateWriter.WriteDomain(w, outcome.Box);
            w.WriteString("verdict", outcome.Verdict == PartVerdict.Convex ? "convex" : "not_convex");
            w.WriteString("method", outcome.Method);
            w.WriteNumber("regions", outcome.Regions);
            if (outcome.FaceKink is { } kink)
            {
                w.WriteStartObject("face_kink");
                w.WriteNumber("neuron", kink.Neuron);
                w.WriteNumber("coordinate", kink.Face.Coordinate);
                w.WriteString("at", kink.Face.At.ToString());
                w.WriteNumber("region", kink.Region);
                w.WriteEndObject();
            }
            else w.WriteNull("face_kink");
            w.WritePropertyName("certificate");
            w.WriteRawValue(certificate.AsSpan().TrimEnd((byte)'\n'), skipInputValidation: true);
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var memory = new MemoryStream();
        write(memory);
        return memory.ToArray();
    }

    /// <summary>
    /// Reads a part's header and checks that it belongs to the plan (plan hash, network hash, shard
    /// number, the shard's box) and that its certificate matches what the header says.
    /// </summary>
    public static PartHeader ReadHeader(string path, ShardPlan plan, string planSha256)
    {
        using var doc = ShardJson.Parse(path, ShardJson.ReadBytes(path));
        var root = new ShardJson(path, doc.RootElement, "$");
        root.RequireFormat(Format, "a part written by `convexproof certify --plan … --shard K`");
        if (root.Hash("plan_sha256") != planSha256)
            throw root.Problem("plan_sha256", "this part was made for another plan (its plan_sha256 is not the plan's)");
        if (root.Hash("network_sha256") != plan.NetworkSha256)
            throw root.Problem("network_sha256", "this part was made for another network than the plan's");
        int shard = root.Int("shard", 0, int.MaxValue);
        if (shard >= plan.Shards.Count) throw root.Problem("shard", $"{shard}, but the plan has shards 0 to {plan.Shards.Count - 1}");
        if (!ShardJson.SameBox(root.Box("domain"), plan.Shards[shard]))
            throw root.Problem("domain", $"not shard {shard}'s box of the plan ({plan.Shards[shard]}): the parts would overlap or leave a gap");
        var verdict = root.String("verdict") switch
        {
            "convex" => PartVerdict.Convex,
            "not_convex" => PartVerdict.NotConvex,
            var other => throw root.Problem("verdict", $"expected \"convex\" or \"not_convex\", not \"{other}\""),
        };
        string method = root.String("method");
        if (method is not ("bounds" or "structural" or "regions")) throw root.Problem("method", $"expected \"bounds\", \"structural\" or \"regions\", not \"{method}\"");
        int regions = root.Int("regions", 0, int.MaxValue);
        var kink = root.Member("face_kink");
        FaceKink? faceKink = null;
        if (!kink.IsNull)
        {
            if (verdict != PartVerdict.Convex || method != "regions") throw root.Problem("face_kink", "only a region-certified convex part names a unit in a shared face");
            faceKink = new FaceKink(kink.Int("neuron", 0, int.MaxValue), new SharedFace(kink.Int("coordinate", 0, plan.Domain.Dimension - 1), kink.Number("at")),
                kink.Int("region", 0, int.MaxValue));
        }
        var certificate = root.Member("certificate");
        if (certificate.Element.ValueKind != JsonValueKind.Object)
            throw root.Problem("certificate", certificate.IsNull && method == "regions"
                ? "null: this part was written before region-certified parts carried their certificate; re-run the shard"
                : "expected the part's certificate (an object)");
        if (certificate.Hash("network_sha256") != plan.NetworkSha256)
            throw certificate.Problem("network_sha256", "the certificate is for another network than the plan's");
        var expected = verdict == PartVerdict.NotConvex ? plan.Domain : plan.Shards[shard];
        if (!ShardJson.SameBox(certificate.Box("domain"), expected))
            throw certificate.Problem("domain", verdict == PartVerdict.NotConvex ? "a refutation's certificate must be for the plan's whole domain"
                : $"not shard {shard}'s box");
        string stated = certificate.String("verdict");
        if (stated != (verdict == PartVerdict.Convex ? "convex" : "not_convex")) throw certificate.Problem("verdict", "differs from the part's verdict");
        if (verdict == PartVerdict.Convex && method == "regions")
        {
            certificate.RequireFormat(CertificateWriter.Format, "the region certificate of the shard's box");
            var summary = certificate.Member("summary");
            if (summary.Int("regions", 0, int.MaxValue) != regions) throw summary.Problem("regions", $"differs from the part's {regions} regions");
            return new PartHeader(path, shard, verdict, method, regions, faceKink, summary.Int("neurons", 0, int.MaxValue));
        }
        else if (verdict == PartVerdict.Convex && certificate.String("method") != method) throw certificate.Problem("method", "differs from the part's method");
        return new PartHeader(path, shard, verdict, method, regions, faceKink);
    }

    /// <summary>Opens a part again for its certificate (<see cref="ReadHeader"/> has validated it).</summary>
    public static JsonDocument ReadDocument(string path) => ShardJson.Parse(path, ShardJson.ReadBytes(path));
}
