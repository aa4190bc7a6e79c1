using System.Text;

namespace ConvexProof.Census;

/// <summary>
/// The census's pseudo-random generator, written out here (not <see cref="System.Random"/>, whose
/// algorithm .NET does not promise to keep) so that a seed means the same networks on every
/// machine and version: xoshiro256** (Blackman–Vigna 2018), its four state words filled by
/// SplitMix64. Each network has its own stream, seeded from (run seed, cell name, network index)
/// alone, so cells are independent of each other, of the thread count and of the order they run in.
/// </summary>
public sealed class CensusRandom
{
    private ulong _s0, _s1, _s2, _s3;

    private CensusRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// The stream of network <paramref name="index"/> of cell <paramref name="cell"/>:
    /// x = seed; x = mix(x ^ fnv1a64(UTF-8 of cell)); x = mix(x ^ index); the state is then four
    /// SplitMix64 outputs from x (mix = one SplitMix64 step's output function).
    /// </summary>
    public static CensusRandom ForNetwork(ulong seed, string cell, int index)
    {
        ulong x = Mix(seed ^ Fnv1a64(cell));
        x = Mix(x ^ (ulong)index);
        return new CensusRandom(x);
    }

    /// <summary>The next 64 random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float32 in [0, 1): the top 24 bits times 2^-24 (every value exact in float32).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / 16777216.0f);

    /// <summary>A double in [0, 1): the top 53 bits times 2^-53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A standard normal (Box–Muller, cosine branch; u1 in (0, 1] so the logarithm is finite).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong Fnv1a64(string text)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text)) h = (h ^ b) * 0x100000001B3UL;
        return h;
    }
}
