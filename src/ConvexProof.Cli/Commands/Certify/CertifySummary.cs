using System.Globalization;
using ConvexProof.Bounds;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Commands;

/// <summary>The human output of `certify`: the summary of one network, or one line per network in batch mode.</summary>
public static class CertifySummary
{
    /// <summary>The human summary of one network's outcome (either route), with the method and why.</summary>
    public static string Describe(CertifyOutcome o)
    {
        string method = $"method:     {o.Method!.Name} ({o.Method.Reason})\n";
        if (o.Bounds is not BoundCertification b)
            return Describe(o.NetPath, o.CertPath, o.Network!, o.Result!, o.Elapsed, o.Confirmation) + method;
        var lines = new List<string>
        {
            "verdict:    " + b.Verdict switch
            {
                BoundVerdict.Convex => $"convex (certificate written to {o.CertPath})",
                BoundVerdict.NotConvex => $"NOT convex (refutation written to {o.CertPath})",
                _ => "undecided (no certificate written)",
            },
            $"network:    {o.NetPath} ({o.Network!.InputDim} inputs, {o.Network.NeuronCount} ReLU units, {o.Network.Layers.Count} layers)",
            $"domain:     {DomainText.Of(o.Domain!)}{(b.Method == BoundMethod.Structural && b.Verdict == BoundVerdict.Convex ? " (the sign rule holds on all of R^d)" : "")}",
        };
        lines.AddRange(BoundRun.Describe(b));
        if (b.Refutation is Refutation ce)
        {
            lines.Add($"counterexample: x = ({string.Join(", ", ce.X)}), y = ({string.Join(", ", ce.Y)})");
            lines.Add($"                f(x) = {ce.Fx}, f(y) = {ce.Fy}, f((x+y)/2) = {ce.FMid} > (f(x)+f(y))/2");
        }
        lines.Add($"time:       {o.Elapsed.TotalSeconds:0.000} s");
        return string.Join('\n', lines) + "\n" + method;
    }

