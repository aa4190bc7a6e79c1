using System.Globalization;
using System.Text;
using System.Text.Json;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Commands;

/// <summary>What one request line of `serve` asks for (schema in docs/formats.md, "serve").</summary>
public enum ServeAction
{
    Penalty,
    Certify,
}

/// <summary>
/// One request of `serve`, read from one JSON line: the action, the network (inline or a file), the
/// box, limits, and for certify where the certificate goes. Anything malformed is a
/// <see cref="ServeRequestException"/> naming the JSON path.
/// </summary>
public sealed record ServeRequest(ServeAction Action, Network Network, string NetworkName, string? NetworkFile, string? Box,
    int? MaxRegions, TimeSpan? Timeout, string? Out, bool AllViolations, string? Method)
{
    /// <summary>Deepest nesting accepted: net.json's limit, one level more for the request object.</summary>
    private const int MaxDepth = NetworkReader.MaxDepth + 1;

    private static readonly string[] Keys = ["id", "command", "network", "network_file", "box", "max_regions", "timeout", "out", "all_violations", "method"];

    /// <summary>The request's "id" as JSON text (echoed in the answer), or null when the line has none or is not JSON.</summary>
    public static string? IdOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id) ? id.GetRawText() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ServeRequest Parse(string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new ServeRequestException("$", $"invalid JSON at byte {(e.BytePositionInLine ?? 0) + 1}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ServeRequestException("$", "expected a request object");
            foreach (var p in root.EnumerateObject())
                if (!Keys.Contains(p.Name)) throw new ServeRequestException($"$.{p.Name}", $"unknown key (known: {string.Join(", ", Keys)})");
            var action = String(root, "command") switch
            {
                "penalty" => ServeAction.Penalty,
                "certify" => ServeAction.Certify,
                null => throw new ServeRequestException("$.command", "missing: \"penalty\" or \"certify\""),
                string other => throw new ServeRequestException("$.command", $"unknown command '{other}' (\"penalty\" or \"certify\")"),
            };
            string? file = String(root, "network_file");
            bool inline = root.TryGetProperty("network", out var net) && net.ValueKind != JsonValueKind.Null;
            if (inline == (file is not null)) throw new ServeRequestException("$", "give exactly one of \"network\" (a net.json object) and \"network_file\" (a path)");
            if (action == ServeAction.Certify && file is null)
                throw new ServeRequestException("$.network_file", "certify needs the network as a file (the certificate is checked against it)");
            Network network = file is not null ? NetworkReader.ReadFile(file) : ReadInline(net);
            string? outPath = String(root, "out");
            if (action == ServeAction.Certify && outPath is null) throw new ServeRequestException("$.out", "certify needs \"out\": where to write the certificate");
            return new ServeRequest(action, network, file ?? "$.network", file, String(root, "box"), Count(root, "max_regions"), Seconds(root, "timeout"),
                outPath, Bool(root, "all_violations"), String(root, "method"));
        }
    }

    /// <summary>An inline network, its errors named by their path inside the request ($.network.layers[0]…).</summary>
    private static Network ReadInline(JsonElement net)
    {
        try
        {
            return NetworkReader.Parse(Encoding.UTF8.GetBytes(net.GetRawText()), "request");
        }
        catch (InputException e)
        {
            throw new ServeRequestException("$.network" + e.JsonPath[1..], e.Problem);
        }
    }

    private static string? String(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new ServeRequestException($"$.{key}", "expected a string");
    }

    private static bool Bool(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return false;
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new ServeRequestException($"$.{key}", "expected true or false");
    }

    private static int? Count(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n >= 1 ? n
            : throw new ServeRequestException($"$.{key}", "expected a whole number from 1 to 2147483647");
    }

    private static TimeSpan? Seconds(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double s) && s > 0 && s < 1e9 ? TimeSpan.FromSeconds(s)
            : throw new ServeRequestException($"$.{key}", "expected a positive number of seconds");
    }
}

/// <summary>A malformed request: the JSON path in the request and what is wrong with it.</summary>
public sealed class ServeRequestException(string jsonPath, string problem) : Exception(problem)
{
    public string JsonPath { get; } = jsonPath;
    public string Problem { get; } = problem;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{JsonPath}: {Problem}");
}
