namespace ConvexProof.Regions;

/// <summary>
/// Shared by one region's analysis and the explorer: the token that stops the analysis (a time
/// limit or cancellation; the analysis checks it in its inner loops, so a single high-dimensional
/// region cannot outlast the limit) and how far the analysis got, for progress reports while a
/// region takes long.
/// </summary>
public sealed class AnalysisControl(CancellationToken cancel)
{
    private int _classified;
    private int _constraints;

    /// <summary>A control that never stops and whose progress nobody reads.</summary>
    public static AnalysisControl None => new(CancellationToken.None);

    public CancellationToken Cancel { get; } = cancel;

    /// <summary>Throws <see cref="OperationCanceledException"/> when the analysis must stop.</summary>
    public void ThrowIfStopped() => Cancel.ThrowIfCancellationRequested();

    /// <summary>Called by the analysis: <paramref name="classified"/> of <paramref name="constraints"/> distinct constraints decided so far.</summary>
    public void Report(int classified, int constraints)
    {
        Volatile.Write(ref _constraints, constraints);
        Volatile.Write(ref _classified, classified);
    }

    /// <summary>The last report (0 of 0 before the first).</summary>
    public (int Classified, int Constraints) Progress => (Volatile.Read(ref _classified), Volatile.Read(ref _constraints));
}
