using System.Diagnostics;
using System.Numerics;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>Limits and choices of <see cref="BranchAndBound"/>.</summary>
public sealed record BranchAndBoundOptions
{
    /// <summary>Stop (undecided) when this many nodes have been bounded.</summary>
    public int MaxLeaves { get; init; } = 100_000;

    /// <summary>Stop (undecided) after this long; null: no time limit.</summary>
    public TimeSpan? Timeout { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Up to this input dimension a failing leaf is split by bisecting its widest coordinate; above
    /// it by an unstable unit's sign (box bisection in many dimensions shrinks nothing quickly).
    /// </summary>
    public int LowDimension { get; init; } = 8;

    /// <summary>
    /// Try linear bounds (<see cref="LinearBounds"/>) on a leaf the intervals do not certify, when
    /// their cost — input dimension times weights — is at most this (0: never).
    /// </summary>
    public long LinearBoundBudget { get; init; } = 4_000_000;

    /// <summary>
    /// A coordinate is not bisected below 2^−this of its width in the domain (exact arithmetic on
    /// ever finer boxes only gets slower; a condition that fails on such a small box is not going to
    /// be bounded by splitting it further).
    /// </summary>
    public int MaxBisections { get; init; } = 40;
}

/// <summary>How a branch-and-bound run ended.</summary>
public sealed record BranchAndBoundResult(SplitNode Root, bool Certified, int Nodes, Refutation? Refutation, string? StopReason)
{
    /// <summary>The certified fraction of the box's volume (1 when certified).</summary>
    public Rational CertifiedFraction => Root.CertifiedFraction();

    /// <summary>
    /// The fraction for the reader: "all of the box", or a percentage rounded down (its exact value
    /// can have a denominator of 2^depth).
    /// </summary>
    public string CertifiedText
    {
        get
        {
            var f = CertifiedFraction;
            if (f == Rational.One) return "all of the box";
            return $"{(double)(f * 10_000).Floor() / 100:0.##}% of the box's volume (rounded down)";
        }
    }
}

/// <summary>
/// Branch and bound on a box: bound a node (interval forward pass, interval backward pass); if a
/// condition lower bound is negative, split it — the widest input coordinate in low dimension, an
/// unstable unit's sign in high dimension — and bound the two children; until every leaf certifies
/// or a limit is hit. Failing leaves propose search lines (through the leaf's centre along the
/// worst unit's gradient) to the refutation search, whose counterexamples are exact.
/// </summary>
public static class BranchAndBound
{
    public static BranchAndBoundResult Run(Network network, Rational[] lower, Rational[] upper,
        BranchAndBoundOptions? options = null, RefutationSearch? search = null)
    {
        options ??= new BranchAndBoundOptions();
        var clock = Stopwatch.StartNew();
        var root = new SplitNode(new LeafDomain([.. lower], [.. upper], []));
        var queue = new Queue<SplitNode>();
        queue.Enqueue(root);
        int nodes = 0, failing = 0, stuck = 0;
        while (queue.Count > 0)
        {
            if (options.Cancellation.IsCancellationRequested) return new(root, false, nodes, null, "cancelled");
            if (options.Timeout is { } limit && clock.Elapsed > limit)
                return new(root, false, nodes, null, $"time limit of {limit.TotalSeconds:0.###} s reached");
            if (nodes >= options.MaxLeaves) return new(root, false, nodes, null, $"leaf limit of {options.MaxLeaves} reached");
            var node = queue.Dequeue();
            nodes++;
            Bound(network, node, options.LinearBoundBudget);
            if (node.Certified) continue;
            failing++;
            int worst = node.Conditions!.WorstNeuron();
            // Lines through failing leaves, at 1, 2, 4, 8, … failing leaves: cheap next to the bounding.
            if (search is not null && (failing & (failing - 1)) == 0)
            {
                var centre = node.Domain.Centre();
                var found = search.Line(centre, UnitGradient.At(network, centre, worst));
                if (found is not null) return new(root, false, nodes, found, null);
            }
            if (!Split(network, node, options, lower, upper))
            {
                stuck++;
                continue;
            }
            queue.Enqueue(node.Low!);
            queue.Enqueue(node.High!);
        }
        return stuck == 0 ? new(root, true, nodes, null, null)
            : new(root, false, nodes, null, $"{stuck} leaves still fail at the finest split ({options.MaxBisections} bisections of a coordinate, every unstable unit split)");
    }

    /// <summary>
    /// Bounds a node in place: it becomes a leaf with its bounds (and conditions unless empty) —
    /// the interval pass, or the linear pass when only that certifies the leaf.
    /// </summary>
    public static void Bound(Network network, SplitNode node, long linearBudget)
    {
        node.Kind = SplitKind.Leaf;
        Set(node, PreActivationBounds.Compute(network, node.Domain));
        if (node.Certified || LinearCost(network) > linearBudget) return;
        var (bounds, conditions) = (node.Bounds, node.Conditions);
        Set(node, LinearBounds.Compute(network, node.Domain));
        if (!node.Certified) (node.Bounds, node.Conditions) = (bounds, conditions);
    }

    private static void Set(SplitNode node, PreActivationBounds bounds)
    {
        node.Bounds = bounds;
        node.Conditions = bounds.Empty ? null : ConditionBounds.Compute(bounds);
    }

