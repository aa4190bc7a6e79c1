namespace ConvexProof.Smt.Tests;

/// <summary>
/// A scripted stand-in for z3: answers the handshake and every declaration with "success" and asks
/// <see cref="OnCheckSat"/>, <see cref="OnGetValue"/> and <see cref="OnOther"/> for the rest.
/// A reply of null leaves the request waiting (a hung solver); <see cref="Die"/> makes every
/// waiting and later request fault like a crashed process.
/// </summary>
public sealed class FakeSolver : ISolverFactory
{
    public Func<string?> OnCheckSat { get; set; } = () => "unsat";
    public Func<string, string?> OnGetValue { get; set; } = _ => "()";
    public Func<string, string?>? OnOther { get; set; }
    public string Version { get; set; } = "9.9.9";
    public string ReasonUnknown { get; set; } = "incomplete";

    /// <summary>Thrown from <see cref="Start"/> when set.</summary>
    public SolverUnavailableException? StartFailure { get; set; }

    public List<string> Sent { get; } = [];
    public FakeTransport? Last { get; private set; }
    public TimeSpan? HardLimit { get; private set; }

    public ISolverTransport Start(TimeSpan? hardLimit)
    {
        if (StartFailure is not null) throw StartFailure;
        HardLimit = hardLimit;
        return Last = new FakeTransport(this);
    }

    internal string? Answer(string command)
    {
        Sent.Add(command);
        if (OnOther?.Invoke(command) is string custom) return custom;
        if (command == "(check-sat)") return OnCheckSat();
        if (command.StartsWith("(get-value", StringComparison.Ordinal)) return OnGetValue(command);
        if (command == "(get-info :name)") return "(:name \"Z3\")";
        if (command == "(get-info :version)") return $"(:version \"{Version}\")";
        if (command == "(get-info :reason-unknown)") return $"(:reason-unknown \"{ReasonUnknown}\")";
        return "success";
    }
}

public sealed class FakeTransport(FakeSolver solver) : ISolverTransport
{
    private readonly List<TaskCompletionSource<SExpr>> _waiting = [];
    private SolverException? _failure;

    public string SolverPath => "/fake/z3";
    public bool Closed { get; private set; }

    public Task<SExpr> Request(string command)
    {
        lock (_waiting)
        {
            if (_failure is not null) return Task.FromException<SExpr>(_failure);
            string? reply = solver.Answer(command);
            if (reply is not null) return Task.FromResult(SExpr.Parse(reply));
            var tcs = new TaskCompletionSource<SExpr>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add(tcs);
            return tcs.Task;
        }
    }

    /// <summary>Simulates the process dying: waiting requests fault, later ones fail at once.</summary>
    public void Die(string why = "the fake solver crashed (exit code 139)")
    {
        lock (_waiting)
        {
            _failure ??= new SolverException(why);
            foreach (var t in _waiting) t.TrySetException(_failure);
            _waiting.Clear();
        }
    }

    public void Close()
    {
        Closed = true;
        Die("closed");
    }

    public void Dispose() => Close();
}
