using static ConvexProof.Smt.Tests.TestNets;

namespace ConvexProof.Smt.Tests;

/// <summary><see cref="LinearQueries.ZeroSetsCoincide"/> on real z3.</summary>
public class LinearQueryTests
{
    private static readonly AffineForm X0 = new(V("1", "0"), R("0"));

    [Fact]
    public void Proportional_forms_have_the_same_zero_set()
    {
        var result = LinearQueries.ZeroSetsCoincide([], X0, new AffineForm(V("-2", "0"), R("0")));
        Assert.Equal(ZeroSetKind.Confirmed, result.Kind);
        Assert.StartsWith("z3 ", result.SolverVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_zero_sets_are_refuted_with_a_checked_witness()
    {
        var b = new AffineForm(V("1", "1/3"), R("0"));
        var result = LinearQueries.ZeroSetsCoincide([], X0, b);
        Assert.Equal(ZeroSetKind.Refuted, result.Kind);
        Assert.True(X0.Evaluate(result.Witness!).IsZero);
        Assert.False(b.Evaluate(result.Witness!).IsZero);
    }

    [Fact]
    public void The_region_restricts_the_question()
    {
        var b = new AffineForm(V("1", "1"), R("0"));
        // On the line x1 = 0 (x1 ≥ 0 and −x1 ≥ 0), x0 and x0 + x1 vanish together.
        AffineForm[] line = [new(V("0", "1"), R("0")), new(V("0", "-1"), R("0"))];
        Assert.Equal(ZeroSetKind.Confirmed, LinearQueries.ZeroSetsCoincide(line, X0, b).Kind);
        // Where x0 ≥ 1, a = x0 never vanishes: nothing to refute.
        Assert.Equal(ZeroSetKind.Confirmed, LinearQueries.ZeroSetsCoincide([new(V("1", "0"), R("-1"))], X0, b).Kind);
        // On the half-plane x1 ≥ 1/2, the witness must have x1 ≥ 1/2.
        var half = LinearQueries.ZeroSetsCoincide([new(V("0", "1"), R("-1/2"))], X0, b);
        Assert.Equal(ZeroSetKind.Refuted, half.Kind);
        Assert.True(half.Witness![1] >= R("1/2"));
    }
}
