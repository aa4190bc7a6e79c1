using System.Globalization;
using System.Numerics;
using System.Text;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Onnx;

/// <summary>
/// Writes numbers and net.json files so that values read from binary floating point keep a familiar
/// spelling: integers as "3", other values whose denominator is a power of two (every float32 and
/// float64, and exact sums and products of them) as hex floats "0x1.99999ap-4" (the notation of C's
/// printf("%a") and Python's float.hex(), with trailing zeros dropped; also integers beyond 2^53),
/// and anything else as "p/q".
/// Every spelling is exact and reads back (docs/formats.md) to the same rational, so the network
/// hash does not depend on it.
/// </summary>
public static class ExactText
{
    public static string Format(Rational value)
    {
        if (value.IsInteger && BigInteger.Abs(value.Numerator).GetBitLength() <= 53)
            return value.Numerator.ToString(CultureInfo.InvariantCulture);
        var den = value.Denominator;
        if (!den.IsPowerOfTwo) return value.ToString();
        // value = m / 2^k with m odd; write it as 1.f × 2^e.
        var m = BigInteger.Abs(value.Numerator);
        long k = (long)den.GetBitLength() - 1;
        long bits = (long)m.GetBitLength();           // m = 1.f × 2^(bits-1)
        long exponent = bits - 1 - k;
        var fraction = m - (BigInteger.One << (int)(bits - 1));
        int fractionBits = (int)(bits - 1);
        int digits = (fractionBits + 3) / 4;
        fraction <<= digits * 4 - fractionBits;
        var sb = new StringBuilder();
        if (value.Sign < 0) sb.Append('-');
        sb.Append("0x1");
        if (digits > 0)
        {
            // BigInteger's "x" format may add a leading 0 (sign digit); fraction < 16^digits.
            string hex = fraction.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(digits, '0').TrimEnd('0');
            if (hex.Length > 0) sb.Append('.').Append(hex);
        }
        sb.Append('p').Append(exponent.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>net.json (docs/formats.md) with every value spelled by <see cref="Format"/>, one matrix row per line.</summary>
    public static string NetworkJson(Network network, Composition.CompositionNetwork? composition = null)
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"input_dim\": ").Append(network.InputDim.ToString(CultureInfo.InvariantCulture)).Append(",\n  \"layers\": [\n");
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            sb.Append("    {\n");
            if (composition?.Layers[l].Shared is Composition.SharedLayer shared) SharedKeys(sb, shared);
            else
            {
                Matrix(sb, "weights", layer.Weights);
                sb.Append(",\n      \"bias\": ");
                Row(sb, layer.Bias);
            }
            if (layer.Skip is not null)
            {
                sb.Append(",\n");
                Matrix(sb, "skip", layer.Skip);
            }
            sb.Append(",\n      \"activation\": \"").Append(layer.ActivationName)
              .Append(layer.IsLeaky ? $"\",\n      \"alpha\": \"{Format(layer.Alpha)}" : "").Append('"');
            if (composition is not null) CompositionKeys(sb, composition.Layers[l]);
            sb.Append("\n    }");
            sb.Append(l + 1 < network.Layers.Count ? ",\n" : "\n");
        }
        sb.Append("  ]");
        if (composition?.Input is Composition.InputQuadratic q)
        {
            sb.Append(",\n  \"input_quadratic\": { \"s\": \"").Append(Format(q.S)).Append("\", \"factor\": [");
            for (int r = 0; r < q.Factor.Length; r++)
            {
                sb.Append(r == 0 ? "\n    " : ",\n    ");
                Row(sb, q.Factor[r]);
            }
            sb.Append("] }");
        }
        sb.Append("\n}\n");
        return sb.ToString();
    }

    /// <summary>A layer's "quadratic" terms and "square_output" (docs/formats.md, "Composition models").</summary>
    private static void CompositionKeys(StringBuilder sb, Composition.LayerSquares squares)
    {
        if (squares.Terms.Count > 0)
        {
            sb.Append(",\n      \"quadratic\": [");
            for (int t = 0; t < squares.Terms.Count; t++)
            {
                var term = squares.Terms[t];
                sb.Append(t == 0 ? "\n        " : ",\n        ").Append("{ \"unit\": ").Append(term.Unit.ToString(CultureInfo.InvariantCulture))
                  .Append(", \"coefficient\": \"").Append(Format(term.Coefficient)).Append("\", \"bias\": \"").Append(Format(term.Bias)).Append("\", \"entries\": [");
                // Sparse: a convolution's form reads a few inputs (dense rows would count every zero towards the file's digit limit).
                var nonzero = Enumerable.Range(0, term.Weights.Length).Where(j => !term.Weights[j].IsZero).ToList();
                for (int k = 0; k < nonzero.Count; k++)
                    sb.Append(k == 0 ? "[" : ", [").Append(nonzero[k].ToString(CultureInfo.InvariantCulture)).Append(", \"").Append(Format(term.Weights[nonzero[k]])).Append("\"]");
                sb.Append("] }");
            }
            sb.Append("\n      ]");
        }
        if (squares.SquareOutput) sb.Append(",\n      \"square_output\": true");
    }

    /// <summary>A weight-shared layer's "conv", "skip_conv", "quadratic_conv" and per-channel "bias" (docs/formats.md, "Weight-shared layers").</summary>
    private static void SharedKeys(StringBuilder sb, Composition.SharedLayer shared)
    {
        Conv(sb, "conv", shared.Main, "");
        if (shared.Skip is not null) Conv(sb, ",\n      \"skip_conv\"", shared.Skip, "");
        if (shared.Square is Composition.SquaredConv q)
        {
            var extra = new StringBuilder(", \"coefficient\": \"").Append(Format(q.Coefficient)).Append("\", \"bias\": ");
            Row(extra, q.Beta);
            Conv(sb, ",\n      \"quadratic_conv\"", q.Conv, extra.ToString());
        }
        sb.Append(",\n      \"bias\": ");
        Row(sb, shared.ChannelBias);
    }

    private static void Conv(StringBuilder sb, string key, Composition.SharedConv c, string extra)
    {
        string Ints(params int[] values) => "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
        sb.Append(key == "conv" ? "      \"conv\"" : key).Append(": {\n        \"input_shape\": ").Append(Ints(c.Input.Channels, c.Input.Height, c.Input.Width))
          .Append(", \"kernel_shape\": ").Append(Ints(c.OutChannels, c.GroupChannels, c.KernelHeight, c.KernelWidth))
          .Append(", \"stride\": ").Append(Ints(c.Stride.H, c.Stride.W)).Append(", \"dilation\": ").Append(Ints(c.Dilation.H, c.Dilation.W))
          .Append(", \"groups\": ").Append(c.Groups.ToString(CultureInfo.InvariantCulture))
          .Append(", \"padding\": ").Append(Ints(c.Padding.Top, c.Padding.Left, c.Padding.Bottom, c.Padding.Right))
          .Append(", \"padding_mode\": \"").Append(Composition.SharedConv.ModeName(c.Mode)).Append('"').Append(extra).Append(",\n        \"kernel\": ");
        Row(sb, c.Kernel);
        sb.Append("\n      }");
    }

    private static void Matrix(StringBuilder sb, string name, Rational[][] matrix)
    {
        sb.Append("      \"").Append(name).Append("\": [\n");
        for (int i = 0; i < matrix.Length; i++)
        {
            sb.Append("        ");
            Row(sb, matrix[i]);
            sb.Append(i + 1 < matrix.Length ? ",\n" : "\n");
        }
        sb.Append("      ]");
    }

    private static void Row(StringBuilder sb, Rational[] row)
    {
        sb.Append('[');
        for (int j = 0; j < row.Length; j++)
        {
            if (j > 0) sb.Append(", ");
            sb.Append('"').Append(Format(row[j])).Append('"');
        }
        sb.Append(']');
    }
}
