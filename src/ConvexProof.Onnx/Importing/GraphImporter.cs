using ConvexProof.Networks;
using ConvexProof.Onnx.Proto;
using static ConvexProof.Onnx.Importing.MessageText;
using DataType = ConvexProof.Onnx.Proto.TensorProto.Types.DataType;

namespace ConvexProof.Onnx.Importing;

/// <summary>
/// Walks one ONNX graph: checks its opsets, its one input and one output, decodes the initializers
/// the output depends on, lowers the nodes the output depends on in graph order (through
/// <see cref="Operators"/>) and hands the output to <see cref="LayerChain"/>.
/// </summary>
internal sealed class GraphImporter
{
    private readonly string _file;
    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private readonly ValueEnvironment _values = new();
    private readonly LayerChain _layers;
    private GraphFacts _facts = new(null, false);
    private readonly List<string> _lowered = [];
    private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);

    /// <summary>The operator of every node lowered so far that computes from the graph input, in graph order.</summary>
    public IReadOnlyList<string> Lowered => _lowered;

    /// <summary>How many nodes computed constants (folded exactly, not part of the network).</summary>
    public int Folded { get; private set; }

    public GraphImporter(string file, ModelProto model)
    {
        _file = file;
        _model = model;
        _graph = model.Graph;
        _layers = new LayerChain(file);
    }

    private InputException Error(string place, string problem) => new(_file, place, problem);

    /// <summary>The composition model (the network with its squares), when the graph squares something; set by <see cref="Run"/>.</summary>
    public Composition.CompositionNetwork? Composition { get; private set; }

    public Network Run()
    {
        CheckOpsets();
        if (_graph.Output.Count != 1)
            throw Error("graph", _graph.Output.Count == 0
                ? "the graph has no output"
                : $"the graph has {_graph.Output.Count} outputs ({string.Join(", ", _graph.Output.Select(o => Quote(o.Name)))}); a ConvexProof network has exactly one output");
        var output = _graph.Output[0];
        var (needed, wanted) = NeededNodes(output.Name);
        _consumers[output.Name] = 1;
        for (int n = 0; n < _graph.Node.Count; n++)
            if (needed[n]) foreach (var name in _graph.Node[n].Input.Distinct()) _consumers[name] = _consumers.GetValueOrDefault(name) + 1;

        // Initializers the output does not depend on (optimizer state, step counters, …) are not decoded.
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var init in _graph.Initializer)
        {
            string place = $"initializer {Quote(init.Name)}";
            if (init.Name.Length == 0) throw Error("initializer", "an initializer has no name");
            if (!initializerNames.Add(init.Name)) throw Error(place, "the name is used twice");
            if (wanted.Contains(init.Name)) _values.Define(init.Name, TensorDecoder.Decode(init, p => Error(place, p)));
        }
        if (_graph.SparseInitializer.Count > 0)
            throw Error("graph", "sparse initializers are not supported; save the model with dense weights");

        var inputs = _graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw Error("graph", inputs.Count == 0
                ? "the graph has no input (besides initializers)"
                : $"the graph has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => Quote(i.Name)))}); a ConvexProof network takes one input vector");
        // A graph that squares something is a composition model: its large convolutions may stay kernels.
        _layers.ShareConvolutions = _graph.Node.Where((_, n) => needed[n]).Any(node => node.OpType == "Pow" || node.OpType == "Mul" && node.Input.Count == 2 && node.Input[0] == node.Input[1]);
        int inputDim = ReadInput(inputs[0]);

        for (int n = 0; n < _graph.Node.Count; n++)
            if (needed[n]) Lower(_graph.Node[n], n);

        string outputPlace = $"output {Quote(output.Name)}";
        var result = _values.Find(output.Name) ?? throw Error(outputPlace, "no node computes the graph output");
        if (result is SharedValue kept) result = kept.Materialise(); // a convolution kept as kernels that is the output itself
        if (result is QuadraticValue q)
        {
            if (q.Features != 1) throw Error(outputPlace, $"the output has {q.Features} values per sample; a ConvexProof network has exactly one output");
            var network = _layers.Build(inputDim, q.Affine, outputPlace);
            var input = _layers.HasShared ? InputQuadraticOf(q.Squares[0], inputDim) : null;
            Composition = new Composition.CompositionNetwork(network, _layers.Squares(inputDim, input is null ? q.Squares : [[]]), input);
            CheckInputDim(inputDim, input is not null || _layers.HasShared, outputPlace);
            return network;
        }
        var plain = _layers.Build(inputDim, GraphOutput.PerSample(result, output, Error), outputPlace);
        CheckInputDim(inputDim, _layers.HasShared, outputPlace);
        if (_layers.HasSquares) Composition = new Composition.CompositionNetwork(plain, _layers.Squares(inputDim, null), null);
        return plain;
    }

    /// <summary>Only models with weight-shared layers may have more than NetworkReader.MaxInputDim inputs (docs/formats.md, "Limits").</summary>
    private void CheckInputDim(int inputDim, bool shared, string place)
    {
        if (!shared && inputDim > NetworkReader.MaxInputDim)
            throw Error(place, $"input dimension {inputDim} is larger than {NetworkReader.MaxInputDim} (only composition models with weight-shared convolutions may have up to {ConvexProof.Composition.SharedLimits.MaxInputs})");
    }

    /// <summary>
    /// The output's squares as s/2·|x|² when they are exactly c·(w·x_j)², one per input j with the
    /// same c·w² (a strong-convexity term as torch computes it, (x ** 2).sum() scaled); else null.
    /// </summary>
    private static Composition.InputQuadratic? InputQuadraticOf(SquareOfInput[] squares, int inputDim)
    {
        if (squares.Length != inputDim) return null;
        var seen = new bool[inputDim];
        ConvexProof.Numbers.Rational? value = null;
        foreach (var sq in squares)
        {
            if (sq.W.Count != 1 || !sq.Beta.IsZero || seen[sq.W.Columns[0]]) return null;
            seen[sq.W.Columns[0]] = true;
            var v = sq.Coefficient * sq.W.Values[0] * sq.W.Values[0];
            if (value is ConvexProof.Numbers.Rational other && other != v) return null;
            value = v;
        }
        return new Composition.InputQuadratic(value!.Value * 2, []);
    }

    private void CheckOpsets()
    {
        foreach (var opset in _model.OpsetImport)
            if (opset.Domain is "" or "ai.onnx" && opset.Version is > 0 and < 6)
                throw Error("model", $"operator set version {opset.Version} is too old (6 or later is supported); re-export the model");
    }

    /// <summary>Defines the graph input (source 0) and returns its dimension d.</summary>
    private int ReadInput(ValueInfoProto input)
    {
        string place = $"input {Quote(input.Name)}";
        var tensorType = input.Type?.TensorType
            ?? throw Error(place, "the graph input is not a tensor");
        if ((DataType)tensorType.ElemType is not (DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16))
            throw Error(place, $"the graph input has element type {TensorDecoder.TypeName(tensorType.ElemType)}; expected a floating-point type");
        if (tensorType.Shape is null || tensorType.Shape.Dim.Count == 0)
            throw Error(place, "the graph input has no shape, so its size is unknown; export it with a shape such as [batch, d]");
        var dims = tensorType.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null).ToArray();
        if (dims[^1] is not long last || last < 1)
            throw Error(place, $"the last dimension of the input shape {ConstTensor.ShapeText(dims)} must be a known size ≥ 1 (the input dimension d)");
        // The first of two or more dimensions is the batch: the network is the graph applied to
        // one sample, so that dimension has size 1 whatever its declared size.
        var sample = dims.Select((v, k) => k == 0 && dims.Length > 1 ? 1 : v).ToArray();
        if (sample.Any(v => v is not long size || size < 1))
            throw Error(place, $"input shape {ConstTensor.ShapeText(dims)}: every dimension but the first (the batch) must be a known size ≥ 1");
        var shape = sample.Select(v => v!.Value).ToArray();
        long d = ConstTensor.ElementCount(shape);
        if (d > (_layers.ShareConvolutions ? ConvexProof.Composition.SharedLimits.MaxInputs : NetworkReader.MaxInputDim))
            throw Error(place, $"input dimension {d} {(shape.Length > 2 ? $"(shape {ConstTensor.ShapeText(dims)}) " : "")}is larger than {NetworkReader.MaxInputDim}");
        _facts = new GraphFacts(dims.Length > 1 ? dims[0] : null, (DataType)tensorType.ElemType == DataType.Double) { Consumers = _consumers };
        _values.Define(input.Name, new SourceValue(shape, AffineMap.Source(0, (int)d)));
        _layers.InputDims = shape;
        return (int)d;
    }

    /// <summary>Nodes and value names the output depends on (others, for example unused branches, are ignored).</summary>
    private (bool[] Nodes, HashSet<string> Names) NeededNodes(string outputName)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal) { outputName };
        var needed = new bool[_graph.Node.Count];
        for (int n = _graph.Node.Count - 1; n >= 0; n--)
        {
            var node = _graph.Node[n];
            if (!node.Output.Any(wanted.Contains)) continue;
            needed[n] = true;
            foreach (var i in node.Input) if (i.Length > 0) wanted.Add(i);
        }
        return (needed, wanted);
    }

    /// <summary>Checks what every operator shares (domain, attributes, one output, input count),
    /// then defines the node's output as its operator's lowering computes it.</summary>
    private void Lower(NodeProto node, int index)
    {
        string op = Short(node.OpType, 40);
        string place = node.Name.Length > 0 ? $"node {Quote(node.Name)} ({op})" : $"node #{index} ({op})";
        if (node.Domain is not ("" or "ai.onnx"))
            throw Error(place, $"operator {op} of domain {Quote(node.Domain)} is not supported (only standard ONNX operators are)");
        var spec = Operators.Find(node.OpType)
            ?? throw Error(place, $"unsupported operator {op} (supported: {Operators.Names})");
        foreach (var attribute in node.Attribute)
        {
            if (Array.IndexOf(spec.Attributes, attribute.Name) < 0)
                throw Error(place, $"attribute {Quote(attribute.Name)} of {op} is not supported");
            if (attribute.RefAttrName.Length > 0)
                throw Error(place, $"attribute {Quote(attribute.Name)} refers to a function attribute; only plain graphs are supported");
        }
        if (node.Output.Count != 1 || node.Output[0].Length == 0)
            throw Error(place, $"expected exactly one output, found {node.Output.Count}");
        var context = new NodeContext(_file, node, place, _values, _layers, _facts);
        context.CheckArity(spec.MinInputs, spec.MaxInputs);
        GraphValue result;
        int layers = _layers.Count;
        try
        {
            result = SharedLowering.TryLower(context) ?? QuadraticLowering.TryLower(context) ?? spec.Lower(context);
        }
        catch (SquaredValueException e)
        {
            throw Error(place, e.Message);
        }
        if (_layers.Count > layers) _layers.NameLatest(node.Output[0]);
        if (result is TracedValue or QuadraticValue or SharedValue) _lowered.Add(spec.Name);
        else Folded++;
        string outName = node.Output[0];
        if (!_values.TryDefine(outName, result))
            throw Error(place, $"its output {Quote(outName)} is already defined (by the input, an initializer or another node)");
    }
}
