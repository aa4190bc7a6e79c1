using System.Text.Json;
using ConvexProof.Bounds;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Certificates;

/// <summary>
/// Writes the certificates of the bound-based route (docs/formats.md): format
/// convexproof-certificate/2 with <c>"method": "structural"</c> (the ICNN sign claim) or
/// <c>"method": "bounds"</c> (the split tree in preorder, each leaf with its interval bounds, its
/// strictly stable units and its condition lower bounds); a refutation is the existing
/// refutation-only certificate (format /1, the counterexample alone). Fixed field and array order:
/// the same result gives the same bytes.
/// </summary>
public static class BoundCertificateWriter
{
    public const string Format = "convexproof-certificate/2";

    public static void Write(BoundCertification result, string networkSha256, Domain domain, int neurons, Stream stream)
    {
        switch (result.Verdict)
        {
            case BoundVerdict.Undecided:
                throw new InvalidOperationException("an undecided result has no certificate");
            case BoundVerdict.NotConvex:
                var r = result.Refutation!;
                WriteRefutation(new Counterexample(r.X, r.Y, r.Fx, r.Fy, r.FMid), networkSha256, domain, neurons, stream);
                return;
        }
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("network_sha256", networkSha256);
            CertificateWriter.WriteDomain(w, domain);
            w.WriteString("verdict", "convex");
            if (result.Method == BoundMethod.Structural) w.WriteString("method", "structural");
            else
            {
                w.WriteString("method", "bounds");
                WriteTree(w, result.Search!.Root, neurons);
            }
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    /// <summary>The refutation-only certificate of format /1: no regions, the counterexample alone (also for a sharded run's refutation).</summary>
    public static void WriteRefutation(Counterexample counterexample, string networkSha256, Domain domain, int neurons, Stream stream)
    {
        var stats = new CertificationStatistics(neurons, 0, 0, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero);
        var result = new CertificationResult(Verdict.NotConvex, networkSha256, domain, [], [], null,
            counterexample, null, stats, Complete: false, new Degeneracies([], []));
        CertificateWriter.Write(result, stream);
    }

    private static void WriteTree(Utf8JsonWriter w, SplitNode root, int neurons)
    {
        var nodes = root.Preorder().ToList();
        w.WriteStartObject("summary");
        w.WriteNumber("neurons", neurons);
        w.WriteNumber("leaves", nodes.Count(n => n.Kind == SplitKind.Leaf));
        w.WriteNumber("box_splits", nodes.Count(n => n.Kind == SplitKind.Box));
        w.WriteNumber("sign_splits", nodes.Count(n => n.Kind == SplitKind.Sign));
        w.WriteNumber("empty_leaves", nodes.Count(n => n.Kind == SplitKind.Leaf && n.Bounds!.Empty));
        w.WriteNumber("conditions", nodes.Where(n => n.Kind == SplitKind.Leaf && !n.Bounds!.Empty).Sum(n => n.Conditions!.UnstableNeurons.Length));
        w.WriteEndObject();
        w.WriteStartArray("tree");
        foreach (var node in nodes)
        {
            w.WriteStartObject();
            switch (node.Kind)
            {
                case SplitKind.Box:
                    w.WriteString("node", "box");
                    w.WriteNumber("coordinate", node.Coordinate);
                    w.WriteString("at", node.At.ToString());
                    break;
                case SplitKind.Sign:
                    w.WriteString("node", "sign");
                    w.WriteNumber("neuron", node.Neuron);
                    break;
                case SplitKind.Leaf when node.Bounds!.Empty:
                    w.WriteString("node", "empty");
                    w.WriteNumber("neuron", node.Bounds.EmptiedBy);
                    WriteRelaxation(w, node.Bounds);
                    break;
                case SplitKind.Leaf:
                    WriteLeaf(w, node, neurons);
                    break;
                default:
                    throw new InvalidOperationException("a certificate needs every node processed");
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteLeaf(Utf8JsonWriter w, SplitNode node, int neurons)
    {
        var bounds = node.Bounds!;
        w.WriteString("node", "leaf");
        w.WriteStartArray("z");
        for (int k = 0; k < neurons; k++)
        {
            var z = bounds.OfNeuron(k);
            WritePair(w, z.Lo, z.Hi);
        }
        w.WriteEndArray();
        WriteRelaxation(w, bounds);
        WriteUnits(w, "on", Enumerable.Range(0, neurons).Where(k => bounds.StateOf(k) == UnitState.StablyOn));
        WriteUnits(w, "off", Enumerable.Range(0, neurons).Where(k => bounds.StateOf(k) == UnitState.StablyOff));
        var conditions = node.Conditions!;
        w.WriteStartArray("conditions");
        for (int i = 0; i < conditions.UnstableNeurons.Length; i++)
        {
            w.WriteStartArray();
            w.WriteNumberValue(conditions.UnstableNeurons[i]);
            w.WriteStringValue(conditions.LowerBounds[i].ToString());
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>For the linear pass: the lower relaxation slope of each unit that straddles 0, and the split multipliers (both absent for intervals).</summary>
    private static void WriteRelaxation(Utf8JsonWriter w, PreActivationBounds bounds)
    {
        if (bounds.Relaxation is null) return;
        w.WriteStartArray("relaxation");
        foreach (var (neuron, slope) in bounds.Relaxation)
        {
            w.WriteStartArray();
            w.WriteNumberValue(neuron);
            w.WriteStringValue(slope.ToString());
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("multipliers");
        foreach (var m in bounds.Multipliers)
        {
            w.WriteStartArray();
            w.WriteNumberValue(m.Neuron);
            w.WriteStringValue(m.Upper ? "hi" : "lo");
            w.WriteStartArray();
            foreach (var (split, beta) in m.Betas)
            {
                w.WriteStartArray();
                w.WriteNumberValue(split);
                w.WriteStringValue(beta.ToString());
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void WriteUnits(Utf8JsonWriter w, string name, IEnumerable<int> units)
    {
        w.WriteStartArray(name);
        foreach (int k in units) w.WriteNumberValue(k);
        w.WriteEndArray();
    }

    private static void WritePair(Utf8JsonWriter w, Rational lo, Rational hi)
    {
        w.WriteStartArray();
        w.WriteStringValue(lo.ToString());
        w.WriteStringValue(hi.ToString());
        w.WriteEndArray();
    }
}
