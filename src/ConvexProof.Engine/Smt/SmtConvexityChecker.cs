using System.Diagnostics;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

public enum SmtVerdictKind
{
    Convex,
    NotConvex,
    Unknown,
}

/// <summary>Exact values at a re-verified violation: f(x), f(y) and f((x+y)/2).</summary>
public readonly record struct MidpointViolation(Rational Fx, Rational Fy, Rational FMid);

/// <summary>
/// The SMT route's answer. NotConvex always carries x, y in the domain and the exactly recomputed
/// f(x), f(y), f((x+y)/2) with f((x+y)/2) &gt; (f(x)+f(y))/2; Unknown carries the reason.
/// <see cref="Query"/> names the formulation that decided ("midpoint" or "local").
/// </summary>
public sealed record SmtVerdict(
    SmtVerdictKind Kind,
    Rational[]? X,
    Rational[]? Y,
    Rational? Fx,
    Rational? Fy,
    Rational? FMid,
    string Reason,
    string SolverVersion,
    TimeSpan Elapsed,
    string Query = "");

/// <summary>
/// Decides convexity of a ReLU network on R^d or a box with an SMT solver (z3) as an independent
/// second opinion to the certificate engine. unsat ⇒ Convex; sat ⇒ the model is turned into x, y
/// and re-verified with <see cref="Network.Evaluate"/> before NotConvex is reported (a model that
/// does not re-verify gives Unknown, never NotConvex); unknown, timeouts, solver errors and solver
/// death ⇒ Unknown. By default the midpoint and the local formulation run in two solver processes
/// at once and the first definite answer wins (the other process is stopped).
/// </summary>
public static class SmtConvexityChecker
{
    /// <exception cref="SolverUnavailableException">The solver cannot be found or started.</exception>
    public static SmtVerdict Decide(Network network, Domain domain, SmtOptions? options = null)
    {
        options ??= new SmtOptions();
        var clock = Stopwatch.StartNew();
        var queries = options.Query switch
        {
            SmtQueryKind.Midpoint => [Midpoint(network, domain, options)],
            SmtQueryKind.Local => [Local(network, domain, options)],
            _ => new ConvexityQuery[] { Local(network, domain, options), Midpoint(network, domain, options) },
        };
        SmtVerdict verdict = queries.Length == 1 ? Run(queries[0], options, CancellationToken.None) : RunBoth(queries, options);
        return verdict with { Elapsed = clock.Elapsed };
    }

    /// <summary>Runs one query to its end (or until cancelled, which gives Unknown).</summary>
    /// <exception cref="SolverUnavailableException">The solver cannot be found or started.</exception>
    public static SmtVerdict Run(ConvexityQuery query, SmtOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        using var session = SolverSession.Open(options);
        string version = session.SolverVersion;
        SmtVerdict Unknown(string reason) =>
            new(SmtVerdictKind.Unknown, null, null, null, null, null, reason, version, clock.Elapsed, query.Name);
        using var registration = cancel.Register(session.Abort);
        try
        {
            session.Command(SmtCommands.SetOption("produce-models", "true"));
            session.Command(SmtCommands.SetLogic(ConvexityQuery.Logic));
            foreach (var s in query.Declarations) session.Declare(s);
            foreach (var a in query.Assertions) session.Assert(a);
            var result = session.CheckSat();
            if (cancel.IsCancellationRequested) return Unknown("cancelled");
            switch (result.Status)
            {
                case SatStatus.Unsat:
                    return new SmtVerdict(SmtVerdictKind.Convex, null, null, null, null, null,
                        $"{version}: the {query.Name} query has no solution on {query.Domain} (unsat)", version, clock.Elapsed, query.Name);
                case SatStatus.Unknown:
                    return Unknown(result.Reason);
            }
            var values = session.GetValues(query.ModelTerms);
            if (!query.TryCounterexample(values, out var x, out var y, out var v, out var problem))
                return Unknown($"the solver's model ({query.Name} query) does not re-verify: {problem}");
            return new SmtVerdict(SmtVerdictKind.NotConvex, x, y, v.Fx, v.Fy, v.FMid,
                $"{version} ({query.Name} query): f((x+y)/2) > (f(x)+f(y))/2, re-verified exactly", version, clock.Elapsed, query.Name);
        }
        catch (SolverException e)
        {
            return Unknown(cancel.IsCancellationRequested ? "cancelled" : e.Message);
        }
    }

