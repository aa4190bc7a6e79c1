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

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/>; read it with
    /// <see cref="CountOf"/>. (Numbers are options of strings checked here: an option of a value
    /// type would be compiled at start-up, as ReadyToRun cannot precompile the library's generics for it.)
    /// </summary>
    public static Option<string> Count(string name, string valueName, int min, int max, string description)
    {
        var option = Text(name, valueName, description);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && ParseCount(result.Tokens[0].Value, min, max) is null)
                result.AddError($"option {name} takes a whole number from {min} to {max}, not '{result.Tokens[0].Value}'");
        });
        return option;
    }

    public static int? CountOf(ParseResult parsed, Option<string> option) =>
        parsed.GetValue(option) is string text ? ParseCount(text, int.MinValue, int.MaxValue) : null;

    private static int? ParseCount(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max ? v : null;

    /// <summary>A positive, finite number of seconds; read it with <see cref="SecondsOf"/>.</summary>
    public static Option<string> Seconds(string name, string description)
    {
        var option = Text(name, "S", description);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && ParseSeconds(result.Tokens[0].Value) is null)
                result.AddError($"option {name} takes a positive number of seconds, not '{result.Tokens[0].Value}'");
        });
        return option;
    }

    public static TimeSpan? SecondsOf(ParseResult parsed, Option<string> option) =>
        parsed.GetValue(option) is string text ? ParseSeconds(text) : null;

    private static TimeSpan? ParseSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && !double.IsInfinity(v)
            && v <= TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(v)
            : null;

    public static Option<string> Box(string description) =>
        Text("--box", "LO:HI", description + " ([LO,HI]^d; LO1:HI1,LO2:HI2,... gives one interval per coordinate; exact numbers: 0.1, -3/4, 0x1p-3)");

    public static Option<bool> Quiet(string description = "no progress display") => Flag("--quiet", description, "-q");

    public static Option<bool> Progress() => Flag("--progress", "show progress even when stderr is not a terminal");

    public static Option<bool> Json(string description) => Flag("--json", description);

    public static Option<string> Z3() => Text("--z3", "PATH", "the z3 binary (default: z3 on PATH)");

    public static Option<string> MaxRegions(string description) => Count("--max-regions", "N", 1, int.MaxValue, description);

    /// <summary>A positional argument holding file names (completed by the shell as files).</summary>
    public static Argument<string> File(string name, string description) => new(name) { Description = description };
}
