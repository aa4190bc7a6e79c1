using System.Xml.Linq;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// The checker is the trusted base: it must not depend on the engine or on any package, neither by
/// a reference nor by compiling, importing or linking in sources from elsewhere.
/// </summary>
public class IndependenceTests
{
    public static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ConvexProof.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.True(dir is not null, $"no ConvexProof.sln above {AppContext.BaseDirectory}");
        return dir;
    }

    private static string CheckerFolder => Path.Combine(RepositoryRoot(), "src", "ConvexProof.Checker");

    /// <summary>The checker's project file and every Directory.Build.props/.targets that MSBuild applies to it.</summary>
    private static IEnumerable<string> BuildFiles()
    {
        yield return Path.Combine(CheckerFolder, "ConvexProof.Checker.csproj");
        string root = RepositoryRoot();
        for (string? dir = CheckerFolder; dir is not null && dir.StartsWith(root, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
                if (File.Exists(Path.Combine(dir, name))) yield return Path.Combine(dir, name);
    }

    /// <summary>What in a build file would make the checker depend on something else (empty: nothing).</summary>
    public static List<string> Dependencies(XDocument build)
    {
        string[] references = ["ProjectReference", "PackageReference", "PackageVersion", "Reference", "COMReference", "Analyzer", "Import"];
        var found = new List<string>();
        foreach (var element in build.Descendants())
        {
            string name = element.Name.LocalName, text = $"<{name} {string.Join(" ", element.Attributes())}>";
            if (references.Contains(name)) found.Add($"{text}: a reference or import");
            // Sources from outside the checker's folder (<Compile Include="../ConvexProof.Engine/…"> or a Link) would share code with the engine.
            if (name is "Compile" or "Content" or "None" or "EmbeddedResource" or "AdditionalFiles"
                && element.Attributes().Any(a => a.Name.LocalName is "Include" or "Link" or "Update"
                    && (a.Value.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(a.Value) || a.Value.Contains('$'))))
                found.Add($"{text}: a file from outside the checker's folder");
            if (name == "Using" && element.Attribute("Include")?.Value.StartsWith("System", StringComparison.Ordinal) == false)
                found.Add($"{text}: a namespace that is not the base library's");
        }
        return found;
    }

    [Fact]
    public void CheckerBuildReferencesNothing()
    {
        foreach (var file in BuildFiles())
            Assert.True(Dependencies(XDocument.Load(file)) is [], $"{file}: {string.Join("; ", Dependencies(XDocument.Load(file)))}");
    }

    [Theory]
    [InlineData("""<ItemGroup><Compile Include="../ConvexProof.Engine/Numbers/Rational.cs" /></ItemGroup>""")]
    [InlineData("""<ItemGroup><Compile Include="Rational.cs" Link="/work/x/Rational.cs" /></ItemGroup>""")]
    [InlineData("""<ItemGroup><Compile Include="$(MSBuildThisFileDirectory)../Engine/**/*.cs" /></ItemGroup>""")]
    [InlineData("""<ItemGroup><ProjectReference Include="../ConvexProof.Engine/ConvexProof.Engine.csproj" /></ItemGroup>""")]
    [InlineData("""<ItemGroup><PackageReference Include="Fractions" Version="8.0.0" /></ItemGroup>""")]
    [InlineData("""<ItemGroup><Reference Include="ConvexProof.Engine"><HintPath>x.dll</HintPath></Reference></ItemGroup>""")]
    [InlineData("""<Import Project="../ConvexProof.Engine/Shared.props" />""")]
    [InlineData("""<ItemGroup><Using Include="ConvexProof.Numbers" /></ItemGroup>""")]
    public void EveryKindOfDependencyIsCaught(string item) =>
        Assert.NotEmpty(Dependencies(XDocument.Parse($"""<Project Sdk="Microsoft.NET.Sdk">{item}</Project>""")));

    [Fact]
    public void CheckerSourcesAreItsOwnFiles()
    {
        var sources = Directory.GetFiles(CheckerFolder, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.Contains(sources, f => f.EndsWith("CertificateChecker.cs", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            Assert.True(new FileInfo(file).LinkTarget is null, $"{file} is a symbolic link: the checker's sources must be its own");
            if (file.EndsWith(".cs", StringComparison.Ordinal))
                Assert.DoesNotContain("ConvexProof.Networks", File.ReadAllText(file), StringComparison.Ordinal); // the engine's namespaces
        }
    }

    [Fact]
    public void CheckerAssemblyLoadsOnlyTheBaseLibrary()
    {
        var references = typeof(CertificateChecker).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", name));
    }
}
