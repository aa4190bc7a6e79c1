using System.Diagnostics;

namespace ConvexProof.Smt.Tests;

/// <summary>The real z3 process: version, start failures, process death, stopping.</summary>
public class Z3ProcessTests
{
    [Fact]
    public void The_version_text_comes_from_the_solver()
    {
        string text = Z3Info.VersionText();
        Assert.Matches(@"^z3 \d+\.\d+\.\d+", text);
        Assert.Equal("z3 not found", Z3Info.VersionText("/nonexistent/z3"));
    }

    [Fact]
    public void Z3_is_installed()
    {
        // The SMT tests run the real solver; CI installs it. Without it they fail (never pass silently).
        var e = Record.Exception(() => SolverLocator.Resolve(null));
        Assert.True(e is null, $"{e?.Message}: run scripts/setup, which installs z3 (the SMT tests need the real solver)");
    }

    [Fact]
    public void A_missing_binary_is_named_in_the_message()
    {
        var e = Assert.Throws<SolverUnavailableException>(() => SolverLocator.Resolve("/nonexistent/bin/z3"));
        Assert.Equal("cannot start z3 at '/nonexistent/bin/z3': no such file", e.Message);
        e = Assert.Throws<SolverUnavailableException>(() => SolverLocator.Resolve("no-such-solver-here"));
        Assert.Contains("'no-such-solver-here' was not found on PATH", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<SolverUnavailableException>(() => SolverLocator.Resolve("/tmp"));
        Assert.Contains("'/tmp'", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("/z3", SolverLocator.Resolve(null), StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_is_not_a_solver_is_refused_with_its_path()
    {
        string path = File.Exists("/bin/false") ? "/bin/false" : "/usr/bin/false";
        var e = Assert.Throws<SolverUnavailableException>(() => SolverSession.Open(new SmtOptions { SolverPath = path }));
        Assert.Contains($"cannot start z3 at '{path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 1", e.Message, StringComparison.Ordinal);

        string notExecutable = Path.GetTempFileName();
        try
        {
            e = Assert.Throws<SolverUnavailableException>(() => SolverSession.Open(new SmtOptions { SolverPath = notExecutable }));
            Assert.Contains($"cannot start z3 at '{notExecutable}'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notExecutable);
        }
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_program_that_closes_its_input_and_exits_is_reported_by_its_exit_code()
    {
        // Closing stdin first makes the handshake's write fail with a broken pipe whenever the exit
        // wins the race; the message must name the exit code either way.
        string script = Path.Combine(Path.GetTempPath(), $"closing-solver-{Environment.ProcessId}-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\nexec 0<&-\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            for (int attempt = 0; attempt < 5; attempt++)
            {
                var e = Assert.Throws<SolverUnavailableException>(() => SolverSession.Open(new SmtOptions { SolverPath = script }));
                Assert.Contains("exited with code 3", e.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(script);
        }
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_process_that_dies_completes_the_waiting_request_with_its_exit_code_and_stderr()
    {
        // A stand-in solver: answers one command, then reads a second, complains and exits.
        string script = Path.Combine(Path.GetTempPath(), $"dying-solver-{Environment.ProcessId}-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, "#!/bin/sh\nread a\necho success\nread b\nsleep 0.2\necho 'segmentation fault' >&2\nexit 7\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            using var transport = Z3ProcessTransport.Start(script, null);
            Assert.True((await transport.Request("(set-option :print-success true)").WaitAsync(TimeSpan.FromSeconds(10))).IsSymbol("success"));
            var waiting = transport.Request("(check-sat)");
            var failure = await Assert.ThrowsAsync<SolverException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("exited with code 7", failure.Message, StringComparison.Ordinal);
            Assert.Contains(script, failure.Message, StringComparison.Ordinal);
            // Every later request fails at once.
            Assert.True(transport.Request("(check-sat)").IsFaulted);
            // stderr is read asynchronously; it is usually in the message, and always harmless.
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task Killing_z3_faults_requests_instead_of_hanging()
    {
        using var transport = Z3ProcessTransport.Start(SolverLocator.Resolve(null), null);
        var first = await transport.Request("(set-option :print-success true)").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(first.IsSymbol("success"));
        using (var process = Process.GetProcessById(transport.ProcessId))
        {
            process.Kill();
            process.WaitForExit();
        }
        await Assert.ThrowsAsync<SolverException>(() => transport.Request("(check-sat)").WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Closing_is_quick_and_idempotent_even_while_z3_works()
    {
        // A query z3 needs a while for (pigeonhole-style disjunctions over reals) keeps it busy.
        var transport = Z3ProcessTransport.Start(SolverLocator.Resolve(null), TimeSpan.FromSeconds(30));
        await transport.Request("(set-option :print-success true)").WaitAsync(TimeSpan.FromSeconds(10));
        var commands = HardQuery(10);
        foreach (var c in commands[..^1]) Assert.True((await transport.Request(c).WaitAsync(TimeSpan.FromSeconds(10))).IsSymbol("success"));
        var busy = transport.Request(commands[^1]);
        await Task.Delay(100);
        Assert.False(busy.IsCompleted);
        var clock = Stopwatch.StartNew();
        transport.Close();
        transport.Close();
        transport.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"closing took {clock.Elapsed}");
        Assert.True(busy.IsFaulted);
        Assert.True(transport.Request("(check-sat)").IsFaulted);
    }

    [Fact]
    public void Unsolicited_output_and_error_replies_are_reported()
    {
        using var session = SolverSession.Open(new SmtOptions());
        Assert.StartsWith("z3 ", session.SolverVersion, StringComparison.Ordinal);
        var e = Assert.Throws<SolverException>(() => session.Command("(assert (> undeclared 0.0))"));
        Assert.Contains("undeclared", e.Message, StringComparison.Ordinal);
        // The session is still usable after an error reply.
        session.Command("(declare-fun a () Real)");
        session.Assert(Smt.Gt(Smt.RealVar("a"), Smt.Real(new Numbers.Rational(1, 3))));
        Assert.Equal(SatStatus.Sat, session.CheckSat().Status);
        var value = session.GetValues([Smt.RealVar("a")])[0];
        Assert.True(value > new Numbers.Rational(1, 3));
    }

    /// <summary>
    /// n+1 pigeons in n holes (pigeon p in hole h: x_p ∈ [h, h + 1/2]; two pigeons differ by more
    /// than 3/4): unsat, and exponentially hard for z3 (n = 9 takes seconds, n = 10 more than 20 s).
    /// </summary>
    internal static string[] HardQuery(int holes)
    {
        var commands = new List<string> { "(set-logic QF_LRA)" };
        for (int p = 0; p <= holes; p++) commands.Add($"(declare-fun x{p} () Real)");
        var sb = new System.Text.StringBuilder("(assert (and");
        for (int p = 0; p <= holes; p++)
        {
            sb.Append(" (or");
            for (int h = 0; h < holes; h++) sb.Append($" (and (>= x{p} {h}.0) (<= x{p} {h}.5))");
            sb.Append(')');
        }
        for (int p = 0; p <= holes; p++)
            for (int q = p + 1; q <= holes; q++) sb.Append($" (or (> (- x{p} x{q}) 0.75) (> (- x{q} x{p}) 0.75))");
        commands.Add(sb.Append("))").ToString());
        commands.Add("(check-sat)");
        return [.. commands];
    }
}

/// <summary>A [Fact] that needs a POSIX shell script as a stand-in solver: skipped, with the reason, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "the stand-in solver is a /bin/sh script, which Windows cannot run";
    }
}
