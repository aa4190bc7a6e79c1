using System.Text.RegularExpressions;

namespace ConvexProof.Tests;

/// <summary>
/// The engine's folders depend on each other one way, in the order README's "Files" section gives:
/// a file may name only its own folder and folders listed before it. Read from the sources: every
/// <c>using ConvexProof.X</c>, <c>ConvexProof.X.</c> and folder-qualified name <c>X.Type</c> (also
/// in doc comments, which are part of what a reader has to follow).
/// </summary>
public class FolderDependencyTests
{
    /// <summary>Lowest first: each folder may use the ones before it.</summary>
    private static readonly string[] Order =
        ["Numbers", "Geometry", "Networks", "Regions", "Convexity", "Bounds", "Certificates", "Smt", "Plotting", "Baselines", "Census", "Sharding", "Penalty", "Simplification", "Composition"];

    private static readonly Regex Reference = new(
        $@"(?:\busing\s+(?:static\s+)?ConvexProof\.|\bConvexProof\.|(?<![\w.])(?=(?:{string.Join("|", Order)})\.[A-Z]))({string.Join("|", Order)})\b");

    private static string EngineFolder() => Path.Combine(ExampleCertificateTests.RepositoryRoot(), "src", "ConvexProof.Engine");

    /// <summary>(from folder, to folder, file) for every reference between two folders.</summary>
    private static List<(string From, string To, string File)> References()
    {
        var found = new List<(string, string, string)>();
        foreach (var folder in Directory.GetDirectories(EngineFolder()))
        {
            var name = Path.GetFileName(folder);
            if (name is "bin" or "obj") continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
                foreach (Match m in Reference.Matches(File.ReadAllText(file)))
                    if (m.Groups[1].Value != name) found.Add((name, m.Groups[1].Value, Path.GetRelativePath(EngineFolder(), file)));
        }
        return found;
    }

    [Fact]
    public void EveryEngineFolderHasAPlaceInTheOrder()
    {
        var folders = Directory.GetDirectories(EngineFolder()).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).ToList();
        Assert.NotEmpty(folders);
        foreach (var folder in folders) Assert.Contains(folder, Order);
        foreach (var folder in Order) Assert.Contains(folder, folders);
    }

    [Fact]
    public void FoldersDependOnlyOnEarlierFolders()
    {
        var references = References();
        // The scan sees the dependencies that must exist, so an empty result cannot pass by accident.
        Assert.Contains(references, r => r is { From: "Regions", To: "Geometry" });
        Assert.Contains(references, r => r is { From: "Geometry", To: "Numbers" });
        var backwards = references.Where(r => Array.IndexOf(Order, r.To) > Array.IndexOf(Order, r.From))
            .Select(r => $"{r.File} ({r.From}) uses {r.To}").Distinct().ToList();
        Assert.True(backwards.Count == 0, "folder dependencies against the order " + string.Join(" → ", Order) + ":\n" + string.Join("\n", backwards));
    }

    [Fact]
    public void TheScanFindsFolderQualifiedNames()
    {
        Assert.Equal("Convexity", Reference.Match("jump = Convexity.KinkValues.GradientJump(a, b, u);").Groups[1].Value);
        Assert.Equal("Geometry", Reference.Match("struct Rational : Geometry.ILpNumber<Rational>").Groups[1].Value);
        Assert.Equal("Regions", Reference.Match("using ConvexProof.Regions;").Groups[1].Value);
        Assert.DoesNotMatch(Reference, "the rows of the Regions. The folder");
    }
}
