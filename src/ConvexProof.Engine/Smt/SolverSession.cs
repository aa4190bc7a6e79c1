using ConvexProof.Numbers;

namespace ConvexProof.Smt;

/// <summary>The answer to one check-sat.</summary>
public enum SatStatus
{
    Sat,
    Unsat,
    Unknown,
}

/// <summary>A check-sat answer; <see cref="Reason"/> says why for Unknown.</summary>
public readonly record struct CheckSatResult(SatStatus Status, string Reason);

/// <summary>
/// One conversation with a solver: starts it, turns on <c>:print-success</c> so every command has
/// exactly one response, records the solver's version, then sends declarations and assertions,
/// runs check-sat under the time limits of <see cref="SmtOptions"/> and reads model values exactly.
/// Any error reply, protocol break, process death or missed deadline becomes a
/// <see cref="SolverException"/> (the callers turn it into an Unknown result).
/// </summary>
public sealed class SolverSession : IDisposable
{
    private readonly ISolverTransport _transport;
    private readonly SmtOptions _options;

    private SolverSession(ISolverTransport transport, SmtOptions options, string version)
    {
        _transport = transport;
        _options = options;
        SolverVersion = version;
    }

    /// <summary>"z3 4.8.12" (the solver's own :name and :version).</summary>
    public string SolverVersion { get; }

    public string SolverPath => _transport.SolverPath;

    /// <summary>Every command sent so far, in order (for debugging and tests).</summary>
    public List<string> Transcript { get; } = [];

