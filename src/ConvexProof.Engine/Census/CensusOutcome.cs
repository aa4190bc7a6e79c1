namespace ConvexProof.Census;

/// <summary>What the census found for one network.</summary>
public enum CensusVerdict
{
    /// <summary>Convex by structure: the instant ICNN test (every weight on a ReLU output ≥ 0) holds.</summary>
    Icnn,

    /// <summary>Convex, proved by the certifier, and not an ICNN.</summary>
    Convex,

    /// <summary>Not convex: a counterexample verified exactly.</summary>
    NotConvex,

    /// <summary>A per-network limit (--max-regions, --timeout) stopped the certifier first.</summary>
    Undecided,
}

/// <summary>One network's result. <see cref="Regions"/> counts the regions the certifier explored (0 when the ICNN test alone decided).</summary>
public sealed record CensusOutcome(int Index, string NetworkSha256, CensusVerdict Verdict, int Regions, TimeSpan Time)
{
    public static string Name(CensusVerdict verdict) => verdict switch
    {
        CensusVerdict.Icnn => "icnn",
        CensusVerdict.Convex => "convex",
        CensusVerdict.NotConvex => "not_convex",
        CensusVerdict.Undecided => "undecided",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static CensusVerdict Parse(string name) => name switch
    {
        "icnn" => CensusVerdict.Icnn,
        "convex" => CensusVerdict.Convex,
        "not_convex" => CensusVerdict.NotConvex,
        "undecided" => CensusVerdict.Undecided,
        _ => throw new FormatException($"'{name}' is not a census verdict"),
    };
}
