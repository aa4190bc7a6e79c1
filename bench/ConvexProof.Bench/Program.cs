// The benchmark behind docs/benchmarks.md (issues "Fast exact certification" and 9):
//   dotnet run -c Release --project bench/ConvexProof.Bench -- [--quick] [--out FILE] [--nets DIR] [--only NAME] [--run-timeout S]
// builds the Release CLI, runs `certify` (default: time to verdict; --all-violations: full
// enumeration) and `check` as child processes on the networks of ../shared/bench (3-decimal
// weights) and ../shared/bench/f32 (float32 weights), runs the two baselines on sampled regions of
// the 3-decimal certificates, and writes the report. --only NAME keeps the cases of that network
// (both weight kinds; f32/NAME or a case id for one). Every child process is killed after
// --run-timeout seconds (default 300, quick 60) and reported as "> S s", so one slow network
// cannot hang the harness.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvexProof.Bench;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string root = FindRoot();
bool quick = args.Contains("--quick");
string output = Option("--out") ?? Path.Combine(root, "docs", "benchmarks.md");
string nets = Option("--nets") ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "bench"));
string? only = Option("--only");
int repetitions = quick ? 1 : 3, sampleSize = quick ? 10 : 50;
const int ShortRunRepetitions = 9;
var runTimeout = TimeSpan.FromSeconds(Option("--run-timeout") is string t
    ? double.Parse(t, CultureInfo.InvariantCulture) : quick ? 60 : 300);
string work = Path.Combine(Path.GetTempPath(), "convexproof-bench");
Directory.CreateDirectory(work);
if (!File.Exists(ChildProcess.GnuTime))
{
    Console.Error.WriteLine($"bench: {ChildProcess.GnuTime} is missing (Debian package 'time'); it measures peak memory");
    return 2;
}

var machine = Machine.Capture(root);
Log($"machine: {machine.Cpu}, {machine.Cores} cores, load {machine.LoadStart}; building the CLI…");
string cli = BuildCli(root, Path.Combine(work, "cli"));
machine = machine with { CliBuild = File.ReadAllText(Path.Combine(work, "cli", ".kind")).Trim() };
var ticks = Machine.Ticks(); // from here on, CPU time not spent by this process or its children is other work
bool cdd = BaselineRunner.CddAvailable();
if (!cdd) Log($"{BaselineRunner.Redcheck} not found (Debian package libcdd-tools): baseline B is skipped");

// Start-up of the CLI process alone (runtime, argument parsing): the reference for time to verdict.
ChildProcess.Run(cli, ["certify", "--help"]);
double startup = ChildProcess.Median(Enumerable.Range(0, 5).Select(_ => ChildProcess.Run(cli, ["certify", "--help"]).Seconds));
Log($"CLI start-up: {startup:0.000} s; per-run limit {runTimeout.TotalSeconds:0} s");

