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
}
