using System.Numerics;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// The shared integer backward pass (<see cref="ScaledKinkValues"/>), which keeps one gradient per
/// downstream pattern and answers each unit with a dot product, gives exactly the exact rational
/// backward pass's c_k, whether the gradient was just computed or kept from another region, in every
/// integer tier; it answers null only where a value does not fit the tier.
/// </summary>
public class KinkValueTests
{
    public static IEnumerable<object[]> Cases() =>
        from seed in Enumerable.Range(0, 12)
        from width in new[] { IntegerWidth.Narrowest, IntegerWidth.Bits128, IntegerWidth.Big }
        select new object[] { seed, width };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryValueIsTheExactBackwardPassValue(int seed, IntegerWidth width)
    {
        var random = new Random(seed);
        var net = (seed % 4) switch
        {
            0 => RandomNetworkTests.RandomNetwork(random, maxDim: 3, maxWidth: 5),
            1 => FloatWeightTests.Float32Network(random, 2, [6, 5, 4]),
            2 => Leaky(FloatWeightTests.Float32Network(random, 3, [4, 4]), new Rational(13421773, 1 << 26)),
            _ => Nets.Parse(FloatWeightTests.NearOverflowNetwork(random)),
        };
        var values = ScaledKinkValues.For(ScaledNetwork.Create(net, width));
        // Patterns that share suffixes (a random base with a few bits flipped), each asked twice:
        // later questions are answered from kept gradients.
        var patterns = new List<string>();
        var basePattern = RandomPattern(random, net.NeuronCount);
        for (int p = 0; p < 40; p++)
        {
            var bits = basePattern.ToCharArray();
            for (int flips = random.Next(3); flips >= 0; flips--)
            {
                int k = random.Next(bits.Length);
                bits[k] = bits[k] == '1' ? '0' : '1';
            }
            patterns.Add(new string(bits));
        }
        int answered = 0;
        foreach (var pattern in patterns.Concat(patterns))
        {
            var exact = KinkValues.Backward(net, pattern);
            for (int k = 0; k < net.NeuronCount; k++)
                if (values.Value(pattern, k) is Rational value)
                {
                    Assert.Equal(exact[k], value);
                    answered++;
                }
        }
        // The BigInteger tier never overflows; the others answer nearly everything.
        if (width == IntegerWidth.Big) Assert.Equal(2 * patterns.Count * net.NeuronCount, answered);
        Assert.True(answered > 0);
    }

    [Fact]
    public void A64BitTierThatOverflowsAnswersNullNotAWrongValue()
    {
        // Every weight is 2^31: the parameters fit 64 bits, so the 64-bit tier is chosen, but the
        // first unit's value is 2^93 (three weights on its way to the output); the last unit's is 2^31.
        const string w = "2147483648";
        var net = Nets.Parse($$"""
            {"input_dim":1,"layers":[{"weights":[[{{w}}],[1]],"bias":[0,0],"activation":"relu"},
                                     {"weights":[[{{w}},1]],"bias":[0],"activation":"relu"},
                                     {"weights":[[{{w}}]],"bias":[0],"activation":"relu"},
                                     {"weights":[[{{w}}]],"bias":[0],"activation":"identity"}]}
            """);
        var scaled = ScaledNetwork.Create(net);
        Assert.IsType<ScaledNetwork<long>>(scaled);
        var values = ScaledKinkValues.For(scaled);
        Assert.Null(values.Value("1111", 0));
        Assert.Equal(KinkValues.Backward(net, "1111")[3], values.Value("1111", 3));
        Assert.Equal(new Rational(BigInteger.Pow(2, 31), 1), values.Value("1111", 3));
        Assert.Equal(KinkValues.Backward(net, "1111")[2], values.Value("1111", 2));
        Assert.Equal(Rational.Zero, values.Value("1110", 2)); // the last unit off: nothing passes
    }

    private static string RandomPattern(Random random, int n) => new([.. Enumerable.Range(0, n).Select(_ => random.Next(2) == 0 ? '0' : '1')]);

    private static Network Leaky(Network net, Rational alpha) =>
        new(net.InputDim, [.. net.Layers.Select(l => l.Activation == Activation.Relu ? l with { Alpha = alpha } : l)]);
}
