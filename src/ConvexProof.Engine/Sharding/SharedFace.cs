using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Sharding;

/// <summary>
/// A face x_i = s of a shard's box that lies inside the plan's domain, so it is shared with a
/// neighbouring shard. A kink lying in it is seen by neither shard's region certificate, so a unit
/// whose local pre-activation is c·(x_i − s), c ≠ 0, on a region of the shard blocks the merge
/// (docs/certificate.md, "Merged certificates").
/// </summary>
public readonly record struct SharedFace(int Coordinate, Rational At)
{
    public override string ToString() => $"x{Coordinate + 1} = {At}";

    /// <summary>The faces of <paramref name="shard"/> inside <paramref name="domain"/>, by coordinate, lower face first.</summary>
    public static IReadOnlyList<SharedFace> Of(Domain shard, Domain domain)
    {
        var faces = new List<SharedFace>();
        for (int i = 0; i < shard.Dimension; i++)
        {
            if (shard.Lower![i] > domain.Lower![i]) faces.Add(new(i, shard.Lower[i]));
            if (shard.Upper![i] < domain.Upper![i]) faces.Add(new(i, shard.Upper[i]));
        }
        return faces;
    }

    /// <summary>True when the affine map [g, h] is c·(x_i − s) with c ≠ 0: its zero set is this face's hyperplane.</summary>
    public bool Holds(Rational[] map)
    {
        int d = map.Length - 1;
        for (int m = 0; m < d; m++)
            if (m != Coordinate && !map[m].IsZero) return false;
        return !map[Coordinate].IsZero && map[d] == -map[Coordinate] * At;
    }
}

/// <summary>A ReLU unit (global number) whose kink lies in a shared face on a region (its index in the shard's certificate).</summary>
public sealed record FaceKink(int Neuron, SharedFace Face, int Region)
{
    public override string ToString() => $"ReLU unit {Neuron}'s pre-activation on region {Region} is c·(x{Face.Coordinate + 1} − {Face.At}): its kink lies in the shared face {Face}";
}

/// <summary>Finds the units whose kink lies in a shared face, over the regions of a region-certified shard.</summary>
public static class FaceKinks
{
    /// <summary>The first such unit (lowest region, then unit, then face), or null; the maps are exact (integer, else rational).</summary>
    public static FaceKink? First(Network network, Domain shard, IReadOnlyList<SharedFace> faces, IReadOnlyList<string> patterns, int parallelism)
    {
        if (faces.Count == 0 || patterns.Count == 0) return null;
        var scaled = ScaledNetwork.Create(network);
        int[] neurons = [.. Enumerable.Range(0, network.NeuronCount)];
        var found = new FaceKink?[patterns.Count];
        int first = int.MaxValue;
        Parallel.For(0, patterns.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, r =>
        {
            if (r > Volatile.Read(ref first)) return;
            // Constraint rows are ±z_k (sign by the bit); the test does not depend on the sign.
            var rows = IntegerRegionMaps.ForPattern(scaled, patterns[r])?.ExactConstraints(shard, neurons)
                       ?? LocalAffineMaps.ForPattern(network, patterns[r]).PreActivations;
            for (int k = 0; k < rows.Length && found[r] is null; k++)
                foreach (var face in faces)
                    if (face.Holds(rows[k])) { found[r] = new FaceKink(k, face, r); break; }
            if (found[r] is null) return;
            int seen;
            while (r < (seen = Volatile.Read(ref first)) && Interlocked.CompareExchange(ref first, r, seen) != seen) { }
        });
        return first == int.MaxValue ? null : found[first];
    }

    /// <summary>A first-layer ReLU unit whose hyperplane is x_i = s (the planner avoids such split values), or -1.</summary>
    public static int FirstLayerUnitIn(Network network, SharedFace face)
    {
        var layer = network.Layers[0];
        if (layer.Activation != Activation.Relu) return -1;
        for (int u = 0; u < layer.Outputs; u++)
            if (face.Holds([.. layer.Weights[u], layer.Bias[u]])) return u;
        return -1;
    }
}
