using System.Diagnostics;
using ConvexProof.Baselines;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Regions;

namespace ConvexProof.Bench;

/// <summary>Per-region cost of one baseline on the sampled regions, and where it disagreed with the certificate.</summary>
public sealed record BaselineResult(double MsPerRegion, int Mismatches, string? FirstMismatch);

/// <summary>Both baselines on the same sampled regions of one certificate.</summary>
public sealed record BaselineRow(int Regions, double MeanConstraints, double MeanFacets, BaselineResult Naive, BaselineResult? Cdd);

/// <summary>
/// Baseline A (<see cref="NaiveFacetFinder"/>, in process) and baseline B (cddlib's redcheck_gmp, one
/// child process per region) on the regions sampled from a certificate. Only the facet computation
/// is timed: building the H-representation and writing .ine files are not.
/// </summary>
public static class BaselineRunner
{
    public const string Redcheck = "redcheck_gmp";

    public static BaselineRow Run(Network network, Domain domain, IReadOnlyList<SampledRegion> sample, string workDir, bool cddAvailable)
    {
        var regions = sample.Select(r => new RegionConstraints(LocalAffineMaps.ForPattern(network, r.Pattern), domain)).ToList();
        return new BaselineRow(sample.Count,
            regions.Average(r => r.Count), sample.Average(r => r.FacetConstraints.Length),
            RunNaive(regions, sample), cddAvailable ? RunCdd(regions, sample, workDir) : null);
    }

    private static BaselineResult RunNaive(List<RegionConstraints> regions, IReadOnlyList<SampledRegion> sample)
    {
        NaiveFacetFinder.Analyse(regions[0]); // warm-up (JIT), not timed
        var clock = new Stopwatch();
        int mismatches = 0;
        string? first = null;
        for (int i = 0; i < regions.Count; i++)
        {
            clock.Start();
            var result = NaiveFacetFinder.Analyse(regions[i]);
            clock.Stop();
            var expected = sample[i].FacetConstraints.Order().ToArray();
            if (!result.Facets.SequenceEqual(expected))
            {
                mismatches++;
                first ??= $"region {sample[i].Index}: baseline A facets [{string.Join(", ", result.Facets)}], certificate [{string.Join(", ", expected)}]";
            }
        }
        return new BaselineResult(clock.Elapsed.TotalMilliseconds / regions.Count, mismatches, first);
    }

    private static BaselineResult RunCdd(List<RegionConstraints> regions, IReadOnlyList<SampledRegion> sample, string workDir)
    {
        Directory.CreateDirectory(workDir);
        var files = new List<string>();
        for (int i = 0; i < regions.Count; i++)
        {
            var file = Path.Combine(workDir, $"region{sample[i].Index}.ine");
            File.WriteAllText(file, CddFormat.HRepresentation(regions[i], $"region {sample[i].Index}, pattern {sample[i].Pattern}"));
            files.Add(file);
        }
        ChildProcess.Run(Redcheck, [files[0]]); // warm-up (page cache), not timed
        double seconds = 0;
        int mismatches = 0;
        string? first = null;
        for (int i = 0; i < files.Count; i++)
        {
            var run = ChildProcess.Run(Redcheck, [files[i]]);
            seconds += run.Seconds;
            var kept = CddFormat.KeptRows(run.Stdout + "\n" + run.Stderr);
            int expected = sample[i].FacetConstraints.Length;
            if (run.ExitCode != 0 || kept is null || kept.Count != expected)
            {
                mismatches++;
                first ??= kept is null
                    ? $"region {sample[i].Index}: no row table in redcheck_gmp's output (exit code {run.ExitCode})"
                    : $"region {sample[i].Index}: cddlib kept {kept.Count} rows [{string.Join(", ", kept)}], certificate has {expected} facets [{string.Join(", ", sample[i].FacetConstraints)}]";
            }
        }
        return new BaselineResult(seconds * 1000 / files.Count, mismatches, first);
    }

    /// <summary>Median wall time of redcheck_gmp on a square (process start-up and I/O, almost no work).</summary>
    public static double StartupMs(string workDir)
    {
        var file = Path.Combine(workDir, "square.ine");
        File.WriteAllText(file, "H-representation\nbegin\n4 3 rational\n1 1 0\n1 -1 0\n1 0 1\n1 0 -1\nend\n");
        ChildProcess.Run(Redcheck, [file]);
        return ChildProcess.Median(Enumerable.Range(0, 5).Select(_ => ChildProcess.Run(Redcheck, [file]).Seconds)) * 1000;
    }

    public static bool CddAvailable()
    {
        try
        {
            ChildProcess.Run(Redcheck, ["/dev/null"]);
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
