using System.Text.Json.Nodes;

namespace ConvexProof.Checker.Tests;

/// <summary>
/// An independent certificate writer for networks on a 1-D box, for randomized tests: on a line the
/// regions are intervals found by walking left to right, so no LP is needed. Condition values are
/// computed with the literal backward pass of docs/formats.md (the checker uses Lemma 2 instead),
/// and constraints are randomly proved redundant or dismissed by bounds.
/// </summary>
internal sealed class LineCertificates(JsonObject net, Rational lo, Rational hi, Random random)
{
    private sealed record Layer(Rational[][] W, Rational[] B, bool Relu, int First);

    private readonly Layer[] _layers = ReadLayers(net);
    private int N => _layers.Sum(l => l.Relu ? l.B.Length : 0);

    public static JsonObject RandomNet(Random random, int[] widths, int scale = 4)
    {
        Rational R() => new(random.Next(-3 * scale, 3 * scale + 1), scale);
        var layers = new JsonArray();
        for (int l = 1; l < widths.Length; l++)
        {
            var w = new JsonArray();
            var b = new JsonArray();
            for (int i = 0; i < widths[l]; i++)
            {
                w.Add(new JsonArray([.. Enumerable.Range(0, widths[l - 1]).Select(_ => (JsonNode?)R().ToString())]));
                b.Add(R().ToString());
            }
            layers.Add(new JsonObject { ["weights"] = w, ["bias"] = b, ["activation"] = l == widths.Length - 1 ? "identity" : "relu" });
        }
        return new JsonObject { ["input_dim"] = 1, ["layers"] = layers };
    }

    private static Layer[] ReadLayers(JsonObject net)
    {
        static Rational P(JsonNode? n) => Rational.TryParseCanonical(n!.GetValue<string>(), out var v) ? v : throw new FormatException();
        int first = 0;
        return [.. net["layers"]!.AsArray().Select(l =>
        {
            var layer = new Layer([.. l!["weights"]!.AsArray().Select(r => r!.AsArray().Select(P).ToArray())],
                [.. l["bias"]!.AsArray().Select(P)], l["activation"]!.GetValue<string>() == "relu", first);
            if (layer.Relu) first += layer.B.Length;
            return layer;
        })];
    }

    /// <summary>Pre-activations (value, slope) of every ReLU unit at x + εs, and the output; bits by the lexicographic rule.</summary>
    private (string Pattern, Rational F) Pattern(Rational x, int s)
    {
        var h = new[] { (V: x, S: (Rational)s) };
        var bits = new System.Text.StringBuilder();
        foreach (var layer in _layers)
        {
            h = [.. layer.W.Select((row, i) =>
            {
                var z = (V: layer.B[i], S: Rational.Zero);
                for (int j = 0; j < row.Length; j++) z = (z.V + row[j] * h[j].V, z.S + row[j] * h[j].S);
                if (!layer.Relu) return z;
                bool on = z.V.Sign > 0 || (z.V.IsZero && z.S.Sign > 0);
                bits.Append(on ? '1' : '0');
                return on ? z : (Rational.Zero, Rational.Zero);
            })];
        }
        return (bits.ToString(), h[0].V);
    }

    /// <summary>Local maps (g, h) of every unit with the pattern frozen; the last entry is the output.</summary>
    private List<(Rational G, Rational H)> Maps(string pattern)
    {
        var all = new List<(Rational, Rational)>();
        var h = new[] { (G: Rational.One, H: Rational.Zero) };
        foreach (var layer in _layers)
        {
            h = [.. layer.W.Select((row, i) =>
            {
                var z = (G: Rational.Zero, H: layer.B[i]);
                for (int j = 0; j < row.Length; j++) z = (z.G + row[j] * h[j].G, z.H + row[j] * h[j].H);
                all.Add(z);
                return !layer.Relu || pattern[layer.First + i] == '1' ? z : (Rational.Zero, Rational.Zero);
            })];
        }
        var relu = new List<(Rational, Rational)>();
        int u = 0;
        foreach (var layer in _layers)
            for (int i = 0; i < layer.B.Length; i++, u++) if (layer.Relu) relu.Add(all[u]);
        relu.Add(all[^1]);
        return relu;
    }

