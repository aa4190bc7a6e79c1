namespace ConvexProof.Checker;

/// <summary>
/// The "conditions" list must be exactly the set of (neuron, downstream) pairs realised on
/// non-degenerate inner facets, each with its recomputed value, the lowest region that has such a
/// facet and that facet's witness point; sorted by neuron, then downstream, without duplicates.
/// </summary>
internal static class ConditionCheck
{
    private static readonly KeySet EntryKeys = new(5, "neuron", "downstream", "value", "region", "point");

    public sealed record Result(int Count, int Negative, string? FirstNegative);

    private sealed record Realised(Rational Value, int Region, List<Rational[]> Points);

    public static Result Run(CheckContext ctx, JsonElement element, List<RealisedCondition> found)
    {
        var network = ctx.Network;
        var realised = new Dictionary<(int, string), Realised>();
        foreach (var c in found)
            if (!realised.TryGetValue((c.Neuron, c.Downstream), out var known)) realised[(c.Neuron, c.Downstream)] = new Realised(c.Value, c.Region, [c.Point]);
            else if (known.Region == c.Region) known.Points.Add(c.Point);

        var entries = Items(element, "$.conditions");
        int negative = 0;
        string? firstNegative = null;
        (int Neuron, string Downstream) previous = (-1, "");
        for (int i = 0; i < entries.Length; i++)
        {
            string at = $"$.conditions[{i}]";
            Keys(entries[i], at, EntryKeys);
            int neuron = Int(entries[i].GetProperty("neuron"), $"{at}.neuron", 0, network.NeuronCount - 1);
            string downstream = CertificateJson.String(entries[i].GetProperty("downstream"), $"{at}.downstream");
            int length = network.NeuronCount - network.DownstreamStart(neuron);
            if (downstream.Length != length || downstream.AsSpan().IndexOfAnyExcept('0', '1') >= 0)
                throw Bad($"{at}.downstream", $"must be {length} characters '0'/'1' (the units after neuron {neuron}'s layer)");
            var value = CertificateJson.Rational(entries[i].GetProperty("value"), $"{at}.value");
            int region = Int(entries[i].GetProperty("region"), $"{at}.region", 0, ctx.Patterns.Length - 1);
            var point = ReadPoint(entries[i].GetProperty("point"), $"{at}.point", network.InputDim);
            int order = previous.Neuron != neuron ? previous.Neuron.CompareTo(neuron) : string.CompareOrdinal(previous.Downstream, downstream);
            if (order >= 0) throw Bad(at, order == 0 ? "duplicates the previous condition" : "conditions must be sorted by neuron, then by downstream pattern");
            previous = (neuron, downstream);

            if (!realised.Remove((neuron, downstream), out var truth))
                throw Bad(at, $"neuron {neuron} with downstream \"{downstream}\" does not switch alone across any inner facet of any region");
            if (value != truth.Value)
                throw Bad($"{at}.value", $"is {value}, but the recomputed value for neuron {neuron} with downstream \"{downstream}\" is {truth.Value}");
            if (region != truth.Region) throw Bad($"{at}.region", $"is {region}, but the first region with such a facet is {truth.Region}");
            if (!truth.Points.Exists(p => p.AsSpan().SequenceEqual(point)))
                throw Bad($"{at}.point", $"is not the witness point of a facet of region {region} where neuron {neuron} switches");
            if (value.Sign < 0 && negative++ == 0) firstNegative = $"neuron {neuron} with downstream \"{downstream}\" has value {value}";
        }
        foreach (var ((neuron, downstream), truth) in realised.OrderBy(pair => pair.Value.Region))
            throw Bad("$.conditions", $"has no entry for neuron {neuron} with downstream \"{downstream}\" (value {truth.Value}), which switches alone across a facet of region {truth.Region}");
        return new Result(entries.Length, negative, firstNegative);
    }
}
