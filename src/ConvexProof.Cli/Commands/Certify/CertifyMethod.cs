using ConvexProof.Bounds;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Cli.Commands;

/// <summary>`certify --method`: which argument decides the network.</summary>
public enum CertifyMethod
{
    /// <summary>
    /// Choose: enumeration when the region bound is small (1 000 for an ICNN, 100 000 otherwise) or
    /// --all-violations asks for every region; otherwise the ICNN sign rule, bounds on a box (in low
    /// dimension after the first 2 000 regions, which usually meet a violation; falling back to
    /// enumeration when bounds leave the network undecided), enumeration on R^d.
    /// </summary>
    Auto,

    /// <summary>Exact enumeration of the activation regions (cert format /1).</summary>
    Regions,

    /// <summary>Interval and linear bounds with branch and bound, and the line search (format /2 on a box).</summary>
    Bounds,

    /// <summary>The ICNN sign rule alone (format /2, structural).</summary>
    Icnn,
}

/// <summary>The method used for one network, and why, in the words of the summary and --json.</summary>
public sealed record MethodChoice(CertifyMethod Method, string Reason)
{
    /// <summary>Above this many regions (the a-priori bound of `info`) auto does not enumerate a network that is not an ICNN.</summary>
    public static readonly Rational EnumerationLimit = 100_000;

    /// <summary>
    /// Above this many, auto certifies an ICNN by its signs instead of enumerating (below it the
    /// region certificate costs little and says more: every region and condition).
    /// </summary>
    public static readonly Rational IcnnEnumerationLimit = 1_000;

    /// <summary>
    /// How many search nodes auto gives branch and bound before it falls back to enumeration (a
    /// count, not a time, so that the same input gives the same certificate): the a-priori region
    /// bound is pessimistic by orders of magnitude, and a network bounds cannot settle may still
    /// have few enough regions to enumerate. Small, because a node's exact linear bounds cost tens of
    /// milliseconds on a few dozen units (measured: 55 ms per node, 9 inputs, 32 units).
    /// </summary>
    public const int AutoBoundNodes = 100;

    /// <summary>
    /// How many regions auto explores (stopping at the first violation) before it takes the bound
    /// route on a network whose region bound is too large: a violation is usually met in the first
    /// regions, sooner than by the exact line search. A count, so the result is deterministic.
    /// </summary>
    public const int AutoFirstRegions = 2_000;

    /// <summary>Only in low dimension: there a region takes milliseconds; with tens of inputs the first region alone can take seconds.</summary>
    public const int AutoFirstRegionsMaxDim = 8;

    public string Name => Method.ToString().ToLowerInvariant();

    public static CertifyMethod Parse(string? text) => text switch
    {
        null or "auto" => CertifyMethod.Auto,
        "regions" => CertifyMethod.Regions,
        "bounds" => CertifyMethod.Bounds,
        "icnn" => CertifyMethod.Icnn,
        _ => throw new Infrastructure.UsageException($"option --method takes auto, regions, bounds or icnn, not '{text}'"),
    };

    public static MethodChoice Choose(CertifyMethod requested, Network network, Domain domain, bool allViolations = false)
    {
        var obstacle = StructuralTest.Obstacle(network);
        string notIcnn = obstacle is null ? "" : $"not an ICNN (weight {obstacle.Value} at {obstacle.JsonPath} is negative)";
        switch (requested)
        {
            case CertifyMethod.Regions: return new(requested, "--method regions: exact region enumeration");
            case CertifyMethod.Icnn: return new(requested, "--method icnn: the ICNN sign rule");
            case CertifyMethod.Bounds:
                return new(requested, domain.IsBox ? "--method bounds: bound propagation with branch and bound on the box"
                    : "--method bounds on R^d: every pre-activation bound is infinite there, so only the ICNN sign rule applies");
        }
        if (allViolations)
            return new(CertifyMethod.Regions, "--all-violations: every region is enumerated and every violated condition listed");
        var bound = NetworkInfo.RegionUpperBound(network);
        bool few = bound <= (obstacle is null ? IcnnEnumerationLimit : EnumerationLimit).Numerator;
        if (obstacle is null && !few)
            return new(CertifyMethod.Icnn, $"the network is an ICNN (every weight applied to a ReLU output is >= 0) and the region bound {Abbreviate(bound)} " +
                "is too large to enumerate: convex on R^d and every box by its signs");
        if (few)
            return new(CertifyMethod.Regions, $"{(obstacle is null ? "an ICNN" : notIcnn)}; at most {bound} regions, few enough to enumerate exactly " +
                "(a region certificate also lists every region and condition)");
        if (!domain.IsBox)
            return new(CertifyMethod.Regions, $"{notIcnn}; on R^d every pre-activation bound is infinite, so bounds cannot be used: exact region enumeration");
        return new(CertifyMethod.Bounds, $"{notIcnn}; the region bound {Abbreviate(bound)} is too large to enumerate: bound propagation with branch and bound on the box");
    }

    /// <summary>Auto's choice when the first regions already decided the network.</summary>
    public MethodChoice DecidedByFirstRegions() =>
        new(CertifyMethod.Regions, $"{Reason}; region enumeration, tried first for up to {AutoFirstRegions} regions, decided it");

    /// <summary>Auto's second choice when the bound route left the network undecided within its budget.</summary>
    public MethodChoice FallBackToRegions(string boundsReason) =>
        new(CertifyMethod.Regions, $"{Reason}; bounds left it undecided ({boundsReason}): exact region enumeration");

    private static string Abbreviate(System.Numerics.BigInteger n)
    {
        string s = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return s.Length <= 12 ? s : $"{s[0]}.{s[1..3]}e{s.Length - 1}";
    }
}
