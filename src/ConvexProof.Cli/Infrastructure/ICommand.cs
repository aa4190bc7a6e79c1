using System.CommandLine;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// One CLI command. <see cref="Definition"/> declares its arguments and options once: the parser,
/// the generated --help and tab completion all read it. Throw <see cref="UsageException"/> or
/// <c>InputException</c> for user errors.
/// </summary>
public interface ICommand
{
    Command Definition { get; }

    /// <summary>The first line of its help: "convexproof NAME ARGUMENTS [options]".</summary>
    string Synopsis { get; }

    /// <summary>Printed after the generated option list (exit codes, notes), or empty.</summary>
    string Epilogue { get; }

    /// <summary>The usage error for a wrong number of positional arguments.</summary>
    string WrongArgumentCount(int given);

    int Run(ParseResult parsed, CliContext context);
}

/// <summary>Where a command writes: results to Out, progress and errors to Error.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error);

/// <summary>A malformed command line; the CLI prints the message and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
