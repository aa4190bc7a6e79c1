using System.Security.Cryptography;
using System.Text.Json;
using ConvexProof.Certificates;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Sharding;

/// <summary>
/// One node of a plan's split tree, in preorder: a box split (the first subtree has x_i ≤ At, the
/// second x_i ≥ At, as in a bound certificate's tree) or a shard (a leaf, numbered in preorder).
/// </summary>
public readonly record struct PlanNode(bool IsShard, int Coordinate, Rational At, int Shard)
{
    public static PlanNode Split(int coordinate, Rational at) => new(false, coordinate, at, -1);
    public static PlanNode Leaf(int shard) => new(true, -1, Rational.Zero, shard);

    /// <summary>A split's keys, as plans, bound certificates and sharded certificates write them (inside the node's object).</summary>
    public void WriteSplit(Utf8JsonWriter w)
    {
        w.WriteString("node", "box");
        w.WriteNumber("coordinate", Coordinate);
        w.WriteString("at", At.ToString());
    }
}

/// <summary>
/// A plan for sharded certification (format convexproof-shard-plan/1, docs/formats.md): the top of
/// a split tree of the domain box made of box splits only, whose leaves are the shards. Since the
/// two sides of a box split cover their parent, the shards tile the box (they overlap only in shared
/// faces), so a bound certificate for each shard grafted at its leaf is a bound certificate for the
/// box (docs/certificate.md, "Merged certificates").
/// </summary>
public sealed class ShardPlan
{
    public const string Format = "convexproof-shard-plan/1";

    public ShardPlan(string networkSha256, Domain domain, IReadOnlyList<PlanNode> tree)
    {
        if (!domain.IsBox) throw new ArgumentException("a plan needs a box");
        NetworkSha256 = networkSha256;
        Domain = domain;
        Tree = tree;
        Shards = ShardBoxes(domain, tree);
    }

    public string NetworkSha256 { get; }
    public Domain Domain { get; }

    /// <summary>The split tree in preorder (a split, its low subtree, its high subtree).</summary>
    public IReadOnlyList<PlanNode> Tree { get; }

    /// <summary>The box of each shard, by shard number.</summary>
    public IReadOnlyList<Domain> Shards { get; }

    /// <summary>How many box splits the tree has (N − 1 for N shards).</summary>
    public int BoxSplits => Tree.Count(n => !n.IsShard);

    /// <summary>The plan's bytes: fixed key order, one line (the same plan gives the same bytes, hence the same hash).</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("network_sha256", NetworkSha256);
            CertificateWriter.WriteDomain(w, Domain);
            w.WriteNumber("shards", Shards.Count);
            w.WriteStartArray("tree");
            foreach (var node in Tree)
            {
                w.WriteStartObject();
                if (node.IsShard)
                {
                    w.WriteString("node", "shard");
                    w.WriteNumber("shard", node.Shard);
                }
                else node.WriteSplit(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>The identity of a plan that parts record: SHA-256 of its file's bytes, lower-case hex.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The shard boxes of a preorder tree; throws <see cref="FormatException"/> (with the node's
    /// index) when the tree is incomplete, a split is not strictly inside its box or the shards
    /// are not numbered 0, 1, … in preorder.
    /// </summary>
    private static List<Domain> ShardBoxes(Domain domain, IReadOnlyList<PlanNode> tree)
    {
        var shards = new List<Domain>();
        var pending = new Stack<(Rational[] Lo, Rational[] Hi)>();
        pending.Push(([.. domain.Lower!], [.. domain.Upper!]));
        for (int i = 0; i < tree.Count; i++)
        {
            if (pending.Count == 0) throw new FormatException($"$.tree[{i}]: the tree is complete before this node");
            var (lo, hi) = pending.Pop();
            var node = tree[i];
            if (node.IsShard)
            {
                if (node.Shard != shards.Count) throw new FormatException($"$.tree[{i}].shard: expected shard {shards.Count} (shards are numbered 0, 1, … in preorder)");
                shards.Add(Domain.Box(lo, hi));
                continue;
            }
            int c = node.Coordinate;
            if (c < 0 || c >= domain.Dimension) throw new FormatException($"$.tree[{i}].coordinate: {c} is not a coordinate of the {domain.Dimension}-dimensional box");
            if (node.At <= lo[c] || node.At >= hi[c]) throw new FormatException($"$.tree[{i}].at: {node.At} is not strictly inside [{lo[c]}, {hi[c]}]");
            Rational[] lowHi = [.. hi], highLo = [.. lo];
            lowHi[c] = node.At;
            highLo[c] = node.At;
            pending.Push((highLo, hi));
            pending.Push((lo, lowHi));
        }
        if (pending.Count > 0) throw new FormatException("$.tree: incomplete (a split lacks a subtree)");
        return shards;
    }

    /// <summary>Reads and validates a plan file; its hash is of the bytes read.</summary>
    public static (ShardPlan Plan, string Sha256) Read(string path)
    {
        var bytes = ShardJson.ReadBytes(path);
        using var doc = ShardJson.Parse(path, bytes);
        var root = new ShardJson(path, doc.RootElement, "$");
        root.RequireFormat(Format, "a shard plan (written by `convexproof plan`)");
        string network = root.Hash("network_sha256");
        var domain = root.Box("domain");
        int shards = root.Int("shards", 1, int.MaxValue);
        var nodes = new List<PlanNode>();
        foreach (var node in root.Array("tree"))
            nodes.Add(node.String("node") switch
            {
                "shard" => PlanNode.Leaf(node.Int("shard", 0, int.MaxValue)),
                "box" => PlanNode.Split(node.Int("coordinate", 0, int.MaxValue), node.Number("at")),
                var other => throw node.Problem("node", $"expected \"box\" or \"shard\", not \"{other}\""),
            });
        ShardPlan plan;
        try
        {
            plan = new ShardPlan(network, domain, nodes);
        }
        catch (FormatException e)
        {
            int colon = e.Message.IndexOf(':');
            throw new InputException(path, e.Message[..colon], e.Message[(colon + 2)..]);
        }
        if (plan.Shards.Count != shards) throw new InputException(path, "$.shards", $"{shards}, but the tree has {plan.Shards.Count} shards");
        return (plan, Sha256(bytes));
    }
}
