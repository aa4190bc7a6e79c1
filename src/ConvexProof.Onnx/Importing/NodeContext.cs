using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Onnx.Proto;
using static ConvexProof.Onnx.Importing.MessageText;
using AttrType = ConvexProof.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace ConvexProof.Onnx.Importing;

/// <summary>What a lowering sees of one node: its inputs (as <see cref="GraphValue"/>s), its
/// attributes, the layer chain, and errors that name the node.</summary>
internal sealed class NodeContext(string file, NodeProto node, string place, ValueEnvironment values, LayerChain layers, GraphFacts facts)
{
    public NodeProto Node => node;

    /// <summary>The graph input's declared batch size, when the model fixes it.</summary>
    public long? DeclaredBatch => facts.DeclaredBatch;

    /// <summary>Whether the graph input is float64 (a runtime then computes in double, not float32).</summary>
    public bool ComputesInDouble => facts.InputIsDouble;

    /// <summary>"node 'name' (Op)" or "node #index (Op)", for messages.</summary>
    public string Place => place;

    public LayerChain Layers => layers;

    public InputException Error(string problem) => new(file, place, problem);

    /// <summary>How many nodes (and the graph output) read the value of <paramref name="name"/>.</summary>
    public int Consumers(string name) => facts.Consumers.GetValueOrDefault(name);

    /// <summary>The same node with input i replaced by <paramref name="value"/> (to lower it on a stand-in).</summary>
    public NodeContext WithInput(int i, GraphValue value)
    {
        var overlay = new ValueEnvironment(values);
        overlay.Define(node.Input[i], value);
        return new NodeContext(file, node, place, overlay, layers, facts);
    }

    /// <summary>Checks the number of inputs, not counting absent optional inputs at the end.</summary>
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
    public GraphValue? Optional(int i)
    {
        if (i >= node.Input.Count || node.Input[i].Length == 0) return null;
        string name = node.Input[i];
        return values.Find(name)
            ?? throw Error($"input {Quote(name)} is not defined before this node (not an input, an initializer or an earlier node's output)");
    }

    public GraphValue Input(int i) => Optional(i) ?? throw Error($"input {i + 1} is missing");

    public ConstTensor ConstInput(int i, string role) => Input(i).Match(
        constant: c => c,
        traced: _ => throw Error($"the {role} (input {Quote(node.Input[i])}) must be a constant (an initializer or a Constant node), not a value computed from the graph input"));

    public AttributeProto? Attribute(string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public long Int(string name, long fallback)
    {
        var a = Attribute(name);
        if (a is null) return fallback;
        if (a.Type is not (AttrType.Int or AttrType.Undefined)) throw Error($"attribute '{name}' must be an integer");
        return a.I;
    }

    /// <summary>The integers of an attribute (null when absent).</summary>
    public long[]? Ints(string name)
    {
        var a = Attribute(name);
        if (a is null) return null;
        if (a.Type is not (AttrType.Ints or AttrType.Undefined)) throw Error($"attribute '{name}' must be a list of integers");
        return [.. a.Ints];
    }

    public string String(string name, string fallback)
    {
        var a = Attribute(name);
        if (a is null) return fallback;
        if (a.Type is not (AttrType.String or AttrType.Undefined)) throw Error($"attribute '{name}' must be a string");
        return a.S.ToStringUtf8();
    }

    /// <summary>A float32 attribute as the float itself (for computing as a runtime does).</summary>
    public float RawFloat(string name, float fallback)
    {
        var a = Attribute(name);
        if (a is null) return fallback;
        if (a.Type is not (AttrType.Float or AttrType.Undefined)) throw Error($"attribute '{name}' must be a float");
        if (!float.IsFinite(a.F)) throw Error($"attribute '{name}' is not finite");
        return a.F;
    }

    public Rational Float(string name, Rational fallback)
    {
        var a = Attribute(name);
        if (a is null) return fallback;
        if (a.Type is not (AttrType.Float or AttrType.Undefined)) throw Error($"attribute '{name}' must be a float");
        if (!float.IsFinite(a.F)) throw Error($"attribute '{name}' is not finite");
        return Rational.FromDouble(a.F);
    }

    /// <summary>A layer width computed by this node, checked against the limits of net.json.</summary>
    public int Width(long width)
    {
        if (width < 1) throw Error("a layer needs at least one unit");
        if (width > NetworkReader.MaxWidth) throw Error($"more than {NetworkReader.MaxWidth} units");
        return (int)width;
    }
}

/// <summary>What the lowerings may need to know about the graph as a whole.</summary>
internal sealed record GraphFacts(long? DeclaredBatch, bool InputIsDouble)
{
    /// <summary>How many needed nodes (and the graph output) read each name.</summary>
    public IReadOnlyDictionary<string, int> Consumers { get; init; } = new Dictionary<string, int>();
}
