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

    private static string SlowNetwork()
    {
        string path = Path.Combine(Repository.Root(), "..", "shared", "bench", "d2_64x64x64.json");
        Assert.True(File.Exists(path), $"the signal tests need {path} (the shared benchmark networks)");
        return path;
    }

    [Theory]
    [InlineData(SigTerm, 143)]
    [InlineData(SigInt, 130)]
    public async Task ASignalRemovesTheTemporaryFileAndExits128PlusTheSignal(int signal, int expected)
    {
        using var dir = new TempFolder();
        string cert = dir.File("d2.cert.json");
        using var process = CliProcess.Start("certify", SlowNetwork(), "--out", cert, "--all-violations", "--quiet");
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
