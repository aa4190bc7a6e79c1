using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Smt;

/// <summary>How many reported degenerate frontiers Z3 confirmed, refuted or could not decide.</summary>
public sealed record DegeneracyConfirmationSummary(
    int Frontiers, int Checked, int Confirmed, int Refuted, int Unknown, string SolverVersion, IReadOnlyList<string> Problems)
{
    public string Describe() => Checked == 0
        ? "no degenerate frontier to confirm"
        : $"{Confirmed} of {Checked} confirmed by {SolverVersion}" +
          (Checked < Frontiers ? $" (first {Checked} of {Frontiers})" : "") +
          (Refuted > 0 ? $", {Refuted} REFUTED" : "") + (Unknown > 0 ? $", {Unknown} unknown" : "");
}

/// <summary>
/// Independent assurance for degenerate frontiers: for each reported frontier, Z3 is asked whether
/// every switching unit's zero set coincides with the facet's hyperplane within the region (on the
/// side where the unit is not identically zero). This is a second, unrelated decision procedure
/// for the engine's geometric claim; a refutation is an engine bug and is reported as such.
/// </summary>
public static class DegeneracyConfirmation
{
    public static DegeneracyConfirmationSummary Confirm(Network network, Domain domain, Degeneracies degeneracies,
        SmtOptions? options = null, int maxFrontiers = 50)
    {
        options ??= new SmtOptions { Timeout = TimeSpan.FromSeconds(10) };
        int confirmed = 0, refuted = 0, unknown = 0, count = 0;
        string version = "z3";
        var problems = new List<string>();
        foreach (var f in degeneracies.Frontiers.Take(maxFrontiers))
        {
            count++;
            var before = LocalAffineMaps.ForPattern(network, f.RegionPattern);
            var after = LocalAffineMaps.ForPattern(network, f.NeighbourPattern);
            var outcome = ZeroSetKind.Confirmed;
            foreach (int unit in f.Units)
            {
                // Ask on a side where the unit is not identically zero (a flat unit vanishes trivially).
                var side = before.IsFlat(unit) ? after : before;
                var region = new RegionConstraints(side, domain).All.Select(Form).ToArray();
                // The facet's hyperplane, from the region's own (non-flat) facet constraint.
                var facetUnit = f.Constraint;
                var a = Form(before.Neurons[facetUnit]);
                var result = LinearQueries.ZeroSetsCoincide(region, a, Form(side.Neurons[unit]), options);
                version = result.SolverVersion;
                if (result.Kind == ZeroSetKind.Refuted)
                {
                    outcome = ZeroSetKind.Refuted;
                    problems.Add($"frontier of regions {f.Region}/{f.Neighbour}: unit {unit} does not vanish with unit {facetUnit}: {result.Reason}");
                    break;
                }
                if (result.Kind == ZeroSetKind.Unknown && outcome == ZeroSetKind.Confirmed) outcome = ZeroSetKind.Unknown;
            }
            switch (outcome)
            {
                case ZeroSetKind.Confirmed: confirmed++; break;
                case ZeroSetKind.Refuted: refuted++; break;
                default: unknown++; break;
            }
        }
        return new DegeneracyConfirmationSummary(degeneracies.Frontiers.Count, count, confirmed, refuted, unknown, version, problems);
    }

    private static AffineForm Form(Rational[] a) => new(a[..^1], a[^1]);
}