    /// <summary>The human summary printed on stdout.</summary>
    public static string Describe(string netPath, string outPath, Network network, CertificationResult result, TimeSpan elapsed, string? confirmation = null)
    {
        var s = result.Statistics;
        var lines = new List<string>();
        string verdict = result.Verdict switch
        {
            Verdict.Convex => $"convex (certificate written to {outPath})",
            Verdict.NotConvex => $"NOT convex (refutation written to {outPath})",
            _ => $"undecided: {result.UndecidedReason} (no certificate written)",
        };
        lines.Add($"verdict:    {verdict}");
        lines.Add($"network:    {netPath} ({network.InputDim} inputs, {network.NeuronCount} ReLU units, {network.Layers.Count} layers, sha256 {result.NetworkSha256[..16]}…)");
        lines.Add($"domain:     {DomainText.Of(result.Domain)}");
        if (result.Complete || result.Verdict == Verdict.Undecided)
        {
            string partial = result.Complete ? "" : " (partial)";
            lines.Add($"regions:    {s.Regions}{partial}");
            lines.Add($"frontiers:  {s.Facets} facets ({s.BoundaryFacets} on the domain boundary, {s.DegenerateFacets} degenerate), {s.Redundant} redundant constraints, {s.Flat} flat");
            lines.Add($"conditions: {s.Conditions} (unit, downstream pattern) pairs, {s.Violations} violated");
        }
        else if (result.StoppedAtFirstViolation)
            lines.Add($"regions:    {s.Regions} explored; the refutation rests on the counterexample alone");
        else lines.Add($"regions:    {s.Regions} explored before the limit; the refutation rests on the counterexample alone");
        lines.Add("exploration: " + (result.Complete ? "complete (every region)"
            : result.StoppedAtFirstViolation ? "stopped at the first violation (--all-violations explores every region)"
            : "stopped by a limit"));
        var deg = result.Degeneracies;
        if (deg.Frontiers.Count > 0)
        {
            var units = deg.Frontiers.SelectMany(f => f.Units).Distinct().Order().Take(12).ToList();
            lines.Add($"degenerate: {deg.Frontiers.Count} frontiers where several units switch together (units {string.Join(", ", units)}" +
                      $"{(units.Count == 12 ? ", …" : "")}; first at region {deg.Frontiers[0].Region}, point ({string.Join(", ", deg.Frontiers[0].Point)})), decided by the exact gradient-jump test");
            if (confirmation is not null) lines.Add($"z3:         {confirmation}");
        }
        if (deg.ConstantUnits.Count > 0)
            lines.Add($"constant:   {deg.ConstantUnits.Count} units constant on some regions (dead, always on, or identically zero), e.g. unit {deg.ConstantUnits[0].Unit} on {deg.ConstantUnits[0].Regions} regions");
        if (result.FirstViolation is Violation v)
        {
            string where = v.Degenerate
                ? $"degenerate frontier of region {v.Region} (units {string.Join(", ", v.Units)} switch together): gradient jump {v.Value} < 0"
                : $"unit {v.Units[0]} ({network.Neurons[v.Units[0]]}) at a frontier of region {v.Region}: c = {v.Value} < 0";
            lines.Add($"violation:  {where}");
        }
        if (result.Counterexample is Counterexample ce)
        {
            lines.Add($"counterexample: x = ({string.Join(", ", ce.X)}), y = ({string.Join(", ", ce.Y)})");
            lines.Add($"                f(x) = {ce.Fx}, f(y) = {ce.Fy}, f((x+y)/2) = {ce.FMid} > (f(x)+f(y))/2");
        }
        lines.Add($"time:       {elapsed.TotalSeconds:0.000} s (verdict after {result.Statistics.TimeToVerdict.TotalSeconds:0.000} s)");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>One line of batch output (human form).</summary>
    public static string BatchLine(CertifyOutcome o)
    {
        string time = Seconds(o.Elapsed) + " s";
        if (o.Error is not null)
        {
            string problem = o.Input is InputException e ? $"{e.JsonPath}: {e.Problem}" : o.Error;
            return $"{o.NetPath}: error: {problem}";
        }
        if (o.Bounds is BoundCertification b)
            return b.Verdict switch
            {
                BoundVerdict.Convex => $"{o.NetPath}: convex ({o.Method!.Name}, {time}) -> {o.CertPath}",
                BoundVerdict.NotConvex => $"{o.NetPath}: NOT convex (counterexample on a line, {b.LinesSearched} lines; {time}) -> {o.CertPath}",
                _ => $"{o.NetPath}: undecided: {b.Reason} ({time}; no certificate written)",
            };
        var r = o.Result!;
        var s = r.Statistics;
        return r.Verdict switch
        {
            Verdict.Convex => $"{o.NetPath}: convex ({s.Regions} regions, {time}) -> {o.CertPath}",
            Verdict.NotConvex => $"{o.NetPath}: NOT convex ({ViolationText(o.Network!, r.FirstViolation)}; {RegionsText(r)}, {time}) -> {o.CertPath}",
            _ => $"{o.NetPath}: undecided: {r.UndecidedReason} ({time}; no certificate written)",
        };
    }

    /// <summary>How many regions a refutation explored, and why it stopped there.</summary>
    private static string RegionsText(CertificationResult r) =>
        r.StoppedAtFirstViolation ? $"stopped at the first violation after {r.Statistics.Regions} regions"
        : r.Complete ? $"{r.Statistics.Regions} regions"
        : $"{r.Statistics.Regions} regions before the limit";

    private static string ViolationText(Network network, Violation? v) => v switch
    {
        null => "counterexample",
        { Degenerate: true } => $"units {string.Join(", ", v.Units)} switch together, gradient jump {v.Value}",
        _ => $"unit {v.Units[0]} ({network.Neurons[v.Units[0]]}) c = {v.Value}",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
