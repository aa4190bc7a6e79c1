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
    /// <summary>The time budget ran out before every frontier was asked.</summary>
    public bool OutOfTime { get; init; }

    public string Describe() => (Checked == 0
        ? OutOfTime ? "not confirmed (time limit reached)" : "no degenerate frontier to confirm"
        : $"{Confirmed} of {Checked} confirmed by {SolverVersion}" +
          (Checked < Frontiers ? $" (first {Checked} of {Frontiers})" : "") +
          (Refuted > 0 ? $", {Refuted} REFUTED" : "") + (Unknown > 0 ? $", {Unknown} unknown" : "") +
          (OutOfTime ? " (time limit reached)" : ""));
}

/// <summary>
/// Independent assurance for degenerate frontiers: for each reported frontier, Z3 is asked whether
/// every switching unit's zero set coincides with the facet's hyperplane within the region (on the
/// side where the unit is not identically zero). This is a second, unrelated decision procedure
/// for the engine's geometric claim; a refutation is an engine bug and is reported as such.
/// </summary>
public static class DegeneracyConfirmation
{
    // budget: wall-clock time for all the queries (null: no limit). No query starts after it, and
    // each query's solver timeout is cut to what is left, so the whole confirmation ends within the
    // budget plus the solver's short kill grace.
    public static DegeneracyConfirmationSummary Confirm(Network network, Domain domain, Degeneracies degeneracies,
        SmtOptions? options = null, int maxFrontiers = 50, TimeSpan? budget = null)
    {
        options ??= new SmtOptions { Timeout = TimeSpan.FromSeconds(10) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int confirmed = 0, refuted = 0, unknown = 0, count = 0;
        bool outOfTime = false;
        string version = "z3";
        var problems = new List<string>();
        SmtOptions? Budgeted()
        {
            if (budget is not TimeSpan total) return options;
            var left = total - clock.Elapsed;
            if (left <= TimeSpan.Zero) return null;
            var grace = TimeSpan.FromMilliseconds(500);
            return options with
            {
                Timeout = options.Timeout is TimeSpan t && t < left ? t : left,
                GuardGrace = options.GuardGrace < grace ? options.GuardGrace : grace,
                ProtocolTimeout = options.ProtocolTimeout < left + grace ? options.ProtocolTimeout : left + grace,
            };
        }
        foreach (var f in degeneracies.Frontiers.Take(maxFrontiers))
        {
            if (Budgeted() is null)
            {
                outOfTime = true;
                break;
            }
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
                var a = Form(before.PreActivations[facetUnit]);
                if (Budgeted() is not SmtOptions query)
                {
                    outOfTime = true;
                    if (outcome == ZeroSetKind.Confirmed) outcome = ZeroSetKind.Unknown;
                    break;
                }
                var result = LinearQueries.ZeroSetsCoincide(region, a, Form(side.PreActivations[unit]), query);
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
        return new DegeneracyConfirmationSummary(degeneracies.Frontiers.Count, count, confirmed, refuted, unknown, version, problems)
        {
            OutOfTime = outOfTime,
        };
    }

    private static AffineForm Form(Rational[] a) => new(a[..^1], a[^1]);
}
