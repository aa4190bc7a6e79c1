using System.Runtime.CompilerServices;
using System.Text.Json;
using static ConvexProof.Checker.CertificateJson;

namespace ConvexProof.Checker;

/// <summary>A facet entry: constraint C vanishes at Point; Neighbour is -1 for a boundary facet.</summary>
internal sealed record FacetEntry(int C, Rational[] Point, int Neighbour, int[]? DegenerateNeurons, Rational Jump)
{
    public bool Boundary => Neighbour < 0;
}

internal readonly record struct FarkasTerm(int C, Rational Lambda);

internal sealed record RedundantEntry(int C, FarkasTerm[] Farkas);

/// <summary>One entry of "regions", read strictly (shape and types only; the meaning is checked in RegionCheck).</summary>
internal sealed record RegionEntry(Rational[] Point, FacetEntry[] Facets, RedundantEntry[] Redundant, int[] Flat)
{
    private static readonly KeySet RegionKeys = new(5, "pattern", "point", "facets", "redundant", "flat");
    private static readonly KeySet FacetKeys = new(2, "c", "point", "neighbour", "boundary", "degenerate");
    private static readonly KeySet RedundantKeys = new(2, "c", "farkas");
    private static readonly KeySet DegenerateKeys = new(2, "neurons", "jump");

    /// <summary>The pattern: N characters '0'/'1' (read first, for all regions, before anything else).</summary>
    public static string ReadPattern(JsonElement region, string at, int neurons)
    {
        Keys(region, at, RegionKeys);
        string pattern = CertificateJson.String(region.GetProperty("pattern"), $"{at}.pattern");
        if (pattern.Length != neurons) throw Bad($"{at}.pattern", $"has {pattern.Length} characters, the network has {neurons} ReLU units");
        int bad = pattern.AsSpan().IndexOfAnyExcept('0', '1');
        if (bad >= 0) throw Bad($"{at}.pattern", $"character {bad} is '{pattern[bad]}', expected '0' or '1'");
        return pattern;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RegionEntry Read(JsonElement region, int index, int dimension, int constraints, int regionCount)
    {
        var at = new JsonPath("$.regions", index);
        var point = ReadPoint(region.GetProperty("point"), at.Then(".point"), dimension);
        var facetItems = Items(region.GetProperty("facets"), at.Then(".facets"));
        var facets = new FacetEntry[facetItems.Length];
        for (int i = 0; i < facets.Length; i++)
        {
            facets[i] = ReadFacet(facetItems[i], at with { Mid = ".facets", J = i }, dimension, constraints, regionCount);
            if (i > 0 && facets[i].C <= facets[i - 1].C) throw Bad(at with { Mid = ".facets", J = i, Tail = ".c" }, "facets must be in strictly increasing order of c");
        }
        var redundantItems = Items(region.GetProperty("redundant"), at.Then(".redundant"));
        var redundant = new RedundantEntry[redundantItems.Length];
        for (int i = 0; i < redundant.Length; i++)
        {
            redundant[i] = ReadRedundant(redundantItems[i], at with { Mid = ".redundant", J = i }, constraints);
            if (i > 0 && redundant[i].C <= redundant[i - 1].C) throw Bad(at with { Mid = ".redundant", J = i, Tail = ".c" }, "redundant entries must be in strictly increasing order of c");
        }
        var flat = IncreasingInts(region.GetProperty("flat"), at.Then(".flat"), constraints - 1);
        return new RegionEntry(point, facets, redundant, flat);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RedundantEntry ReadRedundant(JsonElement item, JsonPath at, int constraints)
    {
        Keys(item, at, RedundantKeys);
        int c = Int(item.GetProperty("c"), at.Then(".c"), 0, constraints - 1);
        var terms = item.GetProperty("farkas");
        if (terms.ValueKind != JsonValueKind.Array) throw Bad(at.Then(".farkas"), $"expected an array, found {Describe(terms)}");
        var farkas = new FarkasTerm[terms.GetArrayLength()];
        int t = 0;
        foreach (var term in terms.EnumerateArray())
        {
            if (term.ValueKind != JsonValueKind.Array || term.GetArrayLength() != 2)
                throw Bad(at.Then($".farkas[{t}]"), $"expected a pair [constraint, \"multiplier\"], found {Describe(term)}");
            if (!TryInt(term[0], 0, constraints - 1, out int j)) Int(term[0], at.Then($".farkas[{t}][0]"), 0, constraints - 1);
            if (!TryRational(term[1], out var lambda)) CertificateJson.Rational(term[1], at.Then($".farkas[{t}][1]"));
            farkas[t] = new FarkasTerm(j, lambda);
            t++;
        }
        return new RedundantEntry(c, farkas);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FacetEntry ReadFacet(JsonElement e, JsonPath at, int dimension, int constraints, int regionCount)
    {
        Keys(e, at, FacetKeys);
        int c = Int(e.GetProperty("c"), at.Then(".c"), 0, constraints - 1);
        var point = ReadPoint(e.GetProperty("point"), at.Then(".point"), dimension);
        bool hasNeighbour = e.TryGetProperty("neighbour", out var neighbourElement);
        bool hasBoundary = e.TryGetProperty("boundary", out var boundaryElement);
        if (hasNeighbour == hasBoundary) throw Bad(at, "a facet has exactly one of \"neighbour\" and \"boundary\"");
        if (hasBoundary && boundaryElement.ValueKind != JsonValueKind.True) throw Bad(at.Then(".boundary"), $"must be true when present, found {Describe(boundaryElement)}");
        int neighbour = hasNeighbour ? Int(neighbourElement, at.Then(".neighbour"), 0, regionCount - 1) : -1;
        int[]? neurons = null;
        Rational jump = Checker.Rational.Zero;
        if (e.TryGetProperty("degenerate", out var degenerate))
        {
            Keys(degenerate, at.Then(".degenerate"), DegenerateKeys);
            neurons = IncreasingInts(degenerate.GetProperty("neurons"), at.Then(".degenerate.neurons"), int.MaxValue - 1);
            jump = CertificateJson.Rational(degenerate.GetProperty("jump"), at.Then(".degenerate.jump"));
        }
        return new FacetEntry(c, point, neighbour, neurons, jump);
    }
}
