using System.Globalization;
using System.Text.Json;
using ConvexProof.Geometry;
using ConvexProof.Regions;

namespace ConvexProof.Census;

/// <summary>Everything that determines a census's networks and verdicts (the thread count does not).</summary>
public sealed record CensusSettings(int InputDim, Domain Domain, string BoxText, CensusGrid Grid, int PerCell, ulong Seed, CensusInit Init)
{
    public const string Schema = "convexproof-census/1";

    /// <summary>Per network: --max-regions and --timeout (a network they stop is undecided).</summary>
    public ExplorationLimits Limits { get; init; } = new();

    /// <summary>Networks decided at once (each certifier runs on one thread).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// DIR/census.json: the settings a census directory belongs to. A re-run resumes only with the
    /// same text (the thread count is not in it: it changes no result).
    /// </summary>
    public string ManifestJson()
    {
        return CensusJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteNumber("input_dim", InputDim);
            w.WriteString("box", BoxText);
            w.WriteString("grid", Grid.Pairs ? "pairs" : "depth");
            w.WriteStartArray("widths");
            foreach (int v in Grid.Widths) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteStartArray("depths");
            foreach (int v in Grid.Depths) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteNumber("per_cell", PerCell);
            w.WriteString("seed", Seed.ToString(CultureInfo.InvariantCulture));
            w.WriteString("init", NetworkSampler.Name(Init));
            w.WriteString("generator", "xoshiro256** seeded by SplitMix64 from (seed, cell, index); docs/census.md");
            w.WritePropertyName("max_regions");
            if (Limits.MaxRegions == int.MaxValue) w.WriteNullValue(); else w.WriteNumberValue(Limits.MaxRegions);
            w.WritePropertyName("timeout_s");
            if (Limits.Timeout is TimeSpan t) w.WriteNumberValue(t.TotalSeconds); else w.WriteNullValue();
            w.WriteEndObject();
        });
    }
}
