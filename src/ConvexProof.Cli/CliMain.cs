using ConvexProof.Cli.Commands;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;

namespace ConvexProof.Cli;

/// <summary>Entry point: dispatches to a command and turns expected failures into exit codes.</summary>
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

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
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
            var command = Commands.FirstOrDefault(c => c.Name == args[0])
                ?? throw new UsageException($"unknown command '{args[0]}' (commands: {string.Join(", ", Commands.Select(c => c.Name))}; see --help)");
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
    }

    public static string HelpText()
    {
        var lines = new List<string>
        {
            "convexproof — decide exactly whether a ReLU network is convex, with a checkable certificate",
            "",
            "usage: convexproof <command> [arguments] [--quiet]",
            "",
            "commands:",
        };
        foreach (var c in Commands) lines.Add($"  {c.Name,-10} {c.Summary}");
        lines.Add("");
        lines.Add("exit codes: 0 convex / valid, 1 not convex / invalid, 2 input or usage error, 3 undecided (limit reached)");
        lines.Add("'convexproof <command> --help' shows a command's options; docs/cli.md has the details.");
        return string.Join('\n', lines) + "\n";
    }
}
