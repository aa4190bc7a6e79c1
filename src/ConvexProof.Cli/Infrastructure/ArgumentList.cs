namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// A small command-line parser: positionals, flags (<c>--quiet</c>) and options with a value
/// (<c>--out FILE</c> or <c>--out=FILE</c>). Unknown options are usage errors.
/// </summary>
public sealed class ArgumentList
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public ArgumentList(string[] args, IEnumerable<string> valueOptions, IEnumerable<string> flagOptions)
    {
        var withValue = new HashSet<string>(valueOptions, StringComparer.Ordinal);
        var flags = new HashSet<string>(flagOptions, StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                string name = arg, value = "";
                bool inline = false;
                int eq = arg.IndexOf('=');
                if (eq > 0) { name = arg[..eq]; value = arg[(eq + 1)..]; inline = true; }
                if (withValue.Contains(name))
                {
                    if (!inline)
                    {
                        if (i + 1 >= args.Length) throw new UsageException($"option {name} needs a value");
                        value = args[++i];
                    }
                    if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
                    list.Add(value);
                }
                else if (flags.Contains(name) && !inline) _flags.Add(name);
                else throw new UsageException($"unknown option '{arg}'");
            }
            else Positionals.Add(arg);
        }
    }

    public List<string> Positionals { get; } = [];

    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>The option's value, or null; giving it twice is a usage error.</summary>
    public string? Value(string name)
    {
        if (!_values.TryGetValue(name, out var list)) return null;
        if (list.Count > 1) throw new UsageException($"option {name} is given more than once");
        return list[0];
    }

    public int? IntValue(string name, int min, int max)
    {
        var text = Value(name);
        if (text is null) return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new UsageException($"option {name} takes a whole number from {min} to {max}, not '{text}'");
        return v;
    }

    public double? SecondsValue(string name)
    {
        var text = Value(name);
        if (text is null) return null;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || !(v > 0) || double.IsInfinity(v))
            throw new UsageException($"option {name} takes a positive number of seconds, not '{text}'");
        return v;
    }
}
