using ConvexProof.Networks;

namespace ConvexProof.Composition;

/// <summary>
/// Proposes lines across the kink of one first-layer rectifier unit, for models with weight-shared
/// layers (where random lines in thousands of dimensions cross kinks of both signs and rarely show a
/// gap): the first layer's pre-activation z_u = w·x + b is affine, so the line through the point of
/// the hyperplane z_u = 0 nearest to p, along w, crosses that kink at once; when f decreases in that
/// unit's output (an unclipped negative weight downstream), a short segment has f's slope drop there,
/// a midpoint violation of order h that the convex squares (of order h²) cannot hide. Proposals only:
/// the exact check decides.
/// </summary>
internal sealed class KinkLines
{
    /// <summary>
    /// Segments on kink lines are scanned down to this fraction of the scale (random lines stop at 1/1024):
    /// the kink's gap shrinks like h and the squares' like h², so short segments show it (the 2^-20 grid
    /// of the exact check stays well inside them).
    /// </summary>
    public const double ShortestFraction = 1.0 / 65536;

    private readonly CompositionNetwork _model;

    private KinkLines(CompositionNetwork model) => _model = model;

    /// <summary>For a model with weight-shared layers whose first layer is a rectifier of an affine form; else null.</summary>
    public static KinkLines? For(CompositionNetwork model) =>
        model.HasShared && model.Plain.Layers[0].Activation == Activation.Relu && model.Layers[0].Terms.Count == 0 && model.Layers[0].Shared?.Square is null
            ? new KinkLines(model) : null;

    /// <summary>The point nearest to p on a random first-layer unit's kink, and the unit's direction (null when its form is 0).</summary>
    public (double[] P, double[] V)? Across(Random random, double[] p)
    {
        var layer = _model.Plain.Layers[0];
        int u = random.Next(layer.Outputs);
        var w = Row(u);
        double norm2 = w.Sum(a => a * a), z = layer.Bias[u].ToDouble();
        for (int j = 0; j < w.Length; j++) z += w[j] * p[j];
        if (norm2 == 0) return null;
        double norm = Math.Sqrt(norm2);
        return ([.. p.Select((a, j) => a - z / norm2 * w[j])], [.. w.Select(a => a / norm)]);
    }

    /// <summary>Unit u's coefficients on x (the first layer reads x through its weights and its skip).</summary>
    private double[] Row(int u)
    {
        var row = new double[_model.InputDim];
        if (_model.Layers[0].Shared is SharedLayer shared)
        {
            foreach (var (j, v) in shared.Main.Row(u)) row[j] += v.ToDouble();
            if (shared.Skip is not null) foreach (var (j, v) in shared.Skip.Row(u)) row[j] += v.ToDouble();
            return row;
        }
        var layer = _model.Plain.Layers[0];
        for (int j = 0; j < row.Length; j++) row[j] = layer.Weights[u][j].ToDouble() + (layer.Skip?[u][j].ToDouble() ?? 0);
        return row;
    }
}
