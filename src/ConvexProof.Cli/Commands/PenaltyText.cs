using System.Globalization;
using System.Text;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Penalty;

namespace ConvexProof.Cli.Commands;

/// <summary>The human summary of `penalty`: totals, one line per unit, every condition, every degenerate frontier.</summary>
public static class PenaltyText
{
    public static string Describe(string path, Network network, PenaltyReport r)
    {
        var sb = new StringBuilder();
        void Line(string label, string text) => sb.Append(CultureInfo.InvariantCulture, $"{label,-14}{text}\n");
        Line("network:", $"{path} (sha256 {r.NetworkSha256[..16]}…)");
        Line("domain:", DomainText.Of(r.Domain));
        Line("regions:", $"{r.Regions}{(r.Complete ? " (full enumeration)" : " (a limit stopped the enumeration: the penalty below is a lower bound)")}");
        Line("conditions:", $"{r.Conditions.Count} (unit, downstream pattern) pairs, {r.Violating} with c < 0");
        Line("penalty R/λ:", $"{r.Total} (≈ {r.Total.ToDouble().ToString("G6", CultureInfo.InvariantCulture)}) = Σ max(0, −c)");
        Line("degenerate:", r.DegenerateFrontiers.Count == 0 ? "none"
            : $"{r.DegenerateFrontiers.Count} frontier{(r.DegenerateFrontiers.Count == 1 ? "" : "s")}, {r.NegativeJumps} with a negative gradient jump (no term in R)");
        Line("verdict:", r.Verdict switch
        {
            Verdict.Convex => "convex",
            Verdict.NotConvex => "not convex",
            _ => $"undecided: {r.UndecidedReason}",
        });
        sb.Append("\nper unit (layer and row count from 1):\n");
        sb.Append("  unit  layer  row  conditions  violating  worst c  penalty\n");
        foreach (var u in r.Units)
            sb.Append(CultureInfo.InvariantCulture,
                $"  {u.Unit,4}  {u.Layer + 1,5}  {u.Row + 1,3}  {u.Conditions,10}  {u.Violating,9}  {u.Worst?.ToString() ?? "-",7}  {u.Penalty}\n");
        sb.Append("\nconditions (unit: downstream pattern = c):\n");
        foreach (var c in r.Conditions)
            sb.Append(CultureInfo.InvariantCulture, $"  {c.Neuron}: {(c.Downstream.Length == 0 ? "(none)" : c.Downstream)} = {c.Value}\n");
        if (r.DegenerateFrontiers.Count > 0)
        {
            sb.Append("\ndegenerate frontiers (switching units: gradient jump):\n");
            foreach (var f in r.DegenerateFrontiers)
                sb.Append(CultureInfo.InvariantCulture, $"  {string.Join(",", f.Units)}: {f.Jump} at ({string.Join(", ", f.Point.Select(x => x.ToString()))})\n");
        }
        return sb.ToString();
    }
}
