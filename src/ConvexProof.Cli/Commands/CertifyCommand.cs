using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ConvexProof.Certificates;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Regions;
using ConvexProof.Smt;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof certify NET --out CERT`: decides convexity and writes the certificate.
/// `convexproof certify NET... --out-dir DIR`: the same for several networks, one line each.
/// `--json` prints a machine-readable summary (schema in docs/cli.md) instead of the human one.
/// </summary>
public sealed class CertifyCommand : ICommand
{
    /// <summary>The value of the "schema" field of every --json object.</summary>
    public const string JsonSchema = "convexproof-certify/1";

    public string Name => "certify";
    public string Summary => "decide convexity exactly and write a certificate";

    public string Usage => """
        usage: convexproof certify NET --out CERT [options]
               convexproof certify NET... --out-dir DIR [options]

        Decides exactly whether the network in NET (net.json, see docs/formats.md) computes a convex
        function on the domain, and writes a certificate that `convexproof check` re-verifies.

        options:
          --out CERT            where to write the certificate (written to a temp file, then renamed)
          --out-dir DIR         batch mode: certify every NET, writing DIR/<name>.cert.json (<name> is
                                NET's file name without .json); one line per network; DIR is created
          --box LO:HI           restrict to the box [LO,HI]^d (default: all of R^d)
          --box LO1:HI1,...     one interval per coordinate
          --all-violations      explore every region and report every violated condition (a full
                                not_convex certificate); by default exploration stops at the first
                                exactly verified violation and writes a refutation-only certificate
          --max-regions N       stop after N regions (exit 3, undecided, unless a violation was found)
          --timeout S           stop after S seconds (exit 3, undecided, unless a violation was found);
                                in batch mode the limits apply to each network
          --json                print a JSON summary instead of the human one (one object per line in
                                batch mode; schema in docs/cli.md)
          --threads N           threads for region analysis (default: all cores; the certificate is the same)
          --no-smt              do not ask Z3 to confirm degenerate frontiers independently
          --z3 PATH             the z3 binary to use (default: z3 on PATH)
          --quiet               no progress display
          --progress            show progress even when stderr is not a terminal

        exit codes: 0 convex, 1 not convex, 2 bad input or usage, 3 undecided (a limit was reached),
                    4 internal error (--debug shows the stack trace)
        batch mode: 2 if any input error, else 3 if any undecided, else 1 if any not convex, else 0

        """;

    public int Run(string[] args, CliContext context)
    {
        var a = new ArgumentList(args, ["--out", "--out-dir", "--box", "--max-regions", "--timeout", "--z3", "--threads"], ["--quiet", "--progress", "--json", "--no-smt", "--all-violations"]);
        string? outPath = a.Value("--out"), outDir = a.Value("--out-dir");
        if (outPath is not null && outDir is not null)
            throw new UsageException("--out and --out-dir cannot be combined (--out for one network, --out-dir for several)");
        if (a.Positionals.Count == 0)
            throw new UsageException("certify takes a network file (see 'convexproof certify --help')");
        if (outDir is null && a.Positionals.Count != 1)
            throw new UsageException($"certify got {a.Positionals.Count} network files: certify several with --out-dir DIR (see 'convexproof certify --help')");
        var settings = new Settings(
            a.Value("--box"),
            new ExplorationLimits(
                a.IntValue("--max-regions", 1, int.MaxValue) ?? int.MaxValue,
                a.SecondsValue("--timeout") is double s ? TimeSpan.FromSeconds(s) : null),
            a.Flag("--json"),
            ProgressDisplay.Create(context.Error, a.Flag("--quiet"), a.Flag("--progress")),
            a.Flag("--quiet"),
            a.Flag("--no-smt") ? null : new SmtOptions { SolverPath = a.Value("--z3"), Timeout = TimeSpan.FromSeconds(10) },
            a.IntValue("--threads", 1, 1024) ?? Environment.ProcessorCount,
            context.Error,
            a.Flag("--all-violations"));
        if (settings.Box is string box) BoxOption.Parse(box, box.Split(',').Length); // syntax errors are usage errors, before any work

        return outDir is null
            ? RunSingle(a.Positionals[0], outPath ?? throw new UsageException("certify needs --out CERT (where to write the certificate)"), settings, context)
            : RunBatch(a.Positionals, outDir, settings, context);
    }

    private sealed record Settings(string? Box, ExplorationLimits Limits, bool Json, ProgressDisplay Progress, bool Quiet, SmtOptions? Smt, int Threads,
        TextWriter Warnings, bool AllViolations);

    /// <summary>What became of one network.</summary>
    private sealed record Outcome(
        string NetPath, string CertPath, Network? Network, CertificationResult? Result, string? Error, InputException? Input, TimeSpan Elapsed,
        string? Confirmation = null)
    {
        public int ExitCode => Result?.Verdict switch
        {
            null => ExitCodes.Usage,
            Verdict.Convex => ExitCodes.Ok,
            Verdict.NotConvex => ExitCodes.Negative,
            _ => ExitCodes.Undecided,
        };

        public bool Written => Result is { Verdict: not Verdict.Undecided } && Error is null;
    }

    private static int RunSingle(string netPath, string outPath, Settings settings, CliContext context)
    {
        CheckOutputFolder(outPath);
        Outcome outcome;
        try
        {
            outcome = CertifyOne(netPath, outPath, settings);
        }
        finally
        {
            settings.Progress.Finish(); // also before an internal error's line
        }
        if (settings.Json) context.Out.WriteLine(ToJson(outcome));
        if (outcome.Error is not null)
        {
            context.Error.WriteLine($"convexproof: {outcome.Error}");
            return ExitCodes.Usage;
        }
        if (!settings.Json) context.Out.Write(Describe(netPath, outPath, outcome.Network!, outcome.Result!, outcome.Elapsed, outcome.Confirmation));
        return outcome.ExitCode;
    }

    private static int RunBatch(IReadOnlyList<string> netPaths, string outDir, Settings settings, CliContext context)
    {
        if (File.Exists(outDir)) throw new UsageException($"--out-dir {outDir}: is a file, not a folder");
        var certPaths = new List<string>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var net in netPaths)
        {
            string name = CertificateName(net);
            if (byName.TryGetValue(name, out var other))
                throw new UsageException($"{other} and {net} would both write {Path.Combine(outDir, name)}; rename one of them");
            byName[name] = net;
            certPaths.Add(Path.Combine(outDir, name));
        }
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--out-dir {outDir}: cannot create the folder ({e.Message})");
        }

        var outcomes = new List<Outcome>();
        for (int i = 0; i < netPaths.Count; i++)
        {
            settings.Progress.Label = $"[{i + 1}/{netPaths.Count}] {netPaths[i]}: ";
            var outcome = CertifyOne(netPaths[i], certPaths[i], settings);
            settings.Progress.Finish(erase: true);
            outcomes.Add(outcome);
            context.Out.WriteLine(settings.Json ? ToJson(outcome) : BatchLine(outcome));
            context.Out.Flush();
        }

        int Count(int code) => outcomes.Count(o => o.ExitCode == code);
        if (!settings.Quiet && !settings.Json)
            context.Error.WriteLine($"{outcomes.Count} networks: {Count(ExitCodes.Ok)} convex, {Count(ExitCodes.Negative)} not convex, " +
                                    $"{Count(ExitCodes.Undecided)} undecided, {Count(ExitCodes.Usage)} input errors");
        return OverallExitCode(outcomes.Select(o => o.ExitCode));
    }

    /// <summary>Batch exit code: 2 if any input error, else 3 if any undecided, else 1 if any not convex, else 0.</summary>
    public static int OverallExitCode(IEnumerable<int> codes)
    {
        var set = codes.ToHashSet();
        foreach (int code in new[] { ExitCodes.Usage, ExitCodes.Undecided, ExitCodes.Negative })
            if (set.Contains(code)) return code;
        return ExitCodes.Ok;
    }

    /// <summary>DIR/&lt;name&gt;.cert.json: NET's file name without a final ".json".</summary>
    public static string CertificateName(string netPath)
    {
        string file = Path.GetFileName(netPath.TrimEnd('/', '\\'));
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && file.Length > 5) file = file[..^5];
        if (file.Length == 0 || file is "." or "..") file = "network";
        return file + ".cert.json";
    }

    /// <summary>
    /// Reads, certifies and writes one network. Problems with this network's file (unreadable,
    /// malformed, wrong --box dimension, certificate not writable) are returned, not thrown.
    /// </summary>
    private static Outcome CertifyOne(string netPath, string certPath, Settings settings)
    {
        var clock = Stopwatch.StartNew();
        // --timeout covers every phase of this network: reading, exploring, writing, Z3.
        var limits = settings.Limits with { StartTimestamp = Stopwatch.GetTimestamp() };
        using var deadline = new CancellationTokenSource();
        if (limits.Timeout is TimeSpan timeout) deadline.CancelAfter(timeout);
        Network network;
        Domain domain;
        try
        {
            network = NetworkReader.ReadFile(netPath);
        }
        catch (InputException e)
        {
            return new Outcome(netPath, certPath, null, null, e.Message, e, clock.Elapsed);
        }
        try
        {
            domain = BoxOption.Parse(settings.Box, network.InputDim);
        }
        catch (UsageException e)
        {
            return new Outcome(netPath, certPath, network, null, $"{netPath}: {e.Message} (the network has {network.InputDim} inputs)", null, clock.Elapsed);
        }

        clock.Restart();
        // The certificate is streamed to a temporary file while regions are found (memory does not
        // grow with it); the file appears only when there is a verdict.
        CertificationResult? result = null;
        try
        {
            AtomicFile.TryWrite(certPath, stream =>
            {
                string sha256 = NetworkHash.Sha256(network);
                using var writer = new CertificateStreamWriter(stream, sha256, domain, background: true);
                result = Certifier.Certify(network, domain, new CertifyOptions
                {
                    Limits = limits,
                    Progress = settings.Progress.Callback,
                    RegionSink = writer.Add,
                    KeepRegions = false,
                    Parallelism = settings.Threads,
                    StopAtFirstViolation = !settings.AllViolations,
                    NetworkSha256 = sha256,
                });
                if (result.Verdict == Verdict.Undecided)
                {
                    writer.Discard();
                    return false;
                }
                if (result.Complete)
                {
                    try
                    {
                        writer.Finish(result, deadline.Token);
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                    {
                        result = result with
                        {
                            Verdict = Verdict.Undecided,
                            UndecidedReason = $"time limit reached while writing the certificate ({limits.Timeout!.Value.TotalSeconds:0.#} s; {result.Statistics.Regions} regions explored)",
                        };
                        return false;
                    }
                    return true;
                }
                // A refutation found before a limit: the counterexample alone, no partial regions.
                writer.Discard();
                stream.SetLength(0);
                stream.Position = 0;
                CertificateWriter.Write(result, stream);
                return true;
            });
        }
        catch (UsageException e)
        {
            return new Outcome(netPath, certPath, network, null, e.Message, null, clock.Elapsed);
        }
        TimeSpan? left = limits.Timeout is TimeSpan total ? total - Stopwatch.GetElapsedTime(limits.StartTimestamp!.Value) : null;
        return new Outcome(netPath, certPath, network, result, null, null, clock.Elapsed, Confirm(network, domain, result!, settings, left));
    }

    /// <summary>
    /// Independent Z3 confirmation of the degenerate frontiers, as one line for the summary, within
    /// what is left of the time limit (the verdict is exact already; running out only leaves
    /// frontiers unconfirmed).
    /// </summary>
    private static string? Confirm(Network network, Domain domain, CertificationResult result, Settings settings, TimeSpan? left)
    {
        if (result.Degeneracies.Frontiers.Count == 0) return null;
        if (settings.Smt is null) return "not asked (--no-smt)";
        // A refutation-only certificate carries no degeneracies: the counterexample alone decides, and
        // a Z3 process would only delay the verdict.
        if (!result.Complete && result.Verdict == Verdict.NotConvex) return "not asked (the refutation rests on the counterexample alone)";
        if (left is TimeSpan l && l <= TimeSpan.Zero) return "not confirmed (time limit reached)";
        try
        {
            var summary = DegeneracyConfirmation.Confirm(network, domain, result.Degeneracies, settings.Smt, budget: left);
            foreach (var problem in summary.Problems) settings.Warnings.WriteLine($"convexproof: WARNING: z3 contradicts the engine: {problem}");
            return summary.Describe();
        }
        catch (SolverException e)
        {
            return $"not confirmed ({e.Message})";
        }
    }

    private static void CheckOutputFolder(string outPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(outPath)) ?? ".";
        if (!Directory.Exists(folder)) throw new UsageException($"{outPath}: the folder {folder} does not exist");
        if (Directory.Exists(outPath)) throw new UsageException($"{outPath}: is a folder; --out names the certificate file");
    }

    /// <summary>One line of batch output (human form).</summary>
    private static string BatchLine(Outcome o)
    {
        string time = Seconds(o.Elapsed) + " s";
        if (o.Error is not null)
        {
            string problem = o.Input is InputException e ? $"{e.JsonPath}: {e.Problem}" : o.Error;
            return $"{o.NetPath}: error: {problem}";
        }
        var r = o.Result!;
        var s = r.Statistics;
        return r.Verdict switch
        {
            Verdict.Convex => $"{o.NetPath}: convex ({s.Regions} regions, {time}) -> {o.CertPath}",
            Verdict.NotConvex => $"{o.NetPath}: NOT convex ({ViolationText(o.Network!, r.FirstViolation)}; {RegionsText(r)}, {time}) -> {o.CertPath}",
            _ => $"{o.NetPath}: undecided: {r.UndecidedReason} ({time}; no certificate written)",
        };
    }

    /// <summary>How many regions a refutation explored, and why it stopped there.</summary>
    private static string RegionsText(CertificationResult r) =>
        r.StoppedAtFirstViolation ? $"stopped at the first violation after {r.Statistics.Regions} regions"
        : r.Complete ? $"{r.Statistics.Regions} regions"
        : $"{r.Statistics.Regions} regions before the limit";

    /// <summary>The "exploration" field of --json: complete, first_violation, or limit.</summary>
    public static string ExplorationText(CertificationResult r) =>
        r.Complete ? "complete" : r.StoppedAtFirstViolation ? "first_violation" : "limit";

    private static string ViolationText(Network network, Violation? v) => v switch
    {
        null => "counterexample",
        { Degenerate: true } => $"units {string.Join(", ", v.Units)} switch together, gradient jump {v.Value}",
        _ => $"unit {v.Units[0]} ({network.Neurons[v.Units[0]]}) c = {v.Value}",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The --json summary of one network: one line, schema in docs/cli.md.</summary>
    private static string ToJson(Outcome o)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var r = o.Result;
            w.WriteStartObject();
            w.WriteString("schema", JsonSchema);
            w.WriteString("network", o.NetPath);
            if (r is not null) w.WriteString("network_sha256", r.NetworkSha256);
            else if (o.Network is not null) w.WriteString("network_sha256", NetworkHash.Sha256(o.Network));
            else w.WriteNull("network_sha256");
            w.WriteString("verdict", r?.Verdict switch
            {
                null => "error",
                Verdict.Convex => "convex",
                Verdict.NotConvex => "not_convex",
                _ => "undecided",
            });
            w.WriteNumber("exit_code", o.ExitCode);
            if (o.Written) w.WriteString("certificate", o.CertPath); else w.WriteNull("certificate");
            if (o.Network is null) w.WriteNull("input_dim"); else w.WriteNumber("input_dim", o.Network.InputDim);
            w.WritePropertyName("domain");
            if (r is null || !r.Domain.IsBox) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WriteStartArray("box");
                for (int i = 0; i < r.Domain.Dimension; i++)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(r.Domain.Lower![i].ToString());
                    w.WriteStringValue(r.Domain.Upper![i].ToString());
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            if (r is null) w.WriteNull("complete"); else w.WriteBoolean("complete", r.Complete);
            if (r is null) w.WriteNull("exploration"); else w.WriteString("exploration", ExplorationText(r));
            w.WritePropertyName("counts");
            if (r is null) w.WriteNullValue();
            else
            {
                var s = r.Statistics;
                w.WriteStartObject();
                w.WriteNumber("neurons", s.Neurons);
                w.WriteNumber("regions", s.Regions);
                w.WriteNumber("facets", s.Facets);
                w.WriteNumber("boundary_facets", s.BoundaryFacets);
                w.WriteNumber("redundant", s.Redundant);
                w.WriteNumber("flat", s.Flat);
                w.WriteNumber("dismissed", s.Dismissed);
                w.WriteNumber("conditions", s.Conditions);
                w.WriteNumber("violations", s.Violations);
                w.WriteNumber("degenerate_facets", s.DegenerateFacets);
                w.WriteEndObject();
            }
            w.WriteNumber("seconds", Math.Round(o.Elapsed.TotalSeconds, 3));
            if (r is null) w.WriteNull("verdict_seconds");
            else w.WriteNumber("verdict_seconds", Math.Round(r.Statistics.TimeToVerdict.TotalSeconds, 3));
            w.WritePropertyName("violation");
            if (r?.FirstViolation is Violation v)
            {
                w.WriteStartObject();
                w.WriteNumber("region", v.Region);
                w.WriteNumber("constraint", v.Constraint);
                w.WriteStartArray("units");
                foreach (int u in v.Units) w.WriteNumberValue(u);
                w.WriteEndArray();
                w.WriteString("value", v.Value.ToString());
                w.WriteBoolean("degenerate", v.Degenerate);
                w.WriteEndObject();
            }
            else w.WriteNullValue();
            w.WritePropertyName("counterexample");
            if (r?.Counterexample is Counterexample ce)
            {
                w.WriteStartObject();
                w.WriteStartArray("x");
                foreach (var x in ce.X) w.WriteStringValue(x.ToString());
                w.WriteEndArray();
                w.WriteStartArray("y");
                foreach (var y in ce.Y) w.WriteStringValue(y.ToString());
                w.WriteEndArray();
                w.WriteString("fx", ce.Fx.ToString());
                w.WriteString("fy", ce.Fy.ToString());
                w.WriteString("fmid", ce.FMid.ToString());
                w.WriteEndObject();
            }
            else w.WriteNullValue();
            w.WritePropertyName("degeneracies");
            if (r is null) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WriteNumber("frontiers", r.Degeneracies.Frontiers.Count);
                w.WriteNumber("constant_units", r.Degeneracies.ConstantUnits.Count);
                if (o.Confirmation is null) w.WriteNull("z3"); else w.WriteString("z3", o.Confirmation);
                w.WriteEndObject();
            }
            if (r?.UndecidedReason is string reason) w.WriteString("undecided_reason", reason); else w.WriteNull("undecided_reason");
            w.WritePropertyName("error");
            if (o.Error is null) w.WriteNullValue();
            else
            {
                w.WriteStartObject();
                w.WriteString("message", o.Error);
                w.WriteString("file", o.Input?.File ?? o.NetPath);
                if (o.Input is InputException e)
                {
                    w.WriteString("json_path", e.JsonPath);
                    w.WriteString("problem", e.Problem);
                }
                else
                {
                    w.WriteNull("json_path");
                    w.WriteString("problem", o.Error);
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The human summary printed on stdout.</summary>
    public static string Describe(string netPath, string outPath, Network network, CertificationResult result, TimeSpan elapsed, string? confirmation = null)
    {
        var s = result.Statistics;
        var lines = new List<string>();
        string verdict = result.Verdict switch
        {
            Verdict.Convex => $"convex (certificate written to {outPath})",
            Verdict.NotConvex => $"NOT convex (refutation written to {outPath})",
            _ => $"undecided: {result.UndecidedReason} (no certificate written)",
        };
        lines.Add($"verdict:    {verdict}");
        lines.Add($"network:    {netPath} ({network.InputDim} inputs, {network.NeuronCount} ReLU units, {network.Layers.Count} layers, sha256 {result.NetworkSha256[..16]}…)");
        lines.Add($"domain:     {result.Domain}");
        if (result.Complete || result.Verdict == Verdict.Undecided)
        {
            string partial = result.Complete ? "" : " (partial)";
            lines.Add($"regions:    {s.Regions}{partial}");
            lines.Add($"frontiers:  {s.Facets} facets ({s.BoundaryFacets} on the domain boundary, {s.DegenerateFacets} degenerate), {s.Redundant} redundant constraints, {s.Flat} flat");
            lines.Add($"conditions: {s.Conditions} (unit, downstream pattern) pairs, {s.Violations} violated");
        }
        else if (result.StoppedAtFirstViolation)
            lines.Add($"regions:    {s.Regions} explored; the refutation rests on the counterexample alone");
        else lines.Add($"regions:    {s.Regions} explored before the limit; the refutation rests on the counterexample alone");
        lines.Add("exploration: " + (result.Complete ? "complete (every region)"
            : result.StoppedAtFirstViolation ? "stopped at the first violation (--all-violations explores every region)"
            : "stopped by a limit"));
        var deg = result.Degeneracies;
        if (deg.Frontiers.Count > 0)
        {
            var units = deg.Frontiers.SelectMany(f => f.Units).Distinct().Order().Take(12).ToList();
            lines.Add($"degenerate: {deg.Frontiers.Count} frontiers where several units switch together (units {string.Join(", ", units)}" +
                      $"{(units.Count == 12 ? ", …" : "")}; first at region {deg.Frontiers[0].Region}, point ({string.Join(", ", deg.Frontiers[0].Point)})), decided by the exact gradient-jump test");
            if (confirmation is not null) lines.Add($"z3:         {confirmation}");
        }
        if (deg.ConstantUnits.Count > 0)
            lines.Add($"constant:   {deg.ConstantUnits.Count} units constant on some regions (dead, always on, or identically zero), e.g. unit {deg.ConstantUnits[0].Unit} on {deg.ConstantUnits[0].Regions} regions");
        if (result.FirstViolation is Violation v)
        {
            string where = v.Degenerate
                ? $"degenerate frontier of region {v.Region} (units {string.Join(", ", v.Units)} switch together): gradient jump {v.Value} < 0"
                : $"unit {v.Units[0]} ({network.Neurons[v.Units[0]]}) at a frontier of region {v.Region}: c = {v.Value} < 0";
            lines.Add($"violation:  {where}");
        }
        if (result.Counterexample is Counterexample ce)
        {
            lines.Add($"counterexample: x = ({string.Join(", ", ce.X)}), y = ({string.Join(", ", ce.Y)})");
            lines.Add($"                f(x) = {ce.Fx}, f(y) = {ce.Fy}, f((x+y)/2) = {ce.FMid} > (f(x)+f(y))/2");
        }
        lines.Add($"time:       {elapsed.TotalSeconds:0.000} s (verdict after {result.Statistics.TimeToVerdict.TotalSeconds:0.000} s)");
        return string.Join('\n', lines) + "\n";
    }
}
