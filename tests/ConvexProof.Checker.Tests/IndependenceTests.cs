namespace ConvexProof.Checker.Tests;

/// <summary>The checker is the trusted base: it must not depend on the engine or on any package.</summary>
public class IndependenceTests
{
    [Fact]
    public void CheckerProjectReferencesNothing()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ConvexProof.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        string csproj = File.ReadAllText(Path.Combine(dir, "src", "ConvexProof.Checker", "ConvexProof.Checker.csproj"));
        Assert.DoesNotContain("ProjectReference", csproj);
        Assert.DoesNotContain("PackageReference", csproj);
        Assert.DoesNotContain("Reference Include", csproj);
    }

    [Fact]
    public void CheckerAssemblyLoadsOnlyTheBaseLibrary()
    {
        var references = typeof(CertificateChecker).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));
    }
}
