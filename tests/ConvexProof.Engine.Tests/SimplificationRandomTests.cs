using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Simplification;
using static ConvexProof.Tests.SimplificationSupport;

namespace ConvexProof.Tests;

/// <summary>
/// Seeded random networks of generic units with redundant units injected at random places: positive
/// multiples of a unit, opposite multiples in the first layer, constant units, units nothing reads,
/// and on a box units dead there. The weights the next layer puts on a copy are random, and the
/// original's weight is set so that, once merged, the next layer's rows are the intended generic ones
/// (pairwise non-parallel, all weights non-zero). So the simplified network has exactly the generic widths.
/// </summary>
public class SimplificationRandomTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 40).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void InjectedRedundanciesAreRemovedExactly(int seed)
    {
        var random = new Random(seed);
        bool box = seed % 2 == 0;
        var (network, widths) = Build(random, box);
        var domain = box ? Nets.Box(network.InputDim, -1, 1) : Domain.Everywhere(network.InputDim);
        var r = Simplifier.Simplify(network, domain);
        Assert.True(r.Original.NeuronCount > widths.Sum(), "nothing was injected: the test would pass by accident");
        Assert.True(Widths(r.Result).SequenceEqual([.. widths, 1]), NetworkWriter.ToJson(network) + "\n=>\n" + NetworkWriter.ToJson(r.Result) + string.Join("\n", r.Steps));
        AssertEquivalent(r, seed);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DeepDegenerateNetworksOnBoxesHaveAcceptedCertificates(int seed)
    {
        // Up to three hidden layers with duplicated, doubled and zero rows, on boxes small enough that
        // units die or stay on: the bound pass's decisions must hold when the checker recomputes them.
        var random = new Random(1000 + seed);
        var network = RandomNetworkTests.RandomNetwork(random);
        var r = Simplifier.Simplify(network, Nets.Box(network.InputDim, -(seed % 3 + 1), seed % 3 + 1));
        AssertEquivalent(r, seed);
    }

    [Fact]
    public void TheDeepCasesExerciseEveryBoundStep()
    {
        var kinds = Seeds().SelectMany(s =>
        {
            var network = RandomNetworkTests.RandomNetwork(new Random(1000 + (int)s[0]));
            return Simplifier.Simplify(network, Nets.Box(network.InputDim, -((int)s[0] % 3 + 1), (int)s[0] % 3 + 1)).Steps.Select(step => step.Kind);
        }).ToHashSet();
        Assert.Superset(new HashSet<RewriteKind> { RewriteKind.Dead, RewriteKind.AlwaysOn, RewriteKind.Merge, RewriteKind.Remove }, kinds);
    }

    /// <summary>
    /// A unit as generated: its row and bias; for a generic unit its index among them; for a copy the
    /// generic unit it copies and the factor of |row| (negative: opposite); unread units get a zero column.
    /// </summary>
    private sealed record Unit(Rational[] Row, Rational Bias, int Generic = -1, int Copies = -1, Rational Factor = default, bool Unread = false);

    private static (Network Network, int[] Widths) Build(Random random, bool box)
    {
        // On a box, interval bounds could make a generic deeper unit stable: one hidden layer there.
        int d = random.Next(1, 4), depth = box ? 1 : random.Next(1, 3);
        var widths = new int[depth];
        var layers = new List<Layer>();
        List<Unit>? below = null;
        int generic = d;
        for (int l = 0; l <= depth; l++)
        {
            bool last = l == depth;
            int count = last || (l > 0 && generic == 1) ? 1 : random.Next(1, 4);
            var units = new List<Unit>();
            while (units.Count < count)
            {
                // Every weight non-zero, the first one at least 4 in size and |bias| ≤ 3: no first-layer unit is stable on [-1, 1]^d.
                var row = Enumerable.Range(0, generic).Select(j => (Rational)(random.Next(j == 0 ? 4 : 1, 10) * (random.Next(2) * 2 - 1))).ToArray();
                var bias = (Rational)(random.Next(-3, 4));
                // Pairwise non-parallel (in the first layer with the bias; elsewhere folds change the bias).
                Rational[] Key(Rational[] r, Rational b) => [.. (l == 0 ? [.. r, b] : r).Select(v => v / r[0].Abs())];
                if (units.All(u => !Key(u.Row, u.Bias).AsSpan().SequenceEqual(Key(row, bias)) && !Key(u.Row, u.Bias).AsSpan().SequenceEqual(Key(row, bias).Select(v => -v).ToArray())))
                    units.Add(new Unit(row, bias, units.Count));
            }
            units = [.. units.Select(u => u with { Row = Expand(u.Row, below) })];
            if (!last) widths[l] = count;
            int columns = below?.Count ?? d;
            for (int extra = last ? 0 : random.Next(1, 4); extra > 0; extra--)
            {
                var of = units.First(u => u.Generic == random.Next(count) || u.Generic == 0);
                var factor = new Rational(random.Next(1, 5), random.Next(1, 3));
                Unit added = random.Next(box ? 5 : 4) switch
                {
                    0 when l == 0 => new Unit([.. of.Row.Select(v => -factor * v)], -factor * of.Bias, Copies: of.Generic, Factor: -factor),
                    1 => new Unit([.. Enumerable.Range(0, columns).Select(_ => Rational.Zero)], (Rational)(random.Next(-3, 4))),
                    2 => new Unit([.. Enumerable.Range(0, columns).Select(_ => (Rational)(random.Next(-9, 10)))], (Rational)(random.Next(-3, 4)), Unread: true),
                    4 => new Unit([.. Enumerable.Range(0, columns).Select(j => j == 0 ? Rational.One : Rational.Zero)], (Rational)(-5)), // x1 − 5 < 0 on the box
                    _ => new Unit([.. of.Row.Select(v => factor * v)], factor * of.Bias, Copies: of.Generic, Factor: factor),
                };
                units.Insert(random.Next(units.Count + 1), added);
            }
            layers.Add(new Layer([.. units.Select(u => u.Row)], [.. units.Select(u => u.Bias)], null, last ? Activation.Identity : Activation.Relu));
            below = units;
            generic = count;
        }
        return (new Network(d, layers), widths);

        // Generic weights (one per generic unit below) spread over all units below: a copy gets a random
        // weight w and its original's weight is lowered by |factor|·w, so merging gives back the generic
        // weight; unread units get 0, constant and dead units anything.
        Rational[] Expand(Rational[] genericRow, List<Unit>? units)
        {
            if (units is null) return genericRow;
            int Position(int g) => units.FindIndex(u => u.Generic == g);
            var row = units.Select(u => u.Generic >= 0 ? genericRow[u.Generic] : u.Unread ? Rational.Zero : (Rational)(random.Next(-9, 10))).ToArray();
            for (int i = 0; i < units.Count; i++)
                if (units[i].Copies >= 0) row[Position(units[i].Copies)] -= units[i].Factor.Abs() * row[i];
            return row;
        }
    }
}
