using System.Buffers.Binary;
using ConvexProof.Numbers;
using ConvexProof.Onnx.Proto;
using DataType = ConvexProof.Onnx.Proto.TensorProto.Types.DataType;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Turns a TensorProto into exact rationals. Every floating-point entry becomes the exact value of
/// its binary representation: float32, float16 and bfloat16 are widened to double (which is exact)
/// and then converted with <see cref="Rational.FromDouble"/>; nothing is rounded.
/// </summary>
internal static class TensorDecoder
{
    /// <summary>Largest tensor accepted (a network ConvexProof can decide is far smaller).</summary>
    public const long MaxElements = 20_000_000;

    /// <param name="tensor">The tensor.</param>
    /// <param name="error">Makes the exception for a problem (the caller knows where the tensor is).</param>
    public static ConstTensor Decode(TensorProto tensor, Func<string, Exception> error)
    {
        if (tensor.Segment is not null) throw error("segmented tensors are not supported");
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw error("the tensor's data is in an external file; save the model with its weights inside the .onnx file " +
                        "(onnx.save_model(model, path, save_as_external_data=False))");
        var dims = tensor.Dims.ToArray();
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw error($"negative dimension in shape {ConstTensor.ShapeText(dims)}");
            count = d == 0 ? 0 : (count > MaxElements / d ? MaxElements + 1 : count * d);
        }
        if (count > MaxElements) throw error($"shape {ConstTensor.ShapeText(dims)} has more than {MaxElements} entries");

        var type = (DataType)tensor.DataType;
        var raw = tensor.RawData.Span;
        int typedCount = tensor.FloatData.Count + tensor.DoubleData.Count + tensor.Int32Data.Count +
                         tensor.Int64Data.Count + tensor.Uint64Data.Count + tensor.StringData.Count;
        if (!raw.IsEmpty && typedCount > 0) throw error("the tensor has both raw_data and typed data fields");
        bool useRaw = !raw.IsEmpty;

        int width = type switch
        {
            DataType.Float or DataType.Int32 or DataType.Uint32 => 4,
            DataType.Double or DataType.Int64 or DataType.Uint64 => 8,
            DataType.Float16 or DataType.Bfloat16 or DataType.Int16 or DataType.Uint16 => 2,
            DataType.Int8 or DataType.Uint8 or DataType.Bool => 1,
            _ => throw error($"data type {TypeName(tensor.DataType)} is not supported (expected float, double, float16, bfloat16 or an integer type)"),
        };
        long available = useRaw ? raw.Length / width : type switch
        {
            DataType.Float => tensor.FloatData.Count,
            DataType.Double => tensor.DoubleData.Count,
            DataType.Int64 => tensor.Int64Data.Count,
            DataType.Uint32 or DataType.Uint64 => tensor.Uint64Data.Count,
            _ => tensor.Int32Data.Count,
        };
        if (useRaw && raw.Length % width != 0)
            throw error($"raw_data has {raw.Length} bytes, not a multiple of {width} ({TypeName(tensor.DataType)})");
        if (available != count)
            throw error($"the tensor holds {available} values but its shape {ConstTensor.ShapeText(dims)} needs {count}");

        var values = new Rational[count];
        for (int i = 0; i < count; i++)
        {
            var bytes = useRaw ? raw.Slice(i * width, width) : default;
            values[i] = type switch
            {
                DataType.Float => Real(useRaw ? BinaryPrimitives.ReadSingleLittleEndian(bytes) : tensor.FloatData[i], i, error),
                DataType.Double => Real(useRaw ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : tensor.DoubleData[i], i, error),
                DataType.Float16 => Real((double)BitConverter.UInt16BitsToHalf(
                    useRaw ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : (ushort)tensor.Int32Data[i]), i, error),
                DataType.Bfloat16 => Real(BitConverter.Int32BitsToSingle(
                    (useRaw ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : (ushort)tensor.Int32Data[i]) << 16), i, error),
                DataType.Int8 => useRaw ? (sbyte)bytes[0] : tensor.Int32Data[i],
                DataType.Uint8 or DataType.Bool => useRaw ? bytes[0] : tensor.Int32Data[i],
                DataType.Int16 => useRaw ? BinaryPrimitives.ReadInt16LittleEndian(bytes) : tensor.Int32Data[i],
                DataType.Uint16 => useRaw ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : tensor.Int32Data[i],
                DataType.Int32 => useRaw ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : tensor.Int32Data[i],
                DataType.Int64 => useRaw ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : tensor.Int64Data[i],
                DataType.Uint32 => useRaw ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : (long)tensor.Uint64Data[i],
                _ => new System.Numerics.BigInteger(useRaw ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : tensor.Uint64Data[i]),
            };
        }
        return new ConstTensor(dims, values);
    }

    private static Rational Real(double value, int index, Func<string, Exception> error)
    {
        if (!double.IsFinite(value)) throw error($"entry {index} is {(double.IsNaN(value) ? "NaN" : "infinite")}");
        return Rational.FromDouble(value);
    }

    public static string TypeName(int dataType) => (DataType)dataType switch
    {
        DataType.Float => "float32",
        DataType.Double => "float64",
        DataType.Float16 => "float16",
        DataType.Bfloat16 => "bfloat16",
        DataType.Undefined => "undefined",
        var t when Enum.IsDefined(t) => t.ToString().ToLowerInvariant(),
        _ => $"#{dataType}",
    };
}
