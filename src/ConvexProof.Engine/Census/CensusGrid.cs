using System.Globalization;

namespace ConvexProof.Census;

/// <summary>One cell of the census: an architecture (hidden widths) and where it sits in its heat map.</summary>
/// <param name="Name">File-name-safe and unique in its grid: "d3-w5" (3 hidden layers of width 5) or "n4x7".</param>
/// <param name="Hidden">The hidden layers' widths, first layer first.</param>
/// <param name="Row">The heat-map row's value: the depth, or n1.</param>
/// <param name="Column">The heat-map column's value: the width, or n2.</param>
public sealed record CensusCell(string Name, IReadOnlyList<int> Hidden, int Row, int Column)
{
    public string HiddenText => string.Join("x", Hidden.Select(w => w.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>The cells of one census, in the order they run and are listed.</summary>
public sealed record CensusGrid(bool Pairs, IReadOnlyList<int> Widths, IReadOnlyList<int> Depths, IReadOnlyList<CensusCell> Cells)
{
    /// <summary>Depth grid: L hidden layers of width w for every L in depths, w in widths.</summary>
    public static CensusGrid ByDepth(IReadOnlyList<int> widths, IReadOnlyList<int> depths) =>
        new(false, widths, depths,
            [.. depths.SelectMany(d => widths.Select(w => new CensusCell(
                string.Create(CultureInfo.InvariantCulture, $"d{d}-w{w}"), Enumerable.Repeat(w, d).ToArray(), d, w)))]);

    /// <summary>Width grid: two hidden layers n1 × n2 for every n1, n2 in widths.</summary>
    public static CensusGrid ByPairs(IReadOnlyList<int> widths) =>
        new(true, widths, [2],
            [.. widths.SelectMany(n1 => widths.Select(n2 => new CensusCell(
                string.Create(CultureInfo.InvariantCulture, $"n{n1}x{n2}"), new[] { n1, n2 }, n1, n2)))]);

    public string RowLabel => Pairs ? "n1 (first hidden layer)" : "depth (hidden layers)";
    public string ColumnLabel => Pairs ? "n2 (second hidden layer)" : "width";
    public IReadOnlyList<int> Rows => Pairs ? Widths : Depths;
}