// The 3-decimal networks first (the earlier benchmark's cases and baselines), then the float32
// ones: the Fig. 6 network on [-100,100]^3, the others on [-10,10]^d.
Case[] cases =
[
    new("d2_64x64x64", 10), new("d2_32x32", null), new("d2_32x32", 10),
    new("d2_16x16x16", 10), new("d4_12x12", 10), new("d6_8x8", 10),
    new("d2_32x32", 10, Float32: true), new("d2_64x64x64", 10, Float32: true), new("d4_12x12", 10, Float32: true),
    new("d6_8x8", 10, Float32: true), new("d3_10x10x10x10x10", 100, Float32: true),
];
var results = new List<CaseResult>();
foreach (var c in cases.Where(c => only is null || c.Matches(only)))
{
    string net = Path.Combine(nets, c.File), cert = Path.Combine(work, c.Id + ".cert.json");
    if (!File.Exists(net))
    {
        Log($"{c.Id}: {net} not found, skipped");
        continue;
    }
    var network = NetworkReader.ReadFile(net);
    string[] box = c.Box is int b ? ["--box", $"-{b}:{b}"] : [];
    var verdict = MeasureVerdict(c, net, box);

    var certifyArgs = new List<string> { "certify", net, "--out", cert, "--quiet", "--all-violations" };
    certifyArgs.AddRange(box);
    var certify = new List<RunResult>();
    var check = new List<RunResult>();
    string? failure = null;
    bool timedOut = false;
    // Runs under a second get more repetitions: their noise (scheduling, page faults, other
    // processes) is a larger share of them, and the check/certify ratios are taken from them.
    int wanted = repetitions;
    for (int i = 0; i < wanted && failure is null && !timedOut; i++)
    {
        Log($"{c.Id}: certify --all-violations {i + 1}/{wanted}");
        var run = ChildProcess.Run(cli, certifyArgs, measureMemory: true, timeout: runTimeout);
        if (run.TimedOut)
        {
            timedOut = true;
            Log($"{c.Id}: full enumeration killed after {runTimeout.TotalSeconds:0} s");
            break;
        }
        if (run.ExitCode is not (0 or 1))
        {
            failure = $"certify exited with code {run.ExitCode}: {FirstLine(run.Stderr + run.Stdout)}";
            break;
        }
        certify.Add(run);
        if (i == 0 && !quick && run.Seconds < 1) wanted = ShortRunRepetitions;
        Log($"{c.Id}: certify took {run.Seconds:0.00} s; check {i + 1}/{wanted}");
        var checkRun = ChildProcess.Run(cli, ["check", net, cert, "--quiet"], measureMemory: true, timeout: runTimeout);
        check.Add(checkRun);
        if (checkRun.TimedOut) Log($"{c.Id}: check killed after {runTimeout.TotalSeconds:0} s");
    }
    if (failure is not null || timedOut)
    {
        if (failure is not null) Log($"{c.Id}: {failure}");
        results.Add(new CaseResult(c, network.InputDim, network.NeuronCount, certify, check, null, null, failure, verdict, timedOut));
        continue;
    }
    var info = CertificateInfo.Read(cert, sampleSize);
    if (c.Float32)
    {
        // The baselines' exact LPs on float32 rationals would dominate the harness's run time; the
        // 3-decimal cases measure them.
        Log($"{c.Id}: {info["regions"]} regions");
        results.Add(new CaseResult(c, network.InputDim, network.NeuronCount, certify, check, info, null, null, verdict));
        continue;
    }
    Log($"{c.Id}: {info["regions"]} regions; baselines on {info.Sample.Count} of them");
    var domain = c.Box is int half
        ? Domain.Box([.. Enumerable.Repeat((Rational)(-half), network.InputDim)], [.. Enumerable.Repeat((Rational)half, network.InputDim)])
        : Domain.Everywhere(network.InputDim);
    var baselines = BaselineRunner.Run(network, domain, info.Sample, Path.Combine(work, "cdd", c.Id), cdd);
    results.Add(new CaseResult(c, network.InputDim, network.NeuronCount, certify, check, info, baselines, null, verdict));
}

