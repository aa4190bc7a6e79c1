using System.Text.Json;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// `convexproof census`: the directory it writes (byte-identical for the same seed, apart from the
/// times files), resuming, kept certificates re-checked by `check`, and bad options.
/// </summary>
public class CensusCommandTests
{
    private static readonly string[] Tiny = ["census", "--widths", "1,2", "--depths", "2,3", "--per-cell", "5", "--seed", "11", "--init", "folded-last", "--quiet"];

    private static Cli.Run Census(string dir, params string[] extra) => Cli.Invoke([.. Tiny, "--out", dir, .. extra]);

    /// <summary>Every file of a census directory except the times (wall-clock, different on every run), path → bytes.</summary>
    private static SortedDictionary<string, byte[]> TimelessFiles(string dir)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(dir, file);
            if (relative.EndsWith(".times.csv", StringComparison.Ordinal) || relative is "times.csv" or "heatmap.png") continue;
            files[relative] = File.ReadAllBytes(file);
        }
        return files;
    }

    [Fact]
    public void The_same_seed_gives_the_same_directory_byte_for_byte()
    {
        using var temp = new TempFolder();
        var a = Census(temp.File("a"), "--threads", "2");
        var b = Census(temp.File("b"), "--threads", "1"); // the thread count changes nothing
        Assert.Equal(0, a.Code);
        Assert.Equal(0, b.Code);
        Assert.Equal("", a.Err);
        Assert.Equal(a.Out, b.Out);
        var filesA = TimelessFiles(temp.File("a"));
        Assert.Equal(filesA.Keys, TimelessFiles(temp.File("b")).Keys);
        foreach (var (name, bytes) in TimelessFiles(temp.File("b"))) Assert.True(filesA[name].AsSpan().SequenceEqual(bytes), $"{name} differs");
        Assert.Contains("table.csv", filesA.Keys);
        Assert.Contains("heatmap.svg", filesA.Keys);
        Assert.Contains(Path.Combine("cells", "d3-w2.csv"), filesA.Keys);

        // The table adds up, and the times file has a row per cell.
        var rows = File.ReadAllLines(temp.File("a/table.csv"));
        Assert.Equal("cell,hidden,networks,convex,icnn,convex_not_icnn,not_convex,undecided,convex_pct,icnn_pct,mean_regions", rows[0]);
        Assert.Equal(["d2-w1", "d2-w2", "d3-w1", "d3-w2"], rows.Skip(1).Select(r => r.Split(',')[0]));
        foreach (var row in rows.Skip(1))
        {
            var f = row.Split(',');
            Assert.Equal(5, int.Parse(f[2]));
            Assert.Equal(int.Parse(f[3]), int.Parse(f[4]) + int.Parse(f[5]));
            Assert.Equal(5, int.Parse(f[3]) + int.Parse(f[6]) + int.Parse(f[7]));
        }
        Assert.Equal(5, File.ReadAllLines(temp.File("a/times.csv")).Length);

        var other = Cli.Invoke([.. Tiny.Select(a => a == "11" ? "12" : a), "--out", temp.File("c")]);
        Assert.Equal(0, other.Code);
        Assert.NotEqual(File.ReadAllText(temp.File("a/cells/d3-w2.csv")), File.ReadAllText(temp.File("c/cells/d3-w2.csv")));
    }

    [Fact]
    public void A_rerun_skips_finished_cells_and_completes_the_others()
    {
        using var temp = new TempFolder();
        string dir = temp.File("census");
        Assert.Equal(0, Census(dir).Code);
        string table = File.ReadAllText(Path.Combine(dir, "table.csv"));
        // An interrupted run: one cell never finished (its .json is written last).
        File.Delete(Path.Combine(dir, "cells", "d3-w1.json"));
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in Directory.GetFiles(Path.Combine(dir, "cells"))) File.SetLastWriteTimeUtc(file, stamp);

        var again = Cli.Invoke([.. Tiny.Where(a => a != "--quiet"), "--out", dir, "--progress"]);
        Assert.Equal(0, again.Code);
        Assert.Equal(3, again.ErrLines.Count(l => l.Contains("already finished, skipped")));
        Assert.Contains(again.ErrLines, l => l.StartsWith("census: cell 3/4 d3-w1 done (5 networks); ", StringComparison.Ordinal) && l.Contains("networks/s; ETA"));
        foreach (var cell in new[] { "d2-w1", "d2-w2", "d3-w2" })
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir, "cells", cell + ".csv")));
        Assert.NotEqual(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir, "cells", "d3-w1.csv")));
        Assert.Equal(table, File.ReadAllText(Path.Combine(dir, "table.csv")));
    }

    [Fact]
    public void Resuming_with_other_options_is_a_usage_error()
    {
        using var temp = new TempFolder();
        string dir = temp.File("census");
        Assert.Equal(0, Census(dir).Code);
        Cli.AssertOneLineError(Census(dir, "--max-regions", "50"), "census.json", "other options");
    }

    [Fact]
    public void A_network_that_reaches_max_regions_is_counted_undecided_and_limits_are_in_the_manifest()
    {
        using var temp = new TempFolder();
        string dir = temp.File("census");
        var r = Census(dir, "--max-regions", "1");
        Assert.Equal(0, r.Code);
        var rows = File.ReadAllLines(Path.Combine(dir, "table.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Contains(rows, f => int.Parse(f[7]) > 0);
        // Undecided networks are not convex, not refuted: every row still adds up to its networks.
        Assert.All(rows, f => Assert.Equal(5, int.Parse(f[3]) + int.Parse(f[6]) + int.Parse(f[7])));
        var verdicts = Directory.GetFiles(Path.Combine(dir, "cells"), "*.csv").Where(f => !f.EndsWith(".times.csv", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Skip(1)).Select(l => l.Split(',')[2]).ToList();
        Assert.Contains("undecided", verdicts);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "census.json")));
        Assert.Equal(1, manifest.RootElement.GetProperty("max_regions").GetInt32());
    }

    [RequiresRsvgConvertFact]
    public void Kept_certificates_pass_check_with_the_verdicts_of_the_table_and_the_heat_map_renders()
    {
        using var temp = new TempFolder();
        string dir = temp.File("census");
        Assert.Equal(0, Census(dir, "--keep").Code);
        int checkedCount = 0;
        foreach (var cell in new[] { "d2-w1", "d2-w2", "d3-w1", "d3-w2" })
            foreach (var row in File.ReadAllLines(Path.Combine(dir, "cells", cell + ".csv")).Skip(1))
            {
                var f = row.Split(',');
                string stem = Path.Combine(dir, "kept", cell, int.Parse(f[0]).ToString("D4"));
                var check = Cli.Invoke("check", stem + ".net.json", stem + ".cert.json", "--box", "-100:100", "--json", "--quiet");
                string expected = f[2] == "not_convex" ? "not_convex" : "convex";
                Assert.True(check.Code == 0, $"{cell} #{f[0]}: check exit {check.Code} (a valid certificate exits 0): {check.Out}{check.Err}");
                Assert.Equal(expected, check.Json().GetProperty("verdict").GetString());
                checkedCount++;
            }
        Assert.Equal(20, checkedCount);
        var png = File.ReadAllBytes(Path.Combine(dir, "heatmap.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "census.json")));
        Assert.Equal("folded-last", manifest.RootElement.GetProperty("init").GetString());
        Assert.Equal("11", manifest.RootElement.GetProperty("seed").GetString());
    }

    [Theory]
    [InlineData("--widths 0 --depths 2", "--widths")]
    [InlineData("--widths 2,x --depths 2", "--widths")]
    [InlineData("--widths 2,2 --depths 2", "listed twice")]
    [InlineData("--widths 2 --depths 2 --pairs", "--pairs and --depths")]
    [InlineData("--widths 2", "--depths")]
    [InlineData("--depths 2", "--widths")]
    [InlineData("--widths 2 --depths 2 --init xavier", "--init")]
    [InlineData("--widths 2 --depths 2 --seed -1", "--seed")]
    [InlineData("--widths 2 --depths 2 --per-cell 0", "--per-cell")]
    [InlineData("--widths 2 --depths 2 --box 1:0", "--box")]
    [InlineData("--widths 2 --depths 2 --input-dim 2 --box 0:1,0:1,0:1", "--box")]
    [InlineData("--widths 2 --depths 2 --timeout 0", "--timeout")]
    public void Bad_options_exit_2_with_one_line(string options, string mention)
    {
        using var temp = new TempFolder();
        var r = Cli.Invoke([.. "census".Split(' '), .. options.Split(' '), "--out", temp.File("census")]);
        Cli.AssertOneLineError(r, mention);
        Assert.False(File.Exists(temp.File("census/census.json")));
    }

    [Fact]
    public void A_missing_out_and_an_out_that_is_a_file_are_usage_errors()
    {
        using var temp = new TempFolder();
        Cli.AssertOneLineError(Cli.Invoke("census", "--widths", "2", "--depths", "2"), "--out");
        string file = temp.Write("taken", "x");
        Cli.AssertOneLineError(Cli.Invoke("census", "--widths", "2", "--depths", "2", "--out", file), "is a file");
    }
}
