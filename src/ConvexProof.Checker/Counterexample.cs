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
        int d = network.InputDim;
        var x = ReadPoint(e.GetProperty("x"), "$.counterexample.x", d);
        var y = ReadPoint(e.GetProperty("y"), "$.counterexample.y", d);
        if (box is not null && !box.Contains(x)) throw Bad("$.counterexample.x", "is outside the domain");
        if (box is not null && !box.Contains(y)) throw Bad("$.counterexample.y", "is outside the domain");
        if (x.AsSpan().SequenceEqual(y)) throw Bad("$.counterexample", "x and y are the same point");
        var mid = new Rational[d];
        for (int i = 0; i < d; i++) mid[i] = (x[i] + y[i]) / 2;
        Rational fx = network.Evaluate(x), fy = network.Evaluate(y), fmid = network.Evaluate(mid);
        Compare(e, "fx", fx);
        Compare(e, "fy", fy);
        Compare(e, "fmid", fmid);
        var chord = (fx + fy) / 2;
        if (fmid <= chord)
            throw Bad("$.counterexample", $"f((x+y)/2) = {fmid} is not above (f(x)+f(y))/2 = {chord}: it does not show non-convexity");
        return $"at x = ({string.Join(", ", x)}), y = ({string.Join(", ", y)}) the exact values are f(x) = {fx}, f(y) = {fy}, " +
               $"f((x+y)/2) = {fmid} > {chord} = (f(x)+f(y))/2";
    }

    private static void Compare(JsonElement e, string key, Rational actual)
    {
        if (!e.TryGetProperty(key, out var given)) return;
        var value = CertificateJson.Rational(given, $"$.counterexample.{key}");
        if (value != actual) throw Bad($"$.counterexample.{key}", $"is {value}, but the network gives {actual}");
    }
}
