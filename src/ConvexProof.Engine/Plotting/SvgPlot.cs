using System.Globalization;
using System.Text;
using ConvexProof.Convexity;
using ConvexProof.Numbers;

namespace ConvexProof.Plotting;

/// <summary>
/// Writes a region picture (d = 2) or a function graph (d = 1) as a self-contained SVG 1.1 file:
/// title (verdict and counts), the plot, a legend. All geometry is exact up to this point; only the
/// pixel coordinates written here are doubles.
/// </summary>
/// <remarks>
/// Elements carry classes for tools and tests: <c>polygon.region</c> (one per region shown, with
/// <c>data-region</c>), <c>line.frontier</c> with a kind class (<c>convex</c>, <c>flat</c>,
/// <c>non-convex</c>, <c>degenerate</c>, <c>degenerate-non-convex</c>, <c>boundary</c>),
/// <c>line.piece</c> and <c>circle.kink</c> in graphs, and <c>g#counterexample</c> with
/// <c>ce-x</c>, <c>ce-y</c>, <c>ce-mid</c>.
/// </remarks>
public static class SvgPlot
{
    private const double PlotSide = 640, GraphWidth = 640, GraphHeight = 440;
    private const double Left = 70, Top = 92, Gap = 36, LegendWidth = 300, Bottom = 56;

    private static readonly (FrontierKind Kind, string Class, string Colour, double Width, string? Dash, string Label)[] Styles =
    [
        (FrontierKind.ConvexKink, "convex", "#1f5fbf", 1.3, null, "convex kink (c > 0)"),
        (FrontierKind.FlatKink, "flat", "#9a9a9a", 1.1, "4 3", "flat kink (c = 0)"),
        (FrontierKind.NonConvexKink, "non-convex", "#e3261c", 2.2, null, "non-convex kink (c < 0)"),
        (FrontierKind.Degenerate, "degenerate", "#8e3fb8", 1.8, null, "degenerate (several units switch)"),
        (FrontierKind.DegenerateNonConvex, "degenerate-non-convex", "#e3261c", 2.2, "6 3", "degenerate, gradient jump < 0"),
        (FrontierKind.Boundary, "boundary", "#1a1a1a", 2.6, null, "domain boundary"),
    ];

    /// <summary>Drawing order: quiet kinds first, violations on top.</summary>
    private static readonly FrontierKind[] DrawOrder =
    [
        FrontierKind.FlatKink, FrontierKind.ConvexKink, FrontierKind.Degenerate, FrontierKind.Boundary,
        FrontierKind.DegenerateNonConvex, FrontierKind.NonConvexKink,
    ];

    /// <summary>The SVG of a 2-D region picture.</summary>
    public static string Render(RegionPolygons plot, CertificationResult result, string networkName)
    {
        var w = plot.Window;
        double width = w.Width.ToDouble(), height = w.Height.ToDouble();
        double scale = Math.Min(PlotSide / width, PlotSide / height);
        double pw = width * scale, ph = height * scale;
        double xMin = w.XMin.ToDouble(), yMax = w.YMax.ToDouble();
        double X(Rational x) => Left + (x.ToDouble() - xMin) * scale;
        double Y(Rational y) => Top + (yMax - y.ToDouble()) * scale;

        var counts = plot.Frontiers.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());
        var svg = new Svg(Left + pw + Gap + LegendWidth, Math.Max(Top + ph + Bottom, Top + LegendHeight(result) + 20));
        string shown = plot.HiddenRegions == 0 ? "" : $" ({plot.Polygons.Count} in the window)";
        svg.Header(networkName, result,
            $"{Plural(result.Statistics.Regions, "region")}{shown} · {Plural(plot.Frontiers.Count, "frontier segment")} · domain {result.Domain} · window {Describe(w)}");

        // Regions, lightly filled by the direction (hue) and size (saturation) of ∇f.
        double maxGradient = plot.Polygons.Select(p => Norm(p.Gradient.X, p.Gradient.Y)).DefaultIfEmpty(0).Max();
        svg.Open("g", ("id", "regions"));
        foreach (var polygon in plot.Polygons)
        {
            var points = string.Join(' ', polygon.Vertices.Select(v => $"{Num(X(v.X))},{Num(Y(v.Y))}"));
            string fill = GradientColour(polygon.Gradient.X.ToDouble(), polygon.Gradient.Y.ToDouble(), maxGradient);
            svg.Empty("polygon", ("class", "region"), ("data-region", polygon.Region.ToString(CultureInfo.InvariantCulture)),
                ("points", points), ("fill", fill), ("stroke", fill), ("stroke-width", "0.6"));
        }
        svg.Close("g");
        svg.Empty("rect", ("class", "window"), ("x", Num(Left)), ("y", Num(Top)), ("width", Num(pw)), ("height", Num(ph)),
            ("fill", "none"), ("stroke", "#bbbbbb"), ("stroke-width", "1"));

