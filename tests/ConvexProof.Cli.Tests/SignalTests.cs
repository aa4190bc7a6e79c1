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
        using var process = CliProcess.Start("certify", network, "--out", cert, "--all-violations", "--quiet");
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
}
