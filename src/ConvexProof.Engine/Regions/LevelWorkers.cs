using System.Runtime.ExceptionServices;

namespace ConvexProof.Regions;

/// <summary>
/// The explorer's own threads, which analyse the regions of one breadth-first level at a time.
/// Why not the thread pool (Parallel.For, Task.Run): when other work in the process blocks pool
/// threads (a host running many jobs, a test runner), a pool item can wait seconds for a thread,
/// and Parallel.For waits for every one of its queued replicas even after the loop has nothing
/// left to do — a 2 s time limit then ended after 30 s. These threads exist from the first level
/// to the end of exploration and depend on nothing but themselves.
/// </summary>
internal sealed class LevelWorkers : IDisposable
{
    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private Level? _level;
    private int _generation;
    private bool _disposed;

    public LevelWorkers(int threads)
    {
        _threads = new Thread[Math.Max(1, threads)];
        for (int t = 0; t < _threads.Length; t++)
        {
            _threads[t] = new Thread(Work) { IsBackground = true, Name = $"convexproof region analysis {t}" };
            _threads[t].Start();
        }
    }

    /// <summary>
    /// Starts body(0 … count-1) on the workers. A body returning true breaks the level the way
    /// Parallel.For's Break does: every index below it is still run, none above it is started.
    /// </summary>
    public Level Start(int count, Func<int, bool> body, CancellationToken cancel)
    {
        var level = new Level(count, body, cancel, _threads.Length);
        lock (_gate)
        {
            _level = level;
            _generation++;
            Monitor.PulseAll(_gate);
        }
        return level;
    }

    private void Work()
    {
        int seen = 0;
        while (true)
        {
            Level level;
            lock (_gate)
            {
                while (!_disposed && _generation == seen) Monitor.Wait(_gate);
                if (_disposed) return;
                seen = _generation;
                level = _level!;
            }
            level.Run();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// One level's indices, handed out in increasing order to whichever worker is free. Not
    /// disposable on purpose: if the caller leaves early (a progress callback that throws), workers
    /// still finish the level and signal its event, which must then still exist.
    /// </summary>
    internal sealed class Level(int count, Func<int, bool> body, CancellationToken cancel, int workers)
    {
        private readonly CountdownEvent _running = new(workers);
        private int _next = -1;
        private int _lowestBreak = int.MaxValue;
        private ExceptionDispatchInfo? _failure;
        private bool _cancelled;

        /// <summary>Set when every worker has left the level.</summary>
        public WaitHandle Finished => _running.WaitHandle;

        internal void Run()
        {
            try
            {
                while (Volatile.Read(ref _failure) is null)
                {
                    // Indices go out in order, so every index below a break has already been taken.
                    int i = Interlocked.Increment(ref _next);
                    if (i >= count || i > Volatile.Read(ref _lowestBreak)) return;
                    if (cancel.IsCancellationRequested)
                    {
                        Volatile.Write(ref _cancelled, true);
                        return;
                    }
                    try
                    {
                        if (body(i)) LowerBreak(i);
                    }
                    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                    {
                        Volatile.Write(ref _cancelled, true);
                        return;
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                        return;
                    }
                }
            }
            finally
            {
                _running.Signal();
            }
        }

        private void LowerBreak(int i)
        {
            int seen;
            while (i < (seen = Volatile.Read(ref _lowestBreak)) && Interlocked.CompareExchange(ref _lowestBreak, i, seen) != seen) { }
        }

        /// <summary>
        /// Waits for the level; returns the lowest index that broke it, or -1. Rethrows the first
        /// failure of a body as it was thrown; throws <see cref="OperationCanceledException"/> when
        /// the token stopped indices from running.
        /// </summary>
        public int Result()
        {
            _running.Wait();
            _failure?.Throw();
            if (_cancelled) throw new OperationCanceledException(cancel);
            return _lowestBreak == int.MaxValue ? -1 : _lowestBreak;
        }
    }
}
