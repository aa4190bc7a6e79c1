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

    private static JsonDocument TopLevel(string path, string name)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { MaxDepth = 64 });
        reader.Read(); // the root object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool found = reader.ValueTextEquals(name);
            reader.Read();
            if (found) return JsonDocument.ParseValue(ref reader);
            reader.Skip();
        }
        throw new InvalidOperationException($"internal error: {path} was accepted by the checker but has no \"{name}\"");
    }
}
