using ConvexProof.Cli.Infrastructure;
using ConvexProof.Geometry;

namespace ConvexProof.Cli.Commands;

/// <summary>A shard's box as the sharded commands print it: only the coordinates the plan split, in many dimensions.</summary>
public static class ShardText
{
    public static string Box(Domain box, Domain domain)
    {
        if (box.Dimension <= 4) return DomainText.Of(box);
        var split = Enumerable.Range(0, box.Dimension).Where(i => box.Lower![i] != domain.Lower![i] || box.Upper![i] != domain.Upper![i]).ToList();
        if (split.Count == 0) return DomainText.Of(box);
        return string.Join(", ", split.Select(i => $"x{i + 1} ∈ [{box.Lower![i]}, {box.Upper![i]}]")) +
               $"{(split.Count < box.Dimension ? $"; the other {box.Dimension - split.Count} coordinates as in the domain" : "")}";
    }
}
