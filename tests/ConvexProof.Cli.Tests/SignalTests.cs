using System.Diagnostics;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// A run stopped by SIGTERM or SIGINT (Ctrl-C) removes its temporary certificate and exits 143 / 130
/// (128 + the signal number, as a shell reports it) within 2 s. Runs the real CLI on a network that
/// takes seconds to enumerate in full.
/// </summary>
public class SignalTests
{
    private const int SigInt = 2, SigTerm = 15;

    /// <summary>2 → 300 → 1, convex: about 45 000 regions, several seconds of full enumeration
    /// (generated, so the test needs nothing outside the repository).</summary>
    private static string SlowNetwork(TempFolder folder) =>
        folder.Write("slow.json", RobustnessTests.RandomNetwork(2, 300, 7, convexOutput: true));

    [Theory]
    [InlineData(SigTerm, 143)]
    [InlineData(SigInt, 130)]
    public async Task ASignalRemovesTheTemporaryFileAndExits128PlusTheSignal(int signal, int expected)
    {
        using var inputs = new TempFolder();
        string network = SlowNetwork(inputs);
        using var dir = new TempFolder();
        string cert = dir.File("d2.cert.json");
        // Enumeration forced: by default (auto) this ICNN is certified by its signs at once.
        using var process = CliProcess.Start("certify", network, "--out", cert, "--all-violations", "--quiet", "--method", "regions");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        // Wait until the certificate is being streamed to its temporary file.
        var clock = Stopwatch.StartNew();
        while (!dir.Files().Any(f => f.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            Assert.False(process.HasExited, $"the run ended before it could be stopped (exit {(process.HasExited ? process.ExitCode : 0)})");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no temporary file appeared within 30 s");
            Thread.Sleep(20);
        }
        Thread.Sleep(300); // well inside the exploration
        Assert.False(process.HasExited, "the run ended before it could be stopped: the test needs a slower network");

        CliProcess.Signal(process, signal);
        clock.Restart();
        bool exited = process.WaitForExit(2_000);
        if (!exited) process.Kill(entireProcessTree: true);
        Assert.True(exited, $"still running {clock.Elapsed.TotalSeconds:0.0} s after the signal");
        Assert.Equal(expected, process.ExitCode);
        Assert.Empty(dir.Files()); // no temporary file, no certificate
        Assert.DoesNotContain("internal error", await stderr);
    }

    [Fact]
    public void ASignalAlsoStopsTheSmtSolver()
    {
        using var inputs = new TempFolder();
        // 4 → 24 → 24 → 1 with mixed signs: a midpoint query z3 does not answer in a few seconds.
        string network = inputs.Write("hard.json", RobustnessTests.RandomNetwork(4, 48, 11, convexOutput: false));
        using var process = CliProcess.Start("smt-check", network, "--box", "-10:10", "--timeout", "120");
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        var clock = Stopwatch.StartNew();
        int[] solvers;
        while ((solvers = Children(process.Id)).Length == 0)
        {
            Assert.False(process.HasExited, $"smt-check ended before it could be stopped (exit {(process.HasExited ? process.ExitCode : 0)})");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no z3 process appeared within 30 s");
            Thread.Sleep(20);
        }
        Thread.Sleep(500); // z3 is busy with the query
        Assert.False(process.HasExited, "smt-check ended before it could be stopped: the test needs a harder query");

        CliProcess.Signal(process, SigTerm);
        bool exited = process.WaitForExit(2_000);
        if (!exited) process.Kill(entireProcessTree: true);
        Assert.True(exited, "smt-check still running 2 s after SIGTERM");
        Assert.Equal(143, process.ExitCode);
        foreach (int pid in solvers)
            Assert.False(Directory.Exists($"/proc/{pid}") && !IsZombie(pid), $"z3 (pid {pid}) outlived convexproof");
    }

    /// <summary>The process ids of a process's children (Linux: /proc/PID/task/*/children).</summary>
    private static int[] Children(int pid)
    {
        try
        {
            return [.. Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse)];
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    private static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z"; }
        catch (IOException) { return true; }
    }
}
