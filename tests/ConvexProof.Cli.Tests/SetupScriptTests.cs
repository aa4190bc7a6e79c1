using System.Diagnostics;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// scripts/setup, run with a fake apt-get on a PATH where the tools are missing: one line per step
/// on stderr; apt's output only when a step fails.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SetupScriptTests
{
    /// <summary>A PATH holding only the utilities the script uses, a fake dotnet and the given apt-get.</summary>
    private static (int Code, string Err) RunSetup(TempFolder dir, string aptGet)
    {
        string bin = dir.File("bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "bash", "id", "mktemp", "tail", "sed", "rm", "cat" })
        {
            string? real = Executables.Find(tool);
            Assert.True(real is not null, $"{tool} not found on PATH");
            File.CreateSymbolicLink(Path.Combine(bin, tool), real!);
        }
        WriteScript(Path.Combine(bin, "dotnet"), "exit 0");
        WriteScript(Path.Combine(bin, "apt-get"), aptGet);
        WriteScript(Path.Combine(bin, "sudo"), "\"$@\"");
        var info = new ProcessStartInfo(Path.Combine(bin, "bash")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Repository.Root(), "scripts", "setup"));
        info.Environment["PATH"] = bin;
        info.Environment["TMPDIR"] = dir.Path;
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        Assert.True(p.WaitForExit(30_000), "scripts/setup did not finish");
        return (p.ExitCode, err.Result);
    }

    private static void WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!" + Executables.Find("bash") + "\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>What apt prints: hundreds of lines.</summary>
    private const string Chatty = "i=0; while [ $i -lt 200 ]; do echo \"Unpacking package $i\"; i=$((i+1)); done";

    [Fact]
    public void EachStepIsOneLineWhenItWorks()
    {
        using var dir = new TempFolder();
        var (code, err) = RunSetup(dir, Chatty);
        Assert.Equal(0, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("setup: updating the package lists (apt-get update) … done", lines[0]);
        Assert.StartsWith("setup: installing z3 cvc5 libcdd-tools librsvg2-bin", lines[1]);
        Assert.EndsWith("… done", lines[1]);
        Assert.DoesNotContain("Unpacking", err);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.log")); // the log goes when all went well
    }

    [Fact]
    public void AFailedStepShowsTheEndOfTheLog()
    {
        using var dir = new TempFolder();
        var (code, err) = RunSetup(dir, "if [ \"$1\" = install ]; then " + Chatty + "; echo 'E: Unable to locate package cvc5'; exit 100; fi");
        Assert.Equal(100, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("setup: updating the package lists (apt-get update) … done", lines[0]);
        Assert.EndsWith("… failed (exit 100)", lines[1]);
        Assert.StartsWith("setup: the last lines of the log (", lines[2]);
        Assert.Equal("  E: Unable to locate package cvc5", lines[^1]);
        Assert.True(lines.Length <= 3 + 30, $"{lines.Length} lines");
    }
}
