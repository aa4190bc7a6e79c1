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

    public CertificateStreamWriter(Stream stream, string networkSha256, Domain domain, bool background = false)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = true });
        CertificateWriter.WriteHeader(_writer, networkSha256, domain);
        if (!background) return;
        _queue = new BlockingCollection<ExploredRegion>(boundedCapacity: 4096);
        _consumer = Task.Factory.StartNew(() =>
        {
            foreach (var region in _queue.GetConsumingEnumerable()) Write(region);
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

    public void Finish(CertificationResult result)
    {
        Drain();
        CertificateWriter.WriteTrailer(_writer, result);
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
    }

    /// <summary>Waits until every added region is written (rethrows the writer thread's failure).</summary>
    private void Drain()
    {
        if (_queue is null) return;
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        _consumer!.GetAwaiter().GetResult();
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