        svg.Open("g", ("id", "frontiers"), ("stroke-linecap", "round"));
        foreach (var kind in DrawOrder)
        {
            var style = Style(kind);
            var segments = plot.Frontiers.Where(f => f.Kind == kind).ToList();
            if (segments.Count == 0) continue;
            svg.Open("g", ("class", $"frontiers-{style.Class}"), ("stroke", style.Colour), ("stroke-width", Num(style.Width)),
                ("stroke-dasharray", style.Dash));
            foreach (var s in segments)
                svg.Empty("line", ("class", $"frontier {style.Class}"), ("x1", Num(X(s.From.X))), ("y1", Num(Y(s.From.Y))),
                    ("x2", Num(X(s.To.X))), ("y2", Num(Y(s.To.Y))));
            svg.Close("g");
        }
        svg.Close("g");

        if (result.Counterexample is Counterexample ce)
            svg.Counterexample(X(ce.X[0]), Y(ce.X[1]), X(ce.Y[0]), Y(ce.Y[1]),
                (X(ce.X[0]) + X(ce.Y[0])) / 2, (Y(ce.X[1]) + Y(ce.Y[1])) / 2, Left, Top, pw, ph);

        svg.Axes(w.XMin.ToDouble(), w.XMax.ToDouble(), w.YMin.ToDouble(), w.YMax.ToDouble(), Left, Top, pw, ph, "x1", "x2");
        svg.Legend(Left + pw + Gap, Top, counts, result, fillNote: true);
        return svg.Finish();
    }

    /// <summary>The SVG of a 1-D function graph.</summary>
    public static string Render(FunctionGraph graph, CertificationResult result, string networkName)
    {
        var w = graph.Window;
        double xMin = w.XMin.ToDouble(), yMax = w.YMax.ToDouble();
        double sx = GraphWidth / w.Width.ToDouble(), sy = GraphHeight / w.Height.ToDouble();
        double X(Rational x) => Left + (x.ToDouble() - xMin) * sx;
        double Y(Rational y) => Top + (yMax - y.ToDouble()) * sy;

        var counts = graph.Kinks.GroupBy(k => k.Kind).ToDictionary(g => g.Key, g => g.Count());
        var svg = new Svg(Left + GraphWidth + Gap + LegendWidth, Math.Max(Top + GraphHeight + Bottom, Top + LegendHeight(result) + 20));
        string shown = graph.HiddenRegions == 0 ? "" : $" ({graph.Pieces.Count} in the window)";
        int breakpoints = graph.Kinks.Count(k => k.Kind != FrontierKind.Boundary);
        svg.Header(networkName, result,
            $"{Plural(result.Statistics.Regions, "piece")}{shown} · {Plural(breakpoints, "breakpoint")} · domain {result.Domain} · x in [{w.XMin}, {w.XMax}]");

        svg.Empty("rect", ("class", "window"), ("x", Num(Left)), ("y", Num(Top)), ("width", Num(GraphWidth)), ("height", Num(GraphHeight)),
            ("fill", "#fbfbfb"), ("stroke", "#bbbbbb"), ("stroke-width", "1"));
        svg.Open("g", ("id", "kink-lines"), ("stroke-width", "1"), ("opacity", "0.55"));
        foreach (var k in graph.Kinks)
        {
            var style = Style(k.Kind);
            svg.Empty("line", ("class", $"kink-line {style.Class}"), ("x1", Num(X(k.X))), ("y1", Num(Top)), ("x2", Num(X(k.X))),
                ("y2", Num(Top + GraphHeight)), ("stroke", style.Colour), ("stroke-dasharray", k.Kind == FrontierKind.Boundary ? null : "3 3"));
        }
        svg.Close("g");
        svg.Open("g", ("id", "graph"), ("stroke", "#202020"), ("stroke-width", "2.2"), ("stroke-linecap", "round"));
        foreach (var p in graph.Pieces)
            svg.Empty("line", ("class", "piece"), ("data-region", p.Region.ToString(CultureInfo.InvariantCulture)),
                ("x1", Num(X(p.X0))), ("y1", Num(Y(p.F0))), ("x2", Num(X(p.X1))), ("y2", Num(Y(p.F1))));
        svg.Close("g");
        svg.Open("g", ("id", "kinks"), ("stroke", "#ffffff"), ("stroke-width", "1"));
        foreach (var k in graph.Kinks)
        {
            var style = Style(k.Kind);
            svg.Empty("circle", ("class", $"kink {style.Class}"), ("cx", Num(X(k.X))), ("cy", Num(Y(k.F))), ("r", "5"), ("fill", style.Colour));
        }
        svg.Close("g");

        if (result.Counterexample is Counterexample ce)
            svg.Counterexample(X(ce.X[0]), Y(ce.Fx), X(ce.Y[0]), Y(ce.Fy), (X(ce.X[0]) + X(ce.Y[0])) / 2, Y(ce.FMid),
                Left, Top, GraphWidth, GraphHeight);

        svg.Axes(w.XMin.ToDouble(), w.XMax.ToDouble(), w.YMin.ToDouble(), w.YMax.ToDouble(), Left, Top, GraphWidth, GraphHeight, "x", "f(x)");
        svg.Legend(Left + GraphWidth + Gap, Top, counts, result, fillNote: false);
        return svg.Finish();
    }

    private static (FrontierKind Kind, string Class, string Colour, double Width, string? Dash, string Label) Style(FrontierKind kind) =>
        Styles.First(s => s.Kind == kind);

    private static double LegendHeight(CertificationResult result) => 26 + Styles.Length * 22 + 40 + 60 + (result.Counterexample is null ? 0 : 60);

    private static string Describe(PlotWindow w) =>
        $"[{Short(w.XMin)}, {Short(w.XMax)}] × [{Short(w.YMin)}, {Short(w.YMax)}]";

    private static string Short(Rational r) => r.IsInteger ? r.ToString() : r.ToDouble().ToString("G6", CultureInfo.InvariantCulture);

    private static string Plural(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static double Norm(Rational x, Rational y)
    {
        double a = x.ToDouble(), b = y.ToDouble();
        return Math.Sqrt(a * a + b * b);
    }

    internal static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A pale colour: hue from the direction of ∇f, saturation from its size.</summary>
    internal static string GradientColour(double gx, double gy, double maxNorm)
    {
        double norm = Math.Sqrt(gx * gx + gy * gy);
        if (norm == 0 || maxNorm == 0 || !double.IsFinite(norm)) return "#f2f2f2";
        double hue = (Math.Atan2(gy, gx) * 180 / Math.PI + 360) % 360;
        double saturation = 0.30 + 0.45 * Math.Min(1, norm / maxNorm);
        return Hsl(hue, saturation, 0.86);
    }

    private static string Hsl(double h, double s, double l)
    {
        double c = (1 - Math.Abs(2 * l - 1)) * s;
        double hp = h / 60;
        double x = c * (1 - Math.Abs(hp % 2 - 1));
        var (r, g, b) = hp switch
        {
            < 1 => (c, x, 0.0),
            < 2 => (x, c, 0.0),
            < 3 => (0.0, c, x),
            < 4 => (0.0, x, c),
            < 5 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        double m = l - c / 2;
        int R(double v) => (int)Math.Round(Math.Clamp(v + m, 0, 1) * 255);
        return $"#{R(r):x2}{R(g):x2}{R(b):x2}";
    }

    /// <summary>A minimal SVG writer with XML escaping.</summary>
    private sealed class Svg
    {
        private readonly StringBuilder _sb = new();
        private int _depth;

        public Svg(double width, double height)
        {
            _sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            string w = Num(Math.Ceiling(width)), h = Num(Math.Ceiling(height));
            Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"), ("width", w), ("height", h),
                ("viewBox", $"0 0 {w} {h}"), ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"));
            Empty("rect", ("x", "0"), ("y", "0"), ("width", w), ("height", h), ("fill", "#ffffff"));
        }

        public void Header(string networkName, CertificationResult result, string details)
        {
            string verdict = result.Verdict switch
            {
                Verdict.Convex => "convex",
                Verdict.NotConvex => "NOT convex",
                _ => "undecided (partial plot: " + result.UndecidedReason + ")",
            };
            var s = result.Statistics;
            Element("title", $"{networkName}: {verdict}");
            Element("text", $"{networkName}: {verdict}", ("id", "title"), ("x", "20"), ("y", "30"), ("font-size", "19"), ("font-weight", "bold"),
                ("fill", result.Verdict == Verdict.NotConvex ? "#b3140c" : result.Verdict == Verdict.Convex ? "#14622b" : "#7a5a00"));
            Element("text", details, ("x", "20"), ("y", "52"), ("font-size", "12.5"), ("fill", "#333333"));
            string partial = result.Complete ? "" : " (exploration stopped early)";
            Element("text",
                $"{Plural(s.Conditions, "kink condition")}, {s.Violations} violated · {Plural(s.Facets, "facet")} ({s.DegenerateFacets} degenerate, {s.BoundaryFacets} on the boundary) · {s.Neurons} ReLU units{partial}",
                ("x", "20"), ("y", "70"), ("font-size", "12.5"), ("fill", "#333333"));
        }

        public void Counterexample(double x1, double y1, double x2, double y2, double mx, double my, double left, double top, double w, double h)
        {
            if (mx < left - 1 || mx > left + w + 1 || my < top - 1 || my > top + h + 1) return;
            Open("g", ("id", "counterexample"));
            Empty("line", ("class", "ce-segment"), ("x1", Num(x1)), ("y1", Num(y1)), ("x2", Num(x2)), ("y2", Num(y2)),
                ("stroke", "#000000"), ("stroke-width", "1.5"));
            Empty("circle", ("class", "ce-mid"), ("cx", Num(mx)), ("cy", Num(my)), ("r", "11"), ("fill", "none"),
                ("stroke", "#000000"), ("stroke-width", "2.2"));
            Empty("circle", ("class", "ce-x"), ("cx", Num(x1)), ("cy", Num(y1)), ("r", "3.2"), ("fill", "#000000"));
            Empty("circle", ("class", "ce-y"), ("cx", Num(x2)), ("cy", Num(y2)), ("r", "3.2"), ("fill", "#ffffff"),
                ("stroke", "#000000"), ("stroke-width", "1.2"));
            bool right = mx < left + w - 130;
            Element("text", "counterexample", ("x", Num(right ? mx + 15 : mx - 15)), ("y", Num(my - 12)), ("font-size", "12"),
                ("font-weight", "bold"), ("text-anchor", right ? "start" : "end"), ("fill", "#000000"),
                ("stroke", "#ffffff"), ("stroke-width", "3"), ("paint-order", "stroke"));
            Close("g");
        }

        public void Axes(double x0, double x1, double y0, double y1, double left, double top, double w, double h, string xLabel, string yLabel)
        {
            Open("g", ("id", "axes"), ("font-size", "11"), ("fill", "#444444"));
            foreach (double t in Ticks(x0, x1))
            {
                double px = left + (t - x0) / (x1 - x0) * w;
                Empty("line", ("x1", Num(px)), ("y1", Num(top + h)), ("x2", Num(px)), ("y2", Num(top + h + 5)), ("stroke", "#666666"));
                Element("text", Label(t), ("x", Num(px)), ("y", Num(top + h + 18)), ("text-anchor", "middle"));
            }
            foreach (double t in Ticks(y0, y1))
            {
                double py = top + (y1 - t) / (y1 - y0) * h;
                Empty("line", ("x1", Num(left - 5)), ("y1", Num(py)), ("x2", Num(left)), ("y2", Num(py)), ("stroke", "#666666"));
                Element("text", Label(t), ("x", Num(left - 8)), ("y", Num(py + 4)), ("text-anchor", "end"));
            }
            Element("text", xLabel, ("x", Num(left + w / 2)), ("y", Num(top + h + 38)), ("text-anchor", "middle"), ("font-size", "13"));
            Element("text", yLabel, ("x", Num(left - 48)), ("y", Num(top + h / 2)), ("text-anchor", "middle"), ("font-size", "13"),
                ("transform", $"rotate(-90 {Num(left - 48)} {Num(top + h / 2)})"));
            Close("g");
        }

        public void Legend(double x, double y, Dictionary<FrontierKind, int> counts, CertificationResult result, bool fillNote)
        {
            Open("g", ("id", "legend"), ("font-size", "12.5"), ("fill", "#222222"));
            Element("text", fillNote ? "frontiers (segments)" : "breakpoints", ("x", Num(x)), ("y", Num(y + 4)), ("font-weight", "bold"));
            double row = y + 26;
            foreach (var style in Styles)
            {
                counts.TryGetValue(style.Kind, out int n);
                Empty("line", ("x1", Num(x)), ("y1", Num(row - 4)), ("x2", Num(x + 30)), ("y2", Num(row - 4)), ("stroke", style.Colour),
                    ("stroke-width", Num(Math.Max(style.Width, 2))), ("stroke-dasharray", style.Dash));
                Element("text", $"{style.Label}: {n}", ("x", Num(x + 40)), ("y", Num(row)), ("class", $"legend-{style.Class}"));
                row += 22;
            }
            row += 14;
            if (fillNote)
            {
                Element("text", "fill: direction of ∇f (hue),", ("x", Num(x)), ("y", Num(row)), ("fill", "#555555"));
                Element("text", "size of ∇f (saturation)", ("x", Num(x)), ("y", Num(row + 16)), ("fill", "#555555"));
                for (int i = 0; i < 12; i++)
                {
                    double angle = i * 30;
                    double cx = x + 220 + 16 * Math.Cos(angle * Math.PI / 180), cy = row + 2 - 16 * Math.Sin(angle * Math.PI / 180);
                    Empty("circle", ("cx", Num(cx)), ("cy", Num(cy)), ("r", "5"),
                        ("fill", GradientColour(Math.Cos(angle * Math.PI / 180), Math.Sin(angle * Math.PI / 180), 1)));
                }
                row += 44;
            }
            else
            {
                Element("text", "graph of f, exact breakpoints", ("x", Num(x)), ("y", Num(row)), ("fill", "#555555"));
                row += 30;
            }
            if (result.Counterexample is Counterexample ce)
            {
                Element("text", "counterexample: x (•), y (○),", ("x", Num(x)), ("y", Num(row)));
                Element("text", "ring at (x+y)/2, where", ("x", Num(x)), ("y", Num(row + 16)));
                Element("text", "f((x+y)/2) > (f(x)+f(y))/2", ("x", Num(x)), ("y", Num(row + 32)));
            }
            Close("g");
        }

        public void Open(string name, params (string Name, string? Value)[] attributes)
        {
            Indent();
            _sb.Append('<').Append(name);
            Attributes(attributes);
            _sb.Append(">\n");
            _depth++;
        }

        public void Close(string name)
        {
            _depth--;
            Indent();
            _sb.Append("</").Append(name).Append(">\n");
        }

        public void Empty(string name, params (string Name, string? Value)[] attributes)
        {
            Indent();
            _sb.Append('<').Append(name);
            Attributes(attributes);
            _sb.Append("/>\n");
        }

        public void Element(string name, string text, params (string Name, string? Value)[] attributes)
        {
            Indent();
            _sb.Append('<').Append(name);
            Attributes(attributes);
            _sb.Append('>').Append(Escape(text)).Append("</").Append(name).Append(">\n");
        }

        public string Finish()
        {
            Close("svg");
            return _sb.ToString();
        }

        private void Indent() => _sb.Append(' ', Math.Min(_depth, 6));

        private void Attributes((string Name, string? Value)[] attributes)
        {
            foreach (var (name, value) in attributes)
                if (value is not null) _sb.Append(' ').Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }

        private static string Label(double t) => t == 0 ? "0" : t.ToString("G6", CultureInfo.InvariantCulture);

        /// <summary>About five round tick positions covering [a, b].</summary>
        private static IEnumerable<double> Ticks(double a, double b)
        {
            double span = b - a;
            if (!(span > 0) || !double.IsFinite(span)) yield break;
            double raw = span / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double step = (raw / magnitude) switch { < 1.5 => 1, < 3 => 2, < 7 => 5, _ => 10 } * magnitude;
            double first = Math.Ceiling(a / step - 1e-9);
            for (int i = 0; i <= 20; i++)
            {
                double t = (first + i) * step;
                if (t > b + step * 1e-9) yield break;
                yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
            }
        }

        /// <summary>XML text and attribute escaping; control characters (not allowed in XML 1.0) become '?'.</summary>
        private static string Escape(string s)
        {
            var sb = new StringBuilder(s.Length);
            foreach (char c in s)
            {
                switch (c)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '"': sb.Append("&quot;"); break;
                    case '\'': sb.Append("&apos;"); break;
                    default: sb.Append(c < 0x20 && c is not '\t' and not '\n' and not '\r' ? '?' : c); break;
                }
            }
            return sb.ToString();
        }
    }
}
