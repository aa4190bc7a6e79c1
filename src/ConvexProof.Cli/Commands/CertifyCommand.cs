using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>`convexproof certify NET --out CERT`: decides convexity and writes the certificate.</summary>
public sealed class CertifyCommand : ICommand
{
    public string Name => "certify";
    public string Summary => "decide convexity exactly and write a certificate";
    public string Usage => "usage: convexproof certify NET --out CERT [--box LO:HI | --box LO1:HI1,...] [--quiet]\n";

    public int Run(string[] args, CliContext context) => throw new UsageException("certify is not implemented yet");
}
