using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Onnx.Proto;
using Google.Protobuf;
using AttrType = ConvexProof.Onnx.Proto.AttributeProto.Types.AttributeType;
using DataType = ConvexProof.Onnx.Proto.TensorProto.Types.DataType;

namespace ConvexProof.Onnx;

/// <summary>
/// Reads an ONNX model of a ReLU network into a <see cref="Network"/> with exact parameters.
/// <para>
/// Supported operators (default domain): Gemm (alpha, beta, transB; transA only on constants),
/// MatMul, Add, Sub, Mul and Div by constants, Neg, Relu (and Clip with min 0, no max), Flatten,
/// Reshape, Identity, Concat (on the feature axis), Transpose and Constant. Constant subexpressions
/// (initializers, Constant nodes, Transpose or Clip of a weight, …) are folded exactly. Nodes the
/// output does not depend on are ignored. Every other value is tracked as an exact affine
/// function of the graph input and of the hidden layers' outputs: each Relu makes a ReLU layer, a
/// Gemm/MatMul that consumes the result of arithmetic (not a Relu, the input or a concatenation of
/// those) makes an identity layer of it first, and the graph output is the last identity layer. A
/// layer may read the previous layer and the graph input (a skip connection, as in input-convex
/// networks: Add of two Gemms, or Concat of [hidden, input] followed by a Gemm); anything else is
/// rejected.
/// </para>
/// <para>
/// Numbers: every float32/float64 (and float16/bfloat16) entry becomes the exact rational value of
/// its binary representation; Gemm's alpha and beta are float32 attributes and are used exactly too.
/// </para>
/// Every problem is an <see cref="InputException"/> whose message is one line naming the file, the
/// place (node name and operator, input, output or initializer) and the problem.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Largest .onnx file read.</summary>
    public const long MaxFileBytes = 1L << 30;

    public static Network ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
                throw new InputException(path, "file", $"the file is larger than {MaxFileBytes >> 20} MiB");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw InputException.Unreadable(path, "file", e);
        }
        return Parse(bytes, path);
    }

    public static Network Parse(ReadOnlySpan<byte> bytes, string fileName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InputException(fileName, "file", $"not a valid ONNX model (protobuf: {OneLine(e.Message)}){Hint(bytes)}");
        }
        if (model.Graph is null || (model.Graph.Node.Count == 0 && model.Graph.Input.Count == 0 && model.Graph.Output.Count == 0))
            throw new InputException(fileName, "file", $"not an ONNX model (it has no graph){Hint(bytes)}");
        return new GraphImporter(fileName, model).Run();
    }

    private static string Hint(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] == (byte)'{' ? "; it looks like a JSON file — a net.json needs no import" : "";
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>A value computed from the graph input: an affine function of the sources, with a
    /// shape whose last dimension is the feature count (the other dimensions are batch dimensions).</summary>
    private sealed class Activ(long?[] dims, Affine expr, bool computed)
    {
        public long?[] Dims { get; } = dims;
        public Affine Expr { get; } = expr;

        /// <summary>True when arithmetic produced it (so a matrix product of it starts a new layer).</summary>
        public bool Computed { get; } = computed;

        public int Features => Expr.Rows;
        public int Rank => Dims.Length;

        /// <summary>The identity layer made of this value, once made (so two consumers share it).</summary>
        public int? LayerSource { get; set; }
    }

    private sealed record PendingLayer(Affine Pre, Activation Activation, string Place);

    private sealed class GraphImporter(string file, ModelProto model)
    {
        private readonly GraphProto _graph = model.Graph;
        private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
        private readonly List<PendingLayer> _layers = [];
        private int _inputDim;

        private InputException Error(string place, string problem) => new(file, place, problem);

        private static string Quote(string name) => "'" + Clean(name.Length <= 60 ? name : name[..57] + "...") + "'";

        /// <summary>A name from the file made safe for a one-line message (control characters replaced).</summary>
        private static string Clean(string text) =>
            string.Concat(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c));

        public Network Run()
        {
            CheckOpsets();
            if (_graph.Output.Count != 1)
                throw Error("graph", _graph.Output.Count == 0
                    ? "the graph has no output"
                    : $"the graph has {_graph.Output.Count} outputs ({string.Join(", ", _graph.Output.Select(o => Quote(o.Name)))}); a ConvexProof network has exactly one output");
            var output = _graph.Output[0];
            var (needed, wanted) = NeededNodes(output.Name);

            // Initializers the output does not depend on (optimizer state, step counters, …) are not decoded.
            var initializerNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var init in _graph.Initializer)
            {
                string place = $"initializer {Quote(init.Name)}";
                if (init.Name.Length == 0) throw Error("initializer", "an initializer has no name");
                if (!initializerNames.Add(init.Name)) throw Error(place, "the name is used twice");
                if (wanted.Contains(init.Name)) _values[init.Name] = TensorDecoder.Decode(init, p => Error(place, p));
            }
            if (_graph.SparseInitializer.Count > 0)
                throw Error("graph", "sparse initializers are not supported; save the model with dense weights");

            var inputs = _graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
            if (inputs.Count != 1)
                throw Error("graph", inputs.Count == 0
                    ? "the graph has no input (besides initializers)"
                    : $"the graph has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => Quote(i.Name)))}); a ConvexProof network takes one input vector");
            ReadInput(inputs[0]);

            for (int n = 0; n < _graph.Node.Count; n++)
                if (needed[n]) Evaluate(_graph.Node[n], n);

            if (!_values.TryGetValue(output.Name, out var result))
                throw Error($"output {Quote(output.Name)}", "no node computes the graph output");
            return Build(result, $"output {Quote(output.Name)}", output);
        }

        private void CheckOpsets()
        {
            foreach (var opset in model.OpsetImport)
                if (opset.Domain is "" or "ai.onnx" && opset.Version is > 0 and < 6)
                    throw Error("model", $"operator set version {opset.Version} is too old (6 or later is supported); re-export the model");
        }

        private void ReadInput(ValueInfoProto input)
        {
            string place = $"input {Quote(input.Name)}";
            var tensorType = input.Type?.TensorType
                ?? throw Error(place, "the graph input is not a tensor");
            if ((DataType)tensorType.ElemType is not (DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16))
                throw Error(place, $"the graph input has element type {TensorDecoder.TypeName(tensorType.ElemType)}; expected a floating-point type");
            if (tensorType.Shape is null || tensorType.Shape.Dim.Count == 0)
                throw Error(place, "the graph input has no shape, so its size is unknown; export it with a shape such as [batch, d]");
            var dims = tensorType.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null).ToArray();
            var last = dims[^1];
            if (last is not long d || d < 1)
                throw Error(place, $"the last dimension of the input shape {ConstTensor.ShapeText(dims)} must be a known size ≥ 1 (the input dimension d)");
            if (d > NetworkReader.MaxInputDim)
                throw Error(place, $"input dimension {d} is larger than {NetworkReader.MaxInputDim}");
            for (int k = 1; k < dims.Length - 1; k++)
                if (dims[k] != 1)
                    throw Error(place, $"input shape {ConstTensor.ShapeText(dims)}: only the first dimension may be a batch dimension (others must be 1)");
            _inputDim = (int)d;
            _values[input.Name] = new Activ(dims, Affine.Source(0, _inputDim), computed: false);
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

        // ---------------------------------------------------------------- nodes

        private static readonly Dictionary<string, string[]> AllowedAttributes = new(StringComparer.Ordinal)
        {
            ["Gemm"] = ["alpha", "beta", "transA", "transB", "broadcast"],
            ["MatMul"] = [],
            ["Add"] = ["broadcast", "axis"],
            ["Sub"] = ["broadcast", "axis"],
            ["Mul"] = ["broadcast", "axis"],
            ["Div"] = ["broadcast", "axis"],
            ["Neg"] = [],
            ["Relu"] = [],
            ["Clip"] = ["min", "max"],
            ["Identity"] = [],
            ["Flatten"] = ["axis"],
            ["Reshape"] = ["allowzero"],
            ["Concat"] = ["axis"],
            ["Transpose"] = ["perm"],
            ["Constant"] = ["value", "value_float", "value_floats", "value_int", "value_ints"],
        };

        private void Evaluate(NodeProto node, int index)
        {
            string op = Clean(node.OpType.Length <= 40 ? node.OpType : node.OpType[..37] + "...");
            string place = node.Name.Length > 0 ? $"node {Quote(node.Name)} ({op})" : $"node #{index} ({op})";
            if (node.Domain is not ("" or "ai.onnx"))
                throw Error(place, $"operator {op} of domain {Quote(node.Domain)} is not supported (only standard ONNX operators are)");
            if (!AllowedAttributes.TryGetValue(node.OpType, out var allowed))
                throw Error(place, $"unsupported operator {op} (supported: {string.Join(", ", AllowedAttributes.Keys)})");
            foreach (var attribute in node.Attribute)
            {
                if (Array.IndexOf(allowed, attribute.Name) < 0)
                    throw Error(place, $"attribute {Quote(attribute.Name)} of {op} is not supported");
                if (attribute.RefAttrName.Length > 0)
                    throw Error(place, $"attribute {Quote(attribute.Name)} refers to a function attribute; only plain graphs are supported");
            }
            if (node.Output.Count != 1 || node.Output[0].Length == 0)
                throw Error(place, $"expected exactly one output, found {node.Output.Count}");
            var ctx = new NodeContext(this, node, place);
            object result = node.OpType switch
            {
                "Gemm" => Gemm(ctx),
                "MatMul" => MatMul(ctx),
                "Add" => AddSub(ctx, subtract: false),
                "Sub" => AddSub(ctx, subtract: true),
                "Mul" => MulDiv(ctx, divide: false),
                "Div" => MulDiv(ctx, divide: true),
                "Neg" => Neg(ctx),
                "Relu" => Relu(ctx),
                "Clip" => Clip(ctx),
                "Identity" => ctx.Input(0, 1, 1),
                "Flatten" => Flatten(ctx),
                "Reshape" => Reshape(ctx),
                "Concat" => Concat(ctx),
                "Transpose" => Transpose(ctx),
                "Constant" => Constant(ctx),
                _ => throw new InvalidOperationException("unreachable"),
            };
            string outName = node.Output[0];
            if (!_values.TryAdd(outName, result))
                throw Error(place, $"its output {Quote(outName)} is already defined (by the input, an initializer or another node)");
        }

        private sealed class NodeContext(GraphImporter importer, NodeProto node, string place)
        {
            public NodeProto Node => node;
            public string Place => place;

            public InputException Error(string problem) => importer.Error(place, problem);

            public void CheckArity(int min, int max)
            {
                int count = node.Input.Count;
                while (count > 0 && node.Input[count - 1].Length == 0) count--;
                if (count < min || count > max)
                    throw Error(min == max
                        ? $"expected {min} input{(min == 1 ? "" : "s")}, found {count}"
                        : $"expected {min} to {max} inputs, found {count}");
            }

            /// <summary>Input i (null when optional and absent).</summary>
            public object? Optional(int i)
            {
                if (i >= node.Input.Count || node.Input[i].Length == 0) return null;
                string name = node.Input[i];
                return importer._values.TryGetValue(name, out var v) ? v
                    : throw Error($"input {Quote(name)} is not defined before this node (not an input, an initializer or an earlier node's output)");
            }

            public object Input(int i, int min, int max)
            {
                CheckArity(min, max);
                return Optional(i) ?? throw Error($"input {i + 1} is missing");
            }

            public ConstTensor ConstInput(int i, int min, int max, string role) =>
                Input(i, min, max) as ConstTensor
                ?? throw Error($"the {role} (input {Quote(node.Input[i])}) must be a constant (an initializer or a Constant node), not a value computed from the graph input");

            public AttributeProto? Attribute(string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

            public long Int(string name, long fallback)
            {
                var a = Attribute(name);
                if (a is null) return fallback;
                if (a.Type is not (AttrType.Int or AttrType.Undefined)) throw Error($"attribute '{name}' must be an integer");
                return a.I;
            }

            public Rational Float(string name, Rational fallback)
            {
                var a = Attribute(name);
                if (a is null) return fallback;
                if (a.Type is not (AttrType.Float or AttrType.Undefined)) throw Error($"attribute '{name}' must be a float");
                if (!float.IsFinite(a.F)) throw Error($"attribute '{name}' is not finite");
                return Rational.FromDouble(a.F);
            }
        }

        /// <summary>The affine expression to multiply: the value itself, or the identity layer made of it.</summary>
        private Affine Operand(Activ a, string place)
        {
            if (!a.Computed) return a.Expr;
            if (a.LayerSource is null)
            {
                _layers.Add(new PendingLayer(a.Expr, Activation.Identity, place));
                a.LayerSource = _layers.Count;
            }
            return Affine.Source(a.LayerSource.Value, a.Features);
        }

        private object Gemm(NodeContext ctx)
        {
            var a = ctx.Input(0, 2, 3);
            var b = ctx.ConstInput(1, 2, 3, "matrix B");
            var c = ctx.Optional(2);
            var alpha = ctx.Float("alpha", Rational.One);
            var beta = ctx.Float("beta", Rational.One);
            bool transA = ctx.Int("transA", 0) != 0, transB = ctx.Int("transB", 0) != 0;
            if (b.Rank != 2) throw ctx.Error($"B must be a matrix, found shape {ConstTensor.ShapeText(b.Dims)}");
            // W is out × in: Y = A·W^T. With transB, B is stored as [N, K] = W; otherwise as [K, N] = W^T.
            var w = transB ? b : b.Transposed([1, 0]);
            if (a is ConstTensor)
                throw ctx.Error("input A is a constant; the first input of Gemm must depend on the graph input");
            var act = (Activ)a;
            if (transA) throw ctx.Error("transA=1 on a value computed from the graph input is not supported");
            if (act.Rank != 2) throw ctx.Error($"input A must be 2-D [batch, features], found shape {ConstTensor.ShapeText(act.Dims)}");
            if (w.Dims[1] != act.Features)
                throw ctx.Error($"B has shape {ConstTensor.ShapeText(b.Dims)}{(transB ? " (transB=1)" : "")}, which does not fit an input of {act.Features} features");
            int outputs = CheckWidth(w.Dims[0], ctx);
            var matrix = Rows(w, alpha);
            var expr = Operand(act, ctx.Place).Map(matrix);
            var dims = new long?[] { act.Dims[0], outputs };
            var result = new Activ(dims, expr, computed: true);
            if (c is null || beta.IsZero) return result;
            if (c is ConstTensor constC)
            {
                var bias = BiasVector(constC, outputs, 2, ctx, "C");
                return new Activ(dims, expr.Shift(bias.Select(v => v * beta).ToArray()), computed: true);
            }
            var actC = (Activ)c;
            if (actC.Features != outputs) throw ctx.Error($"C has {actC.Features} features, expected {outputs}");
            var scaled = beta == Rational.One ? actC.Expr : actC.Expr.ScaleRows(Enumerable.Repeat(beta, outputs).ToArray());
            return new Activ(dims, Affine.Add(expr, scaled), computed: true);
        }

        private object MatMul(NodeContext ctx)
        {
            var a = ctx.Input(0, 2, 2);
            if (a is ConstTensor)
                throw ctx.Error("the first input is a constant; MatMul is supported as (value from the graph input) × (constant matrix)");
            var b = ctx.ConstInput(1, 2, 2, "second input");
            var act = (Activ)a;
            if (b.Rank != 2) throw ctx.Error($"the second input must be a matrix [in, out], found shape {ConstTensor.ShapeText(b.Dims)}");
            if (b.Dims[0] != act.Features)
                throw ctx.Error($"the matrix has shape {ConstTensor.ShapeText(b.Dims)}, which does not fit an input of {act.Features} features");
            int outputs = CheckWidth(b.Dims[1], ctx);
            var expr = Operand(act, ctx.Place).Map(Rows(b.Transposed([1, 0]), Rational.One));
            var dims = act.Dims.ToArray();
            dims[^1] = outputs;
            return new Activ(dims, expr, computed: true);
        }

        private object AddSub(NodeContext ctx, bool subtract)
        {
            var a = ctx.Input(0, 2, 2);
            var b = ctx.Input(1, 2, 2);
            if (a is ConstTensor ca && b is ConstTensor cb)
                return FoldBinary(ctx, ca, cb, subtract ? (x, y) => x - y : (x, y) => x + y);
            if (a is Activ aa && b is Activ ab)
            {
                if (aa.Features != ab.Features)
                    throw ctx.Error($"adds values of {aa.Features} and {ab.Features} features");
                var dims = aa.Rank >= ab.Rank ? aa.Dims : ab.Dims;
                return new Activ(dims, Affine.Add(aa.Expr, subtract ? ab.Expr.Negate() : ab.Expr), computed: true);
            }
            var act = a as Activ ?? (Activ)b;
            var constant = a as ConstTensor ?? (ConstTensor)b;
            var vector = BiasVector(constant, act.Features, act.Rank, ctx, "constant");
            var dimsOut = BroadcastDims(act, constant);
            if (!subtract) return new Activ(dimsOut, act.Expr.Shift(vector), computed: true);
            return a is Activ
                ? new Activ(dimsOut, act.Expr.Shift(vector.Select(v => -v).ToArray()), computed: true)
                : new Activ(dimsOut, act.Expr.Negate().Shift(vector), computed: true);
        }

        private object MulDiv(NodeContext ctx, bool divide)
        {
            var a = ctx.Input(0, 2, 2);
            var b = ctx.Input(1, 2, 2);
            if (a is ConstTensor ca && b is ConstTensor cb)
                return FoldBinary(ctx, ca, cb, divide
                    ? (x, y) => y.IsZero ? throw ctx.Error("division by zero") : x / y
                    : (x, y) => x * y);
            if (a is Activ && b is Activ)
                throw ctx.Error($"{ctx.Node.OpType} of two values computed from the graph input is not piecewise linear");
            if (divide && a is not Activ) throw ctx.Error("division by a value computed from the graph input is not supported");
            var act = a as Activ ?? (Activ)b;
            var constant = a as ConstTensor ?? (ConstTensor)b;
            var vector = BiasVector(constant, act.Features, act.Rank, ctx, "constant");
            if (divide)
                vector = vector.Select(v => v.IsZero ? throw ctx.Error("division by zero") : v.Reciprocal()).ToArray();
            return new Activ(BroadcastDims(act, constant), act.Expr.ScaleRows(vector), computed: true);
        }

        private object Neg(NodeContext ctx) => ctx.Input(0, 1, 1) switch
        {
            ConstTensor c => new ConstTensor(c.Dims, c.Data.Select(v => -v).ToArray()),
            Activ a => new Activ(a.Dims, a.Expr.Negate(), computed: true),
            _ => throw new InvalidOperationException(),
        };

        private object Relu(NodeContext ctx)
        {
            var input = ctx.Input(0, 1, 1);
            if (input is ConstTensor c) return new ConstTensor(c.Dims, c.Data.Select(v => v.Sign < 0 ? Rational.Zero : v).ToArray());
            return ReluLayer((Activ)input, ctx.Place);
        }

        private Activ ReluLayer(Activ act, string place)
        {
            _layers.Add(new PendingLayer(act.Expr, Activation.Relu, place));
            return new Activ(act.Dims, Affine.Source(_layers.Count, act.Features), computed: false);
        }

        /// <summary>Clip of a constant (for example clamped ICNN weights) is folded; Clip of a value
        /// from the graph input is supported when it is a ReLU (min 0, no max).</summary>
        private object Clip(NodeContext ctx)
        {
            var input = ctx.Input(0, 1, 3);
            Rational? min = null, max = null;
            if (ctx.Attribute("min") is not null) min = ctx.Float("min", 0);
            if (ctx.Attribute("max") is not null) max = ctx.Float("max", 0);
            for (int i = 1; i <= 2; i++)
            {
                if (ctx.Optional(i) is not { } bound) continue;
                var c = bound as ConstTensor;
                if (c is null || c.Data.Length != 1)
                    throw ctx.Error($"the {(i == 1 ? "min" : "max")} bound must be a constant scalar");
                if (i == 1) min = c.Data[0]; else max = c.Data[0];
            }
            if (input is ConstTensor t)
                return new ConstTensor(t.Dims, t.Data.Select(v =>
                {
                    if (min is Rational lo && v < lo) v = lo;
                    if (max is Rational hi && v > hi) v = hi;
                    return v;
                }).ToArray());
            if (min is not Rational m || !m.IsZero || max is not null)
                throw ctx.Error("Clip of a value computed from the graph input is supported only as a ReLU (min 0, no max)");
            return ReluLayer((Activ)input, ctx.Place);
        }

        private object Flatten(NodeContext ctx)
        {
            var input = ctx.Input(0, 1, 1);
            long?[] dims = input is ConstTensor c0 ? c0.Dims.Select(d => (long?)d).ToArray() : ((Activ)input).Dims;
            int rank = dims.Length;
            long axis = ctx.Int("axis", 1);
            if (axis < 0) axis += rank;
            if (axis < 0 || axis > rank) throw ctx.Error($"axis {ctx.Int("axis", 1)} is out of range for shape {ConstTensor.ShapeText(dims)}");
            if (input is ConstTensor c)
            {
                long outer = 1, inner = 1;
                for (int k = 0; k < rank; k++) if (k < axis) outer *= c.Dims[k]; else inner *= c.Dims[k];
                return c.Reshaped([outer, inner]);
            }
            var act = (Activ)input;
            // The features (last dimension) must stay the last dimension: everything flattened into
            // them has to be of size 1.
            for (int k = (int)axis; k < rank - 1; k++)
                if (dims[k] != 1)
                    throw ctx.Error($"flattening shape {ConstTensor.ShapeText(dims)} at axis {axis} would mix batch and feature dimensions");
            if (axis == rank)
                throw ctx.Error($"flattening shape {ConstTensor.ShapeText(dims)} at axis {axis} would move the features into the batch dimension");
            long? batch = 1;
            for (int k = 0; k < axis; k++) batch = batch is long p && dims[k] is long q ? p * q : null;
            return new Activ([batch, act.Features], act.Expr, act.Computed) { LayerSource = act.LayerSource };
        }

        private object Reshape(NodeContext ctx)
        {
            var input = ctx.Input(0, 2, 2);
            var shapeTensor = ctx.ConstInput(1, 2, 2, "shape");
            if (shapeTensor.Rank != 1) throw ctx.Error("the shape must be a 1-D tensor");
            var target = shapeTensor.Data.Select(v => v.IsInteger && v.Numerator >= -1 && v.Numerator <= int.MaxValue
                ? (long)v.Numerator : throw ctx.Error($"the shape entry {v} is not a valid dimension")).ToArray();
            bool allowZero = ctx.Int("allowzero", 0) != 0;
            long?[] inDims = input is ConstTensor c0 ? c0.Dims.Select(d => (long?)d).ToArray() : ((Activ)input).Dims;
            var resolved = new long?[target.Length];
            int inferred = -1;
            for (int k = 0; k < target.Length; k++)
            {
                if (target[k] == 0 && !allowZero)
                {
                    if (k >= inDims.Length) throw ctx.Error("shape entry 0 copies a dimension the input does not have");
                    resolved[k] = inDims[k];
                }
                else if (target[k] == -1)
                {
                    if (inferred >= 0) throw ctx.Error("the shape has more than one -1");
                    inferred = k;
                }
                else resolved[k] = target[k];
            }
            if (input is ConstTensor c)
            {
                long known = 1;
                for (int k = 0; k < resolved.Length; k++) if (k != inferred) known *= resolved[k]!.Value;
                if (inferred >= 0)
                {
                    if (known == 0 || c.Data.Length % known != 0) throw ctx.Error("cannot infer the -1 dimension");
                    resolved[inferred] = c.Data.Length / known;
                }
                var dims = resolved.Select(d => d!.Value).ToArray();
                if (ConstTensor.ElementCount(dims) != c.Data.Length)
                    throw ctx.Error($"cannot reshape {ConstTensor.ShapeText(c.Dims)} to {ConstTensor.ShapeText(dims)}");
                return c.Reshaped(dims);
            }
            var act = (Activ)input;
            // One sample's features must stay the last dimension; the other dimensions are batch
            // dimensions (-1 or 0 keep the batch, 1 is a single sample).
            if (target.Length == 0) throw ctx.Error("reshaping to a scalar is not supported");
            bool lastOk = resolved[^1] == act.Features
                || (inferred == target.Length - 1 && resolved.Take(target.Length - 1).All(d => d == 1) && inDims.Take(inDims.Length - 1).All(d => d == 1));
            if (!lastOk)
                throw ctx.Error($"reshaping {ConstTensor.ShapeText(inDims)} to {ConstTensor.ShapeText(target)} changes the feature dimension ({act.Features})");
            for (int k = 0; k < target.Length - 1; k++)
                if (k != inferred && resolved[k] is long d && d != 1 && !(k < inDims.Length - 1 && inDims[k] == d))
                    throw ctx.Error($"reshaping {ConstTensor.ShapeText(inDims)} to {ConstTensor.ShapeText(target)} mixes batch and feature dimensions");
            var outDims = resolved.ToArray();
            outDims[^1] = act.Features;
            if (inferred >= 0 && inferred < target.Length - 1) outDims[inferred] = null;
            return new Activ(outDims, act.Expr, act.Computed) { LayerSource = act.LayerSource };
        }

        private object Concat(NodeContext ctx)
        {
            int count = ctx.Node.Input.Count;
            if (count < 1) throw ctx.Error("Concat needs at least one input");
            var parts = new List<Activ>();
            for (int i = 0; i < count; i++)
            {
                var v = ctx.Input(i, 1, int.MaxValue);
                parts.Add(v as Activ ?? throw ctx.Error($"input {Quote(ctx.Node.Input[i])} is a constant; only values computed from the graph input can be concatenated"));
            }
            int rank = parts[0].Rank;
            if (parts.Any(p => p.Rank != rank)) throw ctx.Error("the inputs have different ranks");
            var axisAttr = ctx.Attribute("axis") ?? throw ctx.Error("the attribute 'axis' is missing");
            long axis = axisAttr.I < 0 ? axisAttr.I + rank : axisAttr.I;
            if (axis != rank - 1)
                throw ctx.Error($"Concat along axis {axisAttr.I} is not supported; only the feature axis (the last, -1) is");
            int features = CheckWidth(parts.Sum(p => (long)p.Features), ctx);
            var dims = parts[0].Dims.ToArray();
            dims[^1] = features;
            return new Activ(dims, Affine.Stack(parts.Select(p => p.Expr).ToList()), parts.Any(p => p.Computed));
        }

        private object Transpose(NodeContext ctx)
        {
            var input = ctx.Input(0, 1, 1);
            int rank = input is ConstTensor c0 ? c0.Rank : ((Activ)input).Rank;
            var permAttr = ctx.Attribute("perm");
            int[] perm = permAttr is null
                ? Enumerable.Range(0, rank).Reverse().ToArray()
                : permAttr.Ints.Select(p => p >= 0 && p < rank ? (int)p : throw ctx.Error($"perm entry {p} is out of range")).ToArray();
            if (perm.Length != rank || perm.Distinct().Count() != rank) throw ctx.Error("perm is not a permutation of the axes");
            if (input is ConstTensor c) return c.Transposed(perm);
            bool keepsFeatures = rank == 0 || perm[^1] == rank - 1;
            if (!keepsFeatures) throw ctx.Error("transposing a value computed from the graph input is not supported");
            var act = (Activ)input;
            return new Activ(perm.Select(p => act.Dims[p]).ToArray(), act.Expr, act.Computed) { LayerSource = act.LayerSource };
        }

        private object Constant(NodeContext ctx)
        {
            ctx.CheckArity(0, 0);
            if (ctx.Node.Attribute.Count != 1) throw ctx.Error("a Constant node needs exactly one attribute");
            var a = ctx.Node.Attribute[0];
            return a.Name switch
            {
                "value" => TensorDecoder.Decode(a.T ?? throw ctx.Error("attribute 'value' holds no tensor"), p => ctx.Error(p)),
                "value_float" => new ConstTensor([], [FiniteFloat(a.F, ctx)]),
                "value_floats" => new ConstTensor([a.Floats.Count], a.Floats.Select(f => FiniteFloat(f, ctx)).ToArray()),
                "value_int" => new ConstTensor([], [a.I]),
                _ => new ConstTensor([a.Ints.Count], a.Ints.Select(i => (Rational)i).ToArray()),
            };
        }

        private static Rational FiniteFloat(float f, NodeContext ctx) =>
            float.IsFinite(f) ? Rational.FromDouble(f) : throw ctx.Error("the constant is not finite");

        // ---------------------------------------------------------------- helpers

        private static int CheckWidth(long width, NodeContext ctx)
        {
            if (width < 1) throw ctx.Error("a layer needs at least one unit");
            if (width > NetworkReader.MaxWidth) throw ctx.Error($"more than {NetworkReader.MaxWidth} units");
            return (int)width;
        }

        /// <summary>The rows of a 2-D constant, each entry times <paramref name="scale"/>.</summary>
        private static Rational[][] Rows(ConstTensor m, Rational scale)
        {
            var rows = new Rational[m.Dims[0]][];
            for (long i = 0; i < m.Dims[0]; i++)
            {
                var row = new Rational[m.Dims[1]];
                for (long j = 0; j < m.Dims[1]; j++) row[j] = scale == Rational.One ? m.At(i, j) : m.At(i, j) * scale;
                rows[i] = row;
            }
            return rows;
        }

        /// <summary>A constant broadcast over a value of <paramref name="features"/> features: one
        /// entry per feature (or one for all), and size 1 in every other dimension.</summary>
        private static Rational[] BiasVector(ConstTensor c, int features, int rank, NodeContext ctx, string role)
        {
            bool ok = c.Rank == 0 || c.Dims[^1] == features || c.Dims[^1] == 1;
            for (int k = 0; k < c.Rank - 1; k++) ok &= c.Dims[k] == 1;
            if (!ok)
                throw ctx.Error($"the {role} has shape {ConstTensor.ShapeText(c.Dims)}, which does not broadcast to one entry per feature of a value with {features} features (a per-sample constant is needed)");
            _ = rank;
            var vector = new Rational[features];
            for (int i = 0; i < features; i++) vector[i] = c.Data.Length == 1 ? c.Data[0] : c.Data[i];
            return vector;
        }

        private static long?[] BroadcastDims(Activ act, ConstTensor c)
        {
            if (c.Rank <= act.Rank) return act.Dims;
            var dims = new long?[c.Rank];
            for (int k = 0; k < c.Rank - act.Rank; k++) dims[k] = 1;
            Array.Copy(act.Dims, 0, dims, c.Rank - act.Rank, act.Rank);
            return dims;
        }

        private static ConstTensor FoldBinary(NodeContext ctx, ConstTensor a, ConstTensor b, Func<Rational, Rational, Rational> op)
        {
            var shape = ConstTensor.BroadcastShape(a.Dims, b.Dims)
                ?? throw ctx.Error($"shapes {ConstTensor.ShapeText(a.Dims)} and {ConstTensor.ShapeText(b.Dims)} do not broadcast");
            if (ConstTensor.ElementCount(shape) > TensorDecoder.MaxElements) throw ctx.Error("the result is too large");
            return ConstTensor.Elementwise(a, b, shape, op);
        }

        // ---------------------------------------------------------------- network

        private Network Build(object result, string place, ValueInfoProto output)
        {
            var final = result switch
            {
                Activ a => a,
                ConstTensor c when c.Data.Length == 1 => new Activ([1], Affine.Constant(c.Data), computed: true),
                ConstTensor c => throw Error(place, $"the output is a constant of shape {ConstTensor.ShapeText(c.Dims)}; expected one value per sample"),
                _ => throw new InvalidOperationException(),
            };
            if (final.Features != 1)
                throw Error(place, $"the output has {final.Features} values per sample; a ConvexProof network has exactly one output");
            var declared = output.Type?.TensorType?.Shape?.Dim;
            if (declared is { Count: > 0 } && declared[^1].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && declared[^1].DimValue != 1)
                throw Error(place, $"the declared output shape ends in {declared[^1].DimValue}; a ConvexProof network has exactly one output");

            // The graph output becomes the last (identity) layer, unless it already is one.
            bool isLastLayer = !final.Computed && _layers.Count > 0 && final.Expr.IsIdentityOf(_layers.Count)
                && _layers[^1].Activation == Activation.Identity;
            if (!isLastLayer) _layers.Add(new PendingLayer(final.Expr, Activation.Identity, place));

            var layers = new List<Layer>();
            var widths = new List<int> { _inputDim };
            for (int k = 0; k < _layers.Count; k++)
            {
                var pending = _layers[k];
                var pre = pending.Pre;
                foreach (var source in pre.Terms.Keys)
                    if (source != 0 && source != k)
                        throw Error(pending.Place, source > k
                            ? "internal error: a layer reads a later layer"
                            : $"{(k == _layers.Count - 1 ? "the output layer" : $"hidden layer {k + 1}")} reads hidden layer {source} directly, not only the previous layer {k}; a ConvexProof network feeds each layer from the previous layer and, through skip connections, from the input");
                int inputs = widths[k];
                Rational[][] weights = pre.Terms.TryGetValue(k, out var w) ? w : Affine.ZeroMatrix(pre.Rows, inputs);
                Rational[][]? skip = k > 0 && pre.Terms.TryGetValue(0, out var s) ? s : null;
                layers.Add(new Layer(weights, (Rational[])pre.Bias.Clone(), skip, pending.Activation));
                widths.Add(pre.Rows);
            }
            return new Network(_inputDim, layers);
        }
    }
}
