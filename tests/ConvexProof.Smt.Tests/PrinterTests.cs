using ConvexProof.Numbers;
using static ConvexProof.Smt.Tests.TestNets;

namespace ConvexProof.Smt.Tests;

public class PrinterTests
{
    [Theory]
    [InlineData("0", "0.0")]
    [InlineData("3", "3.0")]
    [InlineData("-2", "(- 2.0)")]
    [InlineData("1/3", "(/ 1.0 3.0)")]
    [InlineData("-5/2", "(- (/ 5.0 2.0))")]
    [InlineData("0.125", "(/ 1.0 8.0)")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890.0")]
    public void Numerals_are_exact_real_literals(string value, string expected) =>
        Assert.Equal(expected, SmtPrinter.Numeral(R(value)));

    [Fact]
    public void Linear_forms_leave_out_zero_coefficients()
    {
        var x = Smt.RealVar("x");
        var y = Smt.RealVar("y");
        var z = Smt.RealVar("z");
        Assert.Equal("(+ y (* (- (/ 1.0 2.0)) z))", Smt.Linear([(0, x), (1, y), (R("-1/2"), z)], 0).ToString());
        Assert.Equal("(+ (* 2.0 x) (- 3.0))", Smt.Linear([(2, x)], -3).ToString());
        Assert.Equal("0.0", Smt.Linear([(0, x)], 0).ToString());
        Assert.Equal("x", Smt.Linear([(1, x)], 0).ToString());
    }

    [Fact]
    public void Terms_and_commands_print_as_smtlib()
    {
        var z = Smt.RealVar("m_z0_1");
        var a = Smt.RealVar("a");
        Assert.Equal("(ite (> m_z0_1 0.0) m_z0_1 0.0)", Smt.Relu(z).ToString());
        Assert.Equal("(assert (= a (ite (> m_z0_1 0.0) m_z0_1 0.0)))", SmtCommands.Assert(Smt.Eq(a, Smt.Relu(z))));
        Assert.Equal("(declare-fun a () Real)", SmtCommands.Declare(a));
        Assert.Equal("(declare-fun b () Bool)", SmtCommands.Declare(Smt.BoolVar("b")));
        Assert.Equal("(get-value (a m_z0_1))", SmtCommands.GetValue([a, z]));
        Assert.Equal("(assert (or (distinct a 0.0) (not (<= a (- 1.0)))))",
            SmtCommands.Assert(Smt.Or(Smt.Distinct(a, Smt.Real(0)), Smt.Not(Smt.Le(a, Smt.Real(-1))))));
        Assert.Equal("(and (< a 1.0) (>= a 0.0))", Smt.And(Smt.Lt(a, Smt.Real(1)), Smt.Ge(a, Smt.Real(0))).ToString());
        Assert.Equal("true", Smt.And().ToString());
        Assert.Equal("false", Smt.Or().ToString());
        Assert.Equal("(- a (- a))", Smt.Sub(a, Smt.Neg(a)).ToString());
    }

    [Fact]
    public void Ill_sorted_terms_and_bad_names_are_refused()
    {
        var a = Smt.RealVar("a");
        Assert.Throws<ArgumentException>(() => SmtCommands.Assert(a));
        Assert.Throws<ArgumentException>(() => Smt.And(a));
        Assert.Throws<ArgumentException>(() => Smt.Gt(Smt.True, a));
        Assert.Throws<ArgumentException>(() => Smt.RealVar("1x"));
        Assert.Throws<ArgumentException>(() => Smt.RealVar("a b"));
        Assert.Throws<ArgumentException>(() => Smt.RealVar("a)"));
    }

    [Fact]
    public void Printed_numerals_read_back_exactly()
    {
        var rng = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var r = new Rational(rng.NextInt64(-1_000_000_000_000, 1_000_000_000_000), rng.NextInt64(1, 1_000_000_000));
            Assert.Equal(r, SmtValues.Parse(SmtPrinter.Numeral(r)));
        }
    }

    [Fact]
    public void The_midpoint_query_is_a_complete_script()
    {
        var script = MidpointConvexityQuery.Build(Abs, Geometry.Domain.Box([-1], [2])).ToSmtLib();
        Assert.Contains("(set-logic QF_LRA)", script, StringComparison.Ordinal);
        Assert.Contains("(assert (and (<= (- 1.0) x_0) (<= x_0 2.0)))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (= m_z0_0 (+ (* (/ 1.0 2.0) x_0) (* (/ 1.0 2.0) y_0))))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (> (+ (* 2.0 m_z1_0) (- x_z1_0) (- y_z1_0)) 0.0))", script, StringComparison.Ordinal);
        Assert.EndsWith("(check-sat)\n(get-value (x_0 y_0))\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_local_query_has_a_value_copy_and_two_derivative_copies()
    {
        var script = LocalConvexityQuery.Build(Abs, Geometry.Domain.Box([-1], [2])).ToSmtLib();
        Assert.Contains("(assert (and (< (- 1.0) m_0) (< m_0 2.0)))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (= p_z0_0 t_0))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (= n_z0_0 (- t_0)))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (= p_a0_0 (ite (> m_z0_0 0.0) p_z0_0 (ite (< m_z0_0 0.0) 0.0 (ite (> p_z0_0 0.0) p_z0_0 0.0)))))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (or (< (+ p_z0_1 n_z0_1) 0.0) (>= (+ p_a0_1 n_a0_1) 0.0)))", script, StringComparison.Ordinal);
        Assert.Contains("(assert (< (+ p_z1_0 n_z1_0) 0.0))", script, StringComparison.Ordinal);
        Assert.EndsWith("(check-sat)\n(get-value (m_0 t_0))\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("x_0", script, StringComparison.Ordinal);
    }
}
