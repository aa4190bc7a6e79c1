using System.Text.RegularExpressions;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// The trusted checker stays small enough to read: its core (every file outside Composition/) at
/// most 1 500 code lines, the composition checker (src/ConvexProof.Checker/Composition) at most 400,
/// and docs/certificate.md states both counts ("core: N code lines", "composition: M code lines"). A
/// code line (the one definition, also in docs/certificate.md) is a line of a .cs file that is
/// neither blank nor only a comment: after its leading whitespace it does not begin with "//" (which
/// covers "///" documentation). Braces, attributes and usings count.
/// </summary>
public class CheckerSizeTests
{
    public const int Limit = 1_500;
    public const int CompositionLimit = 400;

    private static readonly string Composition = $"{Path.DirectorySeparatorChar}Composition{Path.DirectorySeparatorChar}";

    /// <summary>Code lines of the core (<paramref name="composition"/> false) or of Composition/ (true).</summary>
    public static int CodeLines(string root, bool composition = false) =>
        Directory.GetFiles(Path.Combine(root, "src", "ConvexProof.Checker"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && f.Contains(Composition, StringComparison.Ordinal) == composition)
            .SelectMany(File.ReadLines)
            .Count(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [Fact]
    public void TheCheckerCoreHasAtMost1500CodeLines()
    {
        int lines = CodeLines(IndependenceTests.RepositoryRoot());
        Assert.True(lines <= Limit, $"the checker's core has {lines} code lines, more than {Limit}: make it smaller (remove redundancy, not checks)");
    }

    [Fact]
    public void TheCompositionCheckerHasAtMost400CodeLines()
    {
        int lines = CodeLines(IndependenceTests.RepositoryRoot(), composition: true);
        Assert.True(lines > 0, "src/ConvexProof.Checker/Composition has no code: the count would pass by accident");
        Assert.True(lines <= CompositionLimit, $"the composition checker has {lines} code lines, more than {CompositionLimit}: make it smaller");
    }

    [Fact]
    public void TheDocumentationStatesBothCounts()
    {
        string root = IndependenceTests.RepositoryRoot();
        var counts = new Dictionary<string, int> { ["core"] = CodeLines(root), ["composition"] = CodeLines(root, composition: true) };
        var figures = Regex.Matches(File.ReadAllText(Path.Combine(root, "docs", "certificate.md")), @"(?:(\w+): )?(\d[\d ]*\d) code lines")
            .Select(m => (Part: m.Groups[1].Value, Lines: int.Parse(m.Groups[2].Value.Replace(" ", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))).ToList();
        foreach (var part in counts.Keys) Assert.Contains(figures, f => f.Part == part);
        Assert.All(figures, f => Assert.True(counts.TryGetValue(f.Part, out int lines) && f.Lines == lines,
            counts.ContainsKey(f.Part) ? $"docs/certificate.md says {f.Part}: {f.Lines} code lines, the checker has {counts[f.Part]}"
                : $"docs/certificate.md gives a figure \"{f.Lines} code lines\" without saying whose (write \"core: N code lines\" or \"composition: N code lines\")"));
    }
}
