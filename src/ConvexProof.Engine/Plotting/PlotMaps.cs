using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Plotting;

/// <summary>
/// The exact local maps a plot needs for each region — the constraints of its facets and f — from
/// the certifier's own integer maps (<see cref="ScaledNetwork"/>, <see cref="IntegerRegionMaps"/>):
/// integer arithmetic with no gcd until the few needed values become rationals. When a region's
/// integer maps do not fit (64-bit overflow), the rational forward pass of
/// <see cref="LocalAffineMaps"/> answers, so the results are always exact.
/// </summary>
public sealed class PlotMaps
{
    private readonly Network _network;
    private readonly Domain _domain;
    private readonly ScaledNetwork _scaled;

    public PlotMaps(Network network, Domain domain, ScaledNetwork? scaled = null)
    {
        _network = network;
        _domain = domain;
        _scaled = scaled ?? ScaledNetwork.Create(network);
    }

    /// <summary>True when the regions' maps come from the integer network (always: its widest tier fits any network).</summary>
    public bool UsesIntegers => true;

    /// <summary>
    /// For the region with this pattern: constraint c_k (numbered as in <see cref="RegionConstraints"/>,
    /// stored as [g, h]) for every k in <paramref name="constraints"/>, and f on the region.
    /// </summary>
    public (Rational[][] Constraints, Rational[] Output) Compute(string pattern, IReadOnlyList<int> constraints)
    {
        if (IntegerRegionMaps.ForPattern(_scaled, pattern) is { } maps && maps.ExactConstraints(_domain, constraints) is { } rows)
            return (rows, maps.ExactOutput);
        var local = LocalAffineMaps.ForPattern(_network, pattern);
        var all = new RegionConstraints(local, _domain).All;
        return ([.. constraints.Select(k => all[k])], local.Output);
    }
}
