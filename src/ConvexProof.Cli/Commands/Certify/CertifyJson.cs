using ConvexProof.Bounds;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Commands;

/// <summary>`certify --json`: one object per network on one line (schema in docs/cli.md).</summary>
public static class CertifyJson
{
    /// <summary>The value of the "schema" field of every --json object.</summary>
    public const string Schema = "convexproof-certify/1";

    /// <summary>The "exploration" field: complete, first_violation, or limit.</summary>
    public static string Exploration(CertificationResult r) =>
        r.Complete ? "complete" : r.StoppedAtFirstViolation ? "first_violation" : "limit";

    /// <summary>The "bounds" field: the split tree and line search of the bound route (null for enumeration).</summary>
    private static void WriteBounds(System.Text.Json.Utf8JsonWriter w, BoundCertification? b)
    {
        w.WritePropertyName("bounds");
        if (b is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        var nodes = b.Search?.Root.Preorder().ToList() ?? [];
        w.WriteNumber("leaves", nodes.Count(n => n.Kind is SplitKind.Leaf or SplitKind.Pending));
        w.WriteNumber("box_splits", nodes.Count(n => n.Kind == SplitKind.Box));
        w.WriteNumber("sign_splits", nodes.Count(n => n.Kind == SplitKind.Sign));
        w.WriteNumber("bounded", b.Search?.Nodes ?? 0);
        if (b.Search is null) w.WriteNull("certified_fraction"); else w.WriteNumber("certified_fraction", (double)(b.Search.CertifiedFraction * 1_000_000).Floor() / 1_000_000);
        w.WriteNumber("lines", b.LinesSearched);
        w.WriteString("reason", b.Reason);
        w.WriteEndObject();
    }

    /// <summary>The --json summary of one network: one line, schema in docs/cli.md.</summary>
    public static string Of(CertifyOutcome o)
    {
        return JsonLine.Write(w =>
        {
            var r = o.Result;
            var b = o.Bounds;
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("network", o.NetPath);
            if (r is not null) w.WriteString("network_sha256", r.NetworkSha256);
            else if (o.Network is not null) w.WriteString("network_sha256", NetworkHash.Sha256(o.Network));
            else w.WriteNull("network_sha256");
            w.WriteString("verdict", b is not null ? b.Verdict switch { BoundVerdict.Convex => "convex", BoundVerdict.NotConvex => "not_convex", _ => "undecided" }
            : r?.Verdict switch
            {
                null => "error",
                Verdict.Convex => "convex",
                Verdict.NotConvex => "not_convex",
                _ => "undecided",
            });
            w.WriteNumber("exit_code", o.ExitCode);
            if (o.Method is null) w.WriteNull("method"); else w.WriteString("method", o.Method.Name);
            if (o.Method is null) w.WriteNull("method_reason"); else w.WriteString("method_reason", o.Method.Reason);
            if (o.Written) w.WriteString("certificate", o.CertPath); else w.WriteNull("certificate");
            if (o.Network is null) w.WriteNull("input_dim"); else w.WriteNumber("input_dim", o.Network.InputDim);
            w.WritePropertyName("domain");
            var domain = o.Domain ?? r?.Domain;
            if (domain is null || !domain.IsBox) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WritePropertyName("box");
                JsonLine.WriteBox(w, [.. domain.Lower!.Select(v => v.ToString())], [.. domain.Upper!.Select(v => v.ToString())]);
                w.WriteEndObject();
            }
            if (b is not null) w.WriteBoolean("complete", b.Verdict != BoundVerdict.Undecided);
            else if (r is null) w.WriteNull("complete"); else w.WriteBoolean("complete", r.Complete);
            if (b is not null) w.WriteString("exploration", b.Method == BoundMethod.Structural ? "structural" : "bounds");
            else if (r is null) w.WriteNull("exploration"); else w.WriteString("exploration", Exploration(r));
            WriteBounds(w, b);
            w.WritePropertyName("counts");
            if (r is null) w.WriteNullValue();
            else
            {
                var s = r.Statistics;
                w.WriteStartObject();
                w.WriteNumber("neurons", s.Neurons);
                w.WriteNumber("regions", s.Regions);
                w.WriteNumber("facets", s.Facets);
                w.WriteNumber("boundary_facets", s.BoundaryFacets);
                w.WriteNumber("redundant", s.Redundant);
                w.WriteNumber("flat", s.Flat);
                w.WriteNumber("dismissed", s.Dismissed);
                w.WriteNumber("conditions", s.Conditions);
                w.WriteNumber("violations", s.Violations);
                w.WriteNumber("degenerate_facets", s.DegenerateFacets);
                w.WriteEndObject();
            }
            w.WriteNumber("seconds", Math.Round(o.Elapsed.TotalSeconds, 3));
            if (r is null && o.Bounds is { Verdict: not Bounds.BoundVerdict.Undecided })
                w.WriteNumber("verdict_seconds", Math.Round(o.Elapsed.TotalSeconds, 3)); // the bound route's verdict comes at its end
            else if (r is null) w.WriteNull("verdict_seconds");
            else w.WriteNumber("verdict_seconds", Math.Round(r.Statistics.TimeToVerdict.TotalSeconds, 3));
            w.WritePropertyName("violation");
            if (r?.FirstViolation is Violation v)
            {
                w.WriteStartObject();
                w.WriteNumber("region", v.Region);
                w.WriteNumber("constraint", v.Constraint);
                w.WriteStartArray("units");
                foreach (int u in v.Units) w.WriteNumberValue(u);
                w.WriteEndArray();
                w.WriteString("value", v.Value.ToString());
                w.WriteBoolean("degenerate", v.Degenerate);
                w.WriteEndObject();
            }
            else w.WriteNullValue();
            w.WritePropertyName("counterexample");
            var ce = r?.Counterexample ?? (b?.Refutation is Refutation f ? new Counterexample(f.X, f.Y, f.Fx, f.Fy, f.FMid) : null);
            if (ce is not null)
            {
                w.WriteStartObject();
                w.WriteStartArray("x");
                foreach (var x in ce.X) w.WriteStringValue(x.ToString());
                w.WriteEndArray();
                w.WriteStartArray("y");
                foreach (var y in ce.Y) w.WriteStringValue(y.ToString());
                w.WriteEndArray();
                w.WriteString("fx", ce.Fx.ToString());
                w.WriteString("fy", ce.Fy.ToString());
                w.WriteString("fmid", ce.FMid.ToString());
                w.WriteEndObject();
            }
            else w.WriteNullValue();
            w.WritePropertyName("degeneracies");
            if (r is null) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WriteNumber("frontiers", r.Degeneracies.Frontiers.Count);
                w.WriteNumber("constant_units", r.Degeneracies.ConstantUnits.Count);
                if (o.Confirmation is null) w.WriteNull("z3"); else w.WriteString("z3", o.Confirmation);
                w.WriteEndObject();
            }
            string? reason = b is { Verdict: BoundVerdict.Undecided } ? b.Reason : r?.UndecidedReason;
            if (reason is not null) w.WriteString("undecided_reason", reason); else w.WriteNull("undecided_reason");
            w.WritePropertyName("error");
            if (o.Error is null) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WriteString("message", o.Error);
                w.WriteString("file", o.Input?.File ?? o.NetPath);
                if (o.Input is InputException e)
                {
                    w.WriteString("json_path", e.JsonPath);
                    w.WriteString("problem", e.Problem);
                }
                else
                {
                    w.WriteNull("json_path");
                    w.WriteString("problem", o.Error);
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }
}
