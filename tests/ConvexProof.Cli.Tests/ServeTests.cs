using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConvexProof.Cli.Commands;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// `convexproof serve`: one answer line per request line; malformed requests get error answers and
/// the server keeps serving; 1 000 requests in one process with stable memory.
/// </summary>
public class ServeTests
{
    private const string Hinges = """{"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-1],"activation":"relu"},{"weights":[[1,-2]],"bias":[0],"activation":"identity"}]}""";

    private static JsonElement Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    private static List<JsonElement> Serve(params string[] lines)
    {
        var output = new StringWriter { NewLine = "\n" };
        new ServeLoop(threads: 1).Run(new StringReader(string.Join("\n", lines) + "\n"), output);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];
    }

    [Fact]
    public void APenaltyRequestGetsThePenaltyObject()
    {
        var answer = Assert.Single(Serve($$"""{"id": "step-1", "command": "penalty", "network": {{Hinges}}}"""));
        Assert.Equal("step-1", answer.GetProperty("id").GetString());
        Assert.True(answer.GetProperty("ok").GetBoolean());
        Assert.Equal(1, answer.GetProperty("exit_code").GetInt32());
        var result = answer.GetProperty("result");
        Assert.Equal("convexproof-penalty/1", result.GetProperty("schema").GetString());
        Assert.Equal("2", result.GetProperty("penalty").GetString());
        Assert.Equal("$.network", result.GetProperty("network").GetString());
    }

    [Fact]
    public void AnOverlongLineIsSkippedWithAnErrorAnswerAndServingGoesOn()
    {
        string good = $$"""{"id": 3, "command": "penalty", "network": {{Hinges}}}""";
        var output = new StringWriter { NewLine = "\n" };
        string input = good + "\r\n" + new string('x', 5000) + "\n\n" + good;
        new ServeLoop(threads: 1).Run(new StringReader(input), output, maxRequestChars: 1000);
        var answers = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        Assert.Equal(3, answers.Count);
        Assert.True(answers[0].GetProperty("ok").GetBoolean());
        Assert.False(answers[1].GetProperty("ok").GetBoolean());
        Assert.Equal(2, answers[1].GetProperty("exit_code").GetInt32());
        Assert.Contains("longer than 1000 characters", answers[1].GetProperty("error").GetProperty("message").GetString());
        Assert.True(answers[2].GetProperty("ok").GetBoolean());
        Assert.Equal(3, answers[2].GetProperty("id").GetInt32());
    }

    [Fact]
    public void MalformedRequestsGetErrorAnswersAndServingGoesOn()
    {
        string good = $$"""{"id": 9, "command": "penalty", "network": {{Hinges}}, "box": "-2:2"}""";
        var answers = Serve(
            "not json",
            "[1, 2]",
            """{"id": 1, "command": "fly", "network": {}}""",
            """{"id": 2, "command": "penalty"}""",
            """{"id": 3, "command": "penalty", "network": {"input_dim": 1, "layers": [{"weights": [[1]], "bias": [0, 1], "activation": "relu"}]}}""",
            """{"id": 4, "command": "penalty", "network_file": "/no/such/net.json"}""",
            $$"""{"id": 5, "command": "penalty", "network": {{Hinges}}, "box": "0:1,0:1"}""",
            $$"""{"id": 6, "command": "penalty", "network": {{Hinges}}, "boxx": "0:1"}""",
            $$"""{"id": 7, "command": "certify", "network": {{Hinges}}, "out": "x.cert.json"}""",
            "",
            good);
        Assert.Equal(10, answers.Count); // the blank line has no answer
        foreach (var a in answers[..9])
        {
            Assert.False(a.GetProperty("ok").GetBoolean());
            Assert.Equal(2, a.GetProperty("exit_code").GetInt32());
            Assert.DoesNotContain("Exception", a.GetProperty("error").GetProperty("message").GetString());
        }
        Assert.Equal(JsonValueKind.Null, answers[0].GetProperty("id").ValueKind);
        Assert.Equal("$.command", answers[2].GetProperty("error").GetProperty("json_path").GetString());
        Assert.Equal("$.network.layers[0].weights", answers[4].GetProperty("error").GetProperty("json_path").GetString());
        Assert.Contains("no such file", answers[5].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("$.box", answers[6].GetProperty("error").GetProperty("json_path").GetString());
        Assert.Equal("$.boxx", answers[7].GetProperty("error").GetProperty("json_path").GetString());
        Assert.Equal("$.network_file", answers[8].GetProperty("error").GetProperty("json_path").GetString());
        Assert.True(answers[9].GetProperty("ok").GetBoolean());
        Assert.Equal(9, answers[9].GetProperty("id").GetInt32());
    }

    [Fact]
    public void ACertifyRequestWritesACertificateThatChecks()
    {
        using var dir = new TempFolder();
        string net = dir.Write("hinges.json", Hinges);
        string cert = dir.File("hinges.cert.json");
        var answer = Assert.Single(Serve(JsonSerializer.Serialize(new { id = 1, command = "certify", network_file = net, @out = cert, all_violations = true })));
        Assert.True(answer.GetProperty("ok").GetBoolean());
        Assert.Equal("not_convex", answer.GetProperty("result").GetProperty("verdict").GetString());
        Assert.Equal(cert, answer.GetProperty("result").GetProperty("certificate").GetString());
        Assert.Equal(0, Cli.Invoke("check", net, cert).Code);
    }

    [Fact]
    public void ThousandRequestsInOneProcessWithStableMemory()
    {
        using var process = CliProcess.StartWithInput("serve", "--threads", "1");
        process.StandardInput.AutoFlush = true;
        long rssAfterWarmUp = 0;
        for (int i = 1; i <= 1000; i++)
        {
            // Different weights every time (like a training loop), and a malformed request every 50th.
            string request = i % 50 == 0
                ? $$$"""{"id": {{{i}}}, "command": "penalty", "network": {"input_dim": 0}}"""
                : $$$"""{"id": {{{i}}}, "command": "penalty", "network": {"input_dim":2,"layers":[{"weights":[[1,"{{{i}}}/7"],[-1,1],[2,-1]],"bias":[0,1,-1],"activation":"relu"},{"weights":[[1,-1,"1/{{{i}}}"]],"bias":[0],"activation":"identity"}]}}""";
            process.StandardInput.WriteLine(request);
            string? line = process.StandardOutput.ReadLine();
            if (line is null) Assert.Fail($"no answer to request {i}: {process.StandardError.ReadToEnd()}");
            var answer = Parse(line!);
            Assert.Equal(i, answer.GetProperty("id").GetInt32());
            Assert.Equal(i % 50 != 0, answer.GetProperty("ok").GetBoolean());
            if (i == 200) rssAfterWarmUp = ResidentBytes(process);
        }
        long rssAtEnd = ResidentBytes(process);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(10_000), "serve did not end when stdin closed");
        Assert.Equal(0, process.ExitCode);
        Assert.True(rssAtEnd - rssAfterWarmUp < 32L << 20,
            $"resident memory grew from {rssAfterWarmUp >> 20} MiB after 200 requests to {rssAtEnd >> 20} MiB after 1000");
    }

    private static long ResidentBytes(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/PID/status");
    }
}
