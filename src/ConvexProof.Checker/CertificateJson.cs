namespace ConvexProof.Checker;

/// <summary>
/// A JSON path such as <c>$.regions[3].redundant[7].farkas[1][0]</c>, kept in parts so that the
/// text is only built when a problem is reported (certificates have millions of entries).
/// </summary>
internal readonly record struct JsonPath(string Head, int I = -1, string Mid = "", int J = -1, string Tail = "")
{
    public static implicit operator JsonPath(string path) => new(path);

    public JsonPath Then(string tail) => this with { Tail = Tail + tail };

    public override string ToString() =>
        Head + (I >= 0 ? $"[{I}]" : "") + Mid + (J >= 0 ? $"[{J}]" : "") + Tail;
}

/// <summary>
/// Strict typed access to certificate JSON. Every deviation (wrong type, missing or unknown key,
/// non-canonical rational) is an <see cref="InvalidCertificateException"/> naming the JSON path:
/// a malformed certificate is an invalid one. Paths are only built when something is wrong.
/// </summary>
internal static class CertificateJson
{
    public static InvalidCertificateException Bad(JsonPath at, string problem) => new(problem, at.ToString());

    /// <summary>The keys an object may have, the first <c>Required</c> of them mandatory.</summary>
    public sealed record KeySet(int Required, params string[] Names)
    {
        public byte[][] Utf8 { get; } = [.. Names.Select(n => System.Text.Encoding.UTF8.GetBytes(n))];
    }

    /// <summary>Checks that obj is an object with allowed keys only, none twice, all required present.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Keys(JsonElement obj, JsonPath at, KeySet keys)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw Bad(at, $"expected an object, found {Describe(obj)}");
        int seen = 0; // bit i = key i present (objects here have far fewer than 32 keys)
        foreach (var property in obj.EnumerateObject())
        {
            int i = 0;
            while (i < keys.Utf8.Length && !property.NameEquals(keys.Utf8[i])) i++;
            if (i == keys.Utf8.Length) throw Bad(at.Then($".{NetNumber.Shorten(property.Name)}"), $"unknown key (expected: {string.Join(", ", keys.Names)})");
            if ((seen & (1 << i)) != 0) throw Bad(at.Then($".{property.Name}"), "the key appears twice");
            seen |= 1 << i;
        }
        for (int i = 0; i < keys.Required; i++)
            if ((seen & (1 << i)) == 0) throw Bad(at.Then($".{keys.Names[i]}"), "missing required key");
    }

    public static JsonElement[] Items(JsonElement e, JsonPath at)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Bad(at, $"expected an array, found {Describe(e)}");
        var result = new JsonElement[e.GetArrayLength()];
        int i = 0;
        foreach (var item in e.EnumerateArray()) result[i++] = item;
        return result;
    }

    /// <summary>The items of an array of <paramref name="length"/> items; else "has n <paramref name="what"/>".</summary>
    public static JsonElement[] Items(JsonElement e, JsonPath at, int length, string what) =>
        Items(e, at) is var items && items.Length == length ? items : throw Bad(at, $"has {items.Length} {what}");

    /// <summary>The items of an array that are each an array of <paramref name="length"/> items, with their paths.</summary>
    public static IEnumerable<(JsonElement[] Items, JsonPath At)> Tuples(JsonElement e, JsonPath at, int length, string expected) =>
        Items(e, at).Select((item, i) => Items(item, at.Then($"[{i}]")) is var t && t.Length == length ? (t, at.Then($"[{i}]")) : throw Bad(at.Then($"[{i}]"), expected));

    public static int Int(JsonElement e, JsonPath at, int min, int max) =>
        TryInt(e, min, max, out int v) ? v : throw Bad(at, $"expected a whole number from {min} to {max}, found {Describe(e)}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryInt(JsonElement e, int min, int max, out int v)
    {
        v = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out v) && v >= min && v <= max;
    }

    public static string String(JsonElement e, JsonPath at) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(at, $"expected a string, found {Describe(e)}");

    public static Rational Rational(JsonElement e, JsonPath at) =>
        TryRational(e, out var value) ? value : throw NotANumber(e, at, "a rational in canonical form (\"n\" or reduced \"p/q\")");

    /// <summary>Why e is not the number expected: too long for any number, or not that kind of number.</summary>
    public static InvalidCertificateException NotANumber(JsonElement e, JsonPath at, string expected) =>
        e.ValueKind == JsonValueKind.String && e.GetString()!.Length > Checker.Rational.MaxLength
            ? Bad(at, $"is {Describe(e)}, a number of {e.GetString()!.Length} characters: the limit for one number is {Checker.Rational.MaxLength}")
            : Bad(at, $"expected {expected}, found {Describe(e)}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRational(JsonElement e, out Rational value) => Checker.Rational.TryParseCanonical(Utf8(e), out value);

    /// <summary>A Farkas multiplier p/q &gt; 0, not necessarily reduced (<see cref="Checker.Rational.TryParseFraction"/>).</summary>
    public static bool TryMultiplier(JsonElement e, out Integer p, out Integer q) => Checker.Rational.TryParseFraction(Utf8(e), out p, out q) && p.Sign > 0;

    /// <summary>
    /// A string's UTF-8 bytes between the quotes, without a string per number (one with escapes is
    /// decoded); nothing for any other value, which no number parse accepts.
    /// </summary>
    private static ReadOnlySpan<byte> Utf8(JsonElement e) => e.ValueKind != JsonValueKind.String ? default
        : System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e)[1..^1] is var raw && !raw.Contains((byte)'\\') ? raw : System.Text.Encoding.UTF8.GetBytes(e.GetString()!);

    public static Rational[] ReadPoint(JsonElement e, JsonPath at, int dimension)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != dimension)
            throw Bad(at, $"expected a point: an array of {dimension} rationals, found {Describe(e)}");
        var point = new Rational[dimension];
        int i = 0;
        foreach (var item in e.EnumerateArray()) { if (!TryRational(item, out point[i])) Rational(item, at.Then($"[{i}]")); i++; }
        return point;
    }

    /// <summary>An array of integers in [0, max], strictly increasing.</summary>
    public static int[] IncreasingInts(JsonElement e, JsonPath at, int max)
    {
        var items = Items(e, at);
        var result = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!TryInt(items[i], 0, max, out result[i])) Int(items[i], at.Then($"[{i}]"), 0, max);
            if (i > 0 && result[i] <= result[i - 1]) throw Bad(at.Then($"[{i}]"), "the list must be strictly increasing");
        }
        return result;
    }

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{NetNumber.Shorten(e.GetString()!)}\"",
        JsonValueKind.Number => NetNumber.Shorten(e.GetRawText()),
        JsonValueKind.Array => $"an array of {e.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };
}
