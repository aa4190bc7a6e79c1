using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Simplification;

namespace ConvexProof.Cli.Commands;

/// <summary>What simplify and to-icnn share: the --cert option, the output paths and writing both files.</summary>
internal static class EquivalenceOutput
{
    public static Option<string> CertOption() => CommandOptions.Text("--cert", "CERT",
        "where to write the equivalence certificate (default: NET2's path with .equiv.json for .json)");

    /// <summary>The network and certificate paths, checked before any work: distinct, writable, neither the input.</summary>
    public static (string Out, string Cert) Paths(string netPath, string? outPath, string? certPath, string command, string what)
    {
        if (outPath is null) throw new UsageException($"{command} needs --out {what} (where to write the network)");
        certPath ??= (outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? outPath[..^5] : outPath) + ".equiv.json";
        string full = Path.GetFullPath(netPath);
        if (Path.GetFullPath(outPath) == full || Path.GetFullPath(certPath) == full)
            throw new UsageException($"{netPath}: {command} would overwrite its input (choose another --out or --cert)");
        if (Path.GetFullPath(outPath) == Path.GetFullPath(certPath)) throw new UsageException($"--out and --cert are the same file {outPath}");
        AtomicFile.RequireWritable(outPath);
        AtomicFile.RequireWritable(certPath);
        return (outPath, certPath);
    }

    public static void Write(SimplificationResult simplification, string outPath, string certPath)
    {
        AtomicFile.WriteText(outPath, NetworkWriter.ToJson(simplification.Result));
        AtomicFile.WriteText(certPath, EquivalenceCertificateWriter.ToJson(simplification));
    }
}
