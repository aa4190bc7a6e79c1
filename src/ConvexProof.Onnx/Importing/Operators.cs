namespace ConvexProof.Onnx.Importing;

/// <summary>Turns one node into the value of its output, or throws an <see cref="Networks.InputException"/>
/// (through <see cref="NodeContext.Error"/>) naming the node.</summary>
internal delegate GraphValue Lowering(NodeContext node);

/// <summary>One supported operator: the inputs it takes (absent optional inputs at the end not
/// counted; checked before <see cref="Lower"/> runs), the attributes it accepts (any other is
/// rejected), and its lowering. An operator that is recognised only to be rejected with a
/// precise reason (MaxPool) is not <see cref="Listed"/> as supported.</summary>
internal sealed record Operator(string Name, int MinInputs, int MaxInputs, string[] Attributes, Lowering Lower, bool Listed = true);

/// <summary>The operators of the default ONNX domain the importer understands.</summary>
internal static class Operators
{
    // To add an operator: write one lowering, `static GraphValue Name(NodeContext node)`, next to
    // the operators of its kind (LinearLowering, ArithmeticLowering, ActivationLowering,
    // ShapeLowering, ConvolutionLowering, PoolingLowering, NormalizationLowering, ConstantLowering),
    // and add one line below. The lowering reads its inputs with
    // node.Input / node.ConstInput / node.Optional and its attributes with node.Int / node.Float /
    // node.Attribute; it folds constants exactly (a ConstTensor in, a ConstTensor out), tracks a value
    // from the graph input as an affine map (a TracedValue: ComputedValue for arithmetic,
    // node.Layers.Readable before multiplying one, node.Layers.AddRelu for a new ReLU layer), and
    // reports anything else with node.Error. Then list it in docs/pytorch.md, the import usage and
    // OnnxImporter's summary. The order here is the order of the "supported: …" message.
    private static readonly string[] PoolAttributes = ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"];
    private static readonly string[] ConvAttributes = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"];

    private static readonly Operator[] All =
    [
        new("Gemm", 2, 3, ["alpha", "beta", "transA", "transB", "broadcast"], LinearLowering.Gemm),
        new("MatMul", 2, 2, [], LinearLowering.MatMul),
        new("Add", 2, 2, ["broadcast", "axis"], ArithmeticLowering.Add),
        new("Sub", 2, 2, ["broadcast", "axis"], ArithmeticLowering.Sub),
        new("Mul", 2, 2, ["broadcast", "axis"], ArithmeticLowering.Mul),
        new("Div", 2, 2, ["broadcast", "axis"], ArithmeticLowering.Div),
        new("Neg", 1, 1, [], ArithmeticLowering.Neg),
        new("Conv", 2, 3, ConvAttributes, ConvolutionLowering.Conv),
        new("ConvTranspose", 2, 3, [.. ConvAttributes, "output_padding", "output_shape"], ConvolutionLowering.ConvTranspose),
        new("BatchNormalization", 5, 5, ["epsilon", "momentum", "training_mode", "spatial", "is_test", "consumed_inputs"], NormalizationLowering.BatchNormalization),
        new("AveragePool", 1, 1, PoolAttributes, PoolingLowering.AveragePool),
        new("GlobalAveragePool", 1, 1, [], PoolingLowering.GlobalAveragePool),
        new("Relu", 1, 1, [], ActivationLowering.Relu),
        new("LeakyRelu", 1, 1, ["alpha"], ActivationLowering.LeakyRelu),
        new("Clip", 1, 3, ["min", "max"], ActivationLowering.Clip),
        new("Identity", 1, 1, [], ShapeLowering.Identity),
        new("Flatten", 1, 1, ["axis"], ShapeLowering.Flatten),
        new("Reshape", 2, 2, ["allowzero"], ShapeLowering.Reshape),
        new("Squeeze", 1, 2, ["axes"], ShapeLowering.Squeeze),
        new("Unsqueeze", 1, 2, ["axes"], ShapeLowering.Unsqueeze),
        new("Pad", 1, 4, ["mode", "pads", "value"], ShapeLowering.Pad),
        new("Slice", 1, 5, ["starts", "ends", "axes"], ShapeLowering.Slice),
        // Concat counts its own inputs (it needs at least one).
        new("Concat", 0, int.MaxValue, ["axis"], ShapeLowering.Concat),
        new("Transpose", 1, 1, ["perm"], ShapeLowering.Transpose),
        new("Constant", 0, 0, ["value", "value_float", "value_floats", "value_int", "value_ints"], ConstantLowering.Constant),
        new("ConstantOfShape", 1, 1, ["value"], ConstantLowering.ConstantOfShape),
        new("Cast", 1, 1, ["to", "saturate"], ConstantLowering.Cast),
        new("Pow", 2, 2, [], QuadraticLowering.Pow),
        new("ReduceSum", 1, 2, ["axes", "keepdims", "noop_with_empty_axes"], QuadraticLowering.ReduceSum),
        new("MaxPool", 1, 1, [.. PoolAttributes, "storage_order"], PoolingLowering.MaxPool, Listed: false),
        new("GlobalMaxPool", 1, 1, [], PoolingLowering.MaxPool, Listed: false),
    ];

    private static readonly Dictionary<string, Operator> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static Operator? Find(string opType) => ByName.GetValueOrDefault(opType);

    /// <summary>"Gemm, MatMul, …" for the message about an unsupported operator.</summary>
    public static string Names { get; } = string.Join(", ", All.Where(o => o.Listed).Select(o => o.Name));
}
