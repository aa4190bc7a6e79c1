using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>An affine function g·x + h with exact coefficients.</summary>
public sealed record AffineForm(Rational[] G, Rational H)
{
    public int Dimension => G.Length;

    public Rational Evaluate(IReadOnlyList<Rational> x)
    {
        if (x.Count != G.Length) throw new ArgumentException($"expected a point with {G.Length} coordinates, got {x.Count}");
        Rational v = H;
        for (int i = 0; i < G.Length; i++) if (!G[i].IsZero) v += G[i] * x[i];
        return v;
    }

    /// <summary>g·x + h as an SMT term over the given variables.</summary>
    public SmtTerm ToTerm(IReadOnlyList<SmtTerm> x)
    {
        if (x.Count != G.Length) throw new ArgumentException($"expected {G.Length} variables, got {x.Count}");
        return Smt.Linear(G.Select((g, i) => (g, x[i])), H);
    }
}

public enum ZeroSetKind
{
    /// <summary>Unsat: wherever the region holds and a(x) = 0, also b(x) = 0.</summary>
    Confirmed,

    /// <summary>A point of the region with a(w) = 0 and b(w) ≠ 0, re-verified exactly.</summary>
    Refuted,

    Unknown,
}

/// <summary>The answer of <see cref="LinearQueries.ZeroSetsCoincide"/>.</summary>
public sealed record ZeroSetResult(ZeroSetKind Kind, Rational[]? Witness, string Reason, string SolverVersion, TimeSpan Elapsed);

/// <summary>Small linear queries answered by the solver, used to confirm the engine's geometric claims independently.</summary>
public static class LinearQueries
{
    /// <summary>
    /// Asks whether (c_j(x) ≥ 0 for all j) ∧ a(x) = 0 ∧ b(x) ≠ 0 is unsatisfiable, i.e. within the
    /// region, b vanishes wherever a does. Unsat ⇒ Confirmed; sat ⇒ Refuted with the model's point
    /// after an exact re-check (a point that does not re-check gives Unknown); anything else ⇒ Unknown.
    /// </summary>
    /// <exception cref="SolverUnavailableException">The solver cannot be found or started.</exception>
    public static ZeroSetResult ZeroSetsCoincide(IReadOnlyList<AffineForm> region, AffineForm a, AffineForm b, SmtOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        options ??= new SmtOptions();
        int d = a.Dimension;
        if (b.Dimension != d || region.Any(c => c.Dimension != d))
            throw new ArgumentException("all affine forms must have the same dimension");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var x = Enumerable.Range(0, d).Select(i => Smt.RealVar($"x_{i}")).ToArray();
        var zero = Smt.Real(Rational.Zero);
        using var session = SolverSession.Open(options);
        string version = session.SolverVersion;
        ZeroSetResult Result(ZeroSetKind kind, Rational[]? w, string reason) => new(kind, w, reason, version, clock.Elapsed);
        try
        {
            session.Command(SmtCommands.SetOption("produce-models", "true"));
            session.Command(SmtCommands.SetLogic("QF_LRA"));
            foreach (var v in x) session.Declare(v);
            foreach (var c in region) session.Assert(Smt.Ge(c.ToTerm(x), zero));
            session.Assert(Smt.Eq(a.ToTerm(x), zero));
            session.Assert(Smt.Distinct(b.ToTerm(x), zero));
            var result = session.CheckSat();
            if (result.Status == SatStatus.Unsat)
                return Result(ZeroSetKind.Confirmed, null, $"{version}: no point of the region has a = 0 and b ≠ 0 (unsat)");
            if (result.Status == SatStatus.Unknown) return Result(ZeroSetKind.Unknown, null, result.Reason);
            var w = session.GetValues(x);
            for (int j = 0; j < region.Count; j++)
                if (region[j].Evaluate(w).Sign < 0)
                    return Result(ZeroSetKind.Unknown, null, $"the solver's point violates region constraint {j}");
            if (!a.Evaluate(w).IsZero) return Result(ZeroSetKind.Unknown, null, "the solver's point does not have a = 0");
            var bw = b.Evaluate(w);
            if (bw.IsZero) return Result(ZeroSetKind.Unknown, null, "the solver's point has b = 0");
            return Result(ZeroSetKind.Refuted, w, $"{version}: at the point, a = 0 but b = {bw} (re-verified exactly)");
        }
        catch (SolverException e)
        {
            return Result(ZeroSetKind.Unknown, null, e.Message);
        }
    }
}
