namespace ConvexProof.Checker;

/// <summary>A box domain: lo_i &lt; x_i &lt; hi_i (closed for membership, open for interiors).</summary>
internal sealed record Box(Rational[] Lo, Rational[] Hi)
{
    private static readonly KeySet DomainKeys = new(1, "box");

    public bool Contains(Rational[] x) => !Enumerable.Range(0, Lo.Length).Any(i => x[i] < Lo[i] || x[i] > Hi[i]);

    public bool SameAs(Box other) => Lo.AsSpan().SequenceEqual(other.Lo) && Hi.AsSpan().SequenceEqual(other.Hi);

    public override string ToString() => string.Join(" × ", Enumerable.Range(0, Lo.Length).Select(i => $"[{Lo[i]}, {Hi[i]}]"));

    /// <summary>The certificate's "domain": null (all of R^d) or {"box": [["lo","hi"], …]}.</summary>
    public static Box? Read(JsonElement e, int dimension)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        Keys(e, "$.domain", DomainKeys);
        var intervals = Items(e.GetProperty("box"), "$.domain.box", dimension, $"intervals, the network has {dimension} inputs");
        var pairs = intervals.Select((p, i) => ReadPoint(p, $"$.domain.box[{i}]", 2)).ToArray();
        int bad = Array.FindIndex(pairs, p => p[0] >= p[1]);
        if (bad >= 0) throw Bad($"$.domain.box[{bad}]", $"lo = {pairs[bad][0]} is not below hi = {pairs[bad][1]}");
        return new Box([.. pairs.Select(p => p[0])], [.. pairs.Select(p => p[1])]);
    }

    /// <summary>The CLI's --box: "LO:HI" for every coordinate or "LO1:HI1,LO2:HI2,…" (net.json number notations).</summary>
    public static Box Parse(string text, int dimension)
    {
        var parts = text.Split(',');
        if (parts.Length != 1 && parts.Length != dimension)
            throw new ArgumentException($"give one interval LO:HI for every coordinate, or {dimension} intervals separated by commas");
        var (lo, hi) = (new Rational[dimension], new Rational[dimension]);
        for (int i = 0; i < dimension; i++)
        {
            string part = parts[parts.Length == 1 ? 0 : i];
            if (part.Split(':') is not [var low, var high]) throw new ArgumentException($"'{NetNumber.Shorten(part)}' is not an interval LO:HI");
            if (!NetNumber.TryParse(low, out lo[i], out var problem) || !NetNumber.TryParse(high, out hi[i], out problem)) throw new ArgumentException(problem);
            if (lo[i] >= hi[i]) throw new ArgumentException($"interval {i + 1} has LO ≥ HI");
        }
        return new Box(lo, hi);
    }
}