// 1 thread vs 2 threads on the first case: the CLI's --threads option if it has one, otherwise the
// runtime's DOTNET_PROCESSOR_COUNT (RegionExplorer.Parallelism defaults to Environment.ProcessorCount).
ThreadResult? threads = null;
if (results.FirstOrDefault(r => r.Certificate is not null) is CaseResult measured)
{
    var first = measured.Case;
    string net = Path.Combine(nets, first.File);
    bool hasOption = ChildProcess.Run(cli, ["certify", "--help"]).Stdout.Contains("--threads", StringComparison.Ordinal);
    var times = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
    for (int i = 0; i < repetitions; i++)
        foreach (int n in new[] { 1, 2 })
        {
            Log($"{first.Id}: certify with {n} thread(s) {i + 1}/{repetitions}");
            var a = new List<string> { "certify", net, "--out", Path.Combine(work, $"threads{n}.cert.json"), "--quiet", "--all-violations" };
            if (first.Box is int b) a.AddRange(["--box", $"-{b}:{b}"]);
            if (hasOption) a.AddRange(["--threads", n.ToString(CultureInfo.InvariantCulture)]);
            var env = hasOption ? null : new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = n.ToString(CultureInfo.InvariantCulture) };
            times[n].Add(Expect(ChildProcess.Run(cli, a, env: env), 0, 1).Seconds);
        }
    bool identical = File.ReadAllBytes(Path.Combine(work, "threads1.cert.json"))
        .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(work, "threads2.cert.json")));
    // The default certify's refutation (where exploration stops) must not depend on the threads either.
    bool? refutationIdentical = null;
    if (hasOption)
    {
        foreach (int n in new[] { 1, 2 })
        {
            var a = new List<string> { "certify", net, "--out", Path.Combine(work, $"threads{n}.verdict.cert.json"), "--quiet", "--threads", n.ToString(CultureInfo.InvariantCulture) };
            if (first.Box is int b) a.AddRange(["--box", $"-{b}:{b}"]);
            Expect(ChildProcess.Run(cli, a, timeout: runTimeout), 0, 1);
        }
        refutationIdentical = File.ReadAllBytes(Path.Combine(work, "threads1.verdict.cert.json"))
            .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(work, "threads2.verdict.cert.json")));
    }
    threads = new ThreadResult(first, measured.Dim, ChildProcess.Median(times[1]), ChildProcess.Median(times[2]), identical, refutationIdentical,
        hasOption ? "the CLI's `--threads N`" : "`DOTNET_PROCESSOR_COUNT=N` (the CLI has no thread option; the engine's `RegionExplorer.Parallelism` defaults to the processor count)");
}

// Beyond enumeration (issue 11): the networks of certificates/bounds, by the default certify.
var boundRoute = new List<BoundRouteResult>();
if (only is null)
    foreach (var entry in JsonNode.Parse(File.ReadAllText(Path.Combine(root, "certificates", "bounds", "manifest.json")))!.AsArray())
        boundRoute.Add(MeasureBoundRoute(Path.Combine(root, "certificates", "bounds", (string)entry!["net"]!), (string?)entry["box"]));

double cddStartup = cdd ? BaselineRunner.StartupMs(work) : double.NaN;
machine = machine with { LoadEnd = Machine.Load(), OtherCpuShare = Machine.OtherShare(ticks, Machine.Ticks()) };
string command = "dotnet run -c Release --project bench/ConvexProof.Bench" + (quick || only is not null || Option("--run-timeout") is not null ? " --" : "")
    + (quick ? " --quick" : "") + (only is not null ? $" --only {only}" : "")
    + (Option("--run-timeout") is string limit ? $" --run-timeout {limit}" : "");
File.WriteAllText(output, Report.Render(machine, command, quick, repetitions, sampleSize, results, threads, boundRoute, cddStartup, startup, runTimeout.TotalSeconds));
Log($"wrote {output}");
return 0;

// The default certify (stops at the first violation) with --json: wall time and verdict_seconds.
VerdictResult MeasureVerdict(Case c, string net, string[] box)
{
    var runs = new List<RunResult>();
    var engine = new List<double>();
    string? verdictText = null, exploration = null;
    long explored = 0;
    string[] arguments = ["certify", net, "--out", Path.Combine(work, c.Id + ".verdict.cert.json"), "--quiet", "--json", .. box];
    // One untimed run first: a quick verdict is short enough that reading the network file and the
    // CLI's assemblies from disk for the first time would show in it.
    Log($"{c.Id}: certify (time to verdict) warm-up");
    if (ChildProcess.Run(cli, arguments, timeout: runTimeout).TimedOut) return new VerdictResult(runs, null, null, 0, double.NaN, true, null);
    for (int i = 0; i < repetitions; i++)
    {
        Log($"{c.Id}: certify (time to verdict) {i + 1}/{repetitions}");
        var run = ChildProcess.Run(cli, arguments, measureMemory: true, timeout: runTimeout);
        if (run.TimedOut) return new VerdictResult(runs, null, null, 0, double.NaN, true, null);
        if (run.ExitCode is not (0 or 1))
            return new VerdictResult(runs, null, null, 0, double.NaN, false, $"certify exited with code {run.ExitCode}: {FirstLine(run.Stderr + run.Stdout)}");
        runs.Add(run);
        using var json = JsonDocument.Parse(run.Stdout);
        var o = json.RootElement;
        verdictText = o.GetProperty("verdict").GetString();
        exploration = o.TryGetProperty("exploration", out var e) ? e.GetString() : null;
        // The bound route lists no regions (counts is null there).
        explored = o.GetProperty("counts") is { ValueKind: JsonValueKind.Object } counts ? counts.GetProperty("regions").GetInt64() : 0;
        engine.Add(o.TryGetProperty("verdict_seconds", out var v) ? v.GetDouble() : double.NaN);
    }
    return new VerdictResult(runs, verdictText, exploration, explored, ChildProcess.Median(engine), false, null);
}

