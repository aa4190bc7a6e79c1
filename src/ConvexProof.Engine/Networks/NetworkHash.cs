using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ConvexProof.Numbers;

namespace ConvexProof.Networks;

/// <summary>
/// Binds certificates to networks: SHA-256 of a canonical text of the exact parameters (format in
/// docs/formats.md), so reformatting net.json or writing 0.5 as "1/2" keeps the hash, while any
/// change of a value, a shape or an activation changes it.
/// </summary>
public static class NetworkHash
{
    public static string CanonicalText(Network network)
    {
        var sb = new StringBuilder();
        var digits = new DecimalDigits();
        sb.Append("convexproof-network/1\n");
        sb.Append("input_dim ").Append(network.InputDim).Append('\n');
        foreach (var layer in network.Layers)
        {
            sb.Append("layer ").Append(layer.ActivationName)
              .Append(' ').Append(layer.Outputs).Append(' ').Append(layer.Inputs)
              .Append(layer.Skip is null ? " noskip" : " skip").Append('\n');
            if (layer.IsLeaky) AppendRow(sb, digits, "a", [layer.Alpha]); // a slope 0 is a ReLU: same function, same hash
            foreach (var row in layer.Weights) AppendRow(sb, digits, "w", row);
            AppendRow(sb, digits, "b", layer.Bias);
            if (layer.Skip is not null) foreach (var row in layer.Skip) AppendRow(sb, digits, "s", row);
        }
        return sb.ToString();
    }

    public static string Sha256(Network network) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText(network))));

    /// <summary>Each value in canonical form: "n", or "p/q" with q &gt; 1 (the same text as <see cref="Rational.ToString"/>).</summary>
    private static void AppendRow(StringBuilder sb, DecimalDigits digits, string tag, Rational[] row)
    {
        sb.Append(tag);
        foreach (var value in row)
        {
            digits.Append(sb.Append(' '), value.Numerator);
            if (!value.Denominator.IsOne) digits.Append(sb.Append('/'), value.Denominator);
        }
        sb.Append('\n');
    }

    /// <summary>
    /// Decimal text of integers in time close to linear: BigInteger.ToString is quadratic (a
    /// 100 000-digit value takes a second), so long values are split by divide and conquer at
    /// powers 10^(16·2^k), computed once per hash, and only short pieces are converted directly.
    /// </summary>
    private sealed class DecimalDigits
    {
        private const int PieceDigits = 16;     // _powers[k] = 10^(PieceDigits·2^k)
        private const long DirectBits = 2048;   // shorter values (about 600 digits) are converted directly
        private readonly List<BigInteger> _powers = [BigInteger.Pow(10, PieceDigits)];

        public void Append(StringBuilder sb, BigInteger v)
        {
            int level = 0; // the least level with |v| < Power(level)²
            while (2 * (Power(level).GetBitLength() - 1) < v.GetBitLength()) level++;
            sb.Append(v.Sign < 0 ? "-" : "").Append(Text(BigInteger.Abs(v), level, 0));
        }

        private BigInteger Power(int level)
        {
            while (_powers.Count <= level) _powers.Add(_powers[^1] * _powers[^1]);
            return _powers[level];
        }

        /// <summary>The digits of v &lt; Power(level)², padded with zeros to <paramref name="width"/>.</summary>
        private string Text(BigInteger v, int level, int width)
        {
            if (level < 0 || v.GetBitLength() <= DirectBits) return v.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            var high = BigInteger.DivRem(v, Power(level), out var low);
            if (high.IsZero && width == 0) return Text(low, level - 1, 0);
            int lowDigits = PieceDigits << level;
            return Text(high, level - 1, Math.Max(0, width - lowDigits)) + Text(low, level - 1, lowDigits);
        }
    }
}