    /// <summary>Input dimension times the number of weights: the work of one linear pass.</summary>
    private static long LinearCost(Network network) =>
        network.InputDim * network.Layers.Sum(layer => (long)layer.Outputs * (layer.Inputs + (layer.Skip is null ? 0 : network.InputDim)));

    /// <summary>Splits a failing leaf in place; false when it cannot be split any further.</summary>
    private static bool Split(Network network, SplitNode node, BranchAndBoundOptions options, Rational[] lower, Rational[] upper)
    {
        int unit = network.InputDim > options.LowDimension ? CulpritInput(network, node) ?? UnitToSplit(network, node) : -1;
        if (unit >= 0)
        {
            var (nonNegative, nonPositive) = node.Domain.SplitSign(unit);
            node.Kind = SplitKind.Sign;
            node.Neuron = unit;
            node.Low = new SplitNode(nonNegative);
            node.High = new SplitNode(nonPositive);
            return true;
        }
        // The widest coordinate relative to the domain (all equal in the first rounds: the lowest index).
        int coordinate = 0;
        for (int i = 1; i < node.Domain.Dimension; i++)
            if (node.Domain.Width(i) * (upper[coordinate] - lower[coordinate]) > node.Domain.Width(coordinate) * (upper[i] - lower[i])) coordinate = i;
        if (node.Domain.Width(coordinate) * (BigInteger.One << options.MaxBisections) <= upper[coordinate] - lower[coordinate]) return false;
        var (low, high, at) = node.Domain.Bisect(coordinate);
        node.Kind = SplitKind.Box;
        node.Coordinate = coordinate;
        node.At = at;
        node.Low = new SplitNode(low);
        node.High = new SplitNode(high);
        return true;
    }

    /// <summary>
    /// The split aimed at the worst condition (as in β-CROWN's branching on the unit that hurts the
    /// bound most): ν's lower bound is lost where a unit j above it has an uncertain slope, most where
    /// |W_jν|·|δ_j| is largest; j becomes stable when its own bounds tighten, so split the unstable
    /// input u of j, not yet split on this path, with the largest |W_ju|·(hi_u − lo_u). Null when
    /// there is none (no such j, or its unstable inputs all split).
    /// </summary>
    private static int? CulpritInput(Network network, SplitNode node)
    {
        var conditions = node.Conditions!;
        var bounds = node.Bounds!;
        int worst = conditions.WorstNeuron();
        var nu = network.Neurons[worst];
        var above = network.Layers[nu.Layer + 1];
        if (above.Activation != Activation.Relu) return null;
        int culprit = -1;
        Rational loss = Rational.Zero;
        for (int j = 0; j < above.Outputs; j++)
        {
            int k = network.IndexOf(nu.Layer + 1, j);
            if (bounds.StateOf(k) != UnitState.Unstable || above.Weights[j][nu.Unit].IsZero) continue;
            var delta = conditions.Adjoints[nu.Layer + 1][j];
            var l = above.Weights[j][nu.Unit].Abs() * Rational.Max(delta.Lo.Abs(), delta.Hi.Abs());
            if (l > loss) (culprit, loss) = (j, l);
        }
        // ν's own layer feeds j: its units are the candidates (ReLU units only: they have a sign to split).
        if (culprit < 0 || network.Layers[nu.Layer].Activation != Activation.Relu) return null;
        int best = -1;
        Rational bestScore = Rational.Zero;
        var row = above.Weights[culprit];
        for (int u = 0; u < row.Length; u++)
        {
            if (row[u].IsZero) continue;
            int k = network.IndexOf(nu.Layer, u);
            if (bounds.StateOf(k) != UnitState.Unstable || node.Domain.IsSplitOn(k)) continue;
            var z = bounds.OfNeuron(k);
            var score = row[u].Abs() * (z.Hi - z.Lo);
            if (best < 0 || score > bestScore) (best, bestScore) = (k, score);
        }
        return best < 0 ? null : best;
    }

    /// <summary>
    /// Otherwise: the unstable unit, not yet split on this path, in the earliest layer that has one,
    /// whose split moves the bounds of the next layer most: min(−lo, hi) times the sum of |weights|
    /// out of it (lowest index on ties); −1 when every unstable unit is split already.
    /// </summary>
    private static int UnitToSplit(Network network, SplitNode node)
    {
        int best = -1, bestLayer = int.MaxValue;
        Rational bestScore = Rational.Zero;
        foreach (int k in node.Conditions!.UnstableNeurons)
        {
            var id = network.Neurons[k];
            if (id.Layer > bestLayer) break;
            if (node.Domain.IsSplitOn(k)) continue;
            var z = node.Bounds!.OfNeuron(k);
            var score = Rational.Min(-z.Lo, z.Hi) * OutgoingWeight(network, id);
            if (best < 0 || score > bestScore) { best = k; bestScore = score; bestLayer = id.Layer; }
        }
        return best;
    }

    private static Rational OutgoingWeight(Network network, NeuronId id)
    {
        Rational sum = Rational.Zero;
        foreach (var row in network.Layers[id.Layer + 1].Weights) sum += row[id.Unit].Abs();
        return sum;
    }
}