    /// <summary>Starts the solver and checks that it speaks SMT-LIB.</summary>
    /// <exception cref="SolverUnavailableException">It cannot be found, started, or does not answer the handshake.</exception>
    public static SolverSession Open(SmtOptions options)
    {
        var hardLimit = options.Timeout is TimeSpan t ? t + options.ProtocolTimeout : (TimeSpan?)null;
        var transport = options.ResolveFactory().Start(hardLimit);
        try
        {
            var probe = new SolverSession(transport, options, "");
            probe.Command(SmtCommands.SetOption("print-success", "true"));
            string name = probe.Info("name") ?? "solver";
            string version = probe.Info("version") ?? "(unknown version)";
            var session = new SolverSession(transport, options, $"{name.ToLowerInvariant()} {version}");
            session.Transcript.AddRange(probe.Transcript);
            return session;
        }
        catch (SolverException e) when (e is not SolverUnavailableException)
        {
            transport.Dispose();
            throw new SolverUnavailableException(transport.SolverPath,
                $"cannot start z3 at '{transport.SolverPath}': it did not answer like an SMT-LIB 2 solver ({e.Message})", e);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>Sends a command that must answer <c>success</c>.</summary>
    public void Command(string command, bool allowUnsupported = false)
    {
        var reply = Request(command, _options.ProtocolTimeout);
        if (reply.IsSymbol("success") || (allowUnsupported && reply.IsSymbol("unsupported"))) return;
        throw Unexpected(command, reply);
    }

    public void Declare(SmtSymbol symbol) => Command(SmtCommands.Declare(symbol));

    public void Assert(SmtTerm term) => Command(SmtCommands.Assert(term));

    /// <summary>The value of <c>(get-info :keyword)</c> as text, or null if the solver does not support it.</summary>
    public string? Info(string keyword)
    {
        string command = SmtCommands.GetInfo(keyword);
        var reply = Request(command, _options.ProtocolTimeout);
        if (reply.IsSymbol("unsupported")) return null;
        if (reply.Items is { Count: 2 } items && items[0].Atom == ":" + keyword && items[1].IsAtom) return items[1].StringValue;
        throw Unexpected(command, reply);
    }

    /// <summary>
    /// Runs check-sat. With a timeout, the solver's own limit is set first and the wall-clock guard
    /// is timeout + <see cref="SmtOptions.GuardGrace"/>; when the guard fires the solver is killed
    /// and the result is Unknown.
    /// </summary>
    public CheckSatResult CheckSat()
    {
        TimeSpan? guard = null;
        if (_options.Timeout is TimeSpan timeout)
        {
            long ms = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
            Command(SmtCommands.SetOption("timeout", ms.ToString(System.Globalization.CultureInfo.InvariantCulture)), allowUnsupported: true);
            guard = timeout + _options.GuardGrace;
        }
        SExpr reply;
        try
        {
            reply = Request(SmtCommands.CheckSat, guard);
        }
        catch (SolverTimeoutException e)
        {
            return new CheckSatResult(SatStatus.Unknown, e.Message);
        }
        if (reply.IsSymbol("sat")) return new CheckSatResult(SatStatus.Sat, "");
        if (reply.IsSymbol("unsat")) return new CheckSatResult(SatStatus.Unsat, "");
        if (reply.IsSymbol("timeout"))
            return new CheckSatResult(SatStatus.Unknown, "the solver's process time limit was reached (timeout)");
        if (reply.IsSymbol("unknown"))
        {
            string reason;
            try
            {
                reason = Info("reason-unknown") ?? "";
            }
            catch (SolverException e)
            {
                reason = e.Message;
            }
            if (reason is "timeout" or "canceled" or "cancelled")
                reason = $"timeout: the solver gave up after {FormatSeconds(_options.Timeout)} ({reason})";
            return new CheckSatResult(SatStatus.Unknown, reason.Length == 0 ? "the solver answered unknown" : $"the solver answered unknown: {reason}");
        }
        throw Unexpected(SmtCommands.CheckSat, reply);
    }

    /// <summary>The exact values of the terms in the current model (after a sat answer).</summary>
    public Rational[] GetValues(IReadOnlyList<SmtTerm> terms)
    {
        if (terms.Count == 0) return [];
        string command = SmtCommands.GetValue(terms);
        var reply = Request(command, _options.ProtocolTimeout);
        if (reply.Items is not { } pairs || pairs.Count != terms.Count) throw Unexpected(command, reply);
        var values = new Rational[terms.Count];
        for (int i = 0; i < terms.Count; i++)
        {
            if (pairs[i].Items is not { Count: 2 } pair) throw Unexpected(command, reply);
            string expected = SmtPrinter.Print(terms[i]);
            if (pair[0].ToString() != expected)
                throw new SolverException($"the solver answered get-value for '{pair[0]}' where '{expected}' was asked");
            if (!SmtValues.TryParse(pair[1], out values[i], out var error))
                throw new SolverException($"cannot read the solver's value of {expected}: {error}");
        }
        return values;
    }

    /// <summary>Stops the solver now (from any thread); the request in progress faults with a <see cref="SolverException"/>.</summary>
    public void Abort() => _transport.Close();

    public void Dispose() => _transport.Dispose();

    private SExpr Request(string command, TimeSpan? limit)
    {
        Transcript.Add(command);
        var task = _transport.Request(command);
        bool done;
        try
        {
            done = limit is TimeSpan t ? task.Wait(t) : WaitForever(task);
        }
        catch (AggregateException e) when (e.InnerException is SolverException inner)
        {
            throw inner;
        }
        if (!done)
        {
            _transport.Close();
            throw new SolverTimeoutException($"timeout: no answer from the solver within {FormatSeconds(limit)} (wall-clock guard; the solver was stopped)");
        }
        if (task.Result.HasHead("error"))
            throw new SolverException($"the solver reported an error for {Shorten(command)}: {task.Result.Items![^1].StringValue}");
        return task.Result;
    }

    private static bool WaitForever(Task task)
    {
        task.Wait();
        return true;
    }

    private static SolverException Unexpected(string command, SExpr reply) =>
        new($"unexpected solver answer to {Shorten(command)}: {Shorten(reply.ToString())}");

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..117] + "...";

    internal static string FormatSeconds(TimeSpan? t) =>
        t is TimeSpan v ? $"{v.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s" : "no limit";
}
