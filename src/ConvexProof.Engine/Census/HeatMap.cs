using System.Globalization;
using System.Security;
using System.Text;

namespace ConvexProof.Census;

/// <summary>
/// The census's picture, like the paper's Fig. 6: two heat maps side by side (share of convex
/// networks, share of ICNNs), rows and columns the grid's two axes, each square labelled with its
/// percentage. Built from the counts alone, so the SVG is the same bytes on a re-run.
/// </summary>
public static class HeatMap
{
    private const double Square = 44, Margin = 70, Gap = 60, Top = 70, Bottom = 60;

    public static string Svg(CensusGrid grid, IReadOnlyList<CellSummary> summaries, string title)
    {
        var byName = summaries.ToDictionary(s => s.Cell, StringComparer.Ordinal);
        var rows = grid.Rows;
        var columns = grid.Widths;
        double panel = columns.Count * Square;
        // Wide enough for the title (about 7.5 px a character at 15 px) on small grids.
        double width = Math.Max(Margin + panel + Gap + Margin + panel + 30, Margin + 7.5 * title.Length + 20);
        double height = Top + rows.Count * Square + Bottom;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"sans-serif\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width:0}\" height=\"{height:0}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Margin:0}\" y=\"24\" font-size=\"15\">{Escape(title)}</text>\n");
        Panel(sb, grid, byName, Margin, "convex % (colour: square root of the share)", s => (s.Convex, s.Networks));
        Panel(sb, grid, byName, Margin + panel + Gap + Margin, "ICNN %", s => (s.Icnn, s.Networks));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Panel(StringBuilder sb, CensusGrid grid, Dictionary<string, CellSummary> byName, double left, string label,
        Func<CellSummary, (int Part, int Whole)> share)
    {
        var rows = grid.Rows;
        var columns = grid.Widths;
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left:0}\" y=\"{Top - 28:0}\" font-size=\"13\" font-weight=\"bold\">{Escape(label)}</text>\n");
        for (int r = 0; r < rows.Count; r++)
        {
            double y = Top + r * Square;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8:0}\" y=\"{y + Square / 2 + 4:0}\" font-size=\"12\" text-anchor=\"end\">{rows[r]}</text>\n");
            for (int c = 0; c < columns.Count; c++)
            {
                double x = left + c * Square;
                var cell = grid.Cells.First(k => k.Row == rows[r] && k.Column == columns[c]);
                string fill = "#dddddd", text = "–";
                if (byName.TryGetValue(cell.Name, out var s) && s.Networks > 0)
                {
                    var (part, whole) = share(s);
                    fill = Colour(part, whole);
                    text = CensusTable.Percent(part, whole);
                }
                sb.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x:0}\" y=\"{y:0}\" width=\"{Square:0}\" height=\"{Square:0}\" fill=\"{fill}\" stroke=\"white\"><title>{cell.Name}</title></rect>\n");
                sb.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{x + Square / 2:0}\" y=\"{y + Square / 2 + 4:0}\" font-size=\"11\" text-anchor=\"middle\">{text}</text>\n");
            }
        }
        double bottom = Top + rows.Count * Square;
        for (int c = 0; c < columns.Count; c++)
            sb.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{left + c * Square + Square / 2:0}\" y=\"{bottom + 16:0}\" font-size=\"12\" text-anchor=\"middle\">{columns[c]}</text>\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{left + columns.Count * Square / 2:0}\" y=\"{bottom + 36:0}\" font-size=\"12\" text-anchor=\"middle\">{Escape(grid.ColumnLabel)}</text>\n");
        double mid = Top + rows.Count * Square / 2;
        sb.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{left - 40:0}\" y=\"{mid:0}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 {left - 40:0} {mid:0})\">{Escape(grid.RowLabel)}</text>\n");
    }

    /// <summary>
    /// White (0 %) to dark blue (100 %) by the square root of the share, so that the few-percent
    /// cells typical of a census still show (the label gives the exact share; IEEE square roots are
    /// correctly rounded, so the colour is the same on every machine).
    /// </summary>
    private static string Colour(int part, int whole)
    {
        long t = whole == 0 ? 0 : (long)Math.Round(255 * Math.Sqrt((double)part / whole));
        int r = (int)(255 - t * 223 / 255), g = (int)(255 - t * 175 / 255), b = (int)(255 - t * 75 / 255);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
