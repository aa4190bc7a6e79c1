using System.Text.Json;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Sharding;

/// <summary>
/// Typed reading of plan and part files: each accessor either returns the value or throws an
/// <see cref="InputException"/> naming the file, the JSON path and what is wrong (exit 2 in the CLI).
/// </summary>
public readonly struct ShardJson(string file, JsonElement element, string path)
{
    public string File => file;
    public string Path => path;
    public JsonElement Element => element;

    public static byte[] ReadBytes(string file)
    {
        try
        {
            return System.IO.File.ReadAllBytes(file);
        }
        catch (Exception e) when (InputException.IsReadFailure(e))
        {
            throw InputException.Unreadable(file, "$", e);
        }
    }

    public static JsonDocument Parse(string file, byte[] bytes)
    {
        try
        {
            var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new InputException(file, "$", "expected a JSON object");
            }
            return doc;
        }
        catch (JsonException e)
        {
            throw new InputException(file, "$", $"not valid JSON ({e.Message.Split('.')[0]})");
        }
    }

    public InputException Problem(string key, string problem) => new(file, $"{path}.{key}", problem);

    public ShardJson Member(string key) =>
        element.TryGetProperty(key, out var value) ? new(file, value, $"{path}.{key}") : throw Problem(key, "missing");

    public bool IsNull => element.ValueKind == JsonValueKind.Null;

    public void RequireFormat(string format, string what)
    {
        var value = Member("format");
        if (value.Element.ValueKind != JsonValueKind.String || value.Element.GetString() != format)
            throw Problem("format", $"expected \"{format}\" ({what}), not {value.Element.GetRawText()}");
    }

    public string String(string key)
    {
        var value = Member(key).Element;
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Problem(key, "expected a string");
    }

    public string Hash(string key)
    {
        string text = String(key);
        return text.Length == 64 && text.All(char.IsAsciiHexDigitLower) ? text : throw Problem(key, "expected 64 lower-case hex digits (a SHA-256)");
    }

    public int Int(string key, int min, int max)
    {
        var value = Member(key).Element;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n >= min && n <= max
            ? n : throw Problem(key, $"expected a whole number from {min} to {max}");
    }

    public Rational Number(string key) => Rational(Member(key));

    private static Rational Rational(ShardJson value)
    {
        if (value.Element.ValueKind != JsonValueKind.String) throw new InputException(value.File, value.Path, "expected an exact number as a string");
        return ExactNumberParser.TryParse(value.Element.GetString()!, out var r, out var problem) ? r : throw new InputException(value.File, value.Path, problem);
    }

    public IEnumerable<ShardJson> Array(string key)
    {
        var value = Member(key);
        if (value.Element.ValueKind != JsonValueKind.Array) throw Problem(key, "expected an array");
        return Items(value);
    }

    private static IEnumerable<ShardJson> Items(ShardJson array)
    {
        int i = 0;
        foreach (var item in array.Element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object && item.ValueKind != JsonValueKind.Array)
                throw new InputException(array.File, $"{array.Path}[{i}]", "expected an object or an array");
            yield return new(array.File, item, $"{array.Path}[{i++}]");
        }
    }

    /// <summary>A box <c>{"box":[["lo","hi"],…]}</c> as certificates write it (<paramref name="key"/> "domain") or its bare list of intervals.</summary>
    public Domain Box(string key)
    {
        var value = Member(key);
        if (value.Element.ValueKind == JsonValueKind.Object) value = value.Member("box");
        if (value.Element.ValueKind != JsonValueKind.Array || value.Element.GetArrayLength() == 0)
            throw new InputException(file, value.Path, "expected a box: {\"box\":[[\"lo\",\"hi\"],…]}");
        var lo = new List<Rational>();
        var hi = new List<Rational>();
        foreach (var interval in Items(value))
        {
            if (interval.Element.ValueKind != JsonValueKind.Array || interval.Element.GetArrayLength() != 2)
                throw new InputException(file, interval.Path, "expected an interval [\"lo\",\"hi\"]");
            lo.Add(Rational(new(file, interval.Element[0], interval.Path + "[0]")));
            hi.Add(Rational(new(file, interval.Element[1], interval.Path + "[1]")));
            if (lo[^1] >= hi[^1]) throw new InputException(file, interval.Path, "lo must be below hi");
        }
        return Domain.Box([.. lo], [.. hi]);
    }

    /// <summary>True when both boxes have the same bounds.</summary>
    public static bool SameBox(Domain a, Domain b) =>
        a.IsBox == b.IsBox && a.Dimension == b.Dimension &&
        (!a.IsBox || Enumerable.Range(0, a.Dimension).All(i => a.Lower![i] == b.Lower![i] && a.Upper![i] == b.Upper![i]));
}
