namespace ConvexProof.Smt;

/// <summary>How a ReLU unit h = max(z, 0) is written in the query; both are exact.</summary>
public enum ReluEncoding
{
    /// <summary><c>(= h (ite (&gt; z 0) z 0))</c>.</summary>
    Ite,

    /// <summary>h ≥ 0, h ≥ z and (h = 0 or h = z): the two cases as a disjunction.</summary>
    Cases,
}

/// <summary>Which formulation(s) of "not convex" the solver is asked.</summary>
public enum SmtQueryKind
{
    /// <summary>Both <see cref="Local"/> and <see cref="Midpoint"/> in two solver processes at once; the first definite answer wins.</summary>
    Both,

    /// <summary><see cref="MidpointConvexityQuery"/>: ∃ x, y with f((x+y)/2) &gt; (f(x)+f(y))/2.</summary>
    Midpoint,

    /// <summary><see cref="LocalConvexityQuery"/>: ∃ m, t with f'(m; t) + f'(m; −t) &lt; 0.</summary>
    Local,
}

/// <summary>Settings of one SMT query.</summary>
public sealed record SmtOptions
{
    /// <summary>The z3 binary; null looks for "z3" on PATH. Ignored when <see cref="Factory"/> is set.</summary>
    public string? SolverPath { get; init; }

    /// <summary>Starts the solver; null means the real z3 (<see cref="Z3ProcessFactory"/>). Tests inject fakes here.</summary>
    public ISolverFactory? Factory { get; init; }

    /// <summary>
    /// Time for the query's check-sat: passed to z3 as <c>(set-option :timeout ms)</c>, backed by the
    /// process limit <c>-T:</c> and a wall-clock guard that kills the solver. Reaching it gives an
    /// Unknown result, never a verdict. Null: no limit.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Wall-clock limit for every other command (start, declarations, get-value).</summary>
    public TimeSpan ProtocolTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ReluEncoding ReluEncoding { get; init; } = ReluEncoding.Ite;

    public SmtQueryKind Query { get; init; } = SmtQueryKind.Both;

    /// <summary>Add the valid gap lemmas (docs/smt.md) that make unsat proofs short; off only to test that they change nothing.</summary>
    public bool Lemmas { get; init; } = true;

    /// <summary>Extra wall-clock time past <see cref="Timeout"/> before the guard kills the solver.</summary>
    public TimeSpan GuardGrace { get; init; } = TimeSpan.FromSeconds(2);

    internal ISolverFactory ResolveFactory() => Factory ?? new Z3ProcessFactory(SolverPath);
}
