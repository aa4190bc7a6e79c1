using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `certify NET... --out-dir DIR`: every network in order, writing DIR/&lt;name&gt;.cert.json, one
/// line each, a closing tally on stderr and the overall exit code.
/// </summary>
public static class BatchCertification
{
    public static int Run(IReadOnlyList<string> netPaths, string outDir, CertifySettings settings, CliContext context)
    {
        var certPaths = CertificatePaths(netPaths, outDir);
        CreateFolder(outDir);
        var outcomes = new List<CertifyOutcome>();
        for (int i = 0; i < netPaths.Count; i++)
        {
            settings.Progress.Label = $"[{i + 1}/{netPaths.Count}] {netPaths[i]}: ";
            var outcome = NetworkCertification.Run(netPaths[i], certPaths[i], settings);
            settings.Progress.Finish(erase: true);
            outcomes.Add(outcome);
            context.Out.WriteLine(settings.Json ? CertifyJson.Of(outcome) : CertifySummary.BatchLine(outcome));
            context.Out.Flush();
        }

        int Count(int code) => outcomes.Count(o => o.ExitCode == code);
        if (!settings.Quiet && !settings.Json)
            context.Error.WriteLine($"{outcomes.Count} networks: {Count(ExitCodes.Ok)} convex, {Count(ExitCodes.Negative)} not convex, " +
                                    $"{Count(ExitCodes.Undecided)} undecided, {Count(ExitCodes.Usage)} input errors");
        return OverallExitCode(outcomes.Select(o => o.ExitCode));
    }

    /// <summary>Batch exit code: 2 if any input error, else 3 if any undecided, else 1 if any not convex, else 0.</summary>
    public static int OverallExitCode(IEnumerable<int> codes)
    {
        var set = codes.ToHashSet();
        foreach (int code in new[] { ExitCodes.Usage, ExitCodes.Undecided, ExitCodes.Negative })
            if (set.Contains(code)) return code;
        return ExitCodes.Ok;
    }

    /// <summary>DIR/&lt;name&gt;.cert.json: NET's file name without a final ".json".</summary>
    public static string CertificateName(string netPath)
    {
        string file = Path.GetFileName(netPath.TrimEnd('/', '\\'));
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && file.Length > 5) file = file[..^5];
        if (file.Length == 0 || file is "." or "..") file = "network";
        return file + ".cert.json";
    }

    /// <summary>One certificate per network; two networks that would write the same file are a usage error.</summary>
    private static List<string> CertificatePaths(IReadOnlyList<string> netPaths, string outDir)
    {
        var certPaths = new List<string>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var net in netPaths)
        {
            string name = CertificateName(net);
            if (byName.TryGetValue(name, out var other))
                throw new UsageException($"{other} and {net} would both write {Path.Combine(outDir, name)}; rename one of them");
            byName[name] = net;
            certPaths.Add(Path.Combine(outDir, name));
        }
        return certPaths;
    }

    private static void CreateFolder(string outDir)
    {
        if (outDir.Length == 0) throw new UsageException("--out-dir needs a folder name");
        if (File.Exists(outDir)) throw new UsageException($"--out-dir {outDir}: is a file, not a directory");
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--out-dir {outDir}: cannot create the directory ({InputFiles.Describe(e)})");
        }
        // A folder that exists but cannot be written to fails every network the same way: say it once, up front.
        if (InputFiles.CreateProblem(outDir) is string problem)
            throw new UsageException($"--out-dir {outDir}: cannot write in the directory ({problem})");
    }
}
