using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>What a node of the split tree is.</summary>
public enum SplitKind
{
    /// <summary>Not processed (the search stopped at a limit first).</summary>
    Pending,

    /// <summary>A leaf whose bounds were computed (certified or not).</summary>
    Leaf,

    /// <summary>The box cut at <see cref="SplitNode.At"/> on <see cref="SplitNode.Coordinate"/>: Low has x_i ≤ At, High has x_i ≥ At.</summary>
    Box,

    /// <summary>A unit-sign split on <see cref="SplitNode.Neuron"/>: Low has z ≥ 0, High has z ≤ 0.</summary>
    Sign,
}

/// <summary>
/// A node of the branch-and-bound split tree. The children of a split cover their parent whatever
/// the network does, so the leaves cover the root's box by construction.
/// </summary>
public sealed class SplitNode(LeafDomain domain)
{
    public LeafDomain Domain { get; } = domain;
    public SplitKind Kind { get; internal set; } = SplitKind.Pending;
    public int Coordinate { get; internal set; } = -1;
    public Rational At { get; internal set; }
    public int Neuron { get; internal set; } = -1;

    /// <summary>Box split: x_i ≤ At; sign split: z ≥ 0.</summary>
    public SplitNode? Low { get; internal set; }

    /// <summary>Box split: x_i ≥ At; sign split: z ≤ 0.</summary>
    public SplitNode? High { get; internal set; }

    /// <summary>For a processed node: its exact pre-activation bounds.</summary>
    public PreActivationBounds? Bounds { get; internal set; }

    /// <summary>For a processed, non-empty node: its condition lower bounds.</summary>
    public ConditionBounds? Conditions { get; internal set; }

    /// <summary>A leaf that holds no point (a split contradicts the bounds) or whose every condition bound is ≥ 0.</summary>
    public bool Certified => Kind == SplitKind.Leaf && (Bounds!.Empty || Conditions!.Certifies);

    /// <summary>
    /// The nodes in preorder — a split, then its low subtree (x_i ≤ At / z ≥ 0), then its high
    /// one: the order certificates list them.
    /// </summary>
    public IEnumerable<SplitNode> Preorder()
    {
        var stack = new Stack<SplitNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node.Kind is SplitKind.Box or SplitKind.Sign)
            {
                stack.Push(node.High!);
                stack.Push(node.Low!);
            }
        }
    }

    /// <summary>The leaves (and unprocessed nodes) in preorder.</summary>
    public IEnumerable<SplitNode> Leaves() => Preorder().Where(n => n.Kind is SplitKind.Leaf or SplitKind.Pending);

    /// <summary>
    /// The fraction of this node's box proved convex-safe: 1 for a certified leaf, halves for a box
    /// split, and for a sign split 1 only when both sides are (the volume of each side is unknown).
    /// </summary>
    public Rational CertifiedFraction()
    {
        // Children before parents (reverse preorder), without recursion: trees can be deep.
        var fraction = new Dictionary<SplitNode, Rational>(ReferenceEqualityComparer.Instance);
        foreach (var node in Preorder().Reverse())
            fraction[node] = node.Kind switch
            {
                SplitKind.Leaf => node.Certified ? Rational.One : Rational.Zero,
                SplitKind.Box => (fraction[node.Low!] + fraction[node.High!]) / 2,
                SplitKind.Sign => fraction[node.Low!] == Rational.One && fraction[node.High!] == Rational.One ? Rational.One : Rational.Zero,
                _ => Rational.Zero,
            };
        return fraction[this];
    }
}
