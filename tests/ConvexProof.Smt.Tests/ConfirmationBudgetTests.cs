using System.Diagnostics;
using ConvexProof.Convexity;
using ConvexProof.Geometry;

namespace ConvexProof.Smt.Tests;

/// <summary>
/// The Z3 confirmation of degenerate frontiers stays within the time budget certify gives it: no
/// query starts after it, and a query that hangs is cut to what is left.
/// </summary>
public class ConfirmationBudgetTests
{
    private static Degeneracies AbsFrontiers()
    {
        var result = Certifier.Certify(TestNets.Abs, Domain.Everywhere(1));
        Assert.NotEmpty(result.Degeneracies.Frontiers);
        return result.Degeneracies;
    }

    [Fact]
    public void WithTimeLeftEveryFrontierIsAsked()
    {
        var fake = new FakeSolver();
        var summary = DegeneracyConfirmation.Confirm(TestNets.Abs, Domain.Everywhere(1), AbsFrontiers(),
            new SmtOptions { Factory = fake, Timeout = TimeSpan.FromSeconds(10) }, budget: TimeSpan.FromSeconds(30));
        Assert.Equal(summary.Frontiers, summary.Confirmed);
        Assert.False(summary.OutOfTime);
    }

    /// <summary>The real z3 (no fake): fails, never passes silently, when z3 is not installed.</summary>
    [Fact]
    public void TheRealSolverConfirmsEveryFrontier()
    {
        var summary = DegeneracyConfirmation.Confirm(TestNets.Abs, Domain.Everywhere(1), AbsFrontiers(),
            new SmtOptions { Timeout = TimeSpan.FromSeconds(30) }, budget: TimeSpan.FromSeconds(60));
        Assert.True(summary.Frontiers > 0);
        Assert.Equal(summary.Frontiers, summary.Confirmed);
    }

    [Fact]
    public void NoQueryStartsAfterTheBudget()
    {
        var fake = new FakeSolver();
        var summary = DegeneracyConfirmation.Confirm(TestNets.Abs, Domain.Everywhere(1), AbsFrontiers(),
            new SmtOptions { Factory = fake, Timeout = TimeSpan.FromSeconds(10) }, budget: TimeSpan.Zero);
        Assert.Equal(0, summary.Checked);
        Assert.True(summary.OutOfTime);
        Assert.Equal("not confirmed (time limit reached)", summary.Describe());
        Assert.DoesNotContain("(check-sat)", fake.Sent);
    }

    [Fact]
    public void AHungQueryIsCutToTheBudget()
    {
        var fake = new FakeSolver { OnCheckSat = () => null }; // never answers
        var clock = Stopwatch.StartNew();
        var summary = DegeneracyConfirmation.Confirm(TestNets.Abs, Domain.Everywhere(1), AbsFrontiers(),
            new SmtOptions { Factory = fake, Timeout = TimeSpan.FromSeconds(30) }, budget: TimeSpan.FromSeconds(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0, summary.Confirmed);
        Assert.Equal(summary.Checked, summary.Unknown);
    }
}
