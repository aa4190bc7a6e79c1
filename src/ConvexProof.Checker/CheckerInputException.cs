namespace ConvexProof.Checker;

/// <summary>
/// An input the checker cannot even start on: a missing or unreadable file, invalid JSON in net.json,
/// or a net.json that violates its schema. It names the file, the JSON path and the problem on one
/// line, so the CLI can print it and exit 2. A malformed certificate is not this: it is invalid.
/// </summary>
public sealed class CheckerInputException(string file, string jsonPath, string problem)
    : Exception($"{file}: {jsonPath}: {problem}")
{
    public string File { get; } = file;
    public string JsonPath { get; } = jsonPath;
    public string Problem { get; } = problem;
}

/// <summary>A certificate that breaks a rule; the message is the reason (after the JSON path, when there is one).</summary>
internal sealed class InvalidCertificateException(string reason, string? at = null) : Exception(at is null ? reason : $"{at}: {reason}")
{
    public string? At { get; } = at;
    public string Reason { get; } = reason;
}
