using System.Reflection;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>The text of `convexproof --version`.</summary>
public static class VersionInfo
{
    public static string Describe()
    {
        var version = typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = version.IndexOf('+');
        if (plus > 0) version = version[..plus];
        return $"convexproof {version} (certificate format convexproof-certificate/1, .NET {Environment.Version}; SMT solver: {Smt.Z3Info.VersionText()})";
    }
}
