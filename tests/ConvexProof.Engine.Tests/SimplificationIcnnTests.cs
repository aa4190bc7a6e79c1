using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Simplification;
using static ConvexProof.Tests.SimplificationSupport;

namespace ConvexProof.Tests;

/// <summary>
/// to-icnn (the convexity paper's Prop. 2.2): every convex one-hidden-layer network of the tests
/// becomes an ICNN of the same width with an accepted certificate; non-convex ones are refused, and
/// the certifier agrees with the verdict.
/// </summary>
public class SimplificationIcnnTests
{
    public static IEnumerable<object[]> HandBuilt() =>
        new[] { Nets.Abs, Nets.TwoHinges, Nets.MaxOfTwo, Nets.NegAbs, Nets.NegRelu }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(HandBuilt))]
    public void HandBuiltNetworksAreConvertedExactlyWhenConvex(string json)
    {
        var network = Nets.Parse(json);
        AssertConversion(network, Domain.Everywhere(network.InputDim));
    }

    public static IEnumerable<object[]> Examples() => SimplificationTests.Examples();

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryOneHiddenLayerExampleIsConvertedExactlyWhenConvex(string file)
    {
        var network = NetworkReader.ReadFile(Path.Combine(ExampleCertificateTests.RepositoryRoot(), file));
        if (!IcnnConverter.IsOneHiddenLayer(network))
        {
            Assert.Throws<ArgumentException>(() => IcnnConverter.Convert(network, Domain.Everywhere(network.InputDim)));
            return;
        }
        AssertConversion(network, Domain.Everywhere(network.InputDim));
        AssertConversion(network, Nets.Box(network.InputDim, -1, 1));
    }

    [Fact]
    public void OnABoxOnlyTheHyperplanesThatMeetItCount()
    {
        // relu(x) − relu(x − 10): not convex on R, convex (= relu(x)) on [-1, 1], where the second unit is dead.
        var network = Nets.Parse("""
            {"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-10],"activation":"relu"},
                                     {"weights":[[1,-1]],"bias":[0],"activation":"identity"}]}
            """);
        Assert.False(IcnnConverter.Convert(network, Domain.Everywhere(1)).Convex);
        var onBox = IcnnConverter.Convert(network, Nets.Box(1, -1, 1));
        Assert.True(onBox.Convex);
        AssertConversion(network, Nets.Box(1, -1, 1));
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 30).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomSplitHyperplanesAreReassembled(int seed)
    {
        // k hyperplanes, each written as several parallel and opposite units whose output weights have
        // both signs; the kink of hyperplane i is Σ |scale|·weight, negative for one of them when seed % 3 == 0.
        var random = new Random(seed);
        int d = random.Next(1, 4), k = random.Next(1, 4);
        var rows = new List<Rational[]>();
        var weights = new List<Rational>();
        for (int h = 0; h < k; h++)
        {
            var row = Enumerable.Range(0, d + 1).Select(j => (Rational)(random.Next(1, 8) * (random.Next(2) * 2 - 1))).ToArray();
            Rational kink = seed % 3 == 0 && h == 0 ? -1 : random.Next(0, 4), sum = 0;
            int copies = random.Next(1, 4);
            for (int c = 0; c < copies; c++)
            {
                var scale = new Rational(random.Next(1, 4), random.Next(1, 3)) * (c > 0 && random.Next(2) == 0 ? -1 : 1);
                Rational weight = c == copies - 1 ? (kink - sum) / scale.Abs() : random.Next(-5, 6);
                sum += scale.Abs() * weight;
                rows.Add([.. row.Select(v => scale * v)]);
                weights.Add(weight);
            }
        }
        var network = new Network(d, [
            new Layer([.. rows.Select(r => r[..d])], [.. rows.Select(r => r[d])], null, Activation.Relu),
            new Layer([[.. weights]], [Rational.Zero], null, Activation.Identity)]);
        var conversion = AssertConversion(network, Domain.Everywhere(d));
        Assert.Equal(seed % 3 != 0, conversion.Convex);
    }

    /// <summary>Convex iff the certifier says so; when convex an ICNN of the same width, accepted by the checker.</summary>
    private static IcnnConversion AssertConversion(Network network, Domain domain)
    {
        var conversion = IcnnConverter.Convert(network, domain);
        var verdict = Certifier.Certify(network, domain).Verdict;
        Assert.Equal(verdict == Verdict.Convex, conversion.Convex);
        if (!conversion.Convex)
        {
            Assert.True(conversion.ObstacleWeight.Sign < 0);
            return conversion;
        }
        var icnn = conversion.Icnn!;
        Assert.True(NetworkInfo.Of(icnn).IsIcnn);
        Assert.Equal(Widths(network), Widths(icnn));
        AssertEquivalent(conversion.AsSimplification());
        return conversion;
    }
}
