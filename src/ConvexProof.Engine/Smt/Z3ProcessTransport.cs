using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ConvexProof.Smt;

/// <summary>
/// z3 as a child process speaking SMT-LIB 2 on its standard streams (<c>z3 -in -smt2</c>), with all
/// three streams redirected. A reader thread parses standard output into S-expressions and
/// completes the waiting requests in order; when the process exits (or its output is garbled),
/// every waiting and every later request faults with a <see cref="SolverException"/> that quotes
/// the exit code and the end of standard error.
/// </summary>
public sealed class Z3ProcessTransport : ISolverTransport
{
    private const int StderrKeep = 4000;
    private static readonly TimeSpan StopGrace = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ExitAfterCloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Every solver process still running. A process that ends by Environment.Exit (the CLI does on
    /// SIGINT/SIGTERM) runs no finally blocks: without this a z3 busy in a check-sat would outlive
    /// convexproof until its own time limit.
    /// </summary>
    private static readonly HashSet<Process> Live = [];

    static Z3ProcessTransport()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Process[] live;
            lock (Live) live = [.. Live];
            foreach (var process in live) KillQuietly(process);
        };
    }

    private readonly Process _process;
    private readonly StreamWriter _stdin;
    private readonly object _queueLock = new();
    private readonly object _writeLock = new();
    private readonly Queue<TaskCompletionSource<SExpr>> _pending = new();
    private readonly StringBuilder _stderr = new();
    private SolverException? _failure;
    private bool _closed;

    private Z3ProcessTransport(string path, Process process)
    {
        SolverPath = path;
        _process = process;
        _stdin = process.StandardInput;
        _stdin.AutoFlush = false;
        _stdin.NewLine = "\n";
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                if (_stderr.Length < StderrKeep) _stderr.Append(e.Data).Append('\n');
            }
        };
        process.BeginErrorReadLine();
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "z3 stdout reader" };
        reader.Start();
    }

    public string SolverPath { get; }

    /// <summary>The operating-system process id (for tests of process death).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <c>PATH -in -smt2 [-T:seconds]</c>.</summary>
    /// <exception cref="SolverUnavailableException">The file is missing or cannot be executed.</exception>
    public static Z3ProcessTransport Start(string path, TimeSpan? hardLimit)
    {
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-in");
        info.ArgumentList.Add("-smt2");
        if (hardLimit is TimeSpan limit)
            info.ArgumentList.Add($"-T:{Math.Max(1, (long)Math.Ceiling(limit.TotalSeconds))}");
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new SolverUnavailableException(path, $"cannot start z3 at '{path}': {e.Message}", e);
        }
        if (process is null) throw new SolverUnavailableException(path, $"cannot start z3 at '{path}': no process was started");
        lock (Live) Live.Add(process);
        return new Z3ProcessTransport(path, process);
    }

    public Task<SExpr> Request(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var tcs = new TaskCompletionSource<SExpr>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_writeLock)
        {
            lock (_queueLock)
            {
                if (_failure is not null) return Task.FromException<SExpr>(_failure);
                _pending.Enqueue(tcs);
            }
            try
            {
                _stdin.Write(command);
                _stdin.Write('\n');
                _stdin.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // A broken pipe usually means the process has exited: its exit code says more (and is
                // what the reader reports when it sees the end of the output first).
                Fail(new SolverException(ExitMessage() ?? $"cannot send to z3 at '{SolverPath}': {e.Message}{Describe()}", e));
            }
        }
        return tcs.Task;
    }

    public void Close()
    {
        lock (_writeLock)
        {
            if (_closed) return;
            _closed = true;
            try
            {
                _stdin.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The process is already gone; killing below is then a no-op.
            }
        }
        if (!WaitQuietly(_process, StopGrace)) KillQuietly(_process);
        lock (Live) Live.Remove(_process);
        Fail(new SolverException($"the connection to z3 at '{SolverPath}' was closed"));
    }

    private static bool WaitQuietly(Process process, TimeSpan grace)
    {
        try
        {
            return process.WaitForExit(grace);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return true; // no such process any more
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(StopGrace);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited between the checks.
        }
    }

    public void Dispose()
    {
        Close();
        _process.Dispose();
    }

    private void ReadLoop()
    {
        try
        {
            var reader = new SExprReader(_process.StandardOutput);
            while (reader.Read() is SExpr response)
            {
                TaskCompletionSource<SExpr> waiting;
                lock (_queueLock)
                {
                    if (_pending.Count == 0)
                    {
                        if (_failure is null)
                            Fail(new SolverException($"z3 at '{SolverPath}' printed '{Truncate(response.ToString())}' without being asked"));
                        continue;
                    }
                    waiting = _pending.Dequeue();
                }
                waiting.TrySetResult(response);
            }
            // Its output is closed, so it is exiting: wait long enough for a loaded machine to let it.
            Fail(new SolverException(ExitMessage() ?? $"z3 at '{SolverPath}' closed its output{Describe()}"));
        }
        catch (Exception e) when (e is FormatException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(new SolverException($"reading from z3 at '{SolverPath}' failed: {e.Message}{Describe()}", e));
        }
    }

    /// <summary>"z3 at '…' exited with code N" once the process has exited (waiting a little for it), or null.</summary>
    private string? ExitMessage()
    {
        try
        {
            return _process.WaitForExit(ExitAfterCloseGrace) ? $"z3 at '{SolverPath}' exited with code {_process.ExitCode}{Describe()}" : null;
        }
        catch (Exception e) when (e is InvalidOperationException or SystemException)
        {
            return null;
        }
    }

    private void Fail(SolverException failure)
    {
        TaskCompletionSource<SExpr>[] waiting;
        lock (_queueLock)
        {
            _failure ??= failure;
            waiting = [.. _pending];
            _pending.Clear();
        }
        foreach (var tcs in waiting) tcs.TrySetException(_failure);
    }

    private string Describe()
    {
        string text;
        lock (_stderr) text = _stderr.ToString().Trim();
        return text.Length == 0 ? "" : $" (stderr: {Truncate(text.Replace('\n', ' '))})";
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..297] + "...";
}

