using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>Parses <c>--box LO:HI</c> (every coordinate) or <c>--box LO1:HI1,LO2:HI2,...</c>.</summary>
public static class BoxOption
{
    public static Domain Parse(string? text, int dimension, string option = "--box")
    {
        if (text is null) return Domain.Everywhere(dimension);
        var parts = text.Split(',');
        if (parts.Length != 1 && parts.Length != dimension)
            throw new UsageException($"{option} '{text}': give one interval LO:HI for every coordinate, or {dimension} intervals separated by commas");
        var lo = new Rational[dimension];
        var hi = new Rational[dimension];
        for (int i = 0; i < dimension; i++)
        {
            string part = parts[parts.Length == 1 ? 0 : i];
            // Split at the colon that separates the bounds (numbers themselves never contain ':').
            var bounds = part.Split(':');
            if (bounds.Length != 2) throw new UsageException($"{option} '{text}': '{part}' is not an interval LO:HI");
            lo[i] = Number(bounds[0], text, option);
            hi[i] = Number(bounds[1], text, option);
            if (lo[i] >= hi[i]) throw new UsageException($"{option} '{text}': interval {i + 1} has LO ≥ HI");
        }
        return Domain.Box(lo, hi);
    }

    /// <summary>Checks the syntax alone (before any file is read): every interval well formed.</summary>
    public static void CheckSyntax(string? text, string option = "--box")
    {
        if (text is not null) Parse(text, text.Split(',').Length, option);
    }

    private static Rational Number(string s, string whole, string option)
    {
        if (!ExactNumberParser.TryParse(s, out var v, out var problem)) throw new UsageException($"{option} '{whole}': {problem}");
        return v;
    }
}
