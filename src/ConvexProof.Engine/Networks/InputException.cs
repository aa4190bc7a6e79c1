namespace ConvexProof.Networks;

/// <summary>
/// Invalid input: names the file, the JSON path and what is wrong, so the CLI can print one line
/// and exit 2. Expected user errors use this type; any other exception is a bug.
/// </summary>
public sealed class InputException(string file, string jsonPath, string problem)
    : Exception($"{file}: {jsonPath}: {problem}")
{
    public string File { get; } = file;
    public string JsonPath { get; } = jsonPath;
    public string Problem { get; } = problem;

    /// <summary>True for the exceptions reading a file can throw (the ones <see cref="Unreadable"/> describes).</summary>
    public static bool IsReadFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    /// <summary>
    /// A file that could not be read, said the way a shell says it ("no such file", "permission
    /// denied", "is a directory") rather than with .NET exception names.
    /// </summary>
    public static InputException Unreadable(string path, string jsonPath, Exception e) =>
        new(path, jsonPath, "cannot read the file: " + (e switch
        {
            _ when Directory.Exists(path) => "it is a directory",
            FileNotFoundException or DirectoryNotFoundException => "no such file",
            UnauthorizedAccessException => "permission denied",
            PathTooLongException => "the path is too long",
            ArgumentException or NotSupportedException => "not a valid file name",
            _ => "an I/O error",
        }));
}
