namespace ConvexProof.Smt;

/// <summary>What `convexproof --version` reports about the solver.</summary>
public static class Z3Info
{
    /// <summary>
    /// "z3 4.8.12" as the solver itself reports it (<c>(get-info :version)</c>), or "z3 not found"
    /// when it cannot be found or started. Never throws; waits at most a few seconds.
    /// </summary>
    public static string VersionText(string? explicitPath = null)
    {
        try
        {
            using var session = SolverSession.Open(new SmtOptions { SolverPath = explicitPath, ProtocolTimeout = TimeSpan.FromSeconds(5) });
            return session.SolverVersion;
        }
        catch (SolverException)
        {
            return "z3 not found";
        }
    }
}
