using System.Collections.Concurrent;
using System.Text.Json;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Regions;

namespace ConvexProof.Certificates;

/// <summary>
/// Writes a certificate while regions are still being found: the header first, each region as it
/// is finished, the conditions, verdict and summary at the end. Memory does not grow with the
/// certificate. The bytes equal <see cref="CertificateWriter.Write"/>'s for the same result.
/// With <c>background</c>, regions are formatted and written by a second thread (in the order they
/// were added), so writing overlaps the exploration.
/// </summary>
public sealed class CertificateStreamWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly BlockingCollection<ExploredRegion>? _queue;
    private readonly Task? _consumer;
    private volatile bool _abandoned;

    public CertificateStreamWriter(Stream stream, string networkSha256, Domain domain, bool background = false)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = true });
        CertificateWriter.WriteHeader(_writer, networkSha256, domain);
        if (!background) return;
        _queue = new BlockingCollection<ExploredRegion>(boundedCapacity: 4096);
        _consumer = Task.Factory.StartNew(() =>
        {
            foreach (var region in _queue.GetConsumingEnumerable())
            {
                if (_abandoned) break; // the file will be deleted: stop formatting
                Write(region);
            }
        }, TaskCreationOptions.LongRunning);
    }

    public void Add(ExploredRegion region)
    {
        if (_queue is null) Write(region);
        else _queue.Add(region);
    }

    private void Write(ExploredRegion region)
    {
        CertificateWriter.WriteRegion(_writer, region);
        if (_writer.BytesPending > 1 << 16) _writer.Flush();
    }

    /// <summary>
    /// Writes what is left and the trailer. When <paramref name="cancel"/> fires first (a time
    /// limit), throws <see cref="OperationCanceledException"/> and the writer thread stops after
    /// its current region; the output is then incomplete and must be discarded.
    /// </summary>
    public void Finish(CertificationResult result, CancellationToken cancel = default)
    {
        Drain(cancel);
        cancel.ThrowIfCancellationRequested();
        CertificateWriter.WriteTrailer(_writer, result);
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
    }

    /// <summary>Waits until every added region is written (rethrows the writer thread's failure).</summary>
    private void Drain(CancellationToken cancel = default)
    {
        if (_queue is null) return;
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        try
        {
            Task.WaitAny([_consumer!], cancel);
        }
        catch (OperationCanceledException)
        {
            _abandoned = true;
            throw;
        }
        _consumer!.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Dispose without writing the regions still queued: the output is going to be discarded, and
    /// formatting thousands of queued regions first could outlast a time limit.
    /// </summary>
    public void Discard()
    {
        _abandoned = true;
        Dispose();
    }

    private bool _disposed;

    /// <summary>Waits for the writer thread and releases everything; calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            Drain();
        }
        finally
        {
            _queue?.Dispose();
            _writer.Dispose();
        }
    }
}
