using System.CommandLine;
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
    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json, 1 or 2 inputs)");
    private readonly Option<string> _out = CommandOptions.Text("--out", "PLOT.svg", "where to write the SVG (written to a temp file, then renamed)");
    private readonly Option<string> _box = CommandOptions.Box("certify and draw on the box (default: all of R^d)");
    private readonly Option<string> _view = CommandOptions.Text("--view", "LO:HI[,...]",
        "the window to draw, on any domain (default: the box; on R^d a window around the bulk of the vertices or breakpoints, " +
        "unbounded regions cut at its edge); 'all': on R^d a window that contains every vertex, breakpoint and interior point");
    private readonly Option<string> _maxRegions = CommandOptions.MaxRegions("stop after N regions (the partial plot is written; exit 3)");
    private readonly Option<string> _timeout = CommandOptions.Seconds("--timeout", "stop after S seconds (the partial plot is written; exit 3)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("no progress display and no summary line");
    private readonly Option<bool> _progress = CommandOptions.Progress();

    public PlotCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("plot", "draw the regions and kinks as SVG (d = 2; d = 1: graph of f)")
        {
            _net, _out, _box, _view, _maxRegions, _timeout, _quiet, _progress,
        };
        Definition.Description += """

            Runs the certifier on NET (a network with 1 or 2 inputs) and draws the result as SVG:
              d = 2: every region as a polygon with its exact vertices (the window clipped by the
                     region's facet half-planes in rational arithmetic), filled by the direction of ∇f;
              d = 1: the graph of f with its exact breakpoints.
            Frontiers are coloured by their condition: convex kink (c > 0), flat kink (c = 0),
            non-convex kink (c < 0), degenerate (several units switch), domain boundary. A counterexample
            (x, y and their midpoint) is marked when the network is not convex.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof plot NET --out PLOT.svg [options]";
    public string Epilogue => """
        exit codes: 0 plot written (whatever the verdict; it is in the title), 2 bad input or usage
        (including d > 2), 3 plot written but a limit stopped the exploration (partial)

        """;
    public string WrongArgumentCount(int given) => $"plot takes one network file, got {given} (see 'convexproof plot --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string netPath = parsed.GetValue(_net)!;
        string outPath = parsed.GetValue(_out) ?? throw new UsageException("plot needs --out PLOT.svg (where to write the picture)");
        AtomicFile.RequireWritable(outPath);
        var limits = new ExplorationLimits(CommandOptions.CountOf(parsed, _maxRegions) ?? int.MaxValue, CommandOptions.SecondsOf(parsed, _timeout));
        bool quiet = parsed.GetValue(_quiet);
        BoxOption.CheckSyntax(parsed.GetValue(_box));
        string? viewText = parsed.GetValue(_view);
        bool everything = viewText == "all";
        if (!everything) BoxOption.CheckSyntax(viewText, "--view");

        var network = NetworkReader.ReadFile(netPath);
        int d = network.InputDim;
        if (d > 2)
            throw new UsageException($"{netPath}: plot draws networks with 1 or 2 inputs, this one has {d} (use 'convexproof certify' or 'convexproof info')");
        var domain = BoxOption.Parse(parsed.GetValue(_box), d);
        var view = viewText is string v && !everything ? ParseView(v, d) : null;

        var progress = ProgressDisplay.Create(context.Error, quiet, parsed.GetValue(_progress));
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
        var box = BoxOption.Parse(text, d, "--view");
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
