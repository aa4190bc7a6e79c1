using System.Text.Json;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>
/// Reads a composition model (docs/formats.md, "Composition models"): the plain network by
/// <see cref="NetworkReader"/>, then the keys it skips — per layer "quadratic" (terms
/// c·(w·x + β)² of the input added to a unit's pre-activation) and "square_output" (h = σ(z)²),
/// at the root "input_quadratic" (s/2·|x|² and |F·x|²). Problems are <see cref="InputException"/>s
/// naming the file, the JSON path and what is wrong.
/// </summary>
public static class CompositionReader
{
    /// <summary>
    /// Whether the file uses a composition key (then certify and info take the composition route). A
    /// file that is unreadable or not JSON is not one: the plain reader then reports its problem.
    /// </summary>
    public static bool Declares(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = NetworkReader.MaxDepth });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (NetworkReader.CompositionRootKeys.Any(k => root.TryGetProperty(k, out _))) return true;
            return root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                && layers.EnumerateArray().Any(l => l.ValueKind == JsonValueKind.Object && NetworkReader.CompositionLayerKeys.Any(k => l.TryGetProperty(k, out _)));
        }
        catch (Exception e) when (e is JsonException || InputException.IsReadFailure(e))
        {
            return false;
        }
    }

    public static CompositionNetwork ReadFile(string path) => Parse(NetworkReader.ReadBytes(path), path);

    public static CompositionNetwork Parse(ReadOnlyMemory<byte> json, string fileName)
    {
        if (SharedReader.Declares(json)) return SharedReader.Parse(json, fileName);
        var plain = NetworkReader.Parse(json, fileName, compositionKeys: true); // the plain part, and every JSON problem
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = NetworkReader.MaxDepth });
        return new PartsReader(fileName, PlainDigits(plain)).Read(doc.RootElement, plain);
    }

    /// <summary>
    /// The digits the plain part's values count towards the file's limit (NetworkReader.MaxTotalDigits),
    /// as its reader counted them: the quadratic parts add theirs, so the whole file has the limit the
    /// checker applies.
    /// </summary>
    private static long PlainDigits(Network plain)
    {
        long digits = 0;
        foreach (var layer in plain.Layers)
        {
            if (layer.IsLeaky) digits += Digits(layer.Alpha);
            foreach (var row in layer.Weights) foreach (var v in row) digits += Digits(v);
            foreach (var v in layer.Bias) digits += Digits(v);
            if (layer.Skip is not null) foreach (var row in layer.Skip) foreach (var v in row) digits += Digits(v);
        }
        return digits;
    }

    internal static long Digits(Rational v) => Bound(v.Numerator) + (v.Denominator.IsOne ? 0 : Bound(v.Denominator));

    private static long Bound(System.Numerics.BigInteger v) => (long)(v.GetBitLength() * 0.30103) + 1;

    /// <summary>Reads the quadratic parts, counting their digits on top of the plain part's.</summary>
    internal sealed class PartsReader(string fileName, long digits)
    {
        private long _digits = digits;

        public CompositionNetwork Read(JsonElement root, Network plain)
        {
            int d = plain.InputDim;
            var layers = new List<LayerSquares>();
            int index = 0;
            foreach (var layer in root.GetProperty("layers").EnumerateArray())
            {
                string at = $"$.layers[{index}]";
                var terms = new List<SquareTerm>();
                if (layer.TryGetProperty("quadratic", out var list))
                {
                    if (list.ValueKind != JsonValueKind.Array) throw new InputException(fileName, $"{at}.quadratic", "expected an array of terms {\"unit\", \"weights\", \"bias\", \"coefficient\"}");
                    int t = 0;
                    foreach (var term in list.EnumerateArray()) terms.Add(ReadTerm(term, $"{at}.quadratic[{t++}]", plain.Layers[index].Outputs, d, fileName));
                }
                bool square = false;
                if (layer.TryGetProperty("square_output", out var flag))
                    square = flag.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new InputException(fileName, $"{at}.square_output", "expected true or false"),
                    };
                layers.Add(terms.Count == 0 && !square ? LayerSquares.None : new LayerSquares(terms, square));
                index++;
            }
            InputQuadratic? input = root.TryGetProperty("input_quadratic", out var q) ? ReadInputQuadratic(q, d, fileName) : null;
            return new CompositionNetwork(plain, layers, input);
        }

        private SquareTerm ReadTerm(JsonElement term, string at, int units, int d, string file)
        {
            if (term.ValueKind != JsonValueKind.Object) throw new InputException(file, at, "expected a term object {\"unit\", \"weights\", \"bias\", \"coefficient\"}");
            Keys(term, at, ["unit", "weights", "entries", "bias", "coefficient"], ["unit"], file);
            if (term.TryGetProperty("weights", out _) == term.TryGetProperty("entries", out _))
                throw new InputException(file, $"{at}.weights", "give the form's coefficients either as \"weights\" (input_dim numbers) or as \"entries\" ([index, value] pairs), exactly one of them");
            var unitElement = term.GetProperty("unit");
            if (unitElement.ValueKind != JsonValueKind.Number || !unitElement.TryGetInt32(out int unit) || unit < 0 || unit >= units)
                throw new InputException(file, $"{at}.unit", $"expected a unit of this layer, a whole number from 0 to {units - 1}");
            var weights = term.TryGetProperty("weights", out var dense) ? Row(dense, $"{at}.weights", d, file) : Entries(term.GetProperty("entries"), $"{at}.entries", d, file);
            var bias = term.TryGetProperty("bias", out var b) ? Number(b, $"{at}.bias", file) : Rational.Zero;
            var coefficient = term.TryGetProperty("coefficient", out var c) ? Number(c, $"{at}.coefficient", file) : Rational.One;
            return new SquareTerm(unit, coefficient, bias, weights);
        }

        private InputQuadratic ReadInputQuadratic(JsonElement q, int d, string file)
        {
            const string at = "$.input_quadratic";
            if (q.ValueKind != JsonValueKind.Object) throw new InputException(file, at, "expected an object {\"s\": …} and/or {\"factor\": [[…]]}");
            Keys(q, at, ["s", "factor"], [], file);
            if (!q.EnumerateObject().Any()) throw new InputException(file, at, "expected \"s\" (s/2·|x|²) or \"factor\" (|F·x|²) or both");
            var s = q.TryGetProperty("s", out var se) ? Number(se, $"{at}.s", file) : Rational.Zero;
            var factor = new List<Rational[]>();
            if (q.TryGetProperty("factor", out var f))
            {
                if (f.ValueKind != JsonValueKind.Array) throw new InputException(file, $"{at}.factor", "expected an array of rows over the input");
                int r = 0;
                foreach (var row in f.EnumerateArray()) factor.Add(Row(row, $"{at}.factor[{r++}]", d, file));
            }
            return new InputQuadratic(s, [.. factor]);
        }

        /// <summary>A sparse row: [index, value] pairs, indices strictly increasing in [0, d); the others are 0.</summary>
        private Rational[] Entries(JsonElement entries, string at, int d, string file)
        {
            if (entries.ValueKind != JsonValueKind.Array) throw new InputException(file, at, "expected an array of [index, value] pairs");
            var row = Enumerable.Repeat(Rational.Zero, d).ToArray();
            int k = 0, last = -1;
            foreach (var pair in entries.EnumerateArray())
            {
                string here = $"{at}[{k++}]";
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[0].ValueKind != JsonValueKind.Number
                    || !pair[0].TryGetInt32(out int j) || j <= last || j >= d)
                    throw new InputException(file, here, $"expected [index, value] with the index a whole number from {last + 1} to {d - 1} (indices strictly increasing)");
                row[j] = Number(pair[1], $"{here}[1]", file);
                last = j;
            }
            return row;
        }

        private Rational[] Row(JsonElement row, string at, int d, string file)
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != d)
                throw new InputException(file, at, $"expected an array of {d} numbers (input_dim)");
            return [.. row.EnumerateArray().Select((v, j) => Number(v, $"{at}[{j}]", file))];
        }

        private Rational Number(JsonElement element, string at, string file)
        {
            string? text = element.ValueKind switch
            {
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.String => element.GetString(),
                _ => null,
            };
            if (text is null) throw new InputException(file, at, "expected a number or a string such as \"3/4\"");
            if (!ExactNumberParser.TryParse(text, out var value, out var problem)) throw new InputException(file, at, problem);
            _digits += Digits(value);
            return _digits <= NetworkReader.MaxTotalDigits ? value
                : throw new InputException(file, at, $"the exact values up to here have more than {NetworkReader.MaxTotalDigits} decimal digits together, the limit for one file (docs/formats.md)");
        }
    }

    internal static void Keys(JsonElement obj, string at, string[] allowed, string[] required, string file)
    {
        foreach (var p in obj.EnumerateObject())
            if (Array.IndexOf(allowed, p.Name) < 0) throw new InputException(file, $"{at}.{ExactNumberParser.Shorten(p.Name)}", $"unknown key (expected one of: {string.Join(", ", allowed)})");
        foreach (var key in required)
            if (!obj.TryGetProperty(key, out _)) throw new InputException(file, $"{at}.{key}", "missing required key");
    }
}