BoundRouteResult MeasureBoundRoute(string net, string? box)
{
    string name = Path.GetFileNameWithoutExtension(net), cert = Path.Combine(work, name + ".bound.cert.json");
    var network = NetworkReader.ReadFile(net);
    string[] arguments = ["certify", net, "--out", cert, "--quiet", "--json", .. box is null ? Array.Empty<string>() : ["--box", box]];
    BoundRouteResult Failed(string why) => new(name, network.InputDim, network.NeuronCount, box, null, null, 0, 0, double.NaN, double.NaN, 0, double.NaN, false, why);
    ChildProcess.Run(cli, arguments, timeout: runTimeout); // warm-up (file cache)
    var certify = new List<RunResult>();
    var check = new List<RunResult>();
    JsonElement last = default;
    for (int i = 0; i < repetitions; i++)
    {
        Log($"{name}: certify (default method) {i + 1}/{repetitions}");
        var run = ChildProcess.Run(cli, arguments, measureMemory: true, timeout: runTimeout);
        if (run.TimedOut) return Failed("> " + runTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s");
        if (run.ExitCode is not (0 or 1)) return Failed($"certify exited with code {run.ExitCode}: {FirstLine(run.Stderr + run.Stdout)}");
        certify.Add(run);
        last = JsonDocument.Parse(run.Stdout).RootElement.Clone();
        check.Add(ChildProcess.Run(cli, ["check", net, cert, "--quiet", .. box is null ? Array.Empty<string>() : ["--box", box]], timeout: runTimeout));
    }
    var bounds = last.TryGetProperty("bounds", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
    long Count(string key) => bounds.ValueKind == JsonValueKind.Object && bounds.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
    return new BoundRouteResult(name, network.InputDim, network.NeuronCount, box, last.GetProperty("method").GetString(),
        last.GetProperty("verdict").GetString(), Count("leaves"), Count("lines"), ChildProcess.Median(certify.Select(r => r.Seconds)),
        ChildProcess.Median(certify.Select(r => r.PeakKiB / 1024.0)), new FileInfo(cert).Length, ChildProcess.Median(check.Select(r => r.Seconds)),
        check.All(r => r.ExitCode == 0), null);
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

static string FindRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "ConvexProof.sln"))) return dir.FullName;
    throw new InvalidOperationException("run the benchmark from inside the repository (ConvexProof.sln not found)");
}

static string BuildCli(string root, string outDir)
{
    // As the ./convexproof launcher builds it (scripts/build-cli: native AOT, else ReadyToRun), so
    // short runs measure the program, not a JIT.
    var build = ChildProcess.Run(Path.Combine(root, "scripts", "build-cli"), [outDir]);
    if (build.ExitCode != 0) throw new InvalidOperationException($"building the CLI failed:\n{build.Stdout}{build.Stderr}");
    return Path.Combine(outDir, "convexproof");
}

static string FirstLine(string text)
{
    var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(no output)";
    return line.Length <= 300 ? line : line[..300] + "…";
}

static RunResult Expect(RunResult run, params int[] codes) => codes.Contains(run.ExitCode) ? run
    : throw new InvalidOperationException($"the CLI exited with code {run.ExitCode}:\n{run.Stdout}{run.Stderr}");
