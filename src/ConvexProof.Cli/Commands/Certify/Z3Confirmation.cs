using ConvexProof.Certificates;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Smt;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// Independent Z3 confirmation of the degenerate frontiers, as one line for the summary, within
/// what is left of the time limit (the verdict is exact already; running out only leaves frontiers
/// unconfirmed). A Z3 refutation is a warning: it would mean an engine bug.
/// </summary>
public static class Z3Confirmation
{
    /// <summary>The "z3:" line, or null when there is no degenerate frontier to confirm.</summary>
    public static string? Describe(Network network, Domain domain, CertificationResult result, CertifySettings settings, TimeSpan? left)
    {
        if (result.Degeneracies.Frontiers.Count == 0) return null;
        if (settings.Smt is null) return "not asked (--no-smt)";
        // A refutation-only certificate carries no degeneracies: the counterexample alone decides, and
        // a Z3 process would only delay the verdict.
        if (RefutationCertificate.Applies(result)) return "not asked (the refutation rests on the counterexample alone)";
        if (left is TimeSpan l && l <= TimeSpan.Zero) return "not confirmed (time limit reached)";
        try
        {
            var summary = DegeneracyConfirmation.Confirm(network, domain, result.Degeneracies, settings.Smt, budget: left);
            foreach (var problem in summary.Problems) settings.Warnings.WriteLine($"convexproof: WARNING: z3 contradicts the engine: {problem}");
            return summary.Describe();
        }
        catch (SolverException e)
        {
            return $"not confirmed ({e.Message})";
        }
    }
}
