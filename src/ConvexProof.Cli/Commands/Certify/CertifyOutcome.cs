using ConvexProof.Bounds;
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
    /// <summary>The method used and why (null for an input error found before the choice).</summary>
    public MethodChoice? Method { get; init; }

    /// <summary>The bound route's result, when it was used (then <see cref="Result"/> is null).</summary>
    public BoundCertification? Bounds { get; init; }

    /// <summary>The domain the bound route decided on.</summary>
    public Geometry.Domain? Domain { get; init; }

    public int ExitCode => Bounds is not null
        ? Bounds.Verdict switch { BoundVerdict.Convex => ExitCodes.Ok, BoundVerdict.NotConvex => ExitCodes.Negative, _ => ExitCodes.Undecided }
        : Result?.Verdict switch
        {
            null => ExitCodes.Usage,
            Verdict.Convex => ExitCodes.Ok,
            Verdict.NotConvex => ExitCodes.Negative,
            _ => ExitCodes.Undecided,
        };

    /// <summary>True when the certificate was written.</summary>
    public bool Written => Error is null && (Bounds is not null ? Bounds.Verdict != BoundVerdict.Undecided : Result is { Verdict: not Verdict.Undecided });

    public static CertifyOutcome Failed(string netPath, string certPath, Network? network, string error, InputException? input, TimeSpan elapsed) =>
        new(netPath, certPath, network, null, error, input, elapsed);
}
