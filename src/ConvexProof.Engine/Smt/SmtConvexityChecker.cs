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

/// <summary>
/// The SMT route's answer. NotConvex always carries x, y in the domain and the exactly recomputed
/// f(x), f(y), f((x+y)/2) with f((x+y)/2) &gt; (f(x)+f(y))/2; Unknown carries the reason.
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
    TimeSpan Elapsed);

/// <summary>Exact values at a re-verified violation: f(x), f(y) and f((x+y)/2).</summary>
public readonly record struct MidpointViolation(Rational Fx, Rational Fy, Rational FMid);

/// <summary>
/// Decides convexity of a ReLU network on R^d or a box with an SMT solver (z3) as an independent
/// second opinion to the certificate engine. unsat of the midpoint query ⇒ Convex; sat ⇒ the
/// model's x, y are re-verified with <see cref="Network.Evaluate"/> before NotConvex is reported
/// (a model that does not re-verify gives Unknown, never NotConvex); unknown, timeouts, solver
/// errors and solver death ⇒ Unknown.
/// </summary>
public static class SmtConvexityChecker
{
    /// <exception cref="SolverUnavailableException">The solver cannot be found or started.</exception>
    public static SmtVerdict Decide(Network network, Domain domain, SmtOptions? options = null)
    {
        options ??= new SmtOptions();
        var clock = Stopwatch.StartNew();
        var query = MidpointConvexityQuery.Build(network, domain, options.ReluEncoding);
        using var session = SolverSession.Open(options);
        string version = session.SolverVersion;
        SmtVerdict Unknown(string reason) => new(SmtVerdictKind.Unknown, null, null, null, null, null, reason, version, clock.Elapsed);
        try
        {
            session.Command(SmtCommands.SetOption("produce-models", "true"));
            session.Command(SmtCommands.SetLogic(MidpointConvexityQuery.Logic));
            foreach (var s in query.Declarations) session.Declare(s);
            foreach (var a in query.Assertions) session.Assert(a);
            var result = session.CheckSat();
            switch (result.Status)
            {
                case SatStatus.Unsat:
                    return new SmtVerdict(SmtVerdictKind.Convex, null, null, null, null, null,
                        $"{version}: no x, y in {domain} with f((x+y)/2) > (f(x)+f(y))/2 (unsat)", version, clock.Elapsed);
                case SatStatus.Unknown:
                    return Unknown(result.Reason);
            }
            var values = session.GetValues([.. query.X, .. query.Y]);
            int d = network.InputDim;
            var x = values[..d];
            var y = values[d..];
            if (!TryReverify(network, domain, x, y, out var v, out var problem))
                return Unknown($"the solver's model does not re-verify: {problem}");
            return new SmtVerdict(SmtVerdictKind.NotConvex, x, y, v.Fx, v.Fy, v.FMid,
                $"{version}: f((x+y)/2) > (f(x)+f(y))/2, re-verified exactly", version, clock.Elapsed);
        }
        catch (SolverException e)
        {
            return Unknown(e.Message);
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
}
