using System.Globalization;
using System.Text.Json.Nodes;

namespace ConvexProof.Tests;

/// <summary>
/// Random dense models of the two families of issue 17, as net.json text: Makkuva-style OT ICNNs
/// (z₁ = leaky(A₀x + b)², then leaky layers with z-weights and input skips, a final layer) and
/// deepinv-style ICNNs (leaky(W_z z + (W_q x)² + W_l x), an averaging output, s/2·|x|²). Clipped:
/// every z-weight ≥ 0. Values are short decimals, so the exact arithmetic stays small.
/// </summary>
internal static class CompositionModels
{
    private static JsonArray Row(Random r, int n, bool nonNegative) =>
        new([.. Enumerable.Range(0, n).Select(_ => (JsonNode)JsonValue.Create(Math.Round(nonNegative ? r.NextDouble() : 2 * r.NextDouble() - 1, 3).ToString(CultureInfo.InvariantCulture))!)]);

    private static JsonArray Matrix(Random r, int rows, int columns, bool nonNegative) => new([.. Enumerable.Range(0, rows).Select(_ => (JsonNode)Row(r, columns, nonNegative))]);

    private static JsonObject Leaky(JsonArray weights, JsonArray bias) => new() { ["weights"] = weights, ["bias"] = bias, ["activation"] = "leaky_relu", ["alpha"] = "1/5" };

    /// <summary>An OT ICNN; unclipped: the z-weights of the hidden layers have any sign (a checkpoint saved without the clamp).</summary>
    public static string Ot(int seed, int d = 3, int width = 4, int hidden = 2, bool clipped = true)
    {
        var r = new Random(seed);
        var first = Leaky(Matrix(r, width, d, false), Row(r, width, false));
        first["square_output"] = true;
        var layers = new JsonArray(first);
        for (int k = 0; k < hidden; k++)
        {
            var layer = Leaky(Matrix(r, width, width, clipped), Row(r, width, false));
            layer["skip"] = Matrix(r, width, d, false);
            layers.Add(layer);
        }
        layers.Add(new JsonObject { ["weights"] = Matrix(r, 1, width, true), ["bias"] = new JsonArray("0"), ["skip"] = Matrix(r, 1, d, false), ["activation"] = "identity" });
        return new JsonObject { ["input_dim"] = d, ["layers"] = layers }.ToJsonString();
    }

    /// <summary>A deepinv-style ICNN (dense); unclipped: z-weights of any sign, and the output weighs unit 1 by −3.</summary>
    public static string DeepInv(int seed, int d = 3, int width = 4, int hidden = 2, bool clipped = true, string s = "1/2")
    {
        var r = new Random(seed);
        JsonArray Terms() => new([.. Enumerable.Range(0, width).Select(u => (JsonNode)new JsonObject { ["unit"] = u, ["weights"] = Row(r, d, false) })]);
        var layers = new JsonArray();
        for (int k = 0; k < hidden; k++)
        {
            var layer = k == 0 ? Leaky(Matrix(r, width, d, false), Row(r, width, false)) : Leaky(Matrix(r, width, width, clipped), Row(r, width, false));
            if (k > 0) layer["skip"] = Matrix(r, width, d, false);
            layer["quadratic"] = Terms();
            layers.Add(layer);
        }
        var output = new JsonArray([.. Enumerable.Range(0, width).Select(u => (JsonNode)JsonValue.Create(!clipped && u == 0 ? "-3" : $"1/{width}")!)]);
        layers.Add(new JsonObject { ["weights"] = new JsonArray(output), ["bias"] = new JsonArray("0"), ["activation"] = "identity" });
        return new JsonObject { ["input_dim"] = d, ["layers"] = layers, ["input_quadratic"] = new JsonObject { ["s"] = s } }.ToJsonString();
    }
}
