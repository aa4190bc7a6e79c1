namespace ConvexProof.Smt;

/// <summary>How a ReLU unit h = max(z, 0) is written in the query; both are exact.</summary>
public enum ReluEncoding
{
    /// <summary><c>(= h (ite (&gt; z 0) z 0))</c>.</summary>
    Ite,

    /// <summary>h ≥ 0, h ≥ z and (h = 0 or h = z): the two cases as a disjunction.</summary>
    Cases,
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

    /// <summary>Extra wall-clock time past <see cref="Timeout"/> before the guard kills the solver.</summary>
    public TimeSpan GuardGrace { get; init; } = TimeSpan.FromSeconds(2);

    internal ISolverFactory ResolveFactory() => Factory ?? new Z3ProcessFactory(SolverPath);
}
