namespace ConvexProof.Cli.Tests;

/// <summary>`certify --method` and `--points`: which method auto chooses and why, and what each writes.</summary>
public class CertifyMethodTests
{
    /// <summary>Convex on [0, 1]^2 but not an ICNN: A = relu(h_a − h_b − 1/2) and B = relu(h_b − h_a + 3/2) are on there.</summary>
    private const string PairOfOnUnits = """
        {"input_dim":2,"layers":[{"weights":[[1,0],[1,0],[0,1]],"bias":[1,0,"-1/2"],"activation":"relu"},
         {"weights":[[1,-1,0],[-1,1,0],[1,0,1]],"bias":["-1/2","3/2",-2],"activation":"relu"},
         {"weights":[[1,1,2]],"bias":[0],"activation":"identity"}]}
        """;

    [Fact]
    public void AutoCertifiesALargeIcnnByItsSigns()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RobustnessTests.RandomNetwork(64, 32, 64, convexOutput: true)), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "0:1");
        Assert.Equal(0, r.Code);
        Assert.Contains("verdict:    convex", r.Out);
        Assert.Contains("method:     icnn (the network is an ICNN", r.Out);
        Assert.Contains("\"method\":\"structural\"", File.ReadAllText(cert));
        var check = Cli.Invoke("check", net, cert, "--quiet");
        Assert.Equal(0, check.Code);
        Assert.Contains("Structural", check.Out);
    }

    [Fact]
    public void AutoRefutesALargeRandomNetworkByBoundsAndTheCheckerAgrees()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RobustnessTests.RandomNetwork(64, 32, 65, convexOutput: false)), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "0:1", "--json");
        Assert.Equal(1, r.Code);
        var json = r.Json();
        Assert.Equal("bounds", json.GetProperty("method").GetString());
        Assert.Contains("too large to enumerate", json.GetProperty("method_reason").GetString());
        Assert.True(json.GetProperty("bounds").GetProperty("lines").GetInt32() >= 1);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, json.GetProperty("counterexample").ValueKind);
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
    }

    [Fact]
    public void BoundsCertifyANonIcnnOnABoxAndTheCheckerAccepts()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", PairOfOnUnits), cert = dir.File("net.cert.json");
        var auto = Cli.Invoke("certify", net, "--out", cert, "--box", "0:1", "--quiet");
        Assert.Equal(0, auto.Code);
        Assert.Contains("method:     regions (not an ICNN", auto.Out); // few regions: enumeration
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "0:1", "--method", "bounds", "--quiet");
        Assert.Equal(0, r.Code);
        Assert.Contains("leaves:", r.Out);
        Assert.Contains("all of the box certified", r.Out);
        Assert.Contains("\"method\":\"bounds\"", File.ReadAllText(cert));
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
    }

    /// <summary>
    /// d → 2n → 12 → 12 → 1, convex but not an ICNN: the first layer is n random units each written
    /// twice (same weights and bias), and the second layer weighs every pair 2w and −w (w ≥ 0), so it
    /// sees w·relu(z) and the whole network is an ICNN in disguise. The −w of a duplicate is a
    /// condition no bound can lift (both copies switch together: a degenerate frontier), while the
    /// a-priori region bound is far too large for auto to enumerate first.
    /// </summary>
    private static string DuplicatedIcnn(int n, int d = 2)
    {
        var random = new Random(5);
        double Next(double lo) => Math.Round(lo + (1 - lo) * random.NextDouble(), 3);
        string Text(double v) => v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        string Rows(int n, int fanIn, double lo) => string.Join(",", Enumerable.Range(0, n).Select(_ => "[" + string.Join(",", Enumerable.Range(0, fanIn).Select(_ => Text(Next(lo)))) + "]"));
        string Bias(int n) => string.Join(",", Enumerable.Range(0, n).Select(_ => Text(Next(-1) / 4)));
        var first = Enumerable.Range(0, n).Select(_ => "[" + string.Join(",", Enumerable.Range(0, d).Select(_ => Text(Next(-1)))) + "]").ToList();
        var firstBias = Enumerable.Range(0, n).Select(_ => Text(Next(-1) / 4)).ToList();
        var pairs = Enumerable.Range(0, 12).Select(_ =>
        {
            var w = Enumerable.Range(0, n).Select(_ => Next(0)).ToList();
            return "[" + string.Join(",", w.Select(v => Text(2 * v)).Concat(w.Select(v => Text(-v)))) + "]";
        });
        return $$"""
            {"input_dim":{{d}},"layers":[{"weights":[{{string.Join(",", first.Concat(first))}}],"bias":[{{string.Join(",", firstBias.Concat(firstBias))}}],"activation":"relu"},
             {"weights":[{{string.Join(",", pairs)}}],"bias":[{{Bias(12)}}],"activation":"relu"},
             {"weights":[{{Rows(12, 12, 0)}}],"bias":[{{Bias(12)}}],"activation":"relu"},
             {"weights":[[{{string.Join(",", Enumerable.Range(0, 12).Select(_ => Text(Next(0))))}}]],"bias":[0],"activation":"identity"}]}
            """;
    }

    [Fact]
    public void AutoTriesTheFirstRegionsBeforeBounds()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", DuplicatedIcnn(12)), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--json");
        Assert.Equal(0, r.Code);
        var json = r.Json();
        Assert.Equal("regions", json.GetProperty("method").GetString());
        Assert.Contains("too large to enumerate", json.GetProperty("method_reason").GetString());
        Assert.Contains("tried first for up to 2000 regions, decided it", json.GetProperty("method_reason").GetString());
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
    }

    [Fact]
    public void AutoFallsBackToEnumerationWhenBoundsLeaveAConvexNetworkUndecided()
    {
        using var dir = new TempFolder();
        // 9 inputs: above the dimension where auto tries regions first, so bounds run, then enumeration.
        string net = dir.Write("net.json", DuplicatedIcnn(4, d: 9)), cert = dir.File("net.cert.json");
        var bounds = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--method", "bounds", "--max-regions", "20", "--quiet");
        Assert.Equal(3, bounds.Code); // bounds alone cannot settle it
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--json");
        Assert.Equal(0, r.Code);
        var json = r.Json();
        Assert.Equal("regions", json.GetProperty("method").GetString());
        Assert.Contains("bounds left it undecided", json.GetProperty("method_reason").GetString());
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
    }

    [Fact]
    public void AllViolationsMakesAutoEnumerate()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", RobustnessTests.RandomNetwork(3, 30, 66, convexOutput: false)), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--all-violations", "--json");
        Assert.Equal(1, r.Code);
        var json = r.Json();
        Assert.Equal("regions", json.GetProperty("method").GetString());
        Assert.Contains("--all-violations", json.GetProperty("method_reason").GetString());
        Assert.Equal("complete", json.GetProperty("exploration").GetString());
    }

    [Fact]
    public void BoundsOnRdSayWhyAndExitThree()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", PairOfOnUnits), cert = dir.File("net.cert.json");
        var r = Cli.Invoke("certify", net, "--out", cert, "--method", "bounds", "--quiet");
        Assert.Equal(3, r.Code);
        Assert.Contains("bounds need a box (on R^d every pre-activation bound is infinite)", r.Out);
        Assert.Equal(["net.json"], dir.Files());
        var icnn = Cli.Invoke("certify", net, "--out", cert, "--method", "icnn", "--quiet");
        Assert.Equal(3, icnn.Code);
        Assert.Contains("not an ICNN: weight -1 at $.layers[1].weights[0][1] is negative", icnn.Out);
    }

    [Fact]
    public void PointsFileLinesFindTheKinkAndBadFilesAreInputErrors()
    {
        using var dir = new TempFolder();
        // relu(x) − relu(x − 2): concave kink at 2 only.
        string net = dir.Write("net.json", """
            {"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-2],"activation":"relu"},{"weights":[[1,-1]],"bias":[0],"activation":"identity"}]}
            """), cert = dir.File("net.cert.json");
        string points = dir.Write("points.json", "[[2], [\"1/2\"]]");
        var r = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:3", "--method", "bounds", "--points", points, "--json");
        Assert.Equal(1, r.Code);
        Assert.Equal(1, r.Json().GetProperty("bounds").GetProperty("lines").GetInt32());
        Assert.Equal(0, Cli.Invoke("check", net, cert, "--quiet").Code);
        string bad = dir.Write("bad.json", "[[1, 2]]");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", cert, "--box", "-1:3", "--method", "bounds", "--points", bad), "bad.json", "$[0]", "1 numbers");
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", cert, "--method", "magic"), "--method", "auto, regions, bounds or icnn");
    }
    /// <summary>
    /// Random small networks (second-layer weights mostly ≥ 0, a few negative: some convex, some not)
    /// decided by bounds and by enumeration: every bound verdict agrees with enumeration and every
    /// bound certificate is accepted by the checker.
    /// </summary>
    [Fact]
    public void BoundVerdictsAgreeWithEnumerationAndTheCheckerAcceptsThem()
    {
        using var dir = new TempFolder();
        int decided = 0, convex = 0;
        for (int seed = 0; seed < 24; seed++)
        {
            var random = new Random(seed);
            int d = 1 + seed % 3;
            string W(int rows, int cols, double negative) => "[" + string.Join(",", Enumerable.Range(0, rows).Select(_ => "[" + string.Join(",",
                Enumerable.Range(0, cols).Select(_ => $"\"{(random.NextDouble() < negative ? -random.Next(1, 5) : random.Next(0, 9))}/4\"")) + "]")) + "]";
            string B(int n) => "[" + string.Join(",", Enumerable.Range(0, n).Select(_ => $"\"{random.Next(-8, 9)}/4\"")) + "]";
            string net = dir.Write($"n{seed}.json", $$"""
                {"input_dim":{{d}},"layers":[{"weights":{{W(4, d, 0.5)}},"bias":{{B(4)}},"activation":"relu"},
                 {"weights":{{W(3, 4, 0.15)}},"bias":{{B(3)}},"activation":"relu"},
                 {"weights":{{W(1, 3, 0.1)}},"bias":[0],"activation":"identity"}]}
                """);
            string cert = dir.File($"n{seed}.cert.json");
            var bounds = Cli.Invoke("certify", net, "--out", cert, "--box", "-1:1", "--method", "bounds", "--max-regions", "2000", "--quiet");
            var regions = Cli.Invoke("certify", net, "--out", dir.File("r.cert.json"), "--box", "-1:1", "--method", "regions", "--quiet");
            Assert.True(regions.Code is 0 or 1, $"seed {seed}: {regions.Err}");
            if (bounds.Code == 3) continue;
            decided++;
            if (bounds.Code == 0) convex++;
            Assert.Equal(regions.Code, bounds.Code);
            var check = Cli.Invoke("check", net, cert, "--box", "-1:1", "--quiet");
            Assert.True(check.Code == 0, $"seed {seed}: {check.Out}{check.Err}");
        }
        Assert.True(decided >= 12 && convex >= 3, $"only {decided} decided, {convex} convex");
    }
}
