namespace ConvexProof.Smt;

/// <summary>
/// The pipe to a solver: send one SMT-LIB command and get its one response (the session turns on
/// <c>:print-success</c>, so every command has exactly one), and close. Responses complete the
/// requests in the order they were sent. When the solver dies, every waiting request completes
/// with a <see cref="SolverException"/>. Implementations: <see cref="Z3ProcessTransport"/>; the
/// tests add fakes.
/// </summary>
public interface ISolverTransport : IDisposable
{
    /// <summary>Where the solver came from (a path for a process), for messages.</summary>
    string SolverPath { get; }

    /// <summary>Sends one command; the task completes with its response, or faults with a <see cref="SolverException"/>.</summary>
    Task<SExpr> Request(string command);

    /// <summary>Stops the solver (politely, then forcibly); waiting requests fault. Safe to call twice.</summary>
    void Close();
}

/// <summary>Starts solver transports; injectable so unit tests can use a fake solver.</summary>
public interface ISolverFactory
{
    /// <summary>
    /// Starts a solver for one query. <paramref name="hardLimit"/>, when given, is a whole-process
    /// time limit the solver should enforce on itself (z3's <c>-T:</c>).
    /// </summary>
    /// <exception cref="SolverUnavailableException">The solver cannot be found or started (the message names the path).</exception>
    ISolverTransport Start(TimeSpan? hardLimit);
}

/// <summary>A solver that answered with an error, died, broke the protocol or did not answer in time.</summary>
public class SolverException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The solver could not be found or started; the message names the path that was tried.</summary>
public sealed class SolverUnavailableException(string solverPath, string message, Exception? inner = null)
    : SolverException(message, inner)
{
    public string SolverPath { get; } = solverPath;
}

/// <summary>A request that got no answer within its wall-clock limit.</summary>
public sealed class SolverTimeoutException(string message) : SolverException(message);
