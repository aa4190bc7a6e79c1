using ConvexProof.Networks;

namespace ConvexProof.Regions;

/// <summary>
/// A region's local maps in both representations: the integer ones (fast path, when they fit) and
/// the rational ones, built only when needed (fallback, degenerate facets, counterexamples).
/// </summary>
public sealed class RegionMaps(Network network, string pattern, IntegerRegionMaps? fast, LocalAffineMaps? exact = null)
{
    private LocalAffineMaps? _exact = exact;

    public string Pattern { get; } = pattern;
    public IntegerRegionMaps? Fast { get; } = fast;
    public LocalAffineMaps Exact => _exact ??= LocalAffineMaps.ForPattern(network, Pattern);
}
