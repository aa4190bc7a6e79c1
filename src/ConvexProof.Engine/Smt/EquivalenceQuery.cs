using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>What the solver said about "∃ x in the domain: f(x) ≠ g(x)"; a model's x is re-evaluated exactly.</summary>
public sealed record EquivalenceAnswer(SatStatus Status, Rational[]? Difference, string Reason);

/// <summary>
/// An independent test of an equivalence claim (the simplifier's, in the tests): one exact copy of
/// each network at the same input, their outputs asserted distinct. Unsat means f = g on the domain.
/// </summary>
public static class EquivalenceQuery
{
    public static EquivalenceAnswer Run(Network f, Network g, Domain domain, SmtOptions options)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(domain);
        if (f.InputDim != g.InputDim || domain.Dimension != f.InputDim) throw new ArgumentException("the networks and the domain must have the same dimension");
        var encoding = new NetworkEncoding(f);
        var x = Enumerable.Range(0, f.InputDim).Select(i => encoding.Declare($"x_{i}")).ToArray();
        for (int i = 0; domain.IsBox && i < x.Length; i++)
            encoding.Assertions.Add(Smt.And(Smt.Le(Smt.Real(domain.Lower![i]), x[i]), Smt.Le(x[i], Smt.Real(domain.Upper![i]))));
        var fx = encoding.Value("f", [.. x], ReluEncoding.Ite);
        var other = new NetworkEncoding(g);
        var gx = other.Value("g", [.. x], ReluEncoding.Ite);
        using var session = SolverSession.Open(options);
        try
        {
            session.Command(SmtCommands.SetOption("produce-models", "true"));
            session.Command(SmtCommands.SetLogic("QF_LRA"));
            foreach (var s in encoding.Declarations.Concat(other.Declarations)) session.Declare(s);
            foreach (var a in encoding.Assertions.Concat(other.Assertions)) session.Assert(a);
            session.Assert(Smt.Distinct(fx.Output, gx.Output));
            var result = session.CheckSat();
            if (result.Status != SatStatus.Sat) return new EquivalenceAnswer(result.Status, null, result.Reason);
            var point = session.GetValues(x);
            return f.Evaluate(point) != g.Evaluate(point)
                ? new EquivalenceAnswer(SatStatus.Sat, point, "f and g differ at the solver's point (re-evaluated exactly)")
                : new EquivalenceAnswer(SatStatus.Unknown, null, "the solver's point does not separate f and g when re-evaluated");
        }
        catch (SolverException e)
        {
            return new EquivalenceAnswer(SatStatus.Unknown, null, e.Message);
        }
    }
}
