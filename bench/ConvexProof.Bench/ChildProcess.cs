using System.Diagnostics;
using System.Globalization;

namespace ConvexProof.Bench;

/// <summary>
/// One run of a child process: wall time (stopwatch), peak resident memory, exit code, output.
/// <see cref="TimedOut"/>: killed after the run's time limit (then the rest means little).
/// </summary>
public sealed record RunResult(double Seconds, long PeakKiB, int ExitCode, string Stdout, string Stderr, bool TimedOut = false);

/// <summary>Starts child processes; under GNU time (<c>/usr/bin/time -f %M</c>) when peak memory is wanted.</summary>
public static class ChildProcess
{
    public const string GnuTime = "/usr/bin/time";

    /// <summary>
    /// Runs <paramref name="exe"/> and waits; <paramref name="measureMemory"/> wraps it in GNU time.
    /// After <paramref name="timeout"/> the process (and GNU time) is killed and the run marked timed out.
    /// </summary>
    public static RunResult Run(string exe, IEnumerable<string> args, bool measureMemory = false,
        IReadOnlyDictionary<string, string>? env = null, string? workDir = null, TimeSpan? timeout = null)
    {
        string? timeFile = measureMemory ? Path.GetTempFileName() : null;
        var psi = new ProcessStartInfo(measureMemory ? GnuTime : exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        if (timeFile is not null)
        {
            foreach (var a in new[] { "-f", "%M", "-o", timeFile, exe }) psi.ArgumentList.Add(a);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) psi.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {psi.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (timeout is TimeSpan limit && !process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            if (timeFile is not null) File.Delete(timeFile);
            return new RunResult(limit.TotalSeconds, 0, -1, stdout.Result, stderr.Result, TimedOut: true);
        }
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        long peak = 0;
        if (timeFile is not null)
        {
            // GNU time writes "Command exited with non-zero status N" first when the command fails.
            var last = File.ReadAllLines(timeFile).LastOrDefault(l => l.Trim().Length > 0) ?? "";
            File.Delete(timeFile);
            if (!long.TryParse(last.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out peak))
                throw new InvalidOperationException($"unexpected output of {GnuTime}: '{last}'");
        }
        return new RunResult(seconds, peak, process.ExitCode, stdout.Result, stderr.Result);
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
