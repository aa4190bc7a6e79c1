using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// Farkas multipliers λ_b = Numerators[b] / Denominator over the facet constraints Facets[b], all
/// &gt; 0, written over the list's least common denominator: Denominator &gt; 0 and
/// gcd(Denominator, every numerator) = 1. That spelling is unique (any common denominator is a
/// multiple of the lcm of the reduced denominators, and only the lcm leaves no common factor), so
/// the integer and the rational paths write the same bytes; and it costs one full gcd per list,
/// where reducing each multiplier on its own cost one per multiplier (formats.md, "Farkas lists").
/// </summary>
public sealed class FarkasMultipliers
{
    public static readonly FarkasMultipliers None = new([], [], BigInteger.One);

    private FarkasMultipliers(int[] facets, BigInteger[] numerators, BigInteger denominator) =>
        (Facets, Numerators, Denominator) = (facets, numerators, denominator);

    public int[] Facets { get; }
    public BigInteger[] Numerators { get; }
    public BigInteger Denominator { get; }
    public int Count => Facets.Length;

    /// <summary>λ_b as a reduced rational (tests and messages; the writer uses the list's form).</summary>
    public Rational this[int b] => new(Numerators[b], Denominator);

    /// <summary>
    /// The list λ_b = numerators[b] / denominator (denominator ≠ 0, any common factor): divided by
    /// gcd(denominator, numerators…), found by a chain that stops as soon as it reaches 1.
    /// </summary>
    public static FarkasMultipliers FromScaled(int[] facets, BigInteger[] numerators, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("internal error: Farkas multipliers over a zero denominator");
        var g = BigInteger.Abs(denominator);
        for (int b = 0; b < numerators.Length && !g.IsOne; b++) g = BigInteger.GreatestCommonDivisor(g, numerators[b]);
        if (denominator.Sign < 0) g = -g;
        if (!g.IsOne)
        {
            numerators = Array.ConvertAll(numerators, v => v / g);
            denominator /= g;
        }
        return new FarkasMultipliers(facets, numerators, denominator);
    }

    /// <summary>The list of (facet, λ) pairs, in the order given, over their least common denominator.</summary>
    public static FarkasMultipliers FromRationals(IReadOnlyList<(int Facet, Rational Multiplier)> terms)
    {
        var numerators = Integers.OverCommonDenominator([.. terms.Select(t => t.Multiplier)], out var denominator);
        return new FarkasMultipliers([.. terms.Select(t => t.Facet)], numerators, denominator);
    }
}
