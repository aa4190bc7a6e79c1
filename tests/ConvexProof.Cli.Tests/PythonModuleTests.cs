using System.Diagnostics;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// Runs the tests of python/convexproof (python/tests: the torch penalty equals the exact one, its
/// gradient matches finite differences of the exact penalty, certify, the reduced regularisation
/// experiment) with /usr/bin/python3 against the CLI these tests were built with.
/// </summary>
public class PythonModuleTests
{
    [RequiresTorchFact]
    public void PythonModuleTestsPass()
    {
        var info = new ProcessStartInfo(RequiresTorchFactAttribute.Python)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            WorkingDirectory = Repository.Root(),
        };
        foreach (var a in new[] { "-m", "unittest", "discover", "-s", "python/tests", "-v" }) info.ArgumentList.Add(a);
        info.Environment["PYTHONPATH"] = Path.Combine(Repository.Root(), "python");
        info.Environment["CONVEXPROOF_CLI"] = CliProcess.Path;
        info.Environment["OMP_NUM_THREADS"] = "1";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1"; // no __pycache__ in the repository
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the Python tests did not finish in 300 s");
        }
        string log = output.Result + err.Result;
        Assert.True(p.ExitCode == 0, "python/tests failed:\n" + log);
        // Every test of the file ran (none silently missing).
        int tests = File.ReadLines(Path.Combine(Repository.Root(), "python", "tests", "test_convexproof.py")).Count(l => l.TrimStart().StartsWith("def test_", StringComparison.Ordinal));
        Assert.True(tests >= 10, $"only {tests} Python tests found");
        Assert.Contains($"Ran {tests} tests", log);
        Assert.DoesNotContain("skipped", log);
    }
}

/// <summary>A [Fact] skipped, with the reason, when /usr/bin/python3 cannot import torch (the Debian package python3-torch, installed by scripts/setup).</summary>
public sealed class RequiresTorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    public RequiresTorchFactAttribute()
    {
        if (!File.Exists(Python))
        {
            Skip = $"{Python} not found: install python3 and python3-torch (scripts/setup) to run the Python module's tests";
            return;
        }
        var (code, _) = Executables.Run(Python, "-c", "import torch");
        if (code != 0) Skip = $"{Python} cannot import torch: install the Debian package python3-torch (scripts/setup) to run the Python module's tests";
    }
}
