using System.Text;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Baselines;

/// <summary>
/// Baseline B of docs/benchmarks.md: a region's H-representation in cddlib's .ine format, exact,
/// for cddlib's <c>redcheck_gmp</c>. Row k is "h g_0 … g_{d−1}" (cddlib reads b A as b + A x ≥ 0,
/// ours is g·x + h ≥ 0), every value a canonical rational "p/q"; rows keep the constraint order of
/// docs/formats.md, so cddlib's row i + 1 is constraint i.
/// </summary>
public static class CddFormat
{
    public static string HRepresentation(RegionConstraints constraints, string? comment = null)
    {
        var all = constraints.All;
        int d = all.Length == 0 ? 0 : all[0].Length - 1;
        var sb = new StringBuilder();
        if (comment is not null) sb.Append("* ").Append(comment).Append('\n');
        sb.Append("H-representation\nbegin\n");
        sb.Append(all.Length).Append(' ').Append(d + 1).Append(" rational\n");
        foreach (var row in all)
        {
            sb.Append(row[d].ToString());
            for (int i = 0; i < d; i++) sb.Append(' ').Append(row[i].ToString());
            sb.Append('\n');
        }
        sb.Append("end\n");
        return sb.ToString();
    }

    /// <summary>
    /// The rows (0-based constraint indices) that <c>redcheck_gmp</c> kept, read from the
    /// "orig:new" table it prints (new &gt; 0: kept; 0: redundant; negative: duplicate of another row).
    /// Null when the output has no such table.
    /// </summary>
    public static List<int>? KeptRows(string redcheckOutput)
    {
        int at = redcheckOutput.IndexOf("(orig:new)", StringComparison.Ordinal);
        if (at < 0) return null;
        var kept = new List<int>();
        bool any = false;
        foreach (var line in redcheckOutput[at..].Split('\n').Skip(1))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0 || !tokens[0].Contains(':'))
            {
                if (any) break;
                continue; // explanatory lines before the table
            }
            foreach (var token in tokens)
            {
                var parts = token.Split(':');
                if (parts.Length != 2 || !int.TryParse(parts[0], out int orig) || !int.TryParse(parts[1], out int now)) return null;
                any = true;
                if (now > 0) kept.Add(orig - 1);
            }
        }
        return any ? kept : null;
    }
}
