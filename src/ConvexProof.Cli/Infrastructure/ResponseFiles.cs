using System.CommandLine.Parsing;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// <c>@FILE</c> on the command line stands for the arguments in FILE: one or more per line, split
/// at spaces outside quotes; blank lines and lines starting with '#' are skipped. A file that
/// cannot be read is a usage error naming it in the CLI's words.
/// </summary>
public static class ResponseFiles
{
    public static bool TryExpand(string path, out IReadOnlyList<string>? arguments, out string? error)
    {
        arguments = null;
        if (InputFiles.Problem(path) is string problem)
        {
            error = $"response file @{path}: {problem}";
            return false;
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"response file @{path}: cannot read it ({InputFiles.Describe(e)})";
            return false;
        }
        var list = new List<string>();
        foreach (var raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            list.AddRange(CommandLineParser.SplitCommandLine(line));
        }
        arguments = list;
        error = null;
        return true;
    }
}
