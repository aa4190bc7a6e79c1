using ConvexProof.Bounds;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Sharding;

/// <summary>A shard of a new plan with the work estimated for it.</summary>
public sealed record PlannedShard(Domain Box, int EstimatedWork, bool Certified);

/// <summary>
/// Splits a box into N shards of similar work. The estimate of a part's work is a short
/// exploration: branch and bound on the part with a small node budget (the nodes it bounded plus
/// the leaves still pending when it stopped; 1 when the part certifies at once). The part with the
/// most work (then the largest, then the first) is bisected at the midpoint of its widest coordinate,
/// relative to the domain, until there are N parts — unless a first-layer unit's hyperplane is that
/// face (its kink would lie in a face shared by two shards, and region-certified shards would not
/// merge): then the cut moves by 1/64 of the side, alternately up and down, to the first value
/// no first-layer unit has. Counts, not times: the same input gives the same plan.
/// </summary>
public static class ShardPlanner
{
    public const int DefaultExploreNodes = 32;

    public static (ShardPlan Plan, IReadOnlyList<PlannedShard> Shards) Plan(Network network, Domain domain, int shards,
        int exploreNodes = DefaultExploreNodes, CancellationToken cancel = default)
    {
        if (!domain.IsBox) throw new ArgumentException("a plan needs a box");
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards));
        // The parts as leaves of a tree; each split replaces a leaf by a node with two leaves.
        var root = new Part(domain.Lower!, domain.Upper!, Estimate(network, domain.Lower!, domain.Upper!, exploreNodes, cancel));
        var leaves = new List<Part> { root };
        while (leaves.Count < shards)
        {
            cancel.ThrowIfCancellationRequested();
            // The most work, then the shallowest (the largest box), then the first (OrderBy is stable).
            var heaviest = leaves.OrderByDescending(p => p.Estimate.Work).ThenBy(p => p.Depth).First();
            int c = WidestCoordinate(heaviest, domain);
            var at = SplitValue(network, c, heaviest.Lo[c], heaviest.Hi[c]);
            Rational[] lowHi = [.. heaviest.Hi], highLo = [.. heaviest.Lo];
            lowHi[c] = at;
            highLo[c] = at;
            heaviest.Split(c, at,
                new Part(heaviest.Lo, lowHi, Estimate(network, heaviest.Lo, lowHi, exploreNodes, cancel)) { Depth = heaviest.Depth + 1 },
                new Part(highLo, heaviest.Hi, Estimate(network, highLo, heaviest.Hi, exploreNodes, cancel)) { Depth = heaviest.Depth + 1 });
            int index = leaves.IndexOf(heaviest);
            leaves[index] = heaviest.Low!;
            leaves.Insert(index + 1, heaviest.High!);
        }
        var tree = new List<PlanNode>();
        var planned = new List<PlannedShard>();
        var stack = new Stack<Part>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var part = stack.Pop();
            if (part.Low is null)
            {
                tree.Add(PlanNode.Leaf(planned.Count));
                planned.Add(new PlannedShard(Domain.Box(part.Lo, part.Hi), part.Estimate.Work, part.Estimate.Certified));
                continue;
            }
            tree.Add(PlanNode.Split(part.Coordinate, part.At));
            stack.Push(part.High!);
            stack.Push(part.Low);
        }
        return (new ShardPlan(NetworkHash.Sha256(network), domain, tree), planned);
    }

    /// <summary>The midpoint, or the nearest value lo + (1/2 ± j/64)·(hi − lo) that is no first-layer unit's hyperplane x_c = value.</summary>
    private static Rational SplitValue(Network network, int c, Rational lo, Rational hi)
    {
        var mid = (lo + hi) / 2;
        for (int j = 0; j < 32; j++)
            foreach (int sign in j == 0 ? [1] : new[] { 1, -1 })
            {
                var at = mid + (hi - lo) * new Rational(sign * j, 64);
                if (FaceKinks.FirstLayerUnitIn(network, new SharedFace(c, at)) < 0) return at;
            }
        return mid; // every candidate is some unit's hyperplane (more than 62 units on one axis): merge will say so
    }

    private readonly record struct WorkEstimate(int Work, bool Certified);

    /// <summary>The short exploration: branch and bound with a small budget (no line search).</summary>
    private static WorkEstimate Estimate(Network network, Rational[] lo, Rational[] hi, int nodes, CancellationToken cancel)
    {
        if (StructuralTest.Obstacle(network) is null) return new(1, true);
        var result = BranchAndBound.Run(network, lo, hi, new BranchAndBoundOptions { MaxLeaves = nodes, Cancellation = cancel });
        if (result.Certified) return new(result.Nodes, true);
        return new(result.Nodes + result.Root.Leaves().Count(n => n.Kind == SplitKind.Pending), false);
    }

    /// <summary>The widest coordinate relative to the domain (the lowest index on ties), as branch and bound bisects.</summary>
    private static int WidestCoordinate(Part part, Domain domain)
    {
        int best = 0;
        for (int i = 1; i < domain.Dimension; i++)
            if ((part.Hi[i] - part.Lo[i]) * (domain.Upper![best] - domain.Lower![best]) > (part.Hi[best] - part.Lo[best]) * (domain.Upper![i] - domain.Lower![i]))
                best = i;
        return best;
    }

    private sealed class Part(Rational[] lo, Rational[] hi, WorkEstimate estimate)
    {
        public Rational[] Lo { get; } = lo;
        public Rational[] Hi { get; } = hi;
        public WorkEstimate Estimate { get; } = estimate;
        public int Depth { get; init; }
        public int Coordinate { get; private set; } = -1;
        public Rational At { get; private set; }
        public Part? Low { get; private set; }
        public Part? High { get; private set; }

        public void Split(int coordinate, Rational at, Part low, Part high) => (Coordinate, At, Low, High) = (coordinate, at, low, high);
    }
}
