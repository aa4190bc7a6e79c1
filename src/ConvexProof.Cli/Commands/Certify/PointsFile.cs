using System.Text.Json;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `certify --points FILE`: points to search lines through (e.g. samples of the user's data), a
/// JSON array of points, each an array of input_dim numbers in the net.json notations.
/// </summary>
public static class PointsFile
{
    public static IReadOnlyList<Rational[]> Read(string? path, int dimension)
    {
        if (path is null) return [];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InputException(path, "$", $"not valid JSON ({e.Message.Split('.')[0]})");
        }
        catch (Exception e) when (InputException.IsReadFailure(e))
        {
            throw new InputException(path, "$", Infrastructure.InputFiles.Describe(e));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array) throw new InputException(path, "$", "expected an array of points");
            var points = new List<Rational[]>();
            int p = 0;
            foreach (var point in root.EnumerateArray())
            {
                if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() != dimension)
                    throw new InputException(path, $"$[{p}]", $"expected a point: an array of {dimension} numbers (the network has {dimension} inputs)");
                var x = new Rational[dimension];
                int i = 0;
                foreach (var v in point.EnumerateArray())
                {
                    string text = v.ValueKind switch { JsonValueKind.Number => v.GetRawText(), JsonValueKind.String => v.GetString()!, _ => "" };
                    if (!ExactNumberParser.TryParse(text, out x[i], out var problem))
                        throw new InputException(path, $"$[{p}][{i}]", v.ValueKind is JsonValueKind.Number or JsonValueKind.String ? problem : "expected a number");
                    i++;
                }
                points.Add(x);
                p++;
            }
            return points;
        }
    }
}
