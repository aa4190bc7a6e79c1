using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>`convexproof check NET CERT`: re-verifies a certificate with the independent checker.</summary>
public sealed class CheckCommand : ICommand
{
    public string Name => "check";
    public string Summary => "re-verify a certificate with the independent checker";
    public string Usage => "usage: convexproof check NET CERT [--quiet]\n";

    public int Run(string[] args, CliContext context) => throw new UsageException("check is not implemented yet");
}
