using System.Text.Json;
using ConvexProof.Convexity;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Certificates;

/// <summary>
/// Writes cert.json (format convexproof-certificate/1, docs/formats.md). Every rational is a
/// canonical string; field order and array order are fixed, so the same input gives the same bytes.
/// </summary>
public static class CertificateWriter
{
    public const string Format = "convexproof-certificate/1";

    /// <summary>Writes a whole certificate (the same bytes as streaming it region by region).</summary>
    public static void Write(CertificationResult result, Stream stream)
    {
        using var writer = new CertificateStreamWriter(stream, result.NetworkSha256, result.Domain);
        if (result.Complete) foreach (var region in result.Regions) writer.Add(region);
        writer.Finish(result);
    }

    internal static void WriteHeader(Utf8JsonWriter w, string networkSha256, Geometry.Domain domain)
    {
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteString("network_sha256", networkSha256);
        WriteDomain(w, domain);
        w.WriteStartArray("regions");
    }

    /// <summary>Everything after the regions: conditions, verdict, summary, degeneracies, counterexample.</summary>
    internal static void WriteTrailer(Utf8JsonWriter w, CertificationResult result)
    {
        if (result.Verdict == Verdict.Undecided) throw new InvalidOperationException("an undecided result has no certificate");
        // A refutation found before a limit stopped exploration carries the counterexample alone.
        bool complete = result.Complete;
        w.WriteEndArray();
        w.WriteStartArray("conditions");
        if (complete)
            foreach (var c in result.Conditions)
            {
                w.WriteStartObject();
                w.WriteNumber("neuron", c.Neuron);
                w.WriteString("downstream", c.Downstream);
                w.WritePropertyName("value"); WriteRational(w, c.Value);
                w.WriteNumber("region", c.Region);
                WritePoint(w, "point", c.Point);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteString("verdict", result.Verdict == Verdict.Convex ? "convex" : "not_convex");
        WriteSummary(w, result, complete);
        if (complete) WriteDegeneracies(w, result.Degeneracies);
        if (result.Counterexample is Counterexample ce)
        {
            w.WriteStartObject("counterexample");
            WritePoint(w, "x", ce.X);
            WritePoint(w, "y", ce.Y);
            w.WritePropertyName("fx"); WriteRational(w, ce.Fx);
            w.WritePropertyName("fy"); WriteRational(w, ce.Fy);
            w.WritePropertyName("fmid"); WriteRational(w, ce.FMid);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    internal static void WriteDomain(Utf8JsonWriter w, Geometry.Domain domain)
    {
        if (!domain.IsBox)
        {
            w.WriteNull("domain");
            return;
        }
        w.WriteStartObject("domain");
        w.WriteStartArray("box");
        for (int i = 0; i < domain.Dimension; i++)
        {
            w.WriteStartArray();
            WriteRational(w, domain.Lower![i]);
            WriteRational(w, domain.Upper![i]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, CertificationResult result, bool complete)
    {
        var s = result.Statistics;
        w.WriteStartObject("summary");
        w.WriteNumber("neurons", s.Neurons);
        w.WriteNumber("regions", complete ? s.Regions : 0);
        w.WriteNumber("facets", complete ? s.Facets : 0);
        w.WriteNumber("boundary_facets", complete ? s.BoundaryFacets : 0);
        w.WriteNumber("redundant", complete ? s.Redundant : 0);
        w.WriteNumber("flat", complete ? s.Flat : 0);
        w.WriteNumber("dismissed", complete ? s.Dismissed : 0);
        w.WriteNumber("conditions", complete ? s.Conditions : 0);
        w.WriteNumber("violations", complete ? s.Violations : 0);
        w.WriteNumber("degenerate_facets", complete ? s.DegenerateFacets : 0);
        w.WriteEndObject();
    }

    internal static void WriteRegion(Utf8JsonWriter w, ExploredRegion region)
    {
        w.WriteStartObject();
        w.WriteString("pattern", region.Pattern);
        WritePoint(w, "point", region.Point);
        w.WriteStartArray("facets");
        foreach (var f in region.Facets)
        {
            w.WriteStartObject();
            w.WriteNumber("c", f.Facet.Constraint);
            WritePoint(w, "point", f.Facet.Witness);
            if (f.Boundary) w.WriteBoolean("boundary", true);
            else w.WriteNumber("neighbour", f.Neighbour);
            if (f.IsDegenerate)
            {
                w.WriteStartObject("degenerate");
                w.WriteStartArray("neurons");
                foreach (int k in f.Switching) w.WriteNumberValue(k);
                w.WriteEndArray();
                w.WritePropertyName("jump"); WriteRational(w, f.Jump!.Value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("redundant");
        foreach (var r in region.Geometry.Redundant)
        {
            w.WriteStartObject();
            w.WriteNumber("c", r.Constraint);
            w.WritePropertyName("farkas");
            WriteFarkas(w, r.Farkas);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("flat");
        foreach (int k in region.Geometry.Flat) w.WriteNumberValue(k);
        w.WriteEndArray();
        if (region.Geometry.Bounds is BoundingBox box) WriteBounds(w, box);
        w.WriteEndObject();

    }

    /// <summary>
    /// Informational: degenerate frontiers (each once) and units constant on some regions. The
    /// checker re-derives every degenerate facet from the regions themselves.
    /// </summary>
    private static void WriteDegeneracies(Utf8JsonWriter w, Degeneracies degeneracies)
    {
        w.WriteStartObject("degeneracies");
        w.WriteStartArray("frontiers");
        foreach (var f in degeneracies.Frontiers)
        {
            w.WriteStartObject();
            w.WriteNumber("region", f.Region);
            w.WriteNumber("neighbour", f.Neighbour);
            w.WriteNumber("c", f.Constraint);
            w.WriteStartArray("neurons");
            foreach (int k in f.Units) w.WriteNumberValue(k);
            w.WriteEndArray();
            WritePoint(w, "point", f.Point);
            w.WritePropertyName("jump"); WriteRational(w, f.Jump);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("constant_units");
        foreach (var u in degeneracies.ConstantUnits)
        {
            w.WriteStartObject();
            w.WriteNumber("neuron", u.Unit);
            w.WriteNumber("regions", u.Regions);
            w.WriteNumber("zero_in", u.ZeroIn);
            w.WriteNumber("first_region", u.FirstRegion);
            WritePoint(w, "point", u.Point);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The region's bounding box with the Farkas proof of each finite bound.</summary>
    private static void WriteBounds(Utf8JsonWriter w, BoundingBox box)
    {
        w.WriteStartArray("bounds");
        for (int i = 0; i < box.Lower.Length; i++)
        {
            w.WriteStartArray();
            WriteOptional(w, box.Lower[i]);
            WriteOptional(w, box.Upper[i]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("bounds_farkas");
        for (int i = 0; i < box.Lower.Length; i++)
        {
            w.WriteStartArray();
            WriteFarkas(w, box.LowerFarkas[i]);
            WriteFarkas(w, box.UpperFarkas[i]);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, Rational? value)
    {
        if (value is Rational v) WriteRational(w, v);
        else w.WriteNullValue();
    }

    /// <summary>[[j, "μ_j/D"], …] over the list's one denominator D, its digits formatted once ("μ_j" when D = 1).</summary>
    private static void WriteFarkas(Utf8JsonWriter w, FarkasMultipliers? farkas)
    {
        if (farkas is null)
        {
            w.WriteNullValue();
            return;
        }
        string over = farkas.Denominator.IsOne ? "" : "/" + farkas.Denominator.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Span<char> text = stackalloc char[256];
        w.WriteStartArray();
        for (int b = 0; b < farkas.Count; b++)
        {
            w.WriteStartArray();
            w.WriteNumberValue(farkas.Facets[b]);
            Rational numerator = farkas.Numerators[b]; // an integer: no gcd
            if (numerator.TryFormat(text, out int length) && length + over.Length <= text.Length)
            {
                over.CopyTo(text[length..]);
                w.WriteStringValue(text[..(length + over.Length)]);
            }
            else w.WriteStringValue(numerator + over);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void WritePoint(Utf8JsonWriter w, string name, Rational[] point)
    {
        w.WriteStartArray(name);
        foreach (var v in point) WriteRational(w, v);
        w.WriteEndArray();
    }

    /// <summary>
    /// A rational's canonical text formatted straight into the JSON output: certificates hold
    /// millions of numbers, and a string per number (with BigInteger's formatting even for values that
    /// fit in a long) was a tenth of the writer's time.
    /// </summary>
    private static void WriteRational(Utf8JsonWriter w, Rational v)
    {
        Span<char> text = stackalloc char[160];
        if (v.TryFormat(text, out int length)) w.WriteStringValue(text[..length]);
        else w.WriteStringValue(v.ToString());
    }
}
