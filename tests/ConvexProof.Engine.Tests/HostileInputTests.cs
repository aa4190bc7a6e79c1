using System.Diagnostics;
using System.Numerics;
using System.Text;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>
/// Hostile and careless net.json files (docs/formats.md, "Limits"): every one is an
/// <see cref="InputException"/> with one short line, within 2 s. The huge inputs are generated here.
/// </summary>
public class HostileInputTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// For inputs that are accepted and read in full: about 0.1–1 s alone, but the whole suite runs
    /// in parallel on two cores; quadratic reading took 21 s and more, so this still tells them apart.
    /// </summary>
    private static readonly TimeSpan AcceptedBudget = TimeSpan.FromSeconds(10);

    /// <summary>A one-input network whose layer has the given bias entries (as JSON values) and weight 1 each.</summary>
    private static string Net(IReadOnlyList<string> bias) =>
        $$"""{"input_dim": 1, "layers": [{"weights": [{{string.Join(",", bias.Select(_ => "[1]"))}}], "bias": [{{string.Join(",", bias)}}], "activation": "relu"}, """ +
        $$"""{"weights": [[{{string.Join(",", bias.Select(_ => "1"))}}]], "bias": [0], "activation": "identity"}]}""";

    private static InputException Rejected(string json, string path, string mention)
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.UTF8.GetBytes(json), "hostile.json"));
        Assert.True(clock.Elapsed < Budget, $"took {clock.Elapsed.TotalSeconds:0.0} s: {e.Message}");
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(mention, e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Message.Length < 300, $"a {e.Message.Length}-character message: {e.Message[..Math.Min(300, e.Message.Length)]}");
        return e;
    }

    [Fact]
    public void AMillionDigitBiasIsRejectedByItsLength()
    {
        var e = Rejected(Net(['"' + "7" + new string('3', 999_999) + '"']), "$.layers[0].bias[0]", $"longer than {ExactNumberParser.MaxLength} characters");
        Assert.Contains("(1000000 characters)", e.Problem, StringComparison.Ordinal);
        Rejected(Net(["0." + new string('1', 999_999)]), "$.layers[0].bias[0]", "longer than"); // as a JSON number literal
        Rejected(Net(['"' + new string('1', 600_000) + "/" + new string('3', 400_000) + '"']), "$.layers[0].bias[0]", "longer than");
    }

    [Fact]
    public void HugeExponentsAreRejected()
    {
        Rejected(Net([.. Enumerable.Repeat("\"1e99999\"", 180)]), "$.layers[0].bias[0]", "exponent beyond ±10000");
        Rejected(Net(["1e10001"]), "$.layers[0].bias[0]", "exponent beyond ±10000");
        Rejected(Net(["\"0x1p-10001\""]), "$.layers[0].bias[0]", "binary exponent beyond ±10000");
        Assert.True(ExactNumberParser.TryParse("1e10000", out var big, out _));
        Assert.Equal(BigInteger.Pow(10, 10000), big.Numerator);
        Assert.True(ExactNumberParser.TryParse("0x1p-10000", out var tiny, out _));
        Assert.Equal(BigInteger.One << 10000, tiny.Denominator);
    }

    [Fact]
    public void ANumberOfExactlyTheLimitIsAccepted()
    {
        string longest = "1" + new string('0', ExactNumberParser.MaxLength - 1);
        Assert.True(ExactNumberParser.TryParse(longest, out var value, out var problem), problem);
        Assert.Equal(BigInteger.Pow(10, ExactNumberParser.MaxLength - 1), value.Numerator);
        Assert.False(ExactNumberParser.TryParse(longest + "0", out _, out _));
    }

    [Fact]
    public void ManyLargeValuesExceedTheFileBudget()
    {
        // 1 100 values of 10 000 digits each, from 7 characters of text each.
        var e = Rejected(Net([.. Enumerable.Repeat("\"1e9999\"", 1_100)]), "$.layers[0].bias[1000]", $"more than {NetworkReader.MaxTotalDigits} decimal digits");
        Assert.Contains("limit for one file", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHashOfLargeValuesIsFastAndExact()
    {
        // 500 values of 10 000 digits (5 million digits, under the file budget) and a few of mixed shapes.
        var p = BigInteger.Pow(3, 12_000) + 1;
        var q = BigInteger.Pow(7, 3_500);
        string[] special = [$"\"{p}\"", $"\"-{p}/{q}\"", "\"1e-9999\"", "\"0x1.fffffffffffffp-1022\"", "\"-123456789012345678901234567890/7\""];
        var bias = special.Concat(Enumerable.Repeat("\"1e9999\"", 500)).ToList();
        var clock = Stopwatch.StartNew();
        var network = NetworkReader.Parse(Encoding.UTF8.GetBytes(Net(bias)), "large.json");
        string text = NetworkHash.CanonicalText(network);
        Assert.True(clock.Elapsed < AcceptedBudget, $"reading and hashing took {clock.Elapsed.TotalSeconds:0.0} s");

        var expected = new StringBuilder("b");
        foreach (var v in network.Layers[0].Bias)
            expected.Append(' ').Append(v.Denominator.IsOne ? v.Numerator.ToString() : $"{v.Numerator}/{v.Denominator}");
        Assert.Contains("\n" + expected + "\n", text, StringComparison.Ordinal);
        Assert.Contains($" {p} -", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AWideLayerIsReadInLinearTime()
    {
        var clock = Stopwatch.StartNew();
        var network = NetworkReader.Parse(Encoding.UTF8.GetBytes(Net([.. Enumerable.Repeat("\"-123/4567\"", 100_000)])), "wide.json");
        Assert.Equal(64, NetworkHash.Sha256(network).Length);
        Assert.True(clock.Elapsed < AcceptedBudget, $"reading and hashing took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void UnreadableFilesAreSaidPlainly()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"convexproof-hostile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var missing = Assert.Throws<InputException>(() => NetworkReader.ReadFile(Path.Combine(folder, "missing.json")));
            Assert.Equal("cannot read the file: no such file", missing.Problem);
            var nowhere = Assert.Throws<InputException>(() => NetworkReader.ReadFile(Path.Combine(folder, "no", "such", "net.json")));
            Assert.Equal("cannot read the file: no such file", nowhere.Problem);
            var directory = Assert.Throws<InputException>(() => NetworkReader.ReadFile(folder));
            Assert.Equal("cannot read the file: it is a directory", directory.Problem);
            foreach (var e in new[] { missing, nowhere, directory }) Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
        }
        finally { Directory.Delete(folder, recursive: true); }
        // Permission denied cannot be produced as root (the tests may run as root): the mapping itself.
        Assert.Equal("cannot read the file: permission denied",
            InputException.Unreadable("/x/net.json", "$", new UnauthorizedAccessException("Access to the path '/x/net.json' is denied.")).Problem);
        Assert.Equal("cannot read the file: an I/O error", InputException.Unreadable("/x/net.json", "$", new IOException("Input/output error")).Problem);
    }

    private const string Abs = """{"input_dim": 1, "layers": [{"weights": [[1], [-1]], "bias": [0, 0], "activation": "relu"}, {"weights": [[1, 1]], "bias": [0], "activation": "identity"}]}""";

    [Fact]
    public void AUtf8ByteOrderMarkIsSkipped()
    {
        var plain = NetworkReader.Parse(Encoding.UTF8.GetBytes(Abs), "abs.json");
        var marked = NetworkReader.Parse((byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Abs)], "abs.json");
        Assert.Equal(NetworkHash.Sha256(plain), NetworkHash.Sha256(marked));
    }

    [Fact]
    public void Utf16AndDeepNestingAreNamed()
    {
        var e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Abs)).ToArray(), "abs.json"));
        Assert.Contains("UTF-16", e.Problem, StringComparison.Ordinal);
        string deep = """{"input_dim": 1, "layers": """ + new string('[', 40) + new string(']', 40) + "}";
        e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.UTF8.GetBytes(deep), "deep.json"));
        Assert.Contains($"nested deeper than {NetworkReader.MaxDepth} levels", e.Problem, StringComparison.Ordinal);
        // At the limit exactly it is valid JSON (and then a schema error); a truncated file is just invalid JSON.
        string atLimit = """{"input_dim": 1, "layers": """ + new string('[', NetworkReader.MaxDepth - 1) + new string(']', NetworkReader.MaxDepth - 1) + "}";
        e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.UTF8.GetBytes(atLimit), "limit.json"));
        Assert.DoesNotContain("JSON", e.Problem, StringComparison.Ordinal);
        e = Assert.Throws<InputException>(() => NetworkReader.Parse(Encoding.UTF8.GetBytes(Abs[..40]), "cut.json"));
        Assert.StartsWith("invalid JSON at line 1", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("nested", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LongKeysAndTextsAreShortenedInMessages()
    {
        string key = new('k', 100_000);
        var e = Rejected($$"""{"input_dim": 1, "{{key}}": 0, "layers": []}""", $"$.{ExactNumberParser.Shorten(key)}", "unknown key");
        Assert.Contains("(100000 characters)", e.JsonPath, StringComparison.Ordinal);
        Rejected(Net(['"' + new string('z', 5_000) + '"']), "$.layers[0].bias[0]", "is not a number");
    }
}
