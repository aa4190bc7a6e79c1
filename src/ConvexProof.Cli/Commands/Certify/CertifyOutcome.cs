using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// What became of one network: a result (convex, not convex, undecided), or an input error (the
/// file, its JSON, a --box of the wrong dimension, a certificate that cannot be written).
/// </summary>
public sealed record CertifyOutcome(
    string NetPath, string CertPath, Network? Network, CertificationResult? Result, string? Error, InputException? Input, TimeSpan Elapsed,
    string? Confirmation = null)
{
    public int ExitCode => Result?.Verdict switch
    {
        null => ExitCodes.Usage,
        Verdict.Convex => ExitCodes.Ok,
        Verdict.NotConvex => ExitCodes.Negative,
        _ => ExitCodes.Undecided,
    };

    /// <summary>True when the certificate was written.</summary>
    public bool Written => Result is { Verdict: not Verdict.Undecided } && Error is null;

    public static CertifyOutcome Failed(string netPath, string certPath, Network? network, string error, InputException? input, TimeSpan elapsed) =>
        new(netPath, certPath, network, null, error, input, elapsed);
}
