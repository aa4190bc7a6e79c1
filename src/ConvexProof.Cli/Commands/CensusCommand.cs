using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConvexProof.Census;
using ConvexProof.Certificates;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof census --widths … (--depths … | --pairs) --out DIR`: samples random ReLU networks
/// per architecture and decides each exactly (docs/census.md); writes per-cell files, the summary
/// tables and the heat map into DIR, and resumes there (finished cells are skipped).
/// </summary>
public sealed class CensusCommand : ICommand
{
    private readonly Option<string> _inputDim = CommandOptions.Count("--input-dim", "D", 1, 64, "input dimension of the networks (default 3)");
    private readonly Option<string> _box = CommandOptions.Box("the domain (default -100:100, the paper's box)");
    private readonly Option<string> _widths = CommandOptions.Text("--widths", "W1,W2,…", "hidden-layer widths (required), e.g. 2,3,4");
    private readonly Option<string> _depths = CommandOptions.Text("--depths", "L1,L2,…", "numbers of hidden layers: the width × depth grid (L layers of width w)");
    private readonly Option<bool> _pairs = CommandOptions.Flag("--pairs", "the width × width grid instead: two hidden layers n1 × n2, n1 and n2 from --widths");
    private readonly Option<string> _perCell = CommandOptions.Count("--per-cell", "N", 1, 1_000_000, "networks per cell (default 100)");
    private readonly Option<string> _seed = CommandOptions.Text("--seed", "S", "the run's seed, 0 to 2^64-1 (default 0); the same seed gives the same networks");
    private readonly Option<string> _init = CommandOptions.Text("--init", "KIND", "torch-default (default: PyTorch nn.Linear, U(±1/√fan_in), float32), normal, folded-last");
    private readonly Option<string> _out = CommandOptions.Text("--out", "DIR", "the census directory (created; a re-run with the same options resumes it)");
    private readonly Option<string> _threads = CommandOptions.Count("--threads", "T", 1, 1024, "networks decided at once (default: all cores; results do not depend on it)");
    private readonly Option<bool> _keep = CommandOptions.Flag("--keep", "save every decided network and its certificate in DIR/kept/CELL/ (for `convexproof check`)");
    private readonly Option<string> _maxRegions = CommandOptions.MaxRegions("per network: stop after N regions (the network counts as undecided)");
    private readonly Option<string> _timeout = CommandOptions.Seconds("--timeout", "per network: stop after S seconds (undecided; makes the table depend on the machine)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("no progress on stderr");
    private readonly Option<bool> _progress = CommandOptions.Progress();

    public CensusCommand()
    {
        Definition = new Command("census", "how many random ReLU networks are convex, and how many are ICNNs (a grid of architectures)")
        {
            _inputDim, _box, _widths, _depths, _pairs, _perCell, _seed, _init, _out, _threads, _keep, _maxRegions, _timeout, _quiet, _progress,
        };
        Definition.Description += """

            Samples --per-cell random networks for every architecture of the grid (reproducibly: the
            generator is in docs/census.md) and decides each exactly: the instant ICNN test first, else
            the certifier, stopping at the first verified violation. Writes into DIR: census.json (the
            options), cells/CELL.json and .csv (counts, one row per network), cells/CELL.times.csv,
            table.csv, table.md, times.csv, heatmap.svg and heatmap.png (rsvg-convert). Prints table.md.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof census --widths W,… (--depths L,… | --pairs) --out DIR [options]";
    public string Epilogue => "exit codes: 0 census complete (undecided networks are counted, not an error), 2 bad input or usage, 4 internal error\n";
    public string WrongArgumentCount(int given) => $"census takes no file arguments, got {given} (see 'convexproof census --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        var settings = ReadSettings(parsed);
        string dir = parsed.GetValue(_out) ?? throw new UsageException("census needs --out DIR (where the census is written)");
        bool quiet = parsed.GetValue(_quiet);
        bool showProgress = !quiet && (parsed.GetValue(_progress) || (!Console.IsErrorRedirected && ReferenceEquals(context.Error, Console.Error)));
        var store = CensusDirectory.Open(dir, settings);
        var runner = new CellRunner(settings) { Keep = parsed.GetValue(_keep) ? store.Keep : null };

        var cells = settings.Grid.Cells;
        var clock = Stopwatch.StartNew();
        int networksRun = 0, cellsDone = 0;
        int toRun = cells.Count(c => !store.IsFinished(c));
        foreach (var cell in cells)
        {
            if (store.IsFinished(cell))
            {
                cellsDone++;
                if (showProgress) context.Error.WriteLine($"census: cell {cellsDone}/{cells.Count} {cell.Name}: already finished, skipped");
                continue;
            }
            var outcomes = runner.Run(cell);
            store.Finish(cell, outcomes);
            cellsDone++;
            networksRun += outcomes.Count;
            toRun--;
            if (showProgress)
            {
                double rate = networksRun / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                double eta = toRun * settings.PerCell / Math.Max(rate, 1e-9);
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"census: cell {cellsDone}/{cells.Count} {cell.Name} done ({outcomes.Count} networks); {rate:0.0} networks/s; ETA {Duration(eta)}"));
            }
        }
        string table = store.WriteSummary(context.Error);
        context.Out.Write(table);
        return ExitCodes.Ok;
    }

    private CensusSettings ReadSettings(ParseResult parsed)
    {
        int inputDim = CommandOptions.CountOf(parsed, _inputDim) ?? 3;
        var widths = Positive(parsed.GetValue(_widths) ?? throw new UsageException("census needs --widths W1,W2,… (hidden-layer widths)"), "--widths", 1024);
        bool pairs = parsed.GetValue(_pairs);
        string? depthsText = parsed.GetValue(_depths);
        if (pairs && depthsText is not null) throw new UsageException("--pairs and --depths cannot be combined (--pairs is the grid of two hidden layers n1 × n2)");
        if (!pairs && depthsText is null) throw new UsageException("census needs --depths L1,L2,… (the width × depth grid) or --pairs (the n1 × n2 grid)");
        var grid = pairs ? CensusGrid.ByPairs(widths) : CensusGrid.ByDepth(widths, Positive(depthsText!, "--depths", 64));
        string boxText = parsed.GetValue(_box) ?? "-100:100";
        var domain = BoxOption.Parse(boxText, inputDim);
        string seedText = parsed.GetValue(_seed) ?? "0";
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw new UsageException($"option --seed takes a whole number from 0 to 18446744073709551615, not '{seedText}'");
        string initText = parsed.GetValue(_init) ?? "torch-default";
        var init = NetworkSampler.Parse(initText)
            ?? throw new UsageException($"option --init takes torch-default, normal or folded-last, not '{initText}'");
        return new CensusSettings(inputDim, domain, boxText, grid, CommandOptions.CountOf(parsed, _perCell) ?? 100, seed, init)
        {
            Limits = new ExplorationLimits(CommandOptions.CountOf(parsed, _maxRegions) ?? int.MaxValue, CommandOptions.SecondsOf(parsed, _timeout)),
            Threads = CommandOptions.CountOf(parsed, _threads) ?? Environment.ProcessorCount,
        };
    }

    /// <summary>A comma-separated list of distinct whole numbers from 1 to <paramref name="max"/>.</summary>
    private static int[] Positive(string text, string option, int max)
    {
        var parts = text.Split(',');
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1 || values[i] > max)
                throw new UsageException($"option {option} takes whole numbers from 1 to {max} separated by commas, not '{text}'");
        if (values.Distinct().Count() != values.Length) throw new UsageException($"option {option} '{text}': a value is listed twice");
        return values;
    }

    private static string Duration(double seconds) =>
        seconds < 90 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s")
        : seconds < 5400 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h");

    /// <summary>The census directory: its manifest, finished cells, kept networks and summary files.</summary>
    private sealed class CensusDirectory
    {
        private readonly string _dir;
        private readonly CensusSettings _settings;

        private CensusDirectory(string dir, CensusSettings settings)
        {
            _dir = dir;
            _settings = settings;
        }

        public static CensusDirectory Open(string dir, CensusSettings settings)
        {
            if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file, not a directory");
            try
            {
                Directory.CreateDirectory(Path.Combine(dir, "cells"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"--out {dir}: cannot create the directory ({InputFiles.Describe(e)})");
            }
            if (InputFiles.CreateProblem(dir) is string problem) throw new UsageException($"--out {dir}: cannot write in the directory ({problem})");
            string manifest = Path.Combine(dir, "census.json");
            string expected = settings.ManifestJson();
            if (File.Exists(manifest))
            {
                if (File.ReadAllText(manifest) != expected)
                    throw new UsageException($"{manifest}: this census directory was made with other options (see the file); resume with the same options or use another --out");
            }
            else AtomicFile.WriteText(manifest, expected);
            return new CensusDirectory(dir, settings);
        }

        private string CellFile(CensusCell cell, string extension) => Path.Combine(_dir, "cells", cell.Name + extension);

        /// <summary>A cell is finished when its .json (written last) holds all its networks and its times file is whole.</summary>
        public bool IsFinished(CensusCell cell) => Summary(cell) is { } s && s.Networks == _settings.PerCell && Times(cell) is { } t && t.Seconds.Count == s.Networks;

        private CellSummary? Summary(CensusCell cell) =>
            File.Exists(CellFile(cell, ".json")) ? CellSummary.FromJson(File.ReadAllText(CellFile(cell, ".json"))) : null;

        private CellTimes? Times(CensusCell cell) =>
            File.Exists(CellFile(cell, ".times.csv")) ? CellTimes.FromCsv(File.ReadAllText(CellFile(cell, ".times.csv"))) : null;

        public void Finish(CensusCell cell, IReadOnlyList<CensusOutcome> outcomes)
        {
            AtomicFile.WriteText(CellFile(cell, ".csv"), CellSummary.NetworksCsv(outcomes));
            AtomicFile.WriteText(CellFile(cell, ".times.csv"), CellTimes.Of(outcomes).ToCsv());
            AtomicFile.WriteText(CellFile(cell, ".json"), CellSummary.Of(cell, outcomes).ToJson());
        }

        /// <summary>--keep: DIR/kept/CELL/INDEX.net.json and INDEX.cert.json (called from worker threads).</summary>
        public void Keep(KeptNetwork kept)
        {
            string folder = Path.Combine(_dir, "kept", kept.Cell.Name);
            Directory.CreateDirectory(folder);
            string stem = Path.Combine(folder, kept.Outcome.Index.ToString("D4", CultureInfo.InvariantCulture));
            AtomicFile.WriteText(stem + ".net.json", NetworkWriter.ToJson(kept.Network));
            AtomicFile.Write(stem + ".cert.json", stream => CertificateWriter.Write(kept.Result, stream));
        }

        /// <summary>Writes table.csv, table.md, times.csv, heatmap.svg and .png; returns table.md.</summary>
        public string WriteSummary(TextWriter stderr)
        {
            var cells = _settings.Grid.Cells;
            var summaries = cells.Select(c => Summary(c) ?? throw new InvalidOperationException($"internal error: cell {c.Name} has no summary")).ToList();
            string markdown = CensusTable.Markdown(summaries);
            AtomicFile.WriteText(Path.Combine(_dir, "table.csv"), CensusTable.Csv(summaries));
            AtomicFile.WriteText(Path.Combine(_dir, "table.md"), markdown);
            AtomicFile.WriteText(Path.Combine(_dir, "times.csv"), CensusTable.TimesCsv([.. cells.Select(c => (c, Times(c)!))]));
            string title = string.Create(CultureInfo.InvariantCulture,
                $"census: {_settings.PerCell} networks per cell, input dim {_settings.InputDim}, box {_settings.BoxText}, init {NetworkSampler.Name(_settings.Init)}, seed {_settings.Seed}");
            string svg = Path.Combine(_dir, "heatmap.svg");
            AtomicFile.WriteText(svg, HeatMap.Svg(_settings.Grid, summaries, title));
            RenderPng(svg, Path.Combine(_dir, "heatmap.png"), stderr);
            return markdown;
        }

        /// <summary>heatmap.png by rsvg-convert (scripts/setup installs it); without it, a note and the SVG alone.</summary>
        private static void RenderPng(string svg, string png, TextWriter stderr)
        {
            var start = new ProcessStartInfo("rsvg-convert") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "--format", "png", "--output", png, svg }) start.ArgumentList.Add(a);
            try
            {
                using var process = Process.Start(start)!;
                string err = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0) stderr.WriteLine($"census: rsvg-convert failed ({process.ExitCode}): {err.Trim()}; {svg} is written, {png} is not");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                stderr.WriteLine($"census: rsvg-convert not found on PATH (scripts/setup installs it); {svg} is written, {png} is not");
            }
        }
    }
}
