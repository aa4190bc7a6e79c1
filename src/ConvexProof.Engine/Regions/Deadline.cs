namespace ConvexProof.Regions;

/// <summary>
/// Cancels a token source when a time limit runs out, from a thread of its own.
/// CancellationTokenSource.CancelAfter would do the same from a pool timer, whose callback waits
/// for a free pool thread: in a host whose pool threads are all busy (a test runner, a server
/// running many jobs) a 2 s limit then fired seconds late. Dispose before the limit to stop it.
/// </summary>
public sealed class Deadline : IDisposable
{
    private readonly ManualResetEventSlim _disposed = new();

    private Deadline(CancellationTokenSource source, TimeSpan after)
    {
        var thread = new Thread(() =>
        {
            if (_disposed.Wait(after)) return;
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The owner finished and disposed the source just as the limit ran out: nothing to stop.
            }
        }) { IsBackground = true, Name = "convexproof deadline" };
        thread.Start();
    }

    /// <summary>Cancels <paramref name="source"/> after <paramref name="after"/>; null: never (nothing to dispose but the caller's using).</summary>
    public static Deadline? Start(CancellationTokenSource source, TimeSpan? after)
    {
        if (after is not TimeSpan limit) return null;
        if (limit <= TimeSpan.Zero)
        {
            source.Cancel(); // at once: a thread would do it a little later
            return null;
        }
        return new Deadline(source, limit);
    }

    public void Dispose() => _disposed.Set();
}
