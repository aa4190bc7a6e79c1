using System.Text.Json;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Penalty;
using ConvexProof.Regions;
using ConvexProof.Smt;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// The loop of `serve`: one request per line in, one answer per line out, flushed at once. Every
/// failure — malformed JSON, a bad network, an unwritable certificate, even an internal error —
/// becomes an answer with "ok": false, and the loop reads the next line. Nothing is kept from one
/// request to the next, so memory does not grow with the number of requests.
/// </summary>
public sealed class ServeLoop(int threads)
{
    /// <summary>
    /// The longest request line read (characters): a net.json holds at most 10^7 digits, so real
    /// requests are far shorter; a longer line is skipped to its end and answered with an error,
    /// instead of being held in memory whole.
    /// </summary>
    public const int MaxRequestChars = 64 << 20;

    /// <summary>Serves until the input ends; blank lines are skipped (no answer).</summary>
    public void Run(TextReader input, TextWriter output, int maxRequestChars = MaxRequestChars)
    {
        while (ReadLine(input, maxRequestChars, out bool tooLong) is string line)
        {
            if (!tooLong && string.IsNullOrWhiteSpace(line)) continue;
            output.Write(tooLong ? Error(null, ExitCodes.Usage, null, null, $"the request line is longer than {maxRequestChars} characters (skipped)") : Answer(line));
            output.Write('\n');
            output.Flush();
        }
    }

    /// <summary>The next line without its end ("\n" or "\r\n"), or null at the end of the input; a line longer than <paramref name="max"/> is consumed and returned empty with <paramref name="tooLong"/> set.</summary>
    private static string? ReadLine(TextReader input, int max, out bool tooLong)
    {
        var line = new System.Text.StringBuilder();
        tooLong = false;
        int c;
        while ((c = input.Read()) >= 0 && c != '\n')
        {
            if (tooLong) continue;
            if (line.Length == max) (tooLong, line) = (true, line.Clear());
            else line.Append((char)c);
        }
        if (c < 0 && line.Length == 0 && !tooLong) return null;
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        return line.ToString();
    }

    /// <summary>The answer line (without its newline) to one request line.</summary>
    public string Answer(string line)
    {
        string? id = ServeRequest.IdOf(line);
        try
        {
            var request = ServeRequest.Parse(line);
            return request.Action == ServeAction.Penalty ? Penalty(id, request) : Certify(id, request);
        }
        catch (ServeRequestException e)
        {
            return Error(id, ExitCodes.Usage, e.JsonPath, null, $"{e.JsonPath}: {e.Problem}");
        }
        catch (InputException e)
        {
            return Error(id, ExitCodes.Usage, e.JsonPath, e.File, e.Message);
        }
        catch (UsageException e)
        {
            return Error(id, ExitCodes.Usage, null, null, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug: reported like the CLI's exit 4, but the server stays up for the next request.
            return Error(id, ExitCodes.Internal, null, null, "internal error: " + CliMain.InternalMessage(e));
        }
    }

    private string Penalty(string? id, ServeRequest r)
    {
        Geometry.Domain domain;
        try
        {
            domain = BoxOption.Parse(r.Box, r.Network.InputDim, "box");
        }
        catch (UsageException e)
        {
            throw new ServeRequestException("$.box", $"{e.Message} (the network has {r.Network.InputDim} inputs)");
        }
        var report = PenaltyCalculator.Compute(r.Network, domain, new ExplorationLimits(r.MaxRegions ?? int.MaxValue, r.Timeout), threads);
        return Ok(id, PenaltyJson.ExitCode(report), w => PenaltyJson.Write(w, r.NetworkName, r.Network, report));
    }

    private string Certify(string? id, ServeRequest r)
    {
        var settings = new CertifySettings(r.Box, new ExplorationLimits(r.MaxRegions ?? int.MaxValue, r.Timeout), Json: true, Quiet: true,
            ProgressDisplay.Create(TextWriter.Null, quiet: true, forced: false), new SmtOptions { Timeout = TimeSpan.FromSeconds(10) },
            threads, r.AllViolations, TextWriter.Null)
        {
            Method = MethodChoice.Parse(r.Method),
        };
        AtomicFile.RequireWritable(r.Out!);
        var outcome = NetworkCertification.Run(r.NetworkFile!, r.Out!, settings);
        if (outcome.Error is not null)
            return Error(id, ExitCodes.Usage, outcome.Input?.JsonPath, outcome.Input?.File ?? r.NetworkFile, outcome.Error);
        return Ok(id, outcome.ExitCode, w => w.WriteRawValue(CertifyJson.Of(outcome)));
    }

    private static string Ok(string? id, int exitCode, Action<Utf8JsonWriter> result) => JsonLine.Write(w =>
    {
        w.WriteStartObject();
        WriteId(w, id);
        w.WriteBoolean("ok", true);
        w.WriteNumber("exit_code", exitCode);
        w.WritePropertyName("result");
        result(w);
        w.WriteEndObject();
    });

    private static string Error(string? id, int exitCode, string? jsonPath, string? file, string message) => JsonLine.Write(w =>
    {
        w.WriteStartObject();
        WriteId(w, id);
        w.WriteBoolean("ok", false);
        w.WriteNumber("exit_code", exitCode);
        w.WriteStartObject("error");
        w.WriteString("message", message);
        if (jsonPath is null) w.WriteNull("json_path"); else w.WriteString("json_path", jsonPath);
        if (file is null) w.WriteNull("file"); else w.WriteString("file", file);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void WriteId(Utf8JsonWriter w, string? id)
    {
        w.WritePropertyName("id");
        if (id is null) w.WriteNullValue(); else w.WriteRawValue(id);
    }
}
