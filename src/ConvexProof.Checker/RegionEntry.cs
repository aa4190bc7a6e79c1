namespace ConvexProof.Checker;

/// <summary>A facet entry: constraint C vanishes at Point; Neighbour is -1 for a boundary facet.</summary>
internal sealed record FacetEntry(int C, Rational[] Point, int Neighbour, int[]? DegenerateNeurons, Rational Jump);

/// <summary>λ = P/Q &gt; 0 on constraint C (Q &gt; 0; the fraction need not be reduced).</summary>
internal readonly record struct FarkasTerm(int C, BigInteger P, BigInteger Q);

internal sealed record RedundantEntry(int C, FarkasTerm[] Farkas);

/// <summary>An optional bounding-box side: lo_i ≤ x_i (or x_i ≤ hi_i) on the region, proved by Farkas multipliers.</summary>
internal sealed record BoundEntry(Rational Value, FarkasTerm[] Farkas);

/// <summary>One entry of "regions", read strictly (shape and types only; the meaning is checked in RegionCheck).</summary>
internal sealed record RegionEntry(Rational[] Point, FacetEntry[] Facets, RedundantEntry[] Redundant, int[] Flat,
    BoundEntry?[] Lower, BoundEntry?[] Upper)
{
    private static readonly KeySet RegionKeys = new(5, "pattern", "point", "facets", "redundant", "flat", "bounds", "bounds_farkas");
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
        var facets = ReadSorted(region, at, "facets", (e, eat) => ReadFacet(e, eat, dimension, constraints, regionCount), f => f.C);
        var redundant = ReadSorted(region, at, "redundant", (e, eat) =>
        {
            Keys(e, eat, RedundantKeys);
            return new RedundantEntry(Int(e.GetProperty("c"), eat.Then(".c"), 0, constraints - 1), ReadFarkas(e.GetProperty("farkas"), eat.Then(".farkas"), constraints));
        }, r => r.C);
        var flat = IncreasingInts(region.GetProperty("flat"), at.Then(".flat"), constraints - 1);
        var (lower, upper) = ReadBounds(region, at, dimension, constraints);
        return new RegionEntry(point, facets, redundant, flat, lower, upper);
    }

    /// <summary>The entries of list <paramref name="key"/>, in strictly increasing order of their constraint.</summary>
    private static T[] ReadSorted<T>(JsonElement region, JsonPath at, string key, Func<JsonElement, JsonPath, T> read, Func<T, int> c)
    {
        var items = Items(region.GetProperty(key), at.Then($".{key}"));
        var entries = new T[items.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = read(items[i], at with { Mid = $".{key}", J = i });
            if (i > 0 && c(entries[i]) <= c(entries[i - 1])) throw Bad(at with { Mid = $".{key}", J = i, Tail = ".c" }, $"{key} entries must be in strictly increasing order of c");
        }
        return entries;
    }

    /// <summary>"bounds": [[lo|null, hi|null], …] with "bounds_farkas": [[F|null, F|null], …]; a bound is present exactly when its F is.</summary>
    private static (BoundEntry?[] Lower, BoundEntry?[] Upper) ReadBounds(JsonElement region, JsonPath at, int dimension, int constraints)
    {
        var sides = new[] { new BoundEntry?[dimension], new BoundEntry?[dimension] };
        bool hasBounds = region.TryGetProperty("bounds", out var bounds), hasFarkas = region.TryGetProperty("bounds_farkas", out var farkas);
        if (hasBounds != hasFarkas) throw Bad(at, "\"bounds\" and \"bounds_farkas\" come together");
        if (!hasBounds) return (sides[0], sides[1]);
        var pairs = Tuples(bounds, at.Then(".bounds"), 2, "expected a pair [lo, hi]").ToArray();
        var proofs = Tuples(farkas, at.Then(".bounds_farkas"), 2, "expected a pair of Farkas lists").ToArray();
        if (pairs.Length != dimension || proofs.Length != dimension)
            throw Bad(at.Then(".bounds"), $"\"bounds\" and \"bounds_farkas\" need one pair per coordinate ({dimension})");
        for (int i = 0; i < dimension; i++)
            for (int side = 0; side < 2; side++)
            {
                var (value, proof, sideAt) = (pairs[i].Items[side], proofs[i].Items[side], pairs[i].At.Then($"[{side}]"));
                if ((value.ValueKind != JsonValueKind.Null) != (proof.ValueKind != JsonValueKind.Null))
                    throw Bad(sideAt, "a bound is present exactly when its Farkas list in bounds_farkas is");
                if (value.ValueKind != JsonValueKind.Null)
                    sides[side][i] = new BoundEntry(CertificateJson.Rational(value, sideAt), ReadFarkas(proof, proofs[i].At.Then($"[{side}]"), constraints));
            }
        return (sides[0], sides[1]);
    }

    /// <summary>A Farkas list [[j, "λ_j"], …] (the meaning is checked in RegionCheck).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FarkasTerm[] ReadFarkas(JsonElement terms, JsonPath at, int constraints)
    {
        if (terms.ValueKind != JsonValueKind.Array) throw Bad(at, $"expected an array, found {Describe(terms)}");
        var farkas = new FarkasTerm[terms.GetArrayLength()];
        int t = 0;
        foreach (var term in terms.EnumerateArray())
        {
            if (term.ValueKind != JsonValueKind.Array || term.GetArrayLength() != 2)
                throw Bad(at.Then($"[{t}]"), $"expected a pair [constraint, \"multiplier\"], found {Describe(term)}");
            if (!TryInt(term[0], 0, constraints - 1, out int j)) Int(term[0], at.Then($"[{t}][0]"), 0, constraints - 1);
            if (!TryMultiplier(term[1], out var p, out var q)) throw NotANumber(term[1], at.Then($"[{t}][1]"), "a multiplier \"p/q\" > 0 (integers, q > 0)");
            farkas[t++] = new FarkasTerm(j, p.Value, q.Value);
        }
        return farkas;
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
        bool isDegenerate = e.TryGetProperty("degenerate", out var degenerate);
        if (isDegenerate) Keys(degenerate, at.Then(".degenerate"), DegenerateKeys);
        return new FacetEntry(c, point, neighbour, isDegenerate ? IncreasingInts(degenerate.GetProperty("neurons"), at.Then(".degenerate.neurons"), int.MaxValue - 1) : null,
            isDegenerate ? CertificateJson.Rational(degenerate.GetProperty("jump"), at.Then(".degenerate.jump")) : Checker.Rational.Zero);
    }
}
