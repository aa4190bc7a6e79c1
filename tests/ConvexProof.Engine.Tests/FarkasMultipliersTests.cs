using System.Numerics;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Tests;

/// <summary>
/// Farkas lists are written over their least common denominator (formats.md): the integer path
/// (numerators over any common denominator, one gcd chain) and the rational path (reduced
/// multipliers, their lcm) must give the same numbers, hence the same certificate bytes.
/// </summary>
public class FarkasMultipliersTests
{
    [Fact]
    public void AListIsWrittenOverItsLeastCommonDenominator()
    {
        // λ = (3/4, 1/2, 5): D = 4, μ = (3, 2, 20); 2/4 is not reduced, the list is.
        var fromRationals = FarkasMultipliers.FromRationals([(0, new Rational(3, 4)), (2, new Rational(1, 2)), (5, new Rational(5, 1))]);
        Assert.Equal(new BigInteger[] { 3, 2, 20 }, fromRationals.Numerators);
        Assert.Equal(new BigInteger(4), fromRationals.Denominator);
        Assert.Equal(new[] { 0, 2, 5 }, fromRationals.Facets);
        // The same values over 36 = 9·4, and over a negative denominator.
        var fromScaled = FarkasMultipliers.FromScaled([0, 2, 5], [27, 18, 180], 36);
        Assert.Equal(fromRationals.Numerators, fromScaled.Numerators);
        Assert.Equal(fromRationals.Denominator, fromScaled.Denominator);
        var negative = FarkasMultipliers.FromScaled([0, 2, 5], [-6, -4, -40], -8);
        Assert.Equal(fromRationals.Numerators, negative.Numerators);
        Assert.Equal(fromRationals.Denominator, negative.Denominator);
        Assert.Equal(new Rational(1, 2), fromScaled[1]);
        Assert.Equal(0, FarkasMultipliers.None.Count);
    }

    [Fact]
    public void BothPathsAgreeOnRandomLists()
    {
        var random = new Random(20261202);
        BigInteger Big(int bits) => BigInteger.Abs(new BigInteger(Enumerable.Range(0, bits / 8 + 1).Select(_ => (byte)random.Next(256)).ToArray())) + 1;
        for (int trial = 0; trial < 500; trial++)
        {
            int m = random.Next(1, 7), bits = random.Next(4, 200);
            var lambdas = Enumerable.Range(0, m).Select(_ => new Rational(Big(bits), Big(random.Next(1, bits)) << random.Next(0, 70))).ToArray();
            var facets = Enumerable.Range(0, m).Select(j => 3 * j + 1).ToArray();
            var reference = FarkasMultipliers.FromRationals([.. facets.Zip(lambdas)]);
            // Any common denominator times any extra factor: what a fraction-free solve gives.
            var common = lambdas.Aggregate(BigInteger.One, (d, l) => d * l.Denominator) * Big(random.Next(1, 90));
            var scaled = FarkasMultipliers.FromScaled(facets, [.. lambdas.Select(l => l.Numerator * (common / l.Denominator))], common);
            Assert.Equal(reference.Denominator, scaled.Denominator);
            Assert.Equal(reference.Numerators, scaled.Numerators);
            Assert.True(reference.Denominator.Sign > 0);
            Assert.True(reference.Numerators.Aggregate(reference.Denominator, BigInteger.GreatestCommonDivisor).IsOne, "not the least common denominator");
            for (int b = 0; b < m; b++) Assert.Equal(lambdas[b], reference[b]);
        }
    }
}
