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

    /// <summary>The --json summary of one network: one line, schema in docs/cli.md.</summary>
    public static string Of(CertifyOutcome o)
    {
        return JsonLine.Write(w =>
        {
            var r = o.Result;
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("network", o.NetPath);
            if (r is not null) w.WriteString("network_sha256", r.NetworkSha256);
            else if (o.Network is not null) w.WriteString("network_sha256", NetworkHash.Sha256(o.Network));
            else w.WriteNull("network_sha256");
            w.WriteString("verdict", r?.Verdict switch
            {
                null => "error",
                Verdict.Convex => "convex",
                Verdict.NotConvex => "not_convex",
                _ => "undecided",
            });
            w.WriteNumber("exit_code", o.ExitCode);
            if (o.Written) w.WriteString("certificate", o.CertPath); else w.WriteNull("certificate");
            if (o.Network is null) w.WriteNull("input_dim"); else w.WriteNumber("input_dim", o.Network.InputDim);
            w.WritePropertyName("domain");
            if (r is null || !r.Domain.IsBox) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WritePropertyName("box");
                JsonLine.WriteBox(w, [.. r.Domain.Lower!.Select(v => v.ToString())], [.. r.Domain.Upper!.Select(v => v.ToString())]);
                w.WriteEndObject();
            }
            if (r is null) w.WriteNull("complete"); else w.WriteBoolean("complete", r.Complete);
            if (r is null) w.WriteNull("exploration"); else w.WriteString("exploration", Exploration(r));
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
            if (r is null) w.WriteNull("verdict_seconds");
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
            if (r?.Counterexample is Counterexample ce)
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
            if (r?.UndecidedReason is string reason) w.WriteString("undecided_reason", reason); else w.WriteNull("undecided_reason");
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
