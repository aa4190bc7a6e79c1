using System.Text.RegularExpressions;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// The trusted checker stays small enough to read: its core (every file outside the extension
/// folders) at most 1 500 code lines, each extension folder within its own limit — the equivalence
/// checker (src/ConvexProof.Checker/Equivalence) 500, the composition checker (Composition) 400,
/// the sharded-certificate checker (Shards) 300 — and docs/certificate.md states every count
/// ("core: N code lines", "equivalence: M code lines", "composition: K code lines", "shards: S code lines"). A code line (the one definition, also in docs/certificate.md) is a
/// line of a .cs file that is neither blank nor only a comment: after its leading whitespace it does
/// not begin with "//" (which covers "///" documentation). Braces, attributes and usings count.
/// </summary>
public class CheckerSizeTests
{
    public const int Limit = 1_500;

    /// <summary>The extension folders and their limits; everything else is the core.</summary>
    public static readonly IReadOnlyDictionary<string, int> Extensions = new Dictionary<string, int>
    {
        ["Equivalence"] = 500,
        ["Composition"] = 400,
        ["Shards"] = 300,
    };

    private static string? FolderOf(string file) =>
        Extensions.Keys.FirstOrDefault(e => file.Contains($"{Path.DirectorySeparatorChar}{e}{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>Code lines of the core (<paramref name="extension"/> null) or of one extension folder.</summary>
    public static int CodeLines(string root, string? extension = null) =>
        Directory.GetFiles(Path.Combine(root, "src", "ConvexProof.Checker"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && FolderOf(f) == extension)
            .SelectMany(File.ReadLines)
            .Count(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [Fact]
    public void TheCheckerCoreHasAtMost1500CodeLines()
    {
        int lines = CodeLines(IndependenceTests.RepositoryRoot());
        Assert.True(lines <= Limit, $"the checker's core has {lines} code lines, more than {Limit}: make it smaller (remove redundancy, not checks)");
    }

    [Theory]
    [InlineData("Equivalence")]
    [InlineData("Composition")]
    [InlineData("Shards")]
    public void EachExtensionStaysWithinItsLimit(string extension)
    {
        int lines = CodeLines(IndependenceTests.RepositoryRoot(), extension);
        Assert.True(lines > 0, $"src/ConvexProof.Checker/{extension} has no code: the count would pass by accident");
        Assert.True(lines <= Extensions[extension], $"{extension}/ has {lines} code lines, more than {Extensions[extension]}: make it smaller");
    }

    [Fact]
    public void TheDocumentationStatesEveryCount()
    {
        string root = IndependenceTests.RepositoryRoot();
        var counts = Extensions.Keys.ToDictionary(e => e.ToLowerInvariant(), e => CodeLines(root, e));
        counts["core"] = CodeLines(root);
        var figures = Regex.Matches(File.ReadAllText(Path.Combine(root, "docs", "certificate.md")), @"(?:(\w+): )?(\d[\d ]*\d) code lines")
            .Select(m => (Part: m.Groups[1].Value, Lines: int.Parse(m.Groups[2].Value.Replace(" ", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))).ToList();
        foreach (var part in counts.Keys) Assert.Contains(figures, f => f.Part == part);
        Assert.All(figures, f => Assert.True(counts.TryGetValue(f.Part, out int lines) && f.Lines == lines,
            counts.ContainsKey(f.Part) ? $"docs/certificate.md says {f.Part}: {f.Lines} code lines, the checker has {counts[f.Part]}"
                : $"docs/certificate.md gives a figure \"{f.Lines} code lines\" without saying whose (write \"core: N code lines\", \"equivalence: N code lines\" or \"composition: N code lines\")"));
    }
}
