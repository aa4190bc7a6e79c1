using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// Never crash, limits always honoured: random high-dimensional networks get a verdict (whose
/// certificate the checker accepts) or exit 3; an unexpected exception exits 4 with one line and
/// no output file; a time limit stops even the first region of a 64-input network.
/// </summary>
public class RobustnessTests
{
    /// <summary>d → width → 1 with 3-decimal weights; non-negative output weights make it convex.</summary>
    internal static string RandomNetwork(int d, int width, int seed, bool convexOutput)
    {
        var random = new Random(seed);
        string Weight(double lo) => (lo + (1 - lo) * random.NextDouble()).ToString("0.000", CultureInfo.InvariantCulture);
        var hidden = Enumerable.Range(0, width).Select(_ => "[" + string.Join(",", Enumerable.Range(0, d).Select(_ => Weight(-1))) + "]");
        var bias = Enumerable.Range(0, width).Select(_ => Weight(-1));
        var output = Enumerable.Range(0, width).Select(_ => Weight(convexOutput ? 0 : -1));
        var json = new StringBuilder();
        json.Append($"{{\"input_dim\":{d},\"layers\":[");
        json.Append($"{{\"weights\":[{string.Join(",", hidden)}],\"bias\":[{string.Join(",", bias)}],\"activation\":\"relu\"}},");
        json.Append($"{{\"weights\":[[{string.Join(",", output)}]],\"bias\":[0],\"activation\":\"identity\"}}]}}");
        return json.ToString();
    }

    public static TheoryData<int, string, bool> HighDimensional()
    {
        var data = new TheoryData<int, string, bool>();
        foreach (int d in new[] { 16, 32, 64 })
            foreach (string box in new[] { "0:1", "-1:1", "" })
                data.Add(d, box, d != 32); // convex (full certificates) for 16 and 64, mixed signs (refutations) for 32
        return data;
    }

    [Theory]
    [MemberData(nameof(HighDimensional))]
    public void RandomHighDimensionalNetworksGetAVerdictOrALimit(int d, string box, bool convexOutput)
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RandomNetwork(d, 3, 1000 + d, convexOutput)), cert = dir.File("net.cert.json");
        string[] domain = box.Length == 0 ? [] : ["--box", box];
        var r = Cli.Invoke(["certify", net, "--out", cert, .. domain, "--max-regions", "40", "--timeout", "3", "--quiet"]);
        Assert.DoesNotContain("internal error", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Contains(r.Code, new[] { ExitCodes.Ok, ExitCodes.Negative, ExitCodes.Undecided });
        if (r.Code == ExitCodes.Undecided)
        {
            Assert.Contains("limit reached", r.Out);
            Assert.Equal(["net.json"], dir.Files()); // no certificate, no temporary file
            return;
        }
        var check = Cli.Invoke(["check", net, cert, .. domain, "--quiet"]);
        Assert.Equal(0, check.Code);
        Assert.StartsWith("VALID", check.Out);
    }

    [Fact]
    public void ATimeLimitStopsTheFirstRegionOfA64InputNetwork()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RandomNetwork(64, 32, 64, convexOutput: true)), cert = dir.File("net.cert.json");
        var clock = Stopwatch.StartNew();
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "0:1", "--timeout", "2", "--progress");
        clock.Stop();
        Assert.Equal(ExitCodes.Undecided, r.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("undecided: time limit reached (2 s;", r.Out);
        // Progress appeared while the first region was still being analysed.
        Assert.Contains("region 0: analysing", r.Err);
        Assert.Equal(["net.json"], dir.Files());
    }

    [Fact]
    public void TheRegionLimitIsExact()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RandomNetwork(3, 8, 7, convexOutput: true)), cert = dir.File("net.cert.json");
        foreach (int limit in new[] { 1, 2, 5, 9 })
        {
            var r = Cli.Invoke("certify", net, "--out", cert, "--max-regions", limit.ToString(CultureInfo.InvariantCulture), "--quiet");
            Assert.Equal(ExitCodes.Undecided, r.Code);
            Assert.Contains($"region limit reached ({limit} regions explored,", r.Out);
            Assert.Contains($"regions:    {limit} (partial)", r.Out);
        }
    }

    /// <summary>A command that starts an output file and then fails the way an engine bug does.</summary>
    private sealed class FailingCommand(string output) : ICommand
    {
        public string Name => "fail";
        public string Summary => "fails on purpose";
        public string Usage => "usage: convexproof fail\n";

        public int Run(string[] args, CliContext context)
        {
            AtomicFile.Write(output, stream =>
            {
                stream.WriteByte((byte)'{');
                Parallel.For(0, 2, i => throw new InvalidOperationException("internal error: broken on purpose"));
            });
            return ExitCodes.Ok;
        }
    }

    [Fact]
    public void AnInternalErrorIsOneLineWithExitCode4AndNoOutputFile()
    {
        using var dir = new TempFolder();
        var command = new FailingCommand(dir.File("out.json"));
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliMain.Run(["fail"], stdout, stderr, [command]);
        Assert.Equal(ExitCodes.Internal, code);
        Assert.Equal("internal error: broken on purpose\n", stderr.ToString());
        Assert.Equal("", stdout.ToString());
        Assert.Empty(dir.Files());

        // --debug (global, anywhere on the line) adds the stack trace after the same first line.
        stderr = new StringWriter { NewLine = "\n" };
        code = CliMain.Run(["fail", "--debug"], stdout, stderr, [command]);
        Assert.Equal(ExitCodes.Internal, code);
        Assert.StartsWith("internal error: broken on purpose\n", stderr.ToString());
        Assert.Contains("   at ", stderr.ToString());
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void EveryCommandAcceptsDebug()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.MaxOfTwo), cert = dir.File("net.cert.json");
        Assert.Equal(0, Cli.Invoke("--debug", "certify", net, "--out", cert, "--quiet").Code);
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet", "--debug").Code);
        Assert.Equal(0, Cli.Invoke("info", net, "--debug").Code);
        // Input errors stay exit 2, one line, even with --debug.
        Cli.AssertOneLineError(Cli.Invoke("certify", dir.File("missing.json"), "--out", cert, "--debug"), "missing.json");
    }
}
