using ConvexProof.Networks;
using ConvexProof.Onnx.Proto;

namespace ConvexProof.Onnx.Importing;

/// <summary>The graph output as the one value per sample a ConvexProof network computes.</summary>
internal static class GraphOutput
{
    /// <summary>The affine map of the output, checked to be one value per sample (a constant scalar
    /// is allowed: a constant network).</summary>
    public static AffineMap PerSample(GraphValue result, ValueInfoProto output, Func<string, string, InputException> error)
    {
        string place = $"output {MessageText.Quote(output.Name)}";
        var expr = result.Match(
            constant: c => c.Data.Length == 1
                ? AffineMap.Constant(c.Data)
                : throw error(place, $"the output is a constant of shape {ConstTensor.ShapeText(c.Dims)}; expected one value per sample"),
            traced: t => t.Expr);
        if (expr.Rows != 1)
            throw error(place, $"the output has {expr.Rows} values per sample; a ConvexProof network has exactly one output");
        var declared = output.Type?.TensorType?.Shape?.Dim;
        if (declared is { Count: > 0 } && declared[^1].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && declared[^1].DimValue != 1)
            throw error(place, $"the declared output shape ends in {declared[^1].DimValue}; a ConvexProof network has exactly one output");
        return expr;
    }
}
