using ConvexProof.Geometry;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// A domain as the CLI prints it: "R^d", a box whose intervals are all equal as "[-1, 1]^12", any
/// other box as its intervals "[0, 1] × [-1, 1]".
/// </summary>
public static class DomainText
{
    public static string Of(Domain domain) => domain.IsBox
        ? OfBox([.. domain.Lower!.Select(v => v.ToString())], [.. domain.Upper!.Select(v => v.ToString())])
        : Everywhere(domain.Dimension);

    public static string Everywhere(int dimension) => $"R^{dimension}";

    /// <summary>The box [lo_i, hi_i] from exact numbers in canonical form.</summary>
    public static string OfBox(IReadOnlyList<string> lower, IReadOnlyList<string> upper)
    {
        bool equal = lower.Count > 1 && lower.All(l => l == lower[0]) && upper.All(u => u == upper[0]);
        return equal
            ? $"[{lower[0]}, {upper[0]}]^{lower.Count}"
            : Intervals(lower, upper);
    }

    /// <summary>Every interval, "[0, 1] × [-1, 1]" (also how the checker states a box).</summary>
    public static string Intervals(IReadOnlyList<string> lower, IReadOnlyList<string> upper) =>
        string.Join(" × ", lower.Select((l, i) => $"[{l}, {upper[i]}]"));
}
