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
    TextWriter Warnings);
