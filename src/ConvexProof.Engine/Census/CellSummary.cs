using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ConvexProof.Census;

/// <summary>
/// The counts of one finished cell. They depend only on the settings (the seed, the grid, the limits
/// unless a --timeout decides), so the files made from them are the same byte for byte on a re-run;
/// times live apart, in <see cref="CellTimes"/>.
/// </summary>
public sealed record CellSummary(string Cell, string Hidden, int Networks, int Icnn, int ConvexNotIcnn, int NotConvex, int Undecided, long Regions)
{
    public const string Schema = "convexproof-census-cell/1";

    public int Convex => Icnn + ConvexNotIcnn;

    public static CellSummary Of(CensusCell cell, IReadOnlyList<CensusOutcome> outcomes) =>
        new(cell.Name, cell.HiddenText, outcomes.Count,
            outcomes.Count(o => o.Verdict == CensusVerdict.Icnn),
            outcomes.Count(o => o.Verdict == CensusVerdict.Convex),
            outcomes.Count(o => o.Verdict == CensusVerdict.NotConvex),
            outcomes.Count(o => o.Verdict == CensusVerdict.Undecided),
            outcomes.Sum(o => (long)o.Regions));

    /// <summary>The cell's file cells/NAME.json: one object, counts only.</summary>
    public string ToJson()
    {
        return CensusJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("cell", Cell);
            w.WriteString("hidden", Hidden);
            w.WriteNumber("networks", Networks);
            w.WriteNumber("convex", Convex);
            w.WriteNumber("icnn", Icnn);
            w.WriteNumber("convex_not_icnn", ConvexNotIcnn);
            w.WriteNumber("not_convex", NotConvex);
            w.WriteNumber("undecided", Undecided);
            w.WriteNumber("regions", Regions);
            w.WriteEndObject();
        });
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; null when the text is not a finished cell of this schema.</summary>
    public static CellSummary? FromJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var e = doc.RootElement;
            if (e.GetProperty("schema").GetString() != Schema) return null;
            var s = new CellSummary(e.GetProperty("cell").GetString()!, e.GetProperty("hidden").GetString()!,
                e.GetProperty("networks").GetInt32(), e.GetProperty("icnn").GetInt32(), e.GetProperty("convex_not_icnn").GetInt32(),
                e.GetProperty("not_convex").GetInt32(), e.GetProperty("undecided").GetInt32(), e.GetProperty("regions").GetInt64());
            return s.Icnn + s.ConvexNotIcnn + s.NotConvex + s.Undecided == s.Networks ? s : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public const string NetworksHeader = "index,network_sha256,verdict,regions";

    /// <summary>The cell's file cells/NAME.csv: one row per network.</summary>
    public static string NetworksCsv(IReadOnlyList<CensusOutcome> outcomes)
    {
        var sb = new StringBuilder(NetworksHeader).Append('\n');
        foreach (var o in outcomes)
            sb.Append(CultureInfo.InvariantCulture, $"{o.Index},{o.NetworkSha256},{CensusOutcome.Name(o.Verdict)},{o.Regions}\n");
        return sb.ToString();
    }
}

/// <summary>Wall-clock seconds per network of one cell (cells/NAME.times.csv): they differ from run to run.</summary>
public sealed record CellTimes(IReadOnlyList<double> Seconds)
{
    public const string Header = "index,seconds";

    public double Median
    {
        get
        {
            if (Seconds.Count == 0) return 0;
            var sorted = Seconds.Order().ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    public double Max => Seconds.Count == 0 ? 0 : Seconds.Max();
    public double Total => Seconds.Sum();

    public static CellTimes Of(IReadOnlyList<CensusOutcome> outcomes) => new([.. outcomes.Select(o => o.Time.TotalSeconds)]);

    public string ToCsv()
    {
        var sb = new StringBuilder(Header).Append('\n');
        for (int i = 0; i < Seconds.Count; i++) sb.Append(CultureInfo.InvariantCulture, $"{i},{Seconds[i]:0.######}\n");
        return sb.ToString();
    }

    /// <summary>Reads what <see cref="ToCsv"/> wrote; null when it is not such a file.</summary>
    public static CellTimes? FromCsv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header) return null;
        var seconds = new List<double>();
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double s)) return null;
            seconds.Add(s);
        }
        return new CellTimes(seconds);
    }
}
