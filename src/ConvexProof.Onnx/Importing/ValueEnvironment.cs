namespace ConvexProof.Onnx.Importing;

/// <summary>What each name of the graph holds so far: the input, the initializers the output
/// depends on, and the outputs of the nodes evaluated up to now.</summary>
internal sealed class ValueEnvironment
{
    private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
    private readonly ValueEnvironment? _parent;

    public ValueEnvironment()
    {
    }

    /// <summary>An overlay: names defined here hide the parent's (a node lowered on a stand-in input).</summary>
    public ValueEnvironment(ValueEnvironment parent) => _parent = parent;

    /// <summary>Defines a name the caller knows to be new (the input, an initializer).</summary>
    public void Define(string name, GraphValue value) => _values[name] = value;

    /// <summary>Defines a name; false when it is already defined.</summary>
    public bool TryDefine(string name, GraphValue value) => _values.TryAdd(name, value);

    /// <summary>The value of a name, or null when nothing has defined it yet.</summary>
    public GraphValue? Find(string name) => _values.GetValueOrDefault(name) ?? _parent?.Find(name);
}
