using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Simplification;

namespace ConvexProof.Smt.Tests;

/// <summary>
/// An independent cross-check of the simplifier with the real z3: no x in the domain has f(x) ≠ g(x)
/// for the simplified network g (unsat), on degenerate random networks (duplicated, scaled and opposite
/// rows) on R^d and on boxes; and the query does find a difference when g is changed slightly.
/// </summary>
public class EquivalenceQueryTests
{
    private static readonly SmtOptions Options = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 16).Select(s => new object[] { s });

    /// <summary>A degenerate random network and its domain: R^d for odd seeds, a random box for even ones.</summary>
    private static (Network Network, Domain Domain) Case(int seed)
    {
        var rng = RandomNetworks.Rng(seed);
        var network = RandomNetworks.Generate(rng, RandomNetworkOptions.Degenerate with { MaxHiddenLayers = 2, MaxWidth = 5 });
        return (network, seed % 2 == 0 ? RandomNetworks.RandomBox(rng, network.InputDim) : Domain.Everywhere(network.InputDim));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Z3FindsNoPointWhereTheSimplifiedNetworkDiffers(int seed)
    {
        var (network, domain) = Case(seed);
        var simplified = Simplifier.Simplify(network, domain).Result;
        var answer = EquivalenceQuery.Run(network, simplified, domain, Options);
        Assert.True(answer.Status == SatStatus.Unsat, $"{answer.Status}: {answer.Reason} at ({string.Join(", ", answer.Difference ?? [])})");
    }

    [Fact]
    public void TheSeedsExerciseTheSimplifier()
    {
        // Most seeds must lose units, or the cross-check above would compare networks with themselves.
        int simplified = Seeds().Select(s => Case((int)s[0])).Count(c => Simplifier.Simplify(c.Network, c.Domain).Result.NeuronCount < c.Network.NeuronCount);
        Assert.True(simplified >= Seeds().Count() / 2, $"only {simplified} of {Seeds().Count()} seeds give a smaller network");
    }

    [Fact]
    public void Z3FindsADifferenceWhenThereIsOne()
    {
        var abs = TestNets.FromJson("""{"input_dim":1,"layers":[{"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},{"weights":[[1,1]],"bias":[0],"activation":"identity"}]}""");
        var simplified = Simplifier.Simplify(abs, Domain.Everywhere(1)).Result;
        Assert.Equal(SatStatus.Unsat, EquivalenceQuery.Run(abs, simplified, Domain.Everywhere(1), Options).Status);
        var skip = simplified.Layers[1].Skip!;
        var wrong = new Network(1, [simplified.Layers[0], simplified.Layers[1] with { Skip = [[skip[0][0] + new Rational(1, 100)]] }]);
        var answer = EquivalenceQuery.Run(abs, wrong, Domain.Everywhere(1), Options);
        Assert.Equal(SatStatus.Sat, answer.Status);
        Assert.NotEqual(abs.Evaluate(answer.Difference!), wrong.Evaluate(answer.Difference!));
    }
}
