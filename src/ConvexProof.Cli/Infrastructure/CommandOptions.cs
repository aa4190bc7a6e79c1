using System.CommandLine;
using System.Globalization;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// Builds the options the commands share, with the value checks and one-line messages of the CLI
/// (a malformed value names the option and what it takes, never a .NET type).
/// </summary>
public static class CommandOptions
{
    /// <summary>An on/off option: it takes no value (<c>--quiet=1</c> is a usage error).</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>An option with one text value, shown as <c>NAME VALUE</c> in the help.</summary>
    public static Option<string> Text(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> Count(string name, string valueName, int min, int max, string description) => new(name)
    {
        Description = description,
        HelpName = valueName,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
            result.AddError($"option {name} takes a whole number from {min} to {max}, not '{text}'");
            return null;
        },
    };

    /// <summary>A positive, finite number of seconds.</summary>
    public static Option<TimeSpan?> Seconds(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "S",
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && !double.IsInfinity(v)
                && v <= TimeSpan.MaxValue.TotalSeconds / 2)
                return TimeSpan.FromSeconds(v);
            result.AddError($"option {name} takes a positive number of seconds, not '{text}'");
            return null;
        },
    };

    public static Option<string> Box(string description) =>
        Text("--box", "LO:HI", description + " ([LO,HI]^d; LO1:HI1,LO2:HI2,... gives one interval per coordinate; exact numbers: 0.1, -3/4, 0x1p-3)");

    public static Option<bool> Quiet(string description = "no progress display") => Flag("--quiet", description, "-q");

    public static Option<bool> Progress() => Flag("--progress", "show progress even when stderr is not a terminal");

    public static Option<bool> Json(string description) => Flag("--json", description);

    public static Option<string> Z3() => Text("--z3", "PATH", "the z3 binary (default: z3 on PATH)");

    public static Option<int?> MaxRegions(string description) => Count("--max-regions", "N", 1, int.MaxValue, description);

    /// <summary>A positional argument holding file names (completed by the shell as files).</summary>
    public static Argument<string> File(string name, string description) => new(name) { Description = description };
}
