using System.Numerics;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// Region classification on the integer constraints of <see cref="IntegerRegionMaps{T}"/> (over
/// 64-bit, 128-bit or BigInteger integers; signs of wide rows go through <see cref="SignFilter"/>):
/// the integer implementation of <see cref="FacetSearch"/>. Floating point only proposes; every
/// decision is checked exactly:
/// 1. rays from the interior point (directions ±e_i, then a few mixed ones) propose facets — the
///    first hyperplane hit, found in double, gets an exact witness that is verified strictly inside
///    all others;
/// 2. a bounding box of the region: each bound is the optimum of a small exact LP over the facets
///    found (its dual is the Farkas proof), rounded outwards to a short number; an unbounded LP
///    yields a direction whose ray finds another facet, or shows the region unbounded that way;
/// 3. every constraint ≥ 0 on the whole box (exact interval arithmetic) is dismissed: the box,
///    hence the facets, imply it;
/// 4. the rest go through Clarkson's test, proposed by a double LP and confirmed by an exact integer
///    solve, else decided by the exact rational step (<see cref="ExactClarkson"/>): Farkas
///    multipliers, or a new facet.
/// </summary>
public static class IntegerFacetFinder
{
    /// <summary>
    /// The region's facets, redundancies and bounds, or null when its constraint rows do not fit T
    /// (then the caller uses <see cref="RationalFacetFinder"/>).
    /// </summary>
    public static RegionGeometry? Analyse<T>(IntegerRegionMaps<T> maps, Domain domain, Rational[] interior, AnalysisControl? control = null)
        where T : struct, IBinaryInteger<T>, ISignedNumber<T>
    {
        if (maps.Constraints(domain) is not var (rows, scales, approximate)) return null;
        return new IntegerFacetSearch<T>(rows, scales, approximate, interior, control ?? AnalysisControl.None).Run();
    }
}
