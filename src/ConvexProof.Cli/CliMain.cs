using System.CommandLine;
using ConvexProof.Cli.Commands;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;

namespace ConvexProof.Cli;

/// <summary>
/// Entry point: parses the command line (System.CommandLine, see <see cref="CommandLine"/>), runs
/// the command and turns failures into exit codes: input and usage errors exit 2 with one line;
/// anything unexpected exits 4 with one line (the stack trace only with --debug).
/// </summary>
public static class CliMain
{
    /// <summary>Every command of the CLI, in the order `--help` lists them.</summary>
    public static IReadOnlyList<ICommand> CreateCommands() =>
    [
        new CertifyCommand(),
        new CheckCommand(),
        new SimplifyCommand(),
        new CheckEquivCommand(),
        new ToIcnnCommand(),
        new ImportCommand(),
        new SmtCheckCommand(),
        new PlotCommand(),
        new CensusCommand(),
        new InfoCommand(),
        new CompletionCommand(),
        new PlanCommand(),
        new MergeCommand(),
        new PenaltyCommand(),
        new ServeCommand(),
    ];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, CreateCommands());

    /// <summary>Runs with the given commands (tests inject a failing one to exercise the internal-error path).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyList<ICommand> commands)
    {
        var line = new CommandLine(commands);
        var context = new CliContext(stdout, stderr);
        line.Bind(context);
        bool debug = false;
        try
        {
            var parsed = line.Parse(args);
            debug = parsed.GetValue(line.Debug);
            if (line.FirstError(parsed, args) is string error) throw new UsageException(error);
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false, // failures become exit codes below
                ProcessTerminationTimeout = null,      // signals: TemporaryFiles.RemoveOnSignals
            });
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

    /// <summary>The text of `convexproof --help`.</summary>
    public static string HelpText() => new CommandLine(CreateCommands()).RootHelp();
}
