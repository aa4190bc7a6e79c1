using System.Diagnostics;
using ConvexProof.Certificates;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>`convexproof certify NET --out CERT`: decides convexity and writes the certificate.</summary>
public sealed class CertifyCommand : ICommand
{
    public string Name => "certify";
    public string Summary => "decide convexity exactly and write a certificate";

    public string Usage => """
        usage: convexproof certify NET --out CERT [options]

        Decides exactly whether the network in NET (net.json, see docs/formats.md) computes a convex
        function on the domain, and writes a certificate that `convexproof check` re-verifies.

        options:
          --out CERT            where to write the certificate (written to a temp file, then renamed)
          --box LO:HI           restrict to the box [LO,HI]^d (default: all of R^d)
          --box LO1:HI1,...     one interval per coordinate
          --max-regions N       stop after N regions (exit 3, undecided, unless a violation was found)
          --timeout S           stop after S seconds (exit 3, undecided, unless a violation was found)
          --quiet               no progress display
          --progress            show progress even when stderr is not a terminal

        exit codes: 0 convex, 1 not convex, 2 bad input or usage, 3 undecided (a limit was reached)

        """;

    public int Run(string[] args, CliContext context)
    {
        var a = new ArgumentList(args, ["--out", "--box", "--max-regions", "--timeout"], ["--quiet", "--progress"]);
        if (a.Positionals.Count != 1) throw new UsageException("certify takes one network file (see 'convexproof certify --help')");
        string netPath = a.Positionals[0];
        string outPath = a.Value("--out") ?? throw new UsageException("certify needs --out CERT (where to write the certificate)");
        CheckOutputFolder(outPath);
        var network = NetworkReader.ReadFile(netPath);
        var domain = BoxOption.Parse(a.Value("--box"), network.InputDim);
        var limits = new ExplorationLimits(
            a.IntValue("--max-regions", 1, int.MaxValue) ?? int.MaxValue,
            a.SecondsValue("--timeout") is double s ? TimeSpan.FromSeconds(s) : null);

        var progress = ProgressDisplay.Create(context.Error, a.Flag("--quiet"), a.Flag("--progress"));
        var clock = Stopwatch.StartNew();
        var result = Certifier.Certify(network, domain, new CertifyOptions { Limits = limits, Progress = progress.Callback });
        progress.Finish();

        if (result.Verdict != Verdict.Undecided)
            AtomicFile.Write(outPath, stream => CertificateWriter.Write(result, stream));
        context.Out.Write(Describe(netPath, outPath, network, result, clock.Elapsed));
        return result.Verdict switch
        {
            Verdict.Convex => ExitCodes.Ok,
            Verdict.NotConvex => ExitCodes.Negative,
            _ => ExitCodes.Undecided,
        };
    }

    private static void CheckOutputFolder(string outPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(outPath)) ?? ".";
        if (!Directory.Exists(folder)) throw new UsageException($"{outPath}: the folder {folder} does not exist");
        if (Directory.Exists(outPath)) throw new UsageException($"{outPath}: is a folder; --out names the certificate file");
    }

    /// <summary>The human summary printed on stdout.</summary>
    public static string Describe(string netPath, string outPath, Network network, CertificationResult result, TimeSpan elapsed)
    {
        var s = result.Statistics;
        var lines = new List<string>();
        string verdict = result.Verdict switch
        {
            Verdict.Convex => $"convex (certificate written to {outPath})",
            Verdict.NotConvex => $"NOT convex (refutation written to {outPath})",
            _ => $"undecided: {result.UndecidedReason} (no certificate written)",
        };
        lines.Add($"verdict:    {verdict}");
        lines.Add($"network:    {netPath} ({network.InputDim} inputs, {network.NeuronCount} ReLU units, {network.Layers.Count} layers, sha256 {result.NetworkSha256[..16]}…)");
        lines.Add($"domain:     {result.Domain}");
        if (result.Complete || result.Verdict == Verdict.Undecided)
        {
            string partial = result.Complete ? "" : " (partial)";
            lines.Add($"regions:    {s.Regions}{partial}");
            lines.Add($"frontiers:  {s.Facets} facets ({s.BoundaryFacets} on the domain boundary, {s.DegenerateFacets} degenerate), {s.Redundant} redundant constraints, {s.Flat} flat");
            lines.Add($"conditions: {s.Conditions} (unit, downstream pattern) pairs, {s.Violations} violated");
        }
        else lines.Add($"regions:    {s.Regions} explored before the limit; the refutation rests on the counterexample alone");
        if (result.FirstViolation is Violation v)
        {
            string where = v.Degenerate
                ? $"degenerate frontier of region {v.Region} (units {string.Join(", ", v.Units)} switch together): gradient jump {v.Value} < 0"
                : $"unit {v.Units[0]} ({network.Neurons[v.Units[0]]}) at a frontier of region {v.Region}: c = {v.Value} < 0";
            lines.Add($"violation:  {where}");
        }
        if (result.Counterexample is Counterexample ce)
        {
            lines.Add($"counterexample: x = ({string.Join(", ", ce.X)}), y = ({string.Join(", ", ce.Y)})");
            lines.Add($"                f(x) = {ce.Fx}, f(y) = {ce.Fy}, f((x+y)/2) = {ce.FMid} > (f(x)+f(y))/2");
        }
        lines.Add($"time:       {elapsed.TotalSeconds:0.000} s");
        return string.Join('\n', lines) + "\n";
    }
}