    /// <summary>
    /// Exact check that x, y lie in the domain and violate midpoint convexity:
    /// f((x+y)/2) &gt; (f(x)+f(y))/2 with <see cref="Network.Evaluate"/>. On failure,
    /// <paramref name="problem"/> says what does not hold.
    /// </summary>
    public static bool TryReverify(Network network, Domain domain, IReadOnlyList<Rational> x, IReadOnlyList<Rational> y,
        out MidpointViolation violation, out string problem)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(domain);
        violation = default;
        problem = "";
        int d = network.InputDim;
        if (x.Count != d || y.Count != d) { problem = $"expected points with {d} coordinates"; return false; }
        if (!domain.Contains(x)) { problem = $"x = ({string.Join(", ", x)}) is outside {domain}"; return false; }
        if (!domain.Contains(y)) { problem = $"y = ({string.Join(", ", y)}) is outside {domain}"; return false; }
        var half = new Rational(1, 2);
        var m = new Rational[d];
        for (int i = 0; i < d; i++) m[i] = (x[i] + y[i]) * half;
        var fx = network.Evaluate(x);
        var fy = network.Evaluate(y);
        var fm = network.Evaluate(m);
        if (fm * 2 <= fx + fy)
        {
            problem = $"f((x+y)/2) = {fm} is not above (f(x)+f(y))/2 = {(fx + fy) * half}";
            return false;
        }
        violation = new MidpointViolation(fx, fy, fm);
        return true;
    }

    private static MidpointConvexityQuery Midpoint(Network network, Domain domain, SmtOptions options) =>
        MidpointConvexityQuery.Build(network, domain, options.ReluEncoding, options.Lemmas);

    private static LocalConvexityQuery Local(Network network, Domain domain, SmtOptions options) =>
        LocalConvexityQuery.Build(network, domain, options.ReluEncoding, options.Lemmas);

    /// <summary>Both queries at once; the first definite verdict wins and stops the other solver.</summary>
    private static SmtVerdict RunBoth(ConvexityQuery[] queries, SmtOptions options)
    {
        using var stop = new CancellationTokenSource();
        // Threads of their own (LongRunning): each mostly waits on its solver, and a pool item could
        // wait seconds for a free pool thread in a busy host, past the time limits.
        var tasks = queries.Select(q => Task.Factory.StartNew(() => Run(q, options, stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
        var finished = new List<SmtVerdict>();
        var failures = new List<Exception>();
        var pending = new List<Task<SmtVerdict>>(tasks);
        while (pending.Count > 0)
        {
            int index = Task.WaitAny([.. pending]);
            var task = pending[index];
            pending.RemoveAt(index);
            if (task.IsFaulted)
            {
                failures.Add(task.Exception!.InnerException!);
                stop.Cancel();
                continue;
            }
            finished.Add(task.Result);
            if (task.Result.Kind != SmtVerdictKind.Unknown) stop.Cancel();
        }
        // A re-verified counterexample is a fact; it outranks an unsat from the other query (which
        // would then be a solver bug).
        var decided = finished.FirstOrDefault(v => v.Kind == SmtVerdictKind.NotConvex)
            ?? finished.FirstOrDefault(v => v.Kind == SmtVerdictKind.Convex);
        if (decided is not null) return decided;
        if (failures.Count > 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failures[0]).Throw();
        var reasons = finished.Where(v => v.Reason != "cancelled").Select(v => $"{v.Query} query: {v.Reason}").Distinct().ToList();
        return finished[0] with { Reason = string.Join("; ", reasons), Query = string.Join("+", queries.Select(q => q.Name)) };
    }
}
