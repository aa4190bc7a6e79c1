namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// What is wrong with a file the CLI is about to read or write, in the words of every message of
/// the CLI ("no such file", "is a directory", "permission denied"), never a .NET type name.
/// </summary>
public static class InputFiles
{
    /// <summary>Why <paramref name="path"/> cannot be read, or null when it can be opened.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0) return "no file name given";
        if (Directory.Exists(path)) return "is a directory";
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Describe(e);
        }
    }

    /// <summary>Why an output file at <paramref name="path"/> cannot be created, or null.</summary>
    public static string? OutputProblem(string path)
    {
        if (path.Length == 0) return "no file name given";
        if (Directory.Exists(path)) return "is a directory";
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (File.Exists(folder)) return $"{folder} is a file, not a directory";
        if (!Directory.Exists(folder)) return $"no such directory {folder}";
        return CreateProblem(folder);
    }

    /// <summary>Why no file can be created in <paramref name="folder"/> (tried with a file that deletes itself), or null.</summary>
    public static string? CreateProblem(string folder)
    {
        string probe = Path.Combine(folder, $".convexproof.{Environment.ProcessId}.{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Describe(e);
        }
    }

    /// <summary>An I/O failure as the CLI says it.</summary>
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        _ => e.Message.TrimEnd('.'),
    };
}
