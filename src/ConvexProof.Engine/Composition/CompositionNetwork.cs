using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Composition;

/// <summary>
/// One quadratic term of a layer: <see cref="Coefficient"/>·(w·x + β)² added to the pre-activation
/// of unit <see cref="Unit"/> (w = <see cref="Weights"/> over the network input x, β = <see cref="Bias"/>).
/// </summary>
public sealed record SquareTerm(int Unit, Rational Coefficient, Rational Bias, Rational[] Weights)
{
    public Rational Value(IReadOnlyList<Rational> x)
    {
        Rational t = Bias;
        for (int j = 0; j < Weights.Length; j++) if (!Weights[j].IsZero) t += Weights[j] * x[j];
        return Coefficient * t * t;
    }
}

/// <summary>What a layer adds to a plain layer: quadratic terms in x, and whether its outputs are squared (h = σ(z)²).</summary>
public sealed record LayerSquares(IReadOnlyList<SquareTerm> Terms, bool SquareOutput)
{
    public static readonly LayerSquares None = new([], false);

    /// <summary>The layer's weights in weight-shared form (then the plain layer has no weight rows, its bias per unit, and <see cref="Terms"/> is empty), or null.</summary>
    public SharedLayer? Shared { get; init; }
}

/// <summary>
/// The quadratic added to the output: s/2·|x|² (<see cref="S"/>) plus |F·x|² for an optional
/// factor F (<see cref="Factor"/>, rows over x), a PSD quadratic FᵀF whatever F's signs.
/// </summary>
public sealed record InputQuadratic(Rational S, Rational[][] Factor)
{
    public Rational Value(IReadOnlyList<Rational> x)
    {
        Rational sum = Rational.Zero;
        foreach (var v in x) sum += v * v;
        Rational value = S * sum / 2;
        foreach (var row in Factor)
        {
            Rational t = Rational.Zero;
            for (int j = 0; j < row.Length; j++) if (!row[j].IsZero) t += row[j] * x[j];
            value += t * t;
        }
        return value;
    }
}

/// <summary>
/// A composition model (docs/formats.md, "Composition models"): a plain network (affine layers,
/// rectifiers) with quadratic terms of the input in the pre-activations, squared layer outputs and
/// a quadratic of the input added to the output. f is evaluated exactly (squares of rationals are rational).
/// </summary>
public sealed class CompositionNetwork
{
    public CompositionNetwork(Network plain, IReadOnlyList<LayerSquares> layers, InputQuadratic? input)
    {
        if (layers.Count != plain.Layers.Count) throw new ArgumentException("one LayerSquares per layer", nameof(layers));
        Plain = plain;
        Layers = layers;
        Input = input;
    }

    /// <summary>The affine layers and rectifiers, without the quadratic parts.</summary>
    public Network Plain { get; }

    public IReadOnlyList<LayerSquares> Layers { get; }
    public InputQuadratic? Input { get; }
    public int InputDim => Plain.InputDim;

    /// <summary>Whether some quadratic part is present (else the model is the plain network, CPWL).</summary>
    public bool HasSquares => Input is not null || Layers.Any(l => l.SquareOutput || l.Terms.Count > 0 || l.Shared is not null);

    /// <summary>Whether some layer is in weight-shared form (convolutions kept as kernels).</summary>
    public bool HasShared => Layers.Any(l => l.Shared is not null);

    /// <summary>Exact f(x).</summary>
    public Rational Evaluate(IReadOnlyList<Rational> x)
    {
        IReadOnlyList<Rational> h = x;
        for (int l = 0; l < Plain.Layers.Count; l++) h = Forward(l, h, x);
        return Input is null ? h[0] : h[0] + Input.Value(x);
    }

    /// <summary>Layer l's outputs from the previous layer's outputs <paramref name="h"/> and the input x.</summary>
    private Rational[] Forward(int l, IReadOnlyList<Rational> h, IReadOnlyList<Rational> x)
    {
        var layer = Plain.Layers[l];
        var z = Layers[l].Shared is SharedLayer shared ? shared.PreActivations(h, x) : new Rational[layer.Outputs];
        for (int i = 0; Layers[l].Shared is null && i < layer.Outputs; i++)
        {
            Rational sum = layer.Bias[i];
            var row = layer.Weights[i];
            for (int j = 0; j < row.Length; j++) if (!row[j].IsZero) sum += row[j] * h[j];
            if (layer.Skip is not null)
                for (int j = 0; j < InputDim; j++) if (!layer.Skip[i][j].IsZero) sum += layer.Skip[i][j] * x[j];
            z[i] = sum;
        }
        foreach (var term in Layers[l].Terms) z[term.Unit] += term.Value(x);
        for (int i = 0; i < z.Length; i++)
        {
            var a = layer.Activate(z[i]);
            z[i] = Layers[l].SquareOutput ? a * a : a;
        }
        return z;
    }

    /// <summary>A float copy of the parameters, for fast proposals.</summary>
    public FloatModel ToFloat() => new(this);
}
