namespace ConvexProof.Checker;

/// <summary>c·(w·x + β)² added to the pre-activation of one unit (docs/formats.md, "Composition models").</summary>
internal sealed record SquareTerm(int Unit, Rational C, Rational Beta, Rational[] W);

/// <summary>
/// The quadratic parts of a composition model, read by the checker's own net.json reader: per layer
/// the terms c·(w·x + β)² of the input and whether the outputs are squared (h = σ(z)²), and the
/// output's s/2·|x|² + |F·x|². Null on a network (plain) that has none of them.
/// </summary>
internal sealed class Squares
{
    public static readonly KeySet TermKeys = new(1, "unit", "weights", "entries", "bias", "coefficient"), InputKeys = new(0, "s", "factor");

    public required SquareTerm[][] Terms { get; init; }   // per layer, in file order (the hash's order)
    public required SquareTerm[][][] ByUnit { get; init; } // per layer and unit
    public required bool[] SquareOutput { get; init; }
    public Rational? S { get; init; }
    public required Rational[][] Factor { get; init; }

    /// <summary>The weight-shared layers (null entries: dense layers), or null when there are none.</summary>
    public SharedLayer?[]? Shared { get; init; }

    public static Squares? Read(NetworkFile file, JsonElement root, JsonElement[] layerItems, Layer[] layers, int d, SharedLayer?[]? shared = null)
    {
        var terms = new SquareTerm[layers.Length][];
        var square = new bool[layers.Length];
        bool any = false;
        for (int l = 0; l < layers.Length; l++)
        {
            string at = $"$.layers[{l}]";
            terms[l] = layerItems[l].TryGetProperty("quadratic", out var list) ? [.. Items(list, $"{at}.quadratic").Select((t, k) => Term(file, t, $"{at}.quadratic[{k}]", layers[l].Out, d))] : [];
            if (layerItems[l].TryGetProperty("square_output", out var flag) && flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Bad($"{at}.square_output", "expected true or false");
            square[l] = flag.ValueKind == JsonValueKind.True;
            any |= terms[l].Length > 0 || square[l];
        }
        Rational? s = null;
        Rational[][] factor = [];
        if (root.TryGetProperty("input_quadratic", out var q))
        {
            Keys(q, "$.input_quadratic", InputKeys);
            if (!q.EnumerateObject().Any()) throw Bad("$.input_quadratic", "expected \"s\" or \"factor\"");
            s = q.TryGetProperty("s", out var se) ? file.Number(se, "$.input_quadratic.s") : Rational.Zero;
            factor = q.TryGetProperty("factor", out var f) ? [.. Items(f, "$.input_quadratic.factor").Select((r, i) => file.Vector(r, $"$.input_quadratic.factor[{i}]", d))] : [];
        }
        if (!any && s is null && shared is null) return null;
        var byUnit = terms.Select((t, l) => Enumerable.Range(0, layers[l].Out).Select(u => t.Where(x => x.Unit == u).ToArray()).ToArray()).ToArray();
        return new Squares { Terms = terms, ByUnit = byUnit, SquareOutput = square, S = s, Factor = factor, Shared = shared };
    }

    private static SquareTerm Term(NetworkFile file, JsonElement t, string at, int units, int d)
    {
        Keys(t, at, TermKeys);
        int unit = Int(t.GetProperty("unit"), $"{at}.unit", 0, units - 1);
        bool hasDense = t.TryGetProperty("weights", out var dense);
        if (hasDense == t.TryGetProperty("entries", out var sparse)) throw Bad($"{at}.weights", "exactly one of \"weights\" and \"entries\" is required");
        return new SquareTerm(unit, t.TryGetProperty("coefficient", out var c) ? file.Number(c, $"{at}.coefficient") : Rational.One,
            t.TryGetProperty("bias", out var b) ? file.Number(b, $"{at}.bias") : Rational.Zero, hasDense ? file.Vector(dense, $"{at}.weights", d) : Entries(file, sparse, $"{at}.entries", d));
    }

    /// <summary>[index, value] pairs, indices strictly increasing in [0, d), the other coefficients 0.</summary>
    private static Rational[] Entries(NetworkFile file, JsonElement e, string at, int d)
    {
        var row = Enumerable.Repeat(Rational.Zero, d).ToArray();
        int last = -1;
        foreach (var (pair, here) in Tuples(e, at, 2, "expected [index, value]"))
            row[last = Int(pair[0], here.Then("[0]"), last + 1, d - 1)] = file.Number(pair[1], here.Then("[1]").ToString());
        return row;
    }

    /// <summary>Σ of unit u's terms in layer l at x.</summary>
    public Rational Term(int l, int u, Rational[] x)
    {
        Rational sum = Rational.Zero;
        foreach (var t in ByUnit[l][u]) sum += t.C * Square(t.W, t.Beta, x);
        return sum;
    }

    /// <summary>h = σ(z)² on a squared layer, else σ(z).</summary>
    public Rational Output(int l, Rational a) => SquareOutput[l] ? a * a : a;

    /// <summary>s/2·|x|² + |F·x|².</summary>
    public Rational Input(Rational[] x) => x.Aggregate(Rational.Zero, (sum, v) => sum + v * v) * (S ?? Rational.Zero) / 2
        + Factor.Aggregate(Rational.Zero, (sum, row) => sum + Square(row, Rational.Zero, x));

    private static Rational Square(Rational[] w, Rational beta, Rational[] x)
    {
        Rational t = beta;
        for (int j = 0; j < w.Length; j++) if (!w[j].IsZero) t += w[j] * x[j];
        return t * t;
    }

    /// <summary>The block the hash appends after the plain network's text (docs/formats.md).</summary>
    public void Hash(Action<string, Rational[]> row)
    {
        row("composition", []);
        for (int l = 0; l < Terms.Length; l++)
        {
            foreach (var t in Terms[l]) row($"t {l} {t.Unit}", [t.C, t.Beta, .. t.W]);
            if (Shared?[l] is SharedLayer k)
            {
                row($"conv {l} main {k.Main.Text}", k.Main.K);
                if (k.Skip is not null) row($"conv {l} skip {k.Skip.Text}", k.Skip.K);
                if (k.Square is not null) row($"conv {l} quadratic {k.Square.Text}", k.Square.K);
                if (k.Square is not null) row($"qc {l}", [k.C, .. k.Beta]);
            }
            if (SquareOutput[l]) row($"square {l}", []);
        }
        if (S is Rational s) row("qs", [s]);
        foreach (var r in Factor) row("qf", r);
    }
}
