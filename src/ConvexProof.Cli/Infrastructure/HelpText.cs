using System.CommandLine;
using System.Text;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// Renders --help from the command definitions: the synopsis, the description, then every argument
/// and option with its description (wrapped to 100 columns) and the command's epilogue, so an option
/// is declared once and listed by itself. Values are shown as the synopsis writes them
/// (<c>--out CERT</c>), without the library's angle brackets.
/// </summary>
public sealed class HelpText(RootCommand root, IReadOnlyList<ICommand> commands, string rootEpilogue)
{
    private const int Width = 100;
    private const int Column = 28;

    public string Of(Command command)
    {
        var icommand = commands.FirstOrDefault(c => ReferenceEquals(c.Definition, command));
        var text = new StringBuilder();
        text.Append("usage: ").Append(icommand?.Synopsis ?? $"{CommandLine.Name} <command> [arguments] [--quiet] [--debug]").Append('\n');
        if (!string.IsNullOrEmpty(command.Description))
        {
            // The first line is the summary the command list shows; the rest says more.
            var (summary, more) = command.Description.IndexOf('\n') is int nl and >= 0
                ? (command.Description[..nl], command.Description[(nl + 1)..].Trim('\n'))
                : (command.Description, "");
            text.Append('\n').Append(summary).Append('\n');
            if (more.Length > 0) text.Append('\n').Append(more).Append('\n');
        }

        var arguments = command.Arguments.Where(a => !a.Hidden).Select(a => new Row(a.Name, a.Description ?? "")).ToList();
        Section(text, "arguments:", arguments);
        var options = command.Options.Concat(ReferenceEquals(command, root) ? [] : root.Options.Where(o => o.Recursive))
            .Where(o => !o.Hidden).Select(o => new Row(Label(o), o.Description ?? "")).ToList();
        Section(text, "options:", options);
        Section(text, "commands:", [.. command.Subcommands.Where(c => !c.Hidden).Select(c => new Row(c.Name, c.Description?.Split('\n')[0] ?? ""))]);

        string epilogue = icommand?.Epilogue ?? (ReferenceEquals(command, root) ? rootEpilogue : "");
        if (epilogue.Length > 0) text.Append('\n').Append(epilogue.TrimEnd('\n')).Append('\n');
        return text.ToString();
    }

    /// <summary>"-o, --out CERT": short aliases first, then the name, then the value's name.</summary>
    public static string Label(Option option)
    {
        var names = option.Aliases.Where(a => a.Length == 2 && a[0] == '-').Order(StringComparer.Ordinal).Append(option.Name);
        string label = string.Join(", ", names);
        return option.Arity.MaximumNumberOfValues == 0 ? label : $"{label} {option.HelpName ?? "VALUE"}";
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<Row> rows)
    {
        if (rows.Count == 0) return;
        text.Append('\n').Append(title).Append('\n');
        foreach (var (label, description) in rows)
        {
            var lines = Wrap(description, Width - Column);
            string first = "  " + label;
            if (first.Length >= Column - 1)
            {
                text.Append(first).Append('\n');
                first = "";
            }
            for (int i = 0; i < Math.Max(lines.Count, 1); i++)
                text.Append(((i == 0 ? first : "").PadRight(Column) + (i < lines.Count ? lines[i] : "")).TrimEnd()).Append('\n');
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return lines;
    }

    /// <summary>One line of a section: the label and its description (a class: no value-type generics to compile at start-up).</summary>
    private sealed record Row(string Label, string Description);
}
