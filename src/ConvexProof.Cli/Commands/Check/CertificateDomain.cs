using System.Text.Json;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// The domain a certificate states (its "domain" field: null for all of R^d, or the box), read by
/// the CLI after the independent checker has accepted the certificate: the checker's result says
/// what was proved only in its statement's words, and `check --json` and `--domain` need it as data.
/// </summary>
public sealed record CertificateDomain(int Dimension, IReadOnlyList<string>? Lower, IReadOnlyList<string>? Upper)
{
    public bool IsBox => Lower is not null;

    public override string ToString() => IsBox ? DomainText.OfBox(Lower!, Upper!) : DomainText.Everywhere(Dimension);

    /// <summary>The checker's way of writing the box: every interval, joined by " × ".</summary>
    public string CheckerText => IsBox ? DomainText.Intervals(Lower!, Upper!) : ToString();

    /// <summary>
    /// Reads the top-level "domain" of a certificate the checker has accepted (it comes right after
    /// the header) and, for all of R^d, d from the network's "input_dim".
    /// </summary>
    public static CertificateDomain Read(string certificatePath, string networkPath)
    {
        using var domain = TopLevel(certificatePath, "domain");
        if (domain.RootElement.ValueKind == JsonValueKind.Null)
        {
            using var dimension = TopLevel(networkPath, "input_dim");
            return new CertificateDomain(dimension.RootElement.GetInt32(), null, null);
        }
        var intervals = domain.RootElement.GetProperty("box").EnumerateArray().ToList();
        return new CertificateDomain(intervals.Count,
            [.. intervals.Select(i => i[0].GetString()!)],
            [.. intervals.Select(i => i[1].GetString()!)]);
    }

    /// <summary>
    /// The value of a top-level property that comes near the start of the file: read from its first
    /// megabyte when the value ends there (a certificate can be gigabytes; reading it all again
    /// doubled check's peak memory), else from the whole file.
    /// </summary>
    private static JsonDocument TopLevel(string path, string name)
    {
        using (var stream = File.OpenRead(path))
        {
            var prefix = new byte[(int)Math.Min(stream.Length, 1 << 20)];
            stream.ReadExactly(prefix);
            if (TryTopLevel(prefix, prefix.Length == stream.Length, name) is { } found) return found;
        }
        return TryTopLevel(File.ReadAllBytes(path), true, name)
            ?? throw new InvalidOperationException($"internal error: {path} was accepted by the checker but has no \"{name}\"");
    }

    /// <summary>The property's value, or null when it is absent or does not end within the bytes.</summary>
    private static JsonDocument? TryTopLevel(byte[] bytes, bool whole, string name)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: whole, new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 }));
        if (!reader.Read()) return null; // the root object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool found = reader.ValueTextEquals(name);
            if (found) return JsonDocument.TryParseValue(ref reader, out var value) ? value : null;
            if (!reader.TrySkip()) return null;
        }
        return null;
    }
}