/// <summary>Finds the z3 binary: the explicit path first, then PATH.</summary>
public static class SolverLocator
{
    public const string DefaultName = "z3";

    /// <summary>
    /// The solver binary to run. An explicit path containing a '/' is used as it is (it must exist);
    /// a bare name, or the default "z3", is looked up on PATH.
    /// </summary>
    /// <exception cref="SolverUnavailableException">Nothing runnable was found; the message names what was tried.</exception>
    public static string Resolve(string? explicitPath)
    {
        string wanted = string.IsNullOrWhiteSpace(explicitPath) ? DefaultName : explicitPath;
        if (wanted.Contains(Path.DirectorySeparatorChar) || wanted.Contains(Path.AltDirectorySeparatorChar))
        {
            string full = Path.GetFullPath(wanted);
            if (Directory.Exists(full)) throw new SolverUnavailableException(wanted, $"cannot start z3 at '{wanted}': it is a folder, not a program");
            if (!File.Exists(full)) throw new SolverUnavailableException(wanted, $"cannot start z3 at '{wanted}': no such file");
            return full;
        }
        string? found = SearchPath(wanted);
        if (found is not null) return found;
        string hint = explicitPath is null ? " (install it, e.g. 'apt-get install z3', or give its path with --z3)" : "";
        throw new SolverUnavailableException(wanted, $"cannot start z3: '{wanted}' was not found on PATH{hint}");
    }

    private static string? SearchPath(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate;
            try
            {
                candidate = Path.Combine(dir, name);
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            return (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>The real solver: resolves the path (explicit option, then PATH) and starts z3.</summary>
public sealed class Z3ProcessFactory(string? explicitPath = null) : ISolverFactory
{
    public string? ExplicitPath { get; } = explicitPath;

    public ISolverTransport Start(TimeSpan? hardLimit) => Z3ProcessTransport.Start(SolverLocator.Resolve(ExplicitPath), hardLimit);
}
