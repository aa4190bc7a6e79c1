using System.Text;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Plotting;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof plot NET --out regions.svg`: certifies the network, then draws its regions (d = 2)
/// or the graph of f (d = 1) from exact geometry, frontiers coloured by their kink condition.
/// </summary>
public sealed class PlotCommand : ICommand
{
    public string Name => "plot";
    public string Summary => "draw the regions and kinks as SVG (d = 2; d = 1: graph of f)";

    public string Usage => """
        usage: convexproof plot NET --out PLOT.svg [options]

        Runs the certifier on NET (a network with 1 or 2 inputs) and draws the result as SVG:
          d = 2: every region as a polygon with its exact vertices (the window clipped by the
                 region's facet half-planes in rational arithmetic), filled by the direction of ∇f;
          d = 1: the graph of f with its exact breakpoints.
        Frontiers are coloured by their condition: convex kink (c > 0), flat kink (c = 0),
        non-convex kink (c < 0), degenerate (several units switch), domain boundary. A counterexample
        (x, y and their midpoint) is marked when the network is not convex.

        options:
          --out PLOT.svg        where to write the SVG (written to a temp file, then renamed)
          --box LO:HI           certify and draw on the box [LO,HI]^d (default: all of R^d)
          --box LO1:HI1,...     one interval per coordinate
          --view LO:HI[,...]    the window to draw, on any domain (default: the box; on R^d a window
                                around the bulk of the vertices or breakpoints, unbounded regions cut
                                at its edge)
          --view all            on R^d: a window that contains every vertex, breakpoint and
                                interior point, so that every region shows
          --max-regions N       stop after N regions (the partial plot is written; exit 3)
          --timeout S           stop after S seconds (the partial plot is written; exit 3)
          --quiet               no progress display and no summary line
          --progress            show progress even when stderr is not a terminal

        exit codes: 0 plot written (whatever the verdict; it is in the title), 2 bad input or usage
        (including d > 2), 3 plot written but a limit stopped the exploration (partial)

        """;

    public int Run(string[] args, CliContext context)
    {
        var a = new ArgumentList(args, ["--out", "--box", "--view", "--max-regions", "--timeout"], ["--quiet", "--progress"]);
        if (a.Positionals.Count != 1)
            throw new UsageException($"plot takes one network file, got {a.Positionals.Count} (see 'convexproof plot --help')");
        string netPath = a.Positionals[0];
        string outPath = a.Value("--out") ?? throw new UsageException("plot needs --out PLOT.svg (where to write the picture)");
        string folder = Path.GetDirectoryName(Path.GetFullPath(outPath)) ?? ".";
        if (!Directory.Exists(folder)) throw new UsageException($"{outPath}: the folder {folder} does not exist");
        if (Directory.Exists(outPath)) throw new UsageException($"{outPath}: is a folder; --out names the SVG file");
        var limits = new ExplorationLimits(
            a.IntValue("--max-regions", 1, int.MaxValue) ?? int.MaxValue,
            a.SecondsValue("--timeout") is double s ? TimeSpan.FromSeconds(s) : null);
        bool quiet = a.Flag("--quiet");

        var network = NetworkReader.ReadFile(netPath);
        int d = network.InputDim;
        if (d > 2)
            throw new UsageException($"{netPath}: plot draws networks with 1 or 2 inputs, this one has {d} (use 'convexproof certify' or 'convexproof info')");
        var domain = BoxOption.Parse(a.Value("--box"), d);
        string? viewText = a.Value("--view");
        bool everything = viewText == "all";
        var view = viewText is string v && !everything ? ParseView(v, d) : null;

        var progress = ProgressDisplay.Create(context.Error, quiet, a.Flag("--progress"));
        var result = Certifier.Certify(network, domain, new CertifyOptions { Limits = limits, Progress = progress.Callback });
        progress.Finish();

        string name = Path.GetFileName(netPath);
        string svg, drawn;
        int hidden;
        if (d == 2)
        {
            var plot = RegionPolygons.Build(network, result, view, everything);
            svg = SvgPlot.Render(plot, result, name);
            drawn = $"{plot.Polygons.Count} of {result.Regions.Count} regions drawn, {plot.Frontiers.Count} frontier segments ({Counts(plot.Frontiers.Select(f => f.Kind))}), window {plot.Window}";
            hidden = plot.HiddenRegions;
        }
        else
        {
            var graph = FunctionGraph.Build(network, result, view?.XMin, view?.XMax, everything);
            svg = SvgPlot.Render(graph, result, name);
            drawn = $"{graph.Pieces.Count} of {result.Regions.Count} pieces drawn, {graph.Kinks.Count} breakpoints ({Counts(graph.Kinks.Select(k => k.Kind))}), x in [{graph.Window.XMin}, {graph.Window.XMax}]";
            hidden = graph.HiddenRegions;
        }
        AtomicFile.WriteText(outPath, svg);

        string verdict = result.Verdict switch
        {
            Verdict.Convex => "convex",
            Verdict.NotConvex => "NOT convex",
            _ => $"undecided ({result.UndecidedReason})",
        };
        if (!quiet)
        {
            context.Out.WriteLine($"plot written to {outPath}: {verdict}; {drawn}");
            if (hidden > 0 && view is null && !everything)
                context.Out.WriteLine($"{hidden} regions lie outside the window (far-away vertices); --view all or --view LO:HI shows them");
        }
        return result.Complete ? ExitCodes.Ok : ExitCodes.Undecided;
    }

    /// <summary>--view as a window: one interval for every coordinate or one per coordinate (like --box).</summary>
    private static PlotWindow ParseView(string text, int d)
    {
        Geometry.Domain box;
        try
        {
            box = BoxOption.Parse(text, d);
        }
        catch (UsageException e)
        {
            throw new UsageException(e.Message.Replace("--box", "--view", StringComparison.Ordinal));
        }
        return d == 2
            ? new PlotWindow(box.Lower![0], box.Upper![0], box.Lower[1], box.Upper[1])
            : new PlotWindow(box.Lower![0], box.Upper![0], Numbers.Rational.Zero, Numbers.Rational.One);
    }

    private static string Counts(IEnumerable<FrontierKind> kinds)
    {
        var counts = kinds.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var sb = new StringBuilder();
        foreach (var (kind, label) in new[]
                 {
                     (FrontierKind.ConvexKink, "convex"), (FrontierKind.FlatKink, "flat"), (FrontierKind.NonConvexKink, "non-convex"),
                     (FrontierKind.Degenerate, "degenerate"), (FrontierKind.DegenerateNonConvex, "degenerate non-convex"),
                     (FrontierKind.Boundary, "boundary"),
                 })
        {
            if (!counts.TryGetValue(kind, out int n)) continue;
            if (sb.Length > 0) sb.Append(", ");
            sb.Append(n).Append(' ').Append(label);
        }
        return sb.Length == 0 ? "none" : sb.ToString();
    }
}
