using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Plotting;

/// <summary>One region of a 2-D network clipped to the plot window: its exact vertices (counter-clockwise) and f on it.</summary>
public sealed record RegionPolygon(int Region, string Pattern, IReadOnlyList<Point2> Vertices, Rational[] Output)
{
    /// <summary>∇f on the region.</summary>
    public (Rational X, Rational Y) Gradient => (Output[0], Output[1]);
}

/// <summary>
/// A straight piece of frontier inside the window: an edge of a region's polygon that lies on one
/// of its facets, with the facet's kind and deciding value. Each piece is listed once even though
/// the regions on both sides have it.
/// </summary>
public sealed record FrontierSegment(Point2 From, Point2 To, FrontierKind Kind, Rational? Value, int Region, int Neighbour, int[] Units);

/// <summary>
/// The exact picture of a 2-D network's regions: every explored region's polygon (the window
/// rectangle clipped by the half-planes of the region's facets, in rationals) and every frontier
/// segment, classified. Regions that meet the window in less than an area are left out.
/// </summary>
public sealed class RegionPolygons
{
    private RegionPolygons(PlotWindow window, List<RegionPolygon> polygons, List<FrontierSegment> frontiers, int hidden)
    {
        Window = window;
        Polygons = polygons;
        Frontiers = frontiers;
        HiddenRegions = hidden;
    }

    public PlotWindow Window { get; }
    public IReadOnlyList<RegionPolygon> Polygons { get; }
    public IReadOnlyList<FrontierSegment> Frontiers { get; }

    /// <summary>Explored regions that do not meet the window in a positive area.</summary>
    public int HiddenRegions { get; }

    /// <summary>
    /// Builds the picture on <paramref name="window"/>, or on the automatic window: the box on a box
    /// domain; on R^2 a round window around the region vertices (see AutoWindow). Unbounded
    /// regions are cut at the window's edge; regions that miss the window are counted in
    /// <see cref="HiddenRegions"/>.
    /// </summary>
    public static RegionPolygons Build(Network network, CertificationResult result, PlotWindow? window = null, bool everything = false)
    {
        if (network.InputDim != 2) throw new ArgumentException($"region polygons need a network with 2 inputs, not {network.InputDim}");
        var maps = new PlotMaps(network, result.Domain);
        var regions = result.Regions.Select(r => RegionHalfPlanes.Of(maps, r)).ToList();
        var kinks = new KinkLookup(network, result);
        window ??= AutoWindow(result, regions, everything);

        var polygons = new List<RegionPolygon>();
        var frontiers = new List<FrontierSegment>();
        var seen = new HashSet<(Point2, Point2)>();
        int hidden = 0;
        foreach (var region in regions)
        {
            var polygon = window.Rectangle();
            foreach (var h in region.HalfPlanes)
            {
                polygon = PolygonClipper.Clip(polygon, h);
                if (polygon.Count < 3) break;
            }
            if (polygon.Count < 3 || PolygonClipper.TwiceSignedArea(polygon).Sign <= 0)
            {
                hidden++;
                continue;
            }
            polygons.Add(new RegionPolygon(region.Region.Index, region.Region.Pattern, polygon, region.Output));

            for (int i = 0; i < polygon.Count; i++)
            {
                Point2 p = polygon[i], q = polygon[(i + 1) % polygon.Count];
                int f = region.FacetOn(p, q);
                if (f < 0) continue; // an edge of the window, not a frontier
                var key = Compare(p, q) < 0 ? (p, q) : (q, p);
                if (!seen.Add(key)) continue;
                var facet = region.Region.Facets[f];
                var (kind, value) = FrontierClassifier.Classify(facet, region.Region.Pattern, kinks);
                frontiers.Add(new FrontierSegment(p, q, kind, value, region.Region.Index, facet.Neighbour, facet.Switching));
            }
        }
        return new RegionPolygons(window, polygons, frontiers, hidden);
    }

    /// <summary>
    /// The automatic window. On a box: the box. On R^2 with <paramref name="everything"/>: a round
    /// window that strictly contains every region's vertices, interior point and facet witnesses, so
    /// every region shows with a positive area. Otherwise a round window around the bulk of the
    /// region vertices (all of them for small networks; between the 2% and 98% quantiles of each
    /// coordinate for large ones, see <see cref="PlotWindow.AroundCore"/>), plus the counterexample.
    /// </summary>
    public static PlotWindow AutoWindow(Network network, CertificationResult result, bool everything = false)
    {
        var maps = new PlotMaps(network, result.Domain);
        return AutoWindow(result, [.. result.Regions.Select(r => RegionHalfPlanes.Of(maps, r))], everything);
    }

    private static PlotWindow AutoWindow(CertificationResult result, IReadOnlyList<RegionHalfPlanes> regions, bool everything)
    {
        var domain = result.Domain;
        if (domain.IsBox) return new PlotWindow(domain.Lower![0], domain.Upper![0], domain.Lower[1], domain.Upper[1]);
        var vertices = new HashSet<Point2>();
        var others = new HashSet<Point2>();
        foreach (var region in regions)
        {
            others.Add(new Point2(region.Region.Point[0], region.Region.Point[1]));
            foreach (var facet in region.Region.Facets) others.Add(new Point2(facet.Facet.Witness[0], facet.Facet.Witness[1]));
            foreach (var v in PolygonClipper.Vertices(region.HalfPlanes)) vertices.Add(v);
        }
        var always = new List<Point2>();
        if (result.Counterexample is Counterexample ce)
        {
            always.Add(new Point2(ce.X[0], ce.X[1]));
            always.Add(new Point2(ce.Y[0], ce.Y[1]));
        }
        if (everything) return PlotWindow.Around([.. vertices, .. others, .. always]);
        // No vertex at all (parallel lines, one line, no kink): the interior points and witnesses.
        return vertices.Count == 0 ? PlotWindow.Around([.. others, .. always]) : PlotWindow.AroundCore([.. vertices], always);
    }

    private static int Compare(Point2 a, Point2 b)
    {
        int c = a.X.CompareTo(b.X);
        return c != 0 ? c : a.Y.CompareTo(b.Y);
    }

    /// <summary>A region, f on it and the half-planes of its facets (which alone cut it out).</summary>
    private sealed class RegionHalfPlanes
    {
        public required ExploredRegion Region { get; init; }
        public required Rational[] Output { get; init; }
        public required HalfPlane[] HalfPlanes { get; init; }

        public static RegionHalfPlanes Of(PlotMaps maps, ExploredRegion region)
        {
            // Redundant constraints follow from the facets (Farkas) and flat ones vanish identically,
            // so the facets' half-planes alone give the region exactly.
            var (constraints, output) = maps.Compute(region.Pattern, [.. region.Facets.Select(f => f.Facet.Constraint)]);
            return new RegionHalfPlanes { Region = region, Output = output, HalfPlanes = [.. constraints.Select(HalfPlane.FromAffine)] };
        }

        /// <summary>Index of the facet whose line holds both p and q, or −1 (an edge of the window).</summary>
        public int FacetOn(Point2 p, Point2 q)
        {
            for (int f = 0; f < HalfPlanes.Length; f++)
                if (HalfPlanes[f].Value(p).IsZero && HalfPlanes[f].Value(q).IsZero) return f;
            return -1;
        }
    }
}
