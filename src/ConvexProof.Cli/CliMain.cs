using ConvexProof.Cli.Commands;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;

namespace ConvexProof.Cli;

/// <summary>
/// Entry point: dispatches to a command and turns failures into exit codes: input and usage errors
/// exit 2; anything unexpected exits 4 with one line (the stack trace only with --debug).
/// </summary>
public static class CliMain
{
    /// <summary>Every command of the CLI, in the order `--help` lists them.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new CertifyCommand(),
        new CheckCommand(),
        new ImportCommand(),
        new SmtCheckCommand(),
        new PlotCommand(),
        new InfoCommand(),
    ];

    /// <summary>The global option that adds the stack trace to an internal error.</summary>
    public const string DebugOption = "--debug";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, Commands);

    /// <summary>Runs with the given commands (tests inject a failing one to exercise the internal-error path).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyList<ICommand> commands)
    {
        // Global: accepted anywhere on the command line, by every command.
        bool debug = args.Contains(DebugOption);
        args = [.. args.Where(a => a != DebugOption)];
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                stdout.Write(HelpText());
                return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
            }
            if (args[0] is "--version" or "-V" or "version")
            {
                stdout.WriteLine(VersionInfo.Describe());
                return ExitCodes.Ok;
            }
            var command = commands.FirstOrDefault(c => c.Name == args[0])
                ?? throw new UsageException($"unknown command '{args[0]}' (commands: {string.Join(", ", commands.Select(c => c.Name))}; see --help)");
            var rest = args[1..];
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                stdout.Write(command.Usage);
                return ExitCodes.Ok;
            }
            return command.Run(rest, new CliContext(stdout, stderr));
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"convexproof: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"convexproof: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            // A bug, not the user's mistake. Output files are written through temporary files
            // that are removed on the way out, so none is left behind.
            stderr.WriteLine($"internal error: {InternalMessage(e)}");
            if (debug) stderr.WriteLine(e.ToString());
            stderr.Flush();
            return ExitCodes.Internal;
        }
    }

    /// <summary>The message of the exception that went wrong first: parallel loops wrap it in an AggregateException.</summary>
    internal static string InternalMessage(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: > 0 } aggregate) e = aggregate.InnerExceptions[0];
        const string prefix = "internal error: ";
        string message = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
        return e is InvalidOperationException && e.Message.StartsWith(prefix, StringComparison.Ordinal)
            ? message
            : $"{message} ({e.GetType().Name})";
    }

    public static string HelpText()
    {
        var lines = new List<string>
        {
            "convexproof — decide exactly whether a ReLU network is convex, with a checkable certificate",
            "",
            "usage: convexproof <command> [arguments] [--quiet] [--debug]",
            "",
            "commands:",
        };
        foreach (var c in Commands) lines.Add($"  {c.Name,-10} {c.Summary}");
        lines.Add("");
        lines.Add("exit codes: 0 convex / valid, 1 not convex / invalid, 2 input or usage error, 3 undecided (limit reached),");
        lines.Add("            4 internal error (one line; --debug, accepted by every command, adds the stack trace)");
        lines.Add("'convexproof <command> --help' shows a command's options; docs/cli.md has the details.");
        return string.Join('\n', lines) + "\n";
    }
}
