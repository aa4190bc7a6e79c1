using System.CommandLine;
using System.Text;
using ConvexProof.Cli.Infrastructure;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof serve`: a long-running process for training loops, which pay the start-up once.
/// Reads one JSON request per line on stdin and writes one JSON answer per line on stdout
/// (<see cref="ServeLoop"/>; protocol in docs/formats.md); ends at the end of stdin.
/// </summary>
public sealed class ServeCommand : ICommand
{
    private readonly Option<string> _threads = CommandOptions.Count("--threads", "N", 1, 1024, "threads for region analysis per request (default: all cores; answers are the same)");

    public ServeCommand()
    {
        Definition = new Command("serve", "answer penalty and certify requests, one JSON line each on stdin/stdout (for training loops)") { _threads };
        Definition.Description += """

            Reads requests, one JSON object per line, on stdin, e.g.
              {"id": 1, "command": "penalty", "network": {net.json object}, "box": "-10:10"}
              {"id": 2, "command": "certify", "network_file": "net.json", "out": "net.cert.json"}
            and writes one answer line per request on stdout: {"id": …, "ok": true, "exit_code": …,
            "result": {…}} with the object of `penalty --json` or `certify --json`, or {"id": …, "ok":
            false, "exit_code": 2 or 4, "error": {…}}. A malformed request gets an error answer and the
            server keeps serving; blank lines are skipped. Ends (exit 0) when stdin ends.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof serve [--threads N]";
    public string Epilogue => "exit codes: 0 stdin ended (errors in requests are answers, not exit codes), 2 usage\n";
    public string WrongArgumentCount(int given) => "serve takes no arguments: requests come on stdin (see 'convexproof serve --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        new ServeLoop(CommandOptions.CountOf(parsed, _threads) ?? Environment.ProcessorCount).Run(input, context.Out);
        return ExitCodes.Ok;
    }
}
