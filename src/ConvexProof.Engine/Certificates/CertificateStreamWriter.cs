using System.Text.Json;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Regions;

namespace ConvexProof.Certificates;

/// <summary>
/// Writes a certificate while regions are still being found: the header first, each region as it
/// is finished, the conditions, verdict and summary at the end. Memory does not grow with the
/// certificate. The bytes equal <see cref="CertificateWriter.Write"/>'s for the same result.
/// </summary>
public sealed class CertificateStreamWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;
    private bool _finished;

    public CertificateStreamWriter(Stream stream, string networkSha256, Domain domain)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = true });
        CertificateWriter.WriteHeader(_writer, networkSha256, domain);
    }

    public void Add(ExploredRegion region)
    {
        CertificateWriter.WriteRegion(_writer, region);
        if (_writer.BytesPending > 1 << 16) _writer.Flush();
    }

    public void Finish(CertificationResult result)
    {
        CertificateWriter.WriteTrailer(_writer, result);
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _finished = true;
    }

    public bool Finished => _finished;

    public void Dispose() => _writer.Dispose();
}
