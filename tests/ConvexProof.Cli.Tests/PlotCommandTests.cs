using System.Buffers.Binary;
using System.Text;
using System.Xml.Linq;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Plotting;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Tests;

public class PlotCommandTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Network Parse(string json) => NetworkReader.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    private static Rational R(long p, long q = 1) => new(p, q);

    private static Domain Box(long lo, long hi) => Domain.Box([R(lo), R(lo)], [R(hi), R(hi)]);

    /// <summary>Runs `plot`, checks the SVG is well-formed XML and returns it.</summary>
    private static (Cli.Run Run, XDocument Svg) Plot(TempFolder dir, string json, params string[] options)
    {
        var net = dir.Write("net.json", json);
        var svg = dir.File("plot.svg");
        var r = Cli.Invoke(["plot", net, "--out", svg, .. options]);
        Assert.True(r.Code is 0 or 3, $"exit {r.Code}: {r.Err}");
        Assert.Equal(["net.json", "plot.svg"], dir.Files()); // no temp file left behind
        return (r, XDocument.Parse(File.ReadAllText(svg)));
    }

    private static List<XElement> WithClass(XDocument doc, string element, string cls) =>
        [.. doc.Descendants(Svg + element).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cls) == true)];

    private static int VertexCount(XElement polygon) =>
        ((string)polygon.Attribute("points")!).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public void AbsoluteValuesOnABoxAreFourSquares()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.AbsSum2D, "--box", "-1:1", "--quiet");
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        var regions = WithClass(svg, "polygon", "region");
        Assert.Equal(4, regions.Count);
        Assert.All(regions, p => Assert.Equal(4, VertexCount(p)));
        Assert.Equal(["0", "1", "2", "3"], regions.Select(p => (string)p.Attribute("data-region")!).Order());
        // The axes are degenerate frontiers (two units switch), cut at the origin; 8 box edges.
        Assert.Equal(4, WithClass(svg, "line", "degenerate").Count);
        Assert.Equal(8, WithClass(svg, "line", "boundary").Count);
        Assert.Empty(WithClass(svg, "line", "non-convex"));
        Assert.DoesNotContain(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("id") == "counterexample");
        Assert.Contains("convex", svg.Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void PolygonVerticesAreExact()
    {
        // max(x1, x2) on [0,1]^2: two triangles split by the diagonal.
        var network = Parse(TestNets.MaxOfTwo);
        var result = Certifier.Certify(network, Box(0, 1));
        var plot = RegionPolygons.Build(network, result);
        Assert.Equal(2, plot.Polygons.Count);
        var shapes = plot.Polygons.Select(p => p.Vertices.OrderBy(v => v.X).ThenBy(v => v.Y).ToArray()).OrderBy(v => v[1].Y).ToArray();
        Assert.Equal([new Point2(R(0), R(0)), new Point2(R(1), R(0)), new Point2(R(1), R(1))], shapes[0]);
        Assert.Equal([new Point2(R(0), R(0)), new Point2(R(0), R(1)), new Point2(R(1), R(1))], shapes[1]);
        Assert.All(plot.Polygons, p => Assert.True(PolygonClipper.TwiceSignedArea(p.Vertices) == R(1)));
        var diagonal = Assert.Single(plot.Frontiers, f => f.Kind != FrontierKind.Boundary);
        Assert.Equal(FrontierKind.ConvexKink, diagonal.Kind);
        Assert.Equal(R(1), diagonal.Value);
    }

    [Fact]
    public void UnboundedRegionsAreClippedToAWindowAroundTheVertex()
    {
        // Two lines crossing at (−8/7, −4/7): four unbounded regions on R^2.
        var network = Parse(TestNets.TwoLines);
        var result = Certifier.Certify(network, Domain.Everywhere(2));
        var plot = RegionPolygons.Build(network, result);
        var vertex = new Point2(R(-8, 7), R(-4, 7));
        Assert.Equal(4, plot.Polygons.Count);
        Assert.All(plot.Polygons, p => Assert.Contains(vertex, p.Vertices));
        var w = plot.Window;
        Assert.True(w.XMin < vertex.X && vertex.X < w.XMax && w.YMin < vertex.Y && vertex.Y < w.YMax);
        Assert.Equal(4, plot.Frontiers.Count);
        Assert.All(plot.Frontiers, f => Assert.Equal(FrontierKind.ConvexKink, f.Kind));
        Assert.All(plot.Frontiers, f => Assert.True(f.From == vertex || f.To == vertex));
        // The regions tile the window exactly.
        var total = plot.Polygons.Aggregate(Rational.Zero, (s, p) => s + PolygonClipper.TwiceSignedArea(p.Vertices));
        Assert.Equal(w.Width * w.Height * 2, total);
    }

    [Fact]
    public void TilingIsExactForAMixedSignNetwork()
    {
        var network = Parse(TestNets.SmallMlp2D);
        foreach (var domain in new[] { Box(-3, 3), Domain.Everywhere(2) })
        {
            var result = Certifier.Certify(network, domain);
            var plot = RegionPolygons.Build(network, result);
            Assert.Equal(result.Regions.Count, plot.Polygons.Count);
            var total = plot.Polygons.Aggregate(Rational.Zero, (s, p) => s + PolygonClipper.TwiceSignedArea(p.Vertices));
            Assert.Equal(plot.Window.Width * plot.Window.Height * 2, total);
            // Every vertex of every region satisfies the region's pattern: f there equals the region's local map.
            foreach (var polygon in plot.Polygons)
                foreach (var v in polygon.Vertices)
                    Assert.Equal(network.Evaluate([v.X, v.Y]), polygon.Output[0] * v.X + polygon.Output[1] * v.Y + polygon.Output[2]);
        }
    }

    [Fact]
    public void OnePolygonPerRegionOnAWholePlane()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.SmallMlp2D);
        Assert.Equal(0, r.Code);
        var network = Parse(TestNets.SmallMlp2D);
        int regions = Certifier.Certify(network, Domain.Everywhere(2)).Regions.Count;
        Assert.Equal(regions, WithClass(svg, "polygon", "region").Count);
        Assert.Contains($"{regions} of {regions} regions drawn", r.Out);
        Assert.StartsWith("plot written to ", r.Out);
    }

    [Fact]
    public void NonConvexNetworkShowsTheCounterexampleAndRedFrontiers()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.NegRelu2D, "--box", "-1:1");
        Assert.Equal(0, r.Code);
        Assert.Contains("NOT convex", r.Out);
        var ce = Assert.Single(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("id") == "counterexample");
        foreach (var cls in new[] { "ce-x", "ce-y", "ce-mid" })
            Assert.Single(ce.Elements(Svg + "circle"), c => (string?)c.Attribute("class") == cls);
        Assert.Single(WithClass(svg, "line", "non-convex"));
        Assert.Contains("NOT convex", svg.Root!.Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value.Contains("non-convex kink (c < 0): 1", StringComparison.Ordinal));
    }

    [Fact]
    public void OneInputIsDrawnAsAGraphWithExactBreakpoints()
    {
        var network = Parse(TestNets.TwoHinges);
        var result = Certifier.Certify(network, Domain.Everywhere(1));
        var graph = FunctionGraph.Build(network, result);
        Assert.Equal(3, graph.Pieces.Count);
        Assert.Equal([R(-1), R(1)], graph.Kinks.Select(k => k.X));
        Assert.All(graph.Kinks, k => Assert.Equal(FrontierKind.ConvexKink, k.Kind));
        Assert.All(graph.Kinks, k => Assert.Equal(Rational.Zero, k.F));
        Assert.True(graph.Window.XMin < -1 && graph.Window.XMax > 1);
        // Consecutive pieces meet at the breakpoints.
        Assert.Equal(graph.Pieces[0].X1, graph.Pieces[1].X0);
        Assert.Equal(graph.Pieces[1].X1, graph.Pieces[2].X0);
        Assert.Equal(R(0), graph.Pieces[1].Slope);

        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.TwoHinges);
        Assert.Equal(0, r.Code);
        Assert.Equal(3, WithClass(svg, "line", "piece").Count);
        Assert.Equal(2, WithClass(svg, "circle", "kink").Count);
        Assert.Equal(2, WithClass(svg, "circle", "convex").Count);
        Assert.Empty(WithClass(svg, "polygon", "region"));
    }

    [Fact]
    public void OneInputGraphColoursEachKinkByItsCondition()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.Clamp, "--box", "-1:2");
        Assert.Equal(0, r.Code);
        Assert.Single(WithClass(svg, "circle", "convex"));
        Assert.Single(WithClass(svg, "circle", "non-convex"));
        Assert.Equal(2, WithClass(svg, "circle", "boundary").Count);
        var ce = Assert.Single(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("id") == "counterexample");
        Assert.Equal(3, ce.Elements(Svg + "circle").Count());

        var network = Parse(TestNets.Clamp);
        var graph = FunctionGraph.Build(network, Certifier.Certify(network, Domain.Box([R(-1)], [R(2)])));
        var nonConvex = Assert.Single(graph.Kinks, k => k.Kind == FrontierKind.NonConvexKink);
        Assert.Equal((R(1), R(1), R(-1)), (nonConvex.X, nonConvex.F, nonConvex.Value!.Value));
        Assert.Equal((R(-1), R(2)), (graph.Window.XMin, graph.Window.XMax));
    }

    [Fact]
    public void DegenerateNonConvexBreakpointInOneDimension()
    {
        using var dir = new TempFolder();
        var (_, svg) = Plot(dir, TestNets.NegAbs);
        Assert.Single(WithClass(svg, "circle", "degenerate-non-convex"));
    }

    [Fact]
    public void ViewWindowCutsThePicture()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.AbsSum2D, "--view", "0.5:2,-1:1");
        Assert.Equal(0, r.Code);
        Assert.Equal(2, WithClass(svg, "polygon", "region").Count);
        Assert.Contains("2 of 4 regions drawn", r.Out);
    }

    [Fact]
    public void AutomaticWindowFollowsTheBulkOfTheVertices()
    {
        // 100 points in [0, 9]^2 and one far away: the far one is left out of the window.
        var points = Enumerable.Range(0, 100).Select(i => new Point2(R(i % 10), R(i / 10))).Append(new Point2(R(5000), R(-3000))).ToList();
        var core = PlotWindow.AroundCore(points, []);
        Assert.True(core.XMin < 0 && core.XMax > 9 && core.YMin < 0 && core.YMax > 9);
        Assert.True(core.XMax < 20 && core.YMin > -10);
        // ... unless it must be shown, or there are few points.
        Assert.True(PlotWindow.AroundCore(points, [new Point2(R(5000), R(-3000))]).XMax > 5000);
        Assert.True(PlotWindow.AroundCore(points.Skip(50).ToList(), []).XMax > 5000);
        var all = PlotWindow.Around(points);
        Assert.True(all.XMax > 5000 && all.YMin < -3000);
        // Round bounds, strictly containing the points.
        Assert.True(core.XMin.IsInteger && core.XMax.IsInteger);
    }

    [Fact]
    public void ViewAllShowsEveryRegion()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.SmallMlp2D, "--view", "all");
        Assert.Equal(0, r.Code);
        var network = Parse(TestNets.SmallMlp2D);
        var result = Certifier.Certify(network, Domain.Everywhere(2));
        Assert.Equal(result.Regions.Count, WithClass(svg, "polygon", "region").Count);
        var all = RegionPolygons.AutoWindow(network, result, everything: true);
        foreach (var region in result.Regions)
            Assert.True(all.Contains(new Point2(region.Point[0], region.Point[1])));
    }

    [Fact]
    public void LimitsGiveAPartialPlotAndExitThree()
    {
        using var dir = new TempFolder();
        var (r, svg) = Plot(dir, TestNets.AbsSum2D, "--box", "-1:1", "--max-regions", "2");
        Assert.Equal(3, r.Code);
        Assert.Equal(2, WithClass(svg, "polygon", "region").Count);
        Assert.Contains("undecided", svg.Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void ThreeInputsAreRejected()
    {
        using var dir = new TempFolder();
        var net = dir.Write("net.json", TestNets.ThreeInputs);
        var r = Cli.Invoke("plot", net, "--out", dir.File("plot.svg"));
        Cli.AssertOneLineError(r, "net.json", "1 or 2 inputs", "has 3");
        Assert.Equal(["net.json"], dir.Files());
    }

    [Fact]
    public void InputAndUsageErrorsWriteNothing()
    {
        using var dir = new TempFolder();
        var bad = dir.Write("bad.json", TestNets.BadJson);
        Cli.AssertOneLineError(Cli.Invoke("plot", bad, "--out", dir.File("plot.svg")), "bad.json", "invalid JSON");
        var good = dir.Write("good.json", TestNets.MaxOfTwo);
        Cli.AssertOneLineError(Cli.Invoke("plot", good), "--out");
        Cli.AssertOneLineError(Cli.Invoke("plot", good, "--out", dir.File("plot.svg"), "--view", "2:1"), "--view");
        Cli.AssertOneLineError(Cli.Invoke("plot", good, "--out", Path.Combine(dir.Path, "no", "plot.svg")), "cannot write the file (no such directory");
        Assert.Equal(["bad.json", "good.json"], dir.Files());
    }

    [Fact]
    public void ClipperKeepsExactCorners()
    {
        var square = PolygonClipper.Rectangle(R(0), R(0), R(1), R(1));
        // Cut by x + y ≥ 1/2: a pentagon with corners (1/2, 0) and (0, 1/2).
        var cut = PolygonClipper.Clip(square, new HalfPlane(R(1), R(1), R(-1, 2)));
        Assert.Equal([new(R(1, 2), R(0)), new(R(1), R(0)), new(R(1), R(1)), new(R(0), R(1)), new(R(0), R(1, 2))], cut);
        // A line through a corner adds no vertex.
        Assert.Equal(3, PolygonClipper.Clip(square, new HalfPlane(R(1), R(-1), R(0))).Count);
        // A half-plane missing the square leaves nothing.
        Assert.Empty(PolygonClipper.Clip(square, new HalfPlane(R(1), R(0), R(-2))));
        Assert.Equal(R(2), PolygonClipper.TwiceSignedArea(square));
        Assert.Null(PolygonClipper.Intersect(new HalfPlane(R(1), R(1), R(0)), new HalfPlane(R(2), R(2), R(1))));
    }

    [Theory]
    [InlineData(TestNets.SmallMlp2D, true)]
    [InlineData(TestNets.TwoLines, true)]
    // Denominators whose least common multiple exceeds 64 bits: the 128-bit integer network.
    [InlineData("""{"input_dim":2,"layers":[{"weights":[["1/3486784401",1],[1,"-1/79792266297612001"]],"bias":["1/2",0],"activation":"relu"},{"weights":[["1/1162261467","5/9"]],"bias":[0],"activation":"identity"}]}""", true)]
    // Integer weights whose products overflow 64 bits in the third layer: integer path, then the fallback.
    [InlineData("""{"input_dim":2,"layers":[{"weights":[[1000000000,-1],[1,1000000000]],"bias":[0,1],"activation":"relu"},{"weights":[[1000000000,1000000000],[-1000000000,1]],"bias":[1,0],"activation":"relu"},{"weights":[[1000000000,-1000000000]],"bias":[0],"activation":"identity"}]}""", true)]
    public void PlotMapsAreTheExactLocalMaps(string json, bool integers)
    {
        var network = Parse(json);
        var domain = Box(-2, 3);
        var maps = new PlotMaps(network, domain);
        Assert.Equal(integers, maps.UsesIntegers);
        var result = Certifier.Certify(network, domain);
        foreach (var region in result.Regions)
        {
            var local = LocalAffineMaps.ForPattern(network, region.Pattern);
            var all = new RegionConstraints(local, domain).All;
            var (constraints, output) = maps.Compute(region.Pattern, [.. Enumerable.Range(0, all.Length)]);
            for (int k = 0; k < all.Length; k++) Assert.Equal(all[k], constraints[k]);
            Assert.Equal(local.Output, output);
        }
    }

    [RequiresRsvgConvertFact]
    public void SvgRendersToANonTrivialPng()
    {
        using var dir = new TempFolder();
        var net = dir.Write("net.json", TestNets.SmallMlp2D);
        var svg = dir.File("plot.svg");
        Assert.Equal(0, Cli.Invoke("plot", net, "--out", svg, "--box", "-3:3", "--quiet").Code);
        var png = dir.File("plot.png");
        var (code, err) = Executables.Run(Executables.Find("rsvg-convert")!, "--format", "png", "--output", png, svg);
        Assert.True(code == 0, $"rsvg-convert failed ({code}): {err}");
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"PNG of {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(bytes, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        var root = XDocument.Load(svg).Root!;
        Assert.Equal((int)double.Parse((string)root.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture), width);
        Assert.Equal((int)double.Parse((string)root.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture), height);
        Assert.True(width >= 800 && height >= 600);
    }
}