    /// <summary>δ for every ReLU unit by the literal backward pass with the pattern's downstream bits.</summary>
    private Rational[] Backward(string pattern)
    {
        var delta = new Rational[N];
        Rational[] next = [Rational.One]; // derivative w.r.t. the post-activations of the layer above
        for (int l = _layers.Length - 1; l > 0; l--)
        {
            var above = _layers[l];
            var below = _layers[l - 1];
            var current = new Rational[below.B.Length];
            for (int j = 0; j < current.Length; j++)
            {
                current[j] = Rational.Zero;
                for (int i = 0; i < above.B.Length; i++)
                {
                    bool pass = !above.Relu || pattern[above.First + i] == '1';
                    if (pass) current[j] += above.W[i][j] * next[i];
                }
                if (below.Relu) delta[below.First + j] = current[j];
            }
            next = current;
        }
        return delta;
    }

    public JsonObject Certificate(string sha)
    {
        int n = N;
        // Walk left to right: each region is [L, U], its pattern the one just right of L.
        var regions = new List<(string P, Rational L, Rational U)>();
        var left = lo;
        while (left < hi)
        {
            var (p, _) = Pattern(left, +1);
            var maps = Maps(p);
            var right = hi;
            for (int k = 0; k < n; k++)
            {
                var (g, h) = p[k] == '1' ? maps[k] : (-maps[k].G, -maps[k].H);
                if (g.Sign < 0 && -h / g < right) right = -h / g;
            }
            regions.Add((p, left, right));
            left = right;
        }
        var index = regions.Select((r, i) => (r.P, i)).ToDictionary(t => t.P, t => t.i);
        var conditions = new SortedDictionary<(int, string), (Rational V, int R, Rational W)>(
            Comparer<(int, string)>.Create((a, b) => a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : string.CompareOrdinal(a.Item2, b.Item2)));
        var regionNodes = new JsonArray();
        int facetCount = 0, boundaryCount = 0, redundantCount = 0, flatCount = 0, dismissedCount = 0, degenerateCount = 0, negativeJumps = 0;
        for (int r = 0; r < regions.Count; r++)
        {
            var (p, l, u) = regions[r];
            var maps = Maps(p);
            var delta = Backward(p);
            var constraints = new List<(Rational G, Rational H)>();
            for (int k = 0; k < n; k++) constraints.Add(p[k] == '1' ? maps[k] : (-maps[k].G, -maps[k].H));
            constraints.Add((Rational.One, -lo));
            constraints.Add((-Rational.One, hi));
            var facets = new JsonArray();
            var redundant = new JsonArray();
            var flat = new JsonArray();
            int leftFacet = -1, rightFacet = -1;
            for (int k = 0; k < constraints.Count; k++)
            {
                var (g, h) = constraints[k];
                if (g.Sign > 0 && (g * l + h).IsZero && leftFacet < 0) leftFacet = k;
                if (g.Sign < 0 && (g * u + h).IsZero && rightFacet < 0) rightFacet = k;
            }
            bool useBounds = random.Next(2) == 0;
            for (int k = 0; k < constraints.Count; k++)
            {
                var (g, h) = constraints[k];
                bool atLeft = g.Sign > 0 && (g * l + h).IsZero, atRight = g.Sign < 0 && (g * u + h).IsZero;
                if (g.IsZero && h.IsZero) { flat.Add(k); flatCount++; continue; }
                if (atLeft || atRight)
                {
                    var w = atLeft ? l : u;
                    int s = atLeft ? -1 : +1;
                    var facet = new JsonObject { ["c"] = k, ["point"] = Fixture.Points(w.ToString()) };
                    facetCount++;
                    if (w == lo || w == hi) { facet["boundary"] = true; boundaryCount++; }
                    else
                    {
                        var (q, _) = Pattern(w, s);
                        int neighbour = index[q];
                        facet["neighbour"] = neighbour;
                        var differing = Enumerable.Range(0, n).Where(i => q[i] != p[i]).ToList();
                        var jump = (Maps(q)[n].G - maps[n].G) * (-g);
                        if (differing.Count > 1)
                        {
                            facet["degenerate"] = new JsonObject { ["neurons"] = new JsonArray([.. differing.Select(i => (JsonNode?)i)]), ["jump"] = jump.ToString() };
                            degenerateCount++;
                            if (jump.Sign < 0) negativeJumps++;
                        }
                        else
                        {
                            int unit = differing[0];
                            int layer = Array.FindIndex(_layers, ly => ly.Relu && unit >= ly.First && unit < ly.First + ly.B.Length);
                            var key = (unit, p[(_layers[layer].First + _layers[layer].B.Length)..]);
                            conditions.TryAdd(key, (delta[unit], r, w));
                        }
                    }
                    facets.Add(facet);
                }
                else if (g.IsZero) { redundant.Add(new JsonObject { ["c"] = k, ["farkas"] = new JsonArray() }); redundantCount++; }
                else if (useBounds && random.Next(3) > 0) dismissedCount++;
                else
                {
                    int f = g.Sign > 0 ? leftFacet : rightFacet;
                    var lambda = g / constraints[f].G;
                    redundant.Add(new JsonObject { ["c"] = k, ["farkas"] = new JsonArray(new JsonArray(f, lambda.ToString())) });
                    redundantCount++;
                }
            }
            var region = new JsonObject
            {
                ["pattern"] = p, ["point"] = Fixture.Points(((l + u) / 2).ToString()),
                ["facets"] = facets, ["redundant"] = redundant, ["flat"] = flat,
            };
            if (useBounds)
            {
                region["bounds"] = new JsonArray(new JsonArray(l.ToString(), u.ToString()));
                region["bounds_farkas"] = new JsonArray(new JsonArray(
                    new JsonArray(new JsonArray(leftFacet, (Rational.One / constraints[leftFacet].G).ToString())),
                    new JsonArray(new JsonArray(rightFacet, (-Rational.One / constraints[rightFacet].G).ToString()))));
            }
            regionNodes.Add(region);
        }
        int violations = conditions.Values.Count(c => c.V.Sign < 0) + negativeJumps;
        var cert = new JsonObject
        {
            ["format"] = "convexproof-certificate/1", ["network_sha256"] = sha,
            ["domain"] = new JsonObject { ["box"] = new JsonArray(new JsonArray(lo.ToString(), hi.ToString())) },
            ["verdict"] = violations == 0 ? "convex" : "not_convex",
            ["summary"] = new JsonObject
            {
                ["neurons"] = n, ["regions"] = regions.Count, ["facets"] = facetCount, ["boundary_facets"] = boundaryCount,
                ["redundant"] = redundantCount, ["flat"] = flatCount, ["dismissed"] = dismissedCount, ["conditions"] = conditions.Count,
                ["violations"] = violations, ["degenerate_facets"] = degenerateCount,
            },
            ["regions"] = regionNodes,
            ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode?)new JsonObject
            {
                ["neuron"] = c.Key.Item1, ["downstream"] = c.Key.Item2, ["value"] = c.Value.V.ToString(),
                ["region"] = c.Value.R, ["point"] = Fixture.Points(c.Value.W.ToString()),
            })]),
        };
        if (violations > 0) cert["counterexample"] = Counterexample(regions);
        return cert;
    }

    /// <summary>Two points around the first concave kink (or, failing that, the whole box: f is not convex somewhere).</summary>
    private JsonObject Counterexample(List<(string P, Rational L, Rational U)> regions)
    {
        for (int r = 0; r + 1 < regions.Count; r++)
        {
            var b = regions[r].U;
            Rational a = b - regions[r].L, c = regions[r + 1].U - b;
            var t = (a <= c ? a : c) / 2;
            var (x, y) = (b - t, b + t);
            var (fx, fy, fm) = (Pattern(x, 0).F, Pattern(y, 0).F, Pattern(b, 0).F);
            if (fm > (fx + fy) / 2) return new JsonObject { ["x"] = Fixture.Points(x.ToString()), ["y"] = Fixture.Points(y.ToString()) };
        }
        throw new InvalidOperationException("a negative condition without a concave kink on the line");
    }
}
