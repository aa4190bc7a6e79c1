using System.Text.RegularExpressions;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// The trusted checker stays small enough to read: at most 1 500 code lines, and docs/certificate.md
/// states the current count. A code line (the one definition, also in docs/certificate.md) is a
/// line of a .cs file in src/ConvexProof.Checker that is neither blank nor only a comment: after its
/// leading whitespace it does not begin with "//" (which covers "///" documentation). Braces,
/// attributes and usings count.
/// </summary>
public class CheckerSizeTests
{
    public const int Limit = 1_500;

    public static int CodeLines(string root) =>
        Directory.GetFiles(Path.Combine(root, "src", "ConvexProof.Checker"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Count(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [Fact]
    public void TheCheckerHasAtMost1500CodeLines()
    {
        int lines = CodeLines(IndependenceTests.RepositoryRoot());
        Assert.True(lines <= Limit, $"the checker has {lines} code lines, more than {Limit}: make it smaller (remove redundancy, not checks)");
    }

    [Fact]
    public void TheDocumentationStatesTheCount()
    {
        string root = IndependenceTests.RepositoryRoot();
        int lines = CodeLines(root);
        var figures = Regex.Matches(File.ReadAllText(Path.Combine(root, "docs", "certificate.md")), @"(\d[\d ]*\d) code lines")
            .Select(m => int.Parse(m.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, f => Assert.True(f == lines, $"docs/certificate.md says {f} code lines, the checker has {lines}"));
    }
}
