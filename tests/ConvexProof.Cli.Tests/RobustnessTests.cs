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

    /// <summary>
    /// A 32-input network on [−1, 1]^32 whose analysis meets a tie that nudging cannot break (all
    /// coordinates of the start point equal; certify crashed here before, issue 9): the exact
    /// separation decides it, and the checker accepts the certificate.
    /// </summary>
    [Fact]
    public void APersistentTieStillGivesACheckedCertificate()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", PersistentTie32), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--timeout", "60", "--quiet");
        Assert.Equal(ExitCodes.Ok, r.Code);
        var check = Cli.Invoke("check", net, cert, "--box", "-1:1", "--quiet");
        Assert.Equal(0, check.Code);
        Assert.StartsWith("VALID", check.Out);
    }

    private const string PersistentTie32 = """
        {"input_dim":32,"layers":[{"weights":[[-0.482,0.371,0.368,0.699,-0.629,-0.539,-0.706,-0.55,
        0.468,-0.74,0.063,-0.572,-0.411,-0.137,0.675,0.217,-0.971,-0.448,-0.707,0.743,0.619,0.612,0.653,
        0.49,0.899,0.588,-0.487,0.7,-0.026,0.51,0.128,-0.141],[-0.272,-0.14,-0.372,-0.765,0.639,0.597,
        0.971,0.382,0.108,0.497,-0.73,0.354,-0.113,-0.647,-0.595,0.045,-0.493,-0.081,0.211,-0.208,
        -0.738,-0.018,-0.529,-0.529,-0.611,-0.267,-0.853,0.302,0.907,-0.221,0.438,0.866],[-0.914,-0.717,
        0.612,0.676,0.278,-0.68,-0.173,0.736,0.772,0.606,-0.594,0.707,-0.25,0.433,-0.726,0.943,0.207,
        0.445,-0.577,0.234,0.162,0.182,-0.281,0.455,-0.317,-0.409,-0.671,0.368,-0.775,-0.549,-0.862,
        0.287],[0.112,0.087,-0.922,-0.121,-0.314,-0.815,-0.994,0.996,-0.757,-0.397,-0.462,0.195,-0.845,
        -0.06,-0.267,0.669,-0.989,-0.33,-0.007,0.94,0.033,-0.052,0.339,-0.407,-0.937,0.003,0.821,0.477,
        -0.483,0.368,0.698,-0.483]],"bias":[0.176,-0.289,-0.511,-0.425],"activation":"relu"},
        {"weights":[[0.204,0.351,0.038,0.398]],"bias":[0],"activation":"identity"}]}
        """;

    [Fact]
    public void ATimeLimitStopsTheFirstRegionOfA64InputNetwork()
    {
        using var dir = new TempFolder();
        var (r, elapsed) = CertifyWithATwoSecondLimit(dir);
        AssertStoppedByTheLimit(r, elapsed, TimeSpan.FromSeconds(10), dir);
    }

    /// <summary>
    /// A progress callback that throws (a closed stderr, say) while the first region is still being
    /// analysed: the exception reaches the caller, and the explorer's threads, which finish that
    /// analysis after the caller has left, must not fail on the way out (an exception on one of
    /// them would end the process).
    /// </summary>
    [Fact]
    public void AThrowingProgressReportLeavesTheAnalysingThreadsUnharmed()
    {
        var network = ConvexProof.Networks.NetworkReader.Parse(Encoding.UTF8.GetBytes(RandomNetwork(64, 32, 64, convexOutput: true)), "net.json");
        var zero = Enumerable.Repeat(ConvexProof.Numbers.Rational.Zero, 64).ToArray();
        var one = Enumerable.Repeat(ConvexProof.Numbers.Rational.One, 64).ToArray();
        var explorer = new ConvexProof.Regions.RegionExplorer(ConvexProof.Networks.ScaledNetwork.Create(network), ConvexProof.Geometry.Domain.Box(zero, one));
        var limits = new ConvexProof.Regions.ExplorationLimits(Timeout: TimeSpan.FromSeconds(2));
        Assert.Throws<IOException>(() => explorer.Explore((_, _) => { }, limits, _ => throw new IOException("stderr closed")));
        Thread.Sleep(TimeSpan.FromSeconds(3)); // past the time limit: the analysis stops and its thread signals the finished level
    }

    /// <summary>A 64-input network whose first region takes far longer than 2 s, certified with --timeout 2.</summary>
    internal static (Cli.Run Run, TimeSpan Elapsed) CertifyWithATwoSecondLimit(TempFolder dir)
    {
        string net = dir.Write("net.json", RandomNetwork(64, 32, 64, convexOutput: true)), cert = dir.File("net.cert.json");
        var clock = Stopwatch.StartNew();
        // Enumeration forced: the default (auto) certifies this ICNN by its signs at once.
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "0:1", "--timeout", "2", "--progress", "--method", "regions");
        return (r, clock.Elapsed);
    }

    internal static void AssertStoppedByTheLimit(Cli.Run r, TimeSpan elapsed, TimeSpan within, TempFolder dir)
    {
        Assert.Equal(ExitCodes.Undecided, r.Code);
        Assert.True(elapsed < within, $"took {elapsed.TotalSeconds:0.0} s");
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
        public System.CommandLine.Command Definition { get; } = new("fail", "fails on purpose");
        public string Synopsis => "convexproof fail";
        public string Epilogue => "";
        public string WrongArgumentCount(int given) => "fail takes no arguments";

        public int Run(System.CommandLine.ParseResult parsed, CliContext context)
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
        // A command definition belongs to one command line: each run gets its own.
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliMain.Run(["fail"], stdout, stderr, [new FailingCommand(dir.File("out.json"))]);
        Assert.Equal(ExitCodes.Internal, code);
        Assert.Equal("internal error: broken on purpose\n", stderr.ToString());
        Assert.Equal("", stdout.ToString());
        Assert.Empty(dir.Files());

        // --debug (global, anywhere on the line) adds the stack trace after the same first line.
        stderr = new StringWriter { NewLine = "\n" };
        code = CliMain.Run(["fail", "--debug"], stdout, stderr, [new FailingCommand(dir.File("out.json"))]);
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

/// <summary>Runs alone: it blocks thread-pool threads on purpose, which would slow every test beside it.</summary>
[CollectionDefinition(nameof(StarvedThreadPool), DisableParallelization = true)]
public sealed class StarvedThreadPool;

[Collection(nameof(StarvedThreadPool))]
public sealed class StarvedThreadPoolTests
{
    /// <summary>
    /// A host whose pool threads are all busy (a test runner, a server running many jobs) must not
    /// delay the time limit: before the explorer had threads of its own, this run took 33 s
    /// (Parallel.For waited for replicas that no pool thread was free to run).
    /// </summary>
    [Fact]
    public void ATimeLimitHoldsWhileEveryPoolThreadIsBlocked()
    {
        using var dir = new TempFolder();
        // Not disposed: queued items may start only after the test has ended, and must then find it set.
        var release = new ManualResetEventSlim();
        for (int i = 0; i < 4 * Environment.ProcessorCount + 32; i++) ThreadPool.QueueUserWorkItem(_ => release.Wait());
        try
        {
            var (r, elapsed) = RobustnessTests.CertifyWithATwoSecondLimit(dir);
            RobustnessTests.AssertStoppedByTheLimit(r, elapsed, TimeSpan.FromSeconds(6), dir);
        }
        finally
        {
            release.Set();
        }
    }
}
