namespace ConvexProof.Checker;

/// <summary>
/// A counterexample alone proves non-convexity: x, y in the domain, x ≠ y, and
/// f((x+y)/2) &gt; (f(x)+f(y))/2 by exact evaluation of the network.
/// </summary>
internal static class Counterexample
{
    private static readonly KeySet CounterexampleKeys = new(2, "x", "y", "fx", "fy", "fmid");

    /// <summary>Checks it and returns a sentence describing it.</summary>
    public static string Check(Network network, Box? box, JsonElement e)
    {
        Keys(e, "$.counterexample", CounterexampleKeys);
        var x = ReadPoint(e.GetProperty("x"), "$.counterexample.x", network.InputDim);
        var y = ReadPoint(e.GetProperty("y"), "$.counterexample.y", network.InputDim);
        foreach (var (key, point) in new[] { ("x", x), ("y", y) })
            if (box is not null && !box.Contains(point)) throw Bad($"$.counterexample.{key}", "is outside the domain");
        if (x.AsSpan().SequenceEqual(y)) throw Bad("$.counterexample", "x and y are the same point");
        Rational fx = network.Evaluate(x), fy = network.Evaluate(y), fmid = network.Evaluate([.. x.Zip(y, (a, b) => (a + b) / 2)]);
        foreach (var (key, actual) in new[] { ("fx", fx), ("fy", fy), ("fmid", fmid) })
            if (e.TryGetProperty(key, out var given) && CertificateJson.Rational(given, $"$.counterexample.{key}") is var value && value != actual)
                throw Bad($"$.counterexample.{key}", $"is {value}, but the network gives {actual}");
        var chord = (fx + fy) / 2;
        if (fmid <= chord) throw Bad("$.counterexample", $"f((x+y)/2) = {fmid} is not above (f(x)+f(y))/2 = {chord}: it does not show non-convexity");
        return $"at x = ({string.Join(", ", x)}), y = ({string.Join(", ", y)}) the exact values are f(x) = {fx}, f(y) = {fy}, " +
               $"f((x+y)/2) = {fmid} > {chord} = (f(x)+f(y))/2";
    }
}
