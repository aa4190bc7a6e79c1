using ConvexProof.Networks;

namespace ConvexProof.Regions;

/// <summary>
/// One region's local maps in both arithmetics: the integer ones (<see cref="IntegerRegionMaps"/>,
/// when they fit; the region's analysis runs on them) and the rational ones
/// (<see cref="LocalAffineMaps"/>, built only when needed: the fallback, degenerate facets,
/// counterexamples).
/// </summary>
public sealed class PairedRegionMaps(Network network, string pattern, IntegerRegionMaps? integer, LocalAffineMaps? rational = null)
{
    private LocalAffineMaps? _rational = rational;

    public string Pattern { get; } = pattern;
    public IntegerRegionMaps? Integer { get; } = integer;
    public LocalAffineMaps Rational => _rational ??= LocalAffineMaps.ForPattern(network, Pattern);
}
