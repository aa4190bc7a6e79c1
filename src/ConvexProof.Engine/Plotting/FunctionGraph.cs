using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Plotting;

/// <summary>f on one region of a 1-D network, cut to the window: the segment from (X0, F0) to (X1, F1).</summary>
public sealed record GraphPiece(int Region, string Pattern, Rational X0, Rational X1, Rational F0, Rational F1)
{
    public Rational Slope => (F1 - F0) / (X1 - X0);
}

/// <summary>A breakpoint of f (or an end of the box domain) with its kind and deciding value.</summary>
public sealed record GraphKink(Rational X, Rational F, FrontierKind Kind, Rational? Value, int Region, int Neighbour, int[] Units);

/// <summary>
/// The exact graph of a 1-D network: one straight piece per region between its exact breakpoints
/// (the witnesses of its facets, where the facet constraint vanishes) and every breakpoint
/// classified like a 2-D frontier. Values of f come from the regions' local affine maps.
/// </summary>
public sealed class FunctionGraph
{
    private FunctionGraph(PlotWindow window, List<GraphPiece> pieces, List<GraphKink> kinks, int hidden)
    {
        Window = window;
        Pieces = pieces;
        Kinks = kinks;
        HiddenRegions = hidden;
    }

    /// <summary>x range of the plot, and the range of f over it (with a margin).</summary>
    public PlotWindow Window { get; }

    public IReadOnlyList<GraphPiece> Pieces { get; }

    /// <summary>Breakpoints inside the window, once each, in increasing x; then the domain's ends (kind Boundary).</summary>
    public IReadOnlyList<GraphKink> Kinks { get; }

    public int HiddenRegions { get; }

    /// <summary>
    /// Builds the graph on [<paramref name="xMin"/>, <paramref name="xMax"/>] when given; otherwise on
    /// the box, or on R a round interval around the breakpoints (all of them for small networks,
    /// between the 2% and 98% quantiles for large ones, see <see cref="PlotWindow.AroundCore"/>; with
    /// <paramref name="everything"/> every breakpoint and interior point) and the counterexample.
    /// </summary>
    public static FunctionGraph Build(Network network, CertificationResult result, Rational? xMin = null, Rational? xMax = null,
        bool everything = false)
    {
        if (network.InputDim != 1) throw new ArgumentException($"a function graph needs a network with 1 input, not {network.InputDim}");
        var domain = result.Domain;
        Rational lo, hi;
        if (xMin is Rational a && xMax is Rational b)
        {
            if (a >= b) throw new ArgumentException("the x range of a graph must have xMin < xMax");
            (lo, hi) = (a, b);
        }
        else if (domain.IsBox) (lo, hi) = (domain.Lower![0], domain.Upper![0]);
        else
        {
            static Point2 P(Rational x) => new(x, Rational.Zero);
            var breakpoints = result.Regions.SelectMany(r => r.Facets.Select(f => P(f.Facet.Witness[0]))).Distinct().ToList();
            var interior = result.Regions.Select(r => P(r.Point[0])).ToList();
            var always = result.Counterexample is Counterexample ce ? new List<Point2> { P(ce.X[0]), P(ce.Y[0]) } : [];
            var window = everything || breakpoints.Count == 0
                ? PlotWindow.Around([.. breakpoints, .. interior, .. always])
                : PlotWindow.AroundCore(breakpoints, always);
            (lo, hi) = (window.XMin, window.XMax);
        }

        var pieces = new List<GraphPiece>();
        var kinks = new SortedDictionary<Rational, GraphKink>();
        var ends = new List<GraphKink>();
        int hidden = 0;
        var plotMaps = new PlotMaps(network, domain);
        var lookup = new KinkLookup(network, result);
        foreach (var region in result.Regions)
        {
            var (constraints, output) = plotMaps.Compute(region.Pattern, [.. region.Facets.Select(f => f.Facet.Constraint)]);
            Rational x0 = lo, x1 = hi;
            foreach (var c in constraints) // c = g·x + h ≥ 0 with g ≠ 0
            {
                var root = -c[1] / c[0];
                if (c[0].Sign > 0) x0 = Rational.Max(x0, root);
                else x1 = Rational.Min(x1, root);
            }
            if (x0 >= x1)
            {
                hidden++;
                continue;
            }
            pieces.Add(new GraphPiece(region.Index, region.Pattern, x0, x1, F(output, x0), F(output, x1)));

            foreach (var facet in region.Facets)
            {
                var x = facet.Facet.Witness[0];
                if (x < lo || x > hi) continue;
                var (kind, value) = FrontierClassifier.Classify(facet, region.Pattern, lookup);
                var kink = new GraphKink(x, F(output, x), kind, value, region.Index, facet.Neighbour, facet.Switching);
                if (kind == FrontierKind.Boundary) ends.Add(kink);
                else kinks.TryAdd(x, kink);
            }
        }
        pieces.Sort((p, q) => p.X0.CompareTo(q.X0));

        var fs = pieces.SelectMany(p => new[] { p.F0, p.F1 }).ToList();
        if (result.Counterexample is Counterexample cx)
            foreach (var (x, f) in new[] { (cx.X[0], cx.Fx), (cx.Y[0], cx.Fy) })
                if (x >= lo && x <= hi) fs.Add(f);
        Rational fMin = fs.Count == 0 ? Rational.Zero : fs.Min(), fMax = fs.Count == 0 ? Rational.Zero : fs.Max();
        var spread = fMax - fMin;
        var (yLo, yHi) = PlotWindow.NiceInterval(fMin, fMax, spread.IsZero ? Rational.Max(Rational.One, fMax.Abs() / 5) : spread);
        return new FunctionGraph(new PlotWindow(lo, hi, yLo, yHi), pieces, [.. kinks.Values, .. ends], hidden);
    }

    private static Rational F(Rational[] output, Rational x) => Affine.Evaluate(output, [x]);
}
