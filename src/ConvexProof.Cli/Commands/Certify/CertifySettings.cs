using ConvexProof.Cli.Infrastructure;
using ConvexProof.Regions;
using ConvexProof.Smt;

namespace ConvexProof.Cli.Commands;

/// <summary>What `certify` was asked to do, for every network of the run (parsed and checked before any work).</summary>
public sealed record CertifySettings(
    string? Box,
    ExplorationLimits Limits,
    bool Json,
    bool Quiet,
    ProgressDisplay Progress,
    SmtOptions? Smt,
    int Threads,
    bool AllViolations,
    TextWriter Warnings)
{
    /// <summary>`--method` (auto by default).</summary>
    public CertifyMethod Method { get; init; }

    /// <summary>`--points FILE`: lines through these points are searched first (bound route).</summary>
    public string? PointsPath { get; init; }
}
