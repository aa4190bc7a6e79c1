using System.Globalization;
using System.Runtime.InteropServices;

namespace ConvexProof.Bench;

/// <summary>
/// A benchmark network on a domain: the box [-Box, Box]^d, or all of R^d when Box is null; its
/// weights are rounded to 3 decimals (../shared/bench/NAME.json) or float32 (../shared/bench/f32/NAME.json).
/// </summary>
public sealed record Case(string Name, int? Box, bool Float32 = false)
{
    public string File => Float32 ? Path.Combine("f32", Name + ".json") : Name + ".json";
    public string Id => (Float32 ? "f32_" : "") + (Box is int b ? $"{Name}_box{b}" : $"{Name}_R");
    public string Weights => Float32 ? "float32" : "3-decimal";
    public string DomainText(int d) => Box is int b ? $"[-{b},{b}]^{d}" : $"R^{d}";

    /// <summary>--only NAME matches the name (both weight kinds), f32/NAME, or the id.</summary>
    public bool Matches(string only) => only == Name || only == Id || (Float32 && only == "f32/" + Name);
}

/// <summary>
/// The default `certify` (stops at the first violation), run with --json: what it decided, how it
/// explored, and when the verdict was settled inside the process (verdict_seconds); medians.
/// </summary>
public sealed record VerdictResult(List<RunResult> Runs, string? Verdict, string? Exploration, long RegionsExplored, double EngineSeconds,
    bool TimedOut, string? Failure)
{
    public double Seconds => ChildProcess.Median(Runs.Select(r => r.Seconds));
}

/// <summary>
/// Everything measured for one case; timings are medians over the repetitions. When certify failed,
/// <see cref="Failure"/> says how, and there is no certificate and no baseline.
/// </summary>
/// <remarks>
/// <see cref="Certify"/> are the full-enumeration runs (`--all-violations`); <see cref="FullTimedOut"/>
/// when they were killed after the per-run limit (then there is no certificate either).
/// </remarks>
public sealed record CaseResult(Case Case, int Dim, int Neurons, List<RunResult> Certify, List<RunResult> Check,
    CertificateInfo? Certificate, BaselineRow? Baselines, string? Failure, VerdictResult? Verdict = null, bool FullTimedOut = false)
{
    public long Regions => Certificate?["regions"] ?? 0;
    public double CertifySeconds => ChildProcess.Median(Certify.Select(r => r.Seconds));
    public double CheckSeconds => ChildProcess.Median(Check.Select(r => r.Seconds));
    public double CertifyPeakMiB => ChildProcess.Median(Certify.Select(r => (double)r.PeakKiB)) / 1024;
    public double CheckPeakMiB => ChildProcess.Median(Check.Select(r => (double)r.PeakKiB)) / 1024;
    public double MicrosecondsPerRegion => Regions == 0 ? double.NaN : CertifySeconds * 1e6 / Regions;
    public bool CheckValid => Check.Count > 0 && Check.All(r => r.ExitCode == 0);

    /// <summary>What the checker said (first line; stderr when it printed nothing on stdout).</summary>
    public string CheckMessage
    {
        get
        {
            var run = Check.FirstOrDefault(r => r.ExitCode != 0) ?? Check.FirstOrDefault();
            if (run is null) return "";
            var text = run.Stdout.Trim().Length > 0 ? run.Stdout : run.Stderr;
            return $"exit code {run.ExitCode}: {text.Trim().Split('\n')[0]}";
        }
    }

    public string Label => $"{Case.Name} ({Case.Weights}) on {Case.DomainText(Dim)}";
}

/// <summary>
/// Full enumeration with 1 and 2 threads; <see cref="RefutationIdentical"/>: the default certify's
/// certificates (stopped at the first violation) with 1 and 2 threads were byte-identical (null: not run).
/// </summary>
public sealed record ThreadResult(Case Case, int Dim, double OneThread, double TwoThreads, bool Identical, bool? RefutationIdentical, string Mechanism);

/// <summary>The machine the numbers come from.</summary>
public sealed record Machine(int Cores, string Cpu, string Runtime, string Sdk, long MemoryMiB, DateTime Date, string LoadStart, string? LoadEnd,
    double? OtherCpuShare = null)
{
    /// <summary>How scripts/build-cli built the CLI ("native (AOT)" or "ReadyToRun", from its .kind file).</summary>
    public string CliBuild { get; init; } = "unknown";

    public static Machine Capture(string root)
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "unknown";
        string memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) ?? "0";
        long kib = long.Parse(new string([.. memory.Where(char.IsDigit)]), CultureInfo.InvariantCulture);
        string sdk = ChildProcess.Run("dotnet", ["--version"], workDir: root).Stdout.Trim();
        return new Machine(Environment.ProcessorCount, cpu, RuntimeInformation.FrameworkDescription, sdk, kib / 1024, DateTime.UtcNow, Load(), null);
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string Load() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>
    /// CPU ticks so far: busy and total over all cores (/proc/stat), and this process's own plus its
    /// finished children's (/proc/self/stat utime, stime, cutime, cstime).
    /// </summary>
    public static (long Busy, long Total, long Own) Ticks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long total = cpu.Sum(), idle = cpu[3] + cpu[4];
        var self = File.ReadAllText("/proc/self/stat");
        var fields = self[(self.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd on
        long own = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        return (total - idle, total, own);
    }

    /// <summary>Share of the machine's CPU capacity used by other processes between two <see cref="Ticks"/>.</summary>
    public static double OtherShare((long Busy, long Total, long Own) start, (long Busy, long Total, long Own) end) =>
        Math.Max(0, (double)(end.Busy - start.Busy - (end.Own - start.Own)) / Math.Max(1, end.Total - start.Total));

    /// <summary>Loaded: other processes used more than 10% of the CPU capacity while the benchmark ran.</summary>
    public bool Loaded => OtherCpuShare > 0.10;
}

/// <summary>
/// One network of certificates/bounds (too many regions to list) certified by the default
/// `certify` (auto chooses the method) and re-checked: medians of the runs.
/// </summary>
public sealed record BoundRouteResult(string Name, int Dim, int Neurons, string? Box, string? Method, string? Verdict, long Leaves,
    long Lines, double CertifySeconds, double CertifyPeakMiB, long CertificateBytes, double CheckSeconds, bool CheckValid, string? Failure);
