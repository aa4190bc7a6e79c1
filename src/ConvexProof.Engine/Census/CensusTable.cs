using System.Globalization;
using System.Text;
using ConvexProof.Numbers;

namespace ConvexProof.Census;

/// <summary>
/// The census's summary files from its finished cells: table.csv and table.md (counts, the same
/// bytes for the same settings) and times.csv (wall-clock, different on every run).
/// </summary>
public static class CensusTable
{
    public const string CsvHeader = "cell,hidden,networks,convex,icnn,convex_not_icnn,not_convex,undecided,convex_pct,icnn_pct,mean_regions";

    public static string Csv(IReadOnlyList<CellSummary> cells)
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var c in cells)
            sb.Append(CultureInfo.InvariantCulture,
                $"{c.Cell},{c.Hidden},{c.Networks},{c.Convex},{c.Icnn},{c.ConvexNotIcnn},{c.NotConvex},{c.Undecided},{Percent(c.Convex, c.Networks)},{Percent(c.Icnn, c.Networks)},{MeanRegions(c)}\n");
        return sb.ToString();
    }

    /// <summary>The same table in Markdown (pasted into docs/census.md).</summary>
    public static string Markdown(IReadOnlyList<CellSummary> cells)
    {
        var sb = new StringBuilder("| cell | hidden | networks | convex | ICNN | convex, not ICNN | not convex | undecided | convex % | ICNN % |\n");
        sb.Append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var c in cells)
            sb.Append(CultureInfo.InvariantCulture,
                $"| {c.Cell} | {c.Hidden} | {c.Networks} | {c.Convex} | {c.Icnn} | {c.ConvexNotIcnn} | {c.NotConvex} | {c.Undecided} | {Percent(c.Convex, c.Networks)} | {Percent(c.Icnn, c.Networks)} |\n");
        return sb.ToString();
    }

    public const string TimesHeader = "cell,hidden,relu_units,networks,median_s,max_s,total_s";

    public static string TimesCsv(IReadOnlyList<(CensusCell Cell, CellTimes Times)> cells)
    {
        var sb = new StringBuilder(TimesHeader).Append('\n');
        foreach (var (cell, t) in cells)
            sb.Append(CultureInfo.InvariantCulture,
                $"{cell.Name},{cell.HiddenText},{cell.Hidden.Sum()},{t.Seconds.Count},{t.Median:0.######},{t.Max:0.######},{t.Total:0.###}\n");
        return sb.ToString();
    }

    /// <summary>100·part/whole to one decimal, rounded half up exactly (no float in the table).</summary>
    public static string Percent(int part, int whole)
    {
        if (whole == 0) return "0.0";
        var tenths = ((Rational)(1000L * part) / whole + Half).Floor();
        return (tenths / 10).ToString(CultureInfo.InvariantCulture) + "." + (tenths % 10).ToString(CultureInfo.InvariantCulture);
    }

    private static readonly Rational Half = new(1, 2);

    private static string MeanRegions(CellSummary c) =>
        c.Networks == 0 ? "0" : ((Rational)c.Regions / c.Networks + Half).Floor().ToString(CultureInfo.InvariantCulture);
}
