using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// Hostile and careless inputs to the checker (docs/formats.md, "Limits"): a bad certificate is
/// invalid, a bad net.json an input error; either way one short line, within 2 s. Huge inputs are
/// generated here.
/// </summary>
public class HostileInputTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// For inputs that are accepted and read in full: about 0.1–1 s alone, but the whole suite runs
    /// in parallel on two cores; quadratic reading took 21 s and more, so this still tells them apart.
    /// </summary>
    private static readonly TimeSpan AcceptedBudget = TimeSpan.FromSeconds(10);

    private static void AssertShortLine(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.True(message.Length < 400, $"a {message.Length}-character message: {message[..Math.Min(400, message.Length)]}");
    }

    /// <summary>Checks a mutated copy of the box2d fixture's certificate: invalid, fast, one short line naming the mentions.</summary>
    private static string Invalid(Action<JsonObject> mutate, params string[] mentions)
    {
        var clock = Stopwatch.StartNew();
        var result = Fixture.CheckMutated("box2d", mutate);
        Assert.True(clock.Elapsed < Budget, $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Fixture.AssertInvalid(result, mentions);
        AssertShortLine(result.Reason!);
        return result.Reason!;
    }

    private static JsonArray Point(JsonObject cert) => cert["regions"]![0]!["point"]!.AsArray();

    [Fact]
    public void AMillionDigitPointIsInvalidAtOnce()
    {
        Invalid(c => Point(c)[0] = "7" + new string('3', 999_999), "$.regions[0].point[0]", "1000000 characters", $"limit for one number is {Rational.MaxLength}");
        Invalid(c => Point(c)[0] = "-" + new string('9', 999_999), "$.regions[0].point[0]", "limit");
    }

    [Fact]
    public void AMegabyteFractionIsInvalidAtOnce() =>
        Invalid(c => Point(c)[0] = new string('1', 500_000) + "/" + new string('3', 500_000), "$.regions[0].point[0]", "limit");

    [Fact]
    public void LongValuesAreShortenedInMessages()
    {
        // A valid canonical integer of 9 000 digits: the point is far outside the region, and the
        // constraint's value there is printed with its first and last digits and its length.
        string reason = Invalid(c => Point(c)[0] = "9" + new string('0', 8_999), "region 0", "digits)");
        Assert.Contains("…", reason, StringComparison.Ordinal);
        Assert.True(Rational.TryParseCanonical("1" + new string('0', 9_999), out var longest));
        Assert.Equal("10000000000000000000…00000000000000000000 (10000 digits)", longest.ToString());
        Assert.Equal("-1/3", new Rational(-1, 3).ToString());
        Assert.False(Rational.TryParseCanonical("1" + new string('0', 10_000), out _));
    }

    [Fact]
    public void TheNetworkLimitsAreTheEngines()
    {
        var (path, problem) = NetError(Net(['"' + "7" + new string('3', 999_999) + '"']));
        Assert.Equal("$.layers[0].bias[0]", path);
        Assert.Contains($"longer than {NetNumber.MaxLength} characters", problem);
        (path, problem) = NetError(Net([.. Enumerable.Repeat("\"1e99999\"", 180)]));
        Assert.Equal("$.layers[0].bias[0]", path);
        Assert.Contains("exponent beyond ±10000", problem);
        (path, problem) = NetError(Net([.. Enumerable.Repeat("\"1e9999\"", 1_100)]));
        Assert.Equal("$.layers[0].bias[1000]", path);
        Assert.Contains("more than 10000000 decimal digits", problem);
        Assert.True(NetNumber.TryParse("1e10000", out var big, out _));
        Assert.Equal(BigInteger.Pow(10, 10_000), big.Numerator);
        Assert.True(NetNumber.TryParse("-0x1p-10000", out var tiny, out _));
        Assert.Equal(BigInteger.One << 10_000, tiny.Denominator);
        Assert.False(NetNumber.TryParse("0x1p10001", out _, out _));
    }

    [Fact]
    public void TheHashOfLargeValuesIsFastAndExact()
    {
        var p = BigInteger.Pow(3, 12_000) + 1;
        var q = BigInteger.Pow(7, 3_500);
        string[] values = [$"\"{p}\"", $"\"-{p}/{q}\"", "\"1e-9999\"", "\"0x1.fffffffffffffp-1022\"", "\"-12/7\"", .. Enumerable.Repeat("\"1e9999\"", 500)];
        string net = Fixture.Temp(Net(values));
        try
        {
            var clock = Stopwatch.StartNew();
            string hash = CertificateChecker.NetworkSha256(net);
            Assert.True(clock.Elapsed < AcceptedBudget, $"reading and hashing took {clock.Elapsed.TotalSeconds:0.0} s");
            var text = new StringBuilder("convexproof-network/1\ninput_dim 1\n");
            text.Append($"layer relu {values.Length} 1 noskip\n");
            foreach (var _ in values) text.Append("w 1\n");
            text.Append("b ").AppendJoin(' ', values.Select(v => Canonical(v.Trim('"')))).Append('\n');
            text.Append($"layer identity 1 {values.Length} noskip\nw ").AppendJoin(' ', values.Select(_ => "1")).Append("\nb 0\n");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), hash);
        }
        finally { File.Delete(net); }
    }

    [Fact]
    public void AWideLayerIsReadInLinearTime()
    {
        // 100 000 units: indexing the rows of a JSON array one by one would be quadratic (21 s here).
        string net = Fixture.Temp(Net([.. Enumerable.Repeat("\"-123/4567\"", 100_000)]));
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(64, CertificateChecker.NetworkSha256(net).Length);
            Assert.True(clock.Elapsed < AcceptedBudget, $"reading and hashing took {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally { File.Delete(net); }
    }

    /// <summary>The canonical text by the slow, obviously right route (BigInteger.ToString of the reduced value).</summary>
    private static string Canonical(string number)
    {
        Assert.True(NetNumber.TryParse(number, out var v, out var problem), problem);
        return v.Denominator.IsOne ? v.Numerator.ToString() : $"{v.Numerator}/{v.Denominator}";
    }

    [Fact]
    public void UnreadableFilesAreSaidPlainly()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"convexproof-checker-hostile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var (net, cert, file, problem) in new[]
            {
                (Path.Combine(folder, "missing.json"), Fixture.Cert("relu"), Path.Combine(folder, "missing.json"), "no such file"),
                (Fixture.Net("relu"), Path.Combine(folder, "a", "b.cert.json"), Path.Combine(folder, "a", "b.cert.json"), "no such file"),
                (folder, Fixture.Cert("relu"), folder, "it is a directory"),
                (Fixture.Net("relu"), folder, folder, "it is a directory"),
            })
            {
                var e = Assert.Throws<CheckerInputException>(() => CertificateChecker.Check(net, cert));
                Assert.Equal(file, e.File);
                Assert.Equal($"cannot read the file: {problem}", e.Problem);
                AssertShortLine(e.Message);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AUtf8ByteOrderMarkIsSkippedInBothFiles()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        string net = Path.GetTempFileName(), cert = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(net, [.. bom, .. File.ReadAllBytes(Fixture.Net("box2d"))]);
            File.WriteAllBytes(cert, [.. bom, .. File.ReadAllBytes(Fixture.Cert("box2d"))]);
            var result = CertificateChecker.Check(net, cert);
            Assert.True(result.Valid, result.Reason);
            Assert.Equal(CertificateChecker.NetworkSha256(Fixture.Net("box2d")), CertificateChecker.NetworkSha256(net));
        }
        finally { File.Delete(net); File.Delete(cert); }
    }

    [Fact]
    public void DeepNestingAndUtf16AreNamed()
    {
        string deepCert = Fixture.Temp(File.ReadAllText(Fixture.Cert("relu")).Replace("\"regions\":", $"\"deep\": {new string('[', 70)}{new string(']', 70)}, \"regions\":"));
        try
        {
            var deep = CertificateChecker.Check(Fixture.Net("relu"), deepCert);
            Fixture.AssertInvalid(deep, "nested deeper than 64 levels");
            Assert.DoesNotContain("truncated", deep.Reason);
        }
        finally { File.Delete(deepCert); }
        var (path, problem) = NetError("""{"input_dim": 1, "layers": """ + new string('[', 20) + new string(']', 20) + "}");
        Assert.Equal("$", path);
        Assert.Contains("nested deeper than 16 levels", problem);

        string cert = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(cert, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(File.ReadAllText(Fixture.Cert("relu")))]);
            var result = CertificateChecker.Check(Fixture.Net("relu"), cert);
            Assert.False(result.Valid);
            Assert.Contains("UTF-16", result.Reason);
            File.WriteAllText(cert, File.ReadAllText(Fixture.Cert("relu"))[..100]);
            result = CertificateChecker.Check(Fixture.Net("relu"), cert);
            Assert.Contains("is the file truncated?", result.Reason);
        }
        finally { File.Delete(cert); }
    }

    [Fact]
    public void LongStringsAreShortenedInMessages()
    {
        string huge = new('x', 1_000_000);
        Invalid(c => c["format"] = huge, "$.format", "(1000000 characters)");
        Invalid(c => c["network_sha256"] = huge, "$.network_sha256", "(1000000 characters)");
        Invalid(c => c[huge] = 1, "unknown key");
        var (path, _) = NetError($$"""{"input_dim": 1, "{{huge}}": 0, "layers": []}""");
        Assert.Contains("(1000000 characters)", path);
    }

    /// <summary>A one-input network whose layer has the given bias entries (JSON values) and weight 1 each.</summary>
    private static string Net(IReadOnlyList<string> bias) =>
        $$"""{"input_dim": 1, "layers": [{"weights": [{{string.Join(",", bias.Select(_ => "[1]"))}}], "bias": [{{string.Join(",", bias)}}], "activation": "relu"}, """ +
        $$"""{"weights": [[{{string.Join(",", bias.Select(_ => "1"))}}]], "bias": [0], "activation": "identity"}]}""";

    private static (string Path, string Problem) NetError(string json)
    {
        string net = Fixture.Temp(json);
        try
        {
            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<CheckerInputException>(() => CertificateChecker.Check(net, Fixture.Cert("relu")));
            Assert.True(clock.Elapsed < Budget, $"took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(net, e.File);
            AssertShortLine(e.Message);
            return (e.JsonPath, e.Problem);
        }
        finally { File.Delete(net); }
    }
}
