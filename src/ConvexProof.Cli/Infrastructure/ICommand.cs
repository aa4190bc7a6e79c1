namespace ConvexProof.Cli.Infrastructure;

/// <summary>One CLI command. Throw <see cref="UsageException"/> or <c>InputException</c> for user errors.</summary>
public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    string Usage { get; }
    int Run(string[] args, CliContext context);
}

/// <summary>Where a command writes: results to Out, progress and errors to Error.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error);

/// <summary>A malformed command line; the CLI prints the message and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
