using System.Security.Cryptography;
using System.Text;

namespace ConvexProof.Checker.Tests;

/// <summary>Unreadable or malformed inputs are input errors (exit 2), and the number and hash rules.</summary>
public class InputTests
{
    private static CheckerInputException InputError(string net, string cert) =>
        Assert.Throws<CheckerInputException>(() => CertificateChecker.Check(net, cert));

    [Fact]
    public void MissingFilesAreInputErrors()
    {
        var e = InputError("/nonexistent/net.json", Fixture.Cert("relu"));
        Assert.Equal("/nonexistent/net.json", e.File);
        e = InputError(Fixture.Net("relu"), "/nonexistent/cert.json");
        Assert.Equal("/nonexistent/cert.json", e.File);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("{", "$", "invalid JSON")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [[1]], "biases": [0], "activation": "relu"}]}""", "$.layers[0].biases", "unknown key")]
    [InlineData("""{"input_dim": 1, "input_dim": 1, "layers": []}""", "$.input_dim", "twice")]
    [InlineData("""{"input_dim": 0, "layers": []}""", "$.input_dim", "whole number")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [[1, 2]], "bias": [0], "activation": "identity"}]}""", "$.layers[0].weights[0]", "expected 1 entries")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [[1]], "bias": [0], "activation": "relu"}]}""", "$.layers[0].activation", "identity")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [[1], [2]], "bias": [0, 0], "activation": "identity"}]}""", "$.layers[0].bias", "one output")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [["1/0"]], "bias": [0], "activation": "identity"}]}""", "$.layers[0].weights[0][0]", "zero denominator")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [["NaN"]], "bias": [0], "activation": "identity"}]}""", "$.layers[0].weights[0][0]", "not a number")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [["1e100001"]], "bias": [0], "activation": "identity"}]}""", "$.layers[0].weights[0][0]", "exponent")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [[true]], "bias": [0], "activation": "identity"}]}""", "$.layers[0].weights[0][0]", "expected a number")]
    [InlineData("""{"input_dim": 1, "layers": [{"weights": [[1]], "bias": [0], "skip": [[1, 2]], "activation": "identity"}]}""", "$.layers[0].skip[0]", "expected 1 entries")]
    public void MalformedNetworkIsAnInputError(string json, string path, string problem)
    {
        string temp = Fixture.Temp(json);
        try
        {
            var e = InputError(temp, Fixture.Cert("relu"));
            Assert.Equal(temp, e.File);
            Assert.Equal(path, e.JsonPath);
            Assert.Contains(problem, e.Problem);
        }
        finally { File.Delete(temp); }
    }

    [Theory]
    [InlineData("0.1", "1/10")]
    [InlineData("-1.5e-3", "-3/2000")]
    [InlineData("2", "2")]
    [InlineData("+2.50", "5/2")]
    [InlineData("-10/4", "-5/2")]
    [InlineData("0x1.99999ap-4", "13421773/134217728")]
    [InlineData("-0x1p-3", "-1/8")]
    [InlineData("0x1.8p1", "3")]
    [InlineData("1E2", "100")]
    [InlineData(".5", "1/2")]
    public void NetNumberNotationsAreExact(string text, string canonical)
    {
        Assert.True(NetNumber.TryParse(text, out var v, out var problem), problem);
        Assert.Equal(canonical, v.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1/0")]
    [InlineData("3/-4")]
    [InlineData(" 1")]
    [InlineData("1e")]
    [InlineData("0x")]
    [InlineData("--1")]
    [InlineData("1.2.3")]
    public void BadNetNumbersAreRejected(string text) => Assert.False(NetNumber.TryParse(text, out _, out _));

    [Fact]
    public void RationalArithmeticIsExactAndReduced()
    {
        var third = new Rational(1, 3);
        var sixth = new Rational(-2, -12);
        Assert.Equal("1/2", (third + sixth).ToString());
        Assert.Equal("1/18", (third * sixth).ToString());
        Assert.Equal("2", (third / sixth).ToString());
        Assert.Equal("0", (third - third).ToString());
        Assert.Equal("-1/6", (-sixth).ToString());
        Assert.True(new Rational(-1, 2) < new Rational(-1, 3));
        Assert.Equal(new Rational(6, 4), new Rational(3, 2));
        Assert.True(Rational.TryParseCanonical("-123456789012345678901234567891/7", out var big));
        Assert.Equal("-123456789012345678901234567891/7", big.ToString());
    }

    /// <summary>Integers are read in 38-digit chunks: every length around the chunk boundaries reads back exactly.</summary>
    [Fact]
    public void LongIntegersAreParsedExactly()
    {
        var digits = string.Concat(Enumerable.Range(0, 120).Select(i => (char)('1' + (i * 7) % 9)));
        foreach (int length in new[] { 1, 18, 19, 37, 38, 39, 40, 75, 76, 77, 114, 120 })
            foreach (string text in new[] { digits[..length], "-" + digits[..length], $"{digits[..length]}/{System.Numerics.BigInteger.Parse(digits[..length]) + 1}" })
            {
                Assert.True(Rational.TryParseCanonical(text, out var value), text);
                Assert.Equal(text, value.Denominator.IsOne ? $"{value.Numerator}" : $"{value.Numerator}/{value.Denominator}");
            }
        Assert.False(Rational.TryParseCanonical("1" + new string('0', 40) + "x", out _));
        Assert.False(Rational.TryParseCanonical("0" + digits[..40], out _));
        // Each chunk is read as two 64-bit halves of up to 19 digits: all nines, zeros and random digits
        // at every length up to three chunks agree with BigInteger's parse.
        var random = new Random(3);
        for (int length = 1; length <= 116; length++)
            foreach (string text in new[] { new string('9', length), "1" + new string('0', length - 1),
                         string.Concat(Enumerable.Range(0, length).Select(i => (char)((i == 0 ? '1' : '0') + random.Next(i == 0 ? 9 : 10)))) })
            {
                Assert.True(Rational.TryParseCanonical("-" + text, out var value), text);
                Assert.Equal(-System.Numerics.BigInteger.Parse(text), value.Numerator);
            }
    }

    [Fact]
    public void HashFollowsTheCanonicalText()
    {
        // docs/formats.md: every value in canonical form, so 0.5 and "1/2" hash alike.
        string text = "convexproof-network/1\ninput_dim 2\nlayer relu 2 2 noskip\nw 1 -2\nw 1/2 3/4\nb 0 1\n" +
                      "layer identity 1 2 skip\nw 1 1\nb 0\ns 0 1\n";
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        string net = Fixture.Temp("""
            { "input_dim": 2,
              "layers": [
                { "weights": [[1, -2], [0.5, "3/4"]], "bias": [0, "0x1p0"], "activation": "relu" },
                { "weights": [[1, "2/2"]], "bias": [0], "skip": [[0, 1]], "activation": "linear" } ] }
            """);
        try { Assert.Equal(expected, CertificateChecker.NetworkSha256(net)); }
        finally { File.Delete(net); }
    }
}
