using System.Diagnostics;
using ConvexProof.Geometry;
using static ConvexProof.Smt.Tests.TestNets;

namespace ConvexProof.Smt.Tests;

/// <summary>The protocol and the verdict logic against a scripted solver (no z3 needed).</summary>
public class FakeSolverTests
{
    private static SmtOptions With(FakeSolver fake, double? timeoutSeconds = null) => new()
    {
        Factory = fake,
        Query = SmtQueryKind.Midpoint,
        Timeout = timeoutSeconds is double s ? TimeSpan.FromSeconds(s) : null,
        GuardGrace = TimeSpan.FromMilliseconds(100),
        ProtocolTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public void Unsat_means_convex_and_the_protocol_is_followed()
    {
        var fake = new FakeSolver();
        var verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake));
        Assert.Equal(SmtVerdictKind.Convex, verdict.Kind);
        Assert.Equal("z3 9.9.9", verdict.SolverVersion);
        Assert.Equal("(set-option :print-success true)", fake.Sent[0]);
        Assert.Contains("(set-logic QF_LRA)", fake.Sent);
        Assert.Contains("(declare-fun x_0 () Real)", fake.Sent);
        Assert.Equal("(check-sat)", fake.Sent[^1]);
        Assert.DoesNotContain(fake.Sent, c => c.StartsWith("(set-option :timeout", StringComparison.Ordinal));
        Assert.Null(fake.HardLimit);
        Assert.True(fake.Last!.Closed);
    }

    [Fact]
    public void A_valid_model_in_odd_numeral_forms_gives_a_reverified_counterexample()
    {
        var fake = new FakeSolver
        {
            OnCheckSat = () => "sat",
            OnGetValue = c => c == "(get-value (x_0 y_0))" ? "((x_0 ((- 1.0))) (y_0 (/ 3.0 3.0)))" : null,
        };
        var verdict = SmtConvexityChecker.Decide(NegAbs, Domain.Everywhere(1), With(fake));
        Assert.Equal(SmtVerdictKind.NotConvex, verdict.Kind);
        Assert.Equal(V("-1"), verdict.X);
        Assert.Equal(V("1"), verdict.Y);
        Assert.Equal(R("-1"), verdict.Fx);
        Assert.Equal(R("-1"), verdict.Fy);
        Assert.Equal(R("0"), verdict.FMid);
    }

    [Theory]
    [InlineData("((x_0 0.0) (y_0 0.0))", "does not re-verify")]           // no violation at x = y
    [InlineData("((x_0 (- 1.0)) (y_0 1.0))", "does not re-verify")]      // |x| is convex: a lying solver
    [InlineData("((x_0 5.0) (y_0 1.0))", "outside")]                     // outside the box
    [InlineData("((y_0 1.0) (x_0 (- 1.0)))", "get-value for 'y_0'")]     // answers for the wrong terms
    [InlineData("((x_0 (root-obj x 1)) (y_0 1.0))", "cannot read")]      // not an exact rational
    [InlineData("((x_0 1.0))", "unexpected solver answer")]
    public void A_model_that_does_not_reverify_is_unknown_never_not_convex(string model, string reason)
    {
        var fake = new FakeSolver { OnCheckSat = () => "sat", OnGetValue = _ => model };
        var verdict = SmtConvexityChecker.Decide(Abs, Domain.Box([-2], [2]), With(fake));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
        Assert.Null(verdict.X);
    }

    [Fact]
    public void Unknown_answers_carry_the_solver_reason()
    {
        var fake = new FakeSolver { OnCheckSat = () => "unknown", ReasonUnknown = "timeout" };
        var verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake, 0.25));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("timeout", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("(set-option :timeout 250)", fake.Sent);
        Assert.NotNull(fake.HardLimit);

        fake = new FakeSolver { OnCheckSat = () => "unknown", ReasonUnknown = "(incomplete quantifiers)" };
        verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("incomplete", verdict.Reason, StringComparison.Ordinal);

        fake = new FakeSolver { OnCheckSat = () => "timeout" };
        verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("time limit", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_solver_that_never_answers_is_stopped_by_the_wall_clock_guard()
    {
        var fake = new FakeSolver { OnCheckSat = () => null };
        var clock = Stopwatch.StartNew();
        var verdict = SmtConvexityChecker.Decide(NegAbs, Domain.Everywhere(1), With(fake, 0.1));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("wall-clock", verdict.Reason, StringComparison.Ordinal);
        Assert.True(fake.Last!.Closed);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_solver_that_dies_mid_query_completes_the_waiting_request_with_an_error()
    {
        var fake = new FakeSolver();
        fake.OnCheckSat = () =>
        {
            var transport = fake.Last!;
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                transport.Die("z3 at '/fake/z3' exited with code 139");
            });
            return null;
        };
        var verdict = SmtConvexityChecker.Decide(NegAbs, Domain.Everywhere(1), With(fake));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("exited with code 139", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_reply_is_unknown_with_the_solver_message()
    {
        var fake = new FakeSolver
        {
            OnOther = c => c.StartsWith("(assert (>", StringComparison.Ordinal) ? "(error \"line 9 column 2: invalid assertion\")" : null,
        };
        var verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake));
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("invalid assertion", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_and_handshake_failures_name_the_path()
    {
        var fake = new FakeSolver { StartFailure = new SolverUnavailableException("/x/z3", "cannot start z3 at '/x/z3': no such file") };
        var e = Assert.Throws<SolverUnavailableException>(() => SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake)));
        Assert.Contains("/x/z3", e.Message, StringComparison.Ordinal);

        fake = new FakeSolver { OnOther = c => c.Contains("print-success", StringComparison.Ordinal) ? "(error \"no\")" : null };
        e = Assert.Throws<SolverUnavailableException>(() => SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake)));
        Assert.Contains("/fake/z3", e.Message, StringComparison.Ordinal);
        Assert.True(fake.Last!.Closed);

        fake = new FakeSolver { OnOther = c => c.Contains(":version", StringComparison.Ordinal) ? "banana" : null };
        e = Assert.Throws<SolverUnavailableException>(() => SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), With(fake)));
        Assert.Contains("did not answer like an SMT-LIB 2 solver", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_model_becomes_a_reverified_pair_by_halving_epsilon()
    {
        // f = −|x| + 10|x − 1/2| + 10|x + 1/2|: concave kink at 0, convex kinks at ±1/2. From m = 0
        // along t = 1, ε = 1 overshoots the convex kinks (no violation) and ε = 1/2 works.
        var net = FromJson("""
            {"input_dim":1,"layers":[
              {"weights":[[1],[-1],[1],[-1],[1],[-1]],"bias":[0,0,"-1/2","1/2","1/2","-1/2"],"activation":"relu"},
              {"weights":[[-1,-1,10,10,10,10]],"bias":[0],"activation":"identity"}]}
            """);
        var fake = new FakeSolver
        {
            OnCheckSat = () => "sat",
            OnGetValue = c => c == "(get-value (m_0 t_0))" ? "((m_0 0.0) (t_0 1.0))" : null,
        };
        var verdict = SmtConvexityChecker.Decide(net, Domain.Everywhere(1), With(fake) with { Query = SmtQueryKind.Local });
        Assert.Equal(SmtVerdictKind.NotConvex, verdict.Kind);
        Assert.Equal("local", verdict.Query);
        Assert.Equal(V("-1/2"), verdict.X);
        Assert.Equal(V("1/2"), verdict.Y);
        Assert.Equal(R("10"), verdict.FMid);
        Assert.Equal(R("19/2"), verdict.Fx);

        // A direction that never crosses a concave kink cannot be turned into a violation.
        fake = new FakeSolver { OnCheckSat = () => "sat", OnGetValue = _ => "((m_0 3.0) (t_0 1.0))" };
        verdict = SmtConvexityChecker.Decide(NegAbs, Domain.Everywhere(1), With(fake) with { Query = SmtQueryKind.Local });
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("does not re-verify", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_queries_run_and_the_first_definite_answer_wins()
    {
        var solvers = new List<FakeSolver>();
        var factory = new RoutingFactory(() =>
        {
            // The first solver started hangs in check-sat; the second proves unsat.
            var fake = new FakeSolver();
            lock (solvers)
            {
                if (solvers.Count == 0) fake.OnCheckSat = () => null;
                solvers.Add(fake);
            }
            return fake;
        });
        var verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), new SmtOptions { Factory = factory, ProtocolTimeout = TimeSpan.FromSeconds(5) });
        Assert.Equal(SmtVerdictKind.Convex, verdict.Kind);
        Assert.Equal(2, solvers.Count);
        Assert.All(solvers, s => Assert.True(s.Last!.Closed));
    }

    [Fact]
    public void Both_unknown_gives_both_reasons()
    {
        var factory = new RoutingFactory(() => new FakeSolver { OnCheckSat = () => "unknown", ReasonUnknown = "incomplete" });
        var verdict = SmtConvexityChecker.Decide(Abs, Domain.Everywhere(1), new SmtOptions { Factory = factory });
        Assert.Equal(SmtVerdictKind.Unknown, verdict.Kind);
        Assert.Contains("local query", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("midpoint query", verdict.Reason, StringComparison.Ordinal);
    }

    /// <summary>A new fake for every solver started (the two queries of <see cref="SmtQueryKind.Both"/>).</summary>
    private sealed class RoutingFactory(Func<FakeSolver> next) : ISolverFactory
    {
        public ISolverTransport Start(TimeSpan? hardLimit) => next().Start(hardLimit);
    }

    [Fact]
    public void Dimension_mismatch_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => SmtConvexityChecker.Decide(Abs, Domain.Everywhere(2), With(new FakeSolver())));
    }

    [Fact]
    public void Zero_set_answers_are_checked_exactly()
    {
        var a = new AffineForm(V("1", "0"), R("0"));
        var b = new AffineForm(V("1", "1"), R("0"));
        var fake = new FakeSolver();
        Assert.Equal(ZeroSetKind.Confirmed, LinearQueries.ZeroSetsCoincide([], a, b, With(fake)).Kind);
        Assert.Contains("(assert (distinct (+ x_0 x_1) 0.0))", fake.Sent);

        fake = new FakeSolver { OnCheckSat = () => "sat", OnGetValue = _ => "((x_0 0.0) (x_1 (- 0.5)))" };
        var refuted = LinearQueries.ZeroSetsCoincide([], a, b, With(fake));
        Assert.Equal(ZeroSetKind.Refuted, refuted.Kind);
        Assert.Equal(V("0", "-1/2"), refuted.Witness);

        // A witness with b = 0, or off a's zero set, or outside the region, is not believed.
        foreach (var model in new[] { "((x_0 0.0) (x_1 0.0))", "((x_0 1.0) (x_1 1.0))", "((x_0 0.0) (x_1 (- 2.0)))" })
        {
            fake = new FakeSolver { OnCheckSat = () => "sat", OnGetValue = _ => model };
            var result = LinearQueries.ZeroSetsCoincide([new AffineForm(V("0", "1"), R("1"))], a, b, With(fake));
            Assert.Equal(ZeroSetKind.Unknown, result.Kind);
            Assert.Null(result.Witness);
        }
    }
}
