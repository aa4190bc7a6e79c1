using ConvexProof.Regions;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// Live progress on stderr (regions done, queued, facets, rate, elapsed). Shown only when stderr is
/// a terminal (or --progress forces it) and --quiet is absent, so pipes and logs stay clean. On a
/// terminal the line is rewritten in place; otherwise each report is a line of its own.
/// </summary>
public sealed class ProgressDisplay(TextWriter stderr, bool enabled, bool terminal)
{
    private bool _shown;

    public static ProgressDisplay Create(TextWriter stderr, bool quiet, bool forced)
    {
        bool terminal = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        return new ProgressDisplay(stderr, !quiet && (terminal || forced), terminal);
    }

    /// <summary>Shown before each report (batch mode: "[2/5] net.json: "), or null.</summary>
    public string? Label { get; set; }

    public Action<ExplorationProgress>? Callback => enabled ? Report : null;

    private void Report(ExplorationProgress p)
    {
        double seconds = Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        string line = $"{Label}regions {p.RegionsDone} done, {p.RegionsQueued} queued, {p.Facets} facets, " +
                      $"{p.RegionsDone / seconds:0} regions/s, {p.Elapsed.TotalSeconds:0.0} s" +
                      (p.Analysing is { } a ? $"; region {a.Region}: analysing, {a.Classified}/{a.Constraints} constraints classified" : "");
        if (terminal) stderr.Write($"\r{line}\u001b[K");
        else stderr.WriteLine(line);
        _shown = true;
    }

    /// <summary>
    /// Ends the live line so the next output starts on a fresh line; with <paramref name="erase"/>
    /// the line is cleared instead (batch mode: the result line on stdout takes its place).
    /// </summary>
    public void Finish(bool erase = false)
    {
        if (_shown && terminal)
        {
            if (erase) stderr.Write("\r\u001b[K");
            else stderr.WriteLine();
            stderr.Flush();
        }
        _shown = false;
    }
}
