using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace ConvexProof.Cli.Infrastructure;

/// <summary>
/// The whole command line as System.CommandLine sees it: the root (with --help/-h, --version/-V,
/// the global --debug, the [suggest] directive for completion), one subcommand per
/// <see cref="ICommand"/>, POSIX bundling and @response files. <see cref="FirstError"/> reports the
/// first usage error as one line in the CLI's words (the library's own report spans several lines).
/// </summary>
public sealed class CommandLine
{
    public const string Name = "convexproof";

    private readonly IReadOnlyList<ICommand> _commands;
    private readonly RootCommand _root;
    private readonly HelpText _help;

    public CommandLine(IReadOnlyList<ICommand> commands)
    {
        _commands = commands;
        _root = new RootCommand("decide exactly whether a ReLU network is convex, with a checkable certificate") { HelpName = Name };
        foreach (var version in _root.Options.OfType<VersionOption>().ToList()) _root.Options.Remove(version);
        _root.Options.Add(Debug);
        _root.Options.Add(Version);
        foreach (var command in commands) _root.Subcommands.Add(command.Definition);
        HelpCommand.Arguments.Add(_helpTopic);
        _root.Subcommands.Add(HelpCommand);
        _root.Subcommands.Add(VersionCommand);
        _help = new HelpText(_root, commands, RootEpilogue);
        foreach (var help in _root.Options.OfType<HelpOption>()) help.Description = "show this help (also: convexproof help COMMAND)";
    }

    /// <summary>Global: adds the stack trace to an internal error's line; accepted by every command.</summary>
    public Option<bool> Debug { get; } = new("--debug") { Description = "after an internal error, print the stack trace", Arity = ArgumentArity.Zero, Recursive = true };

    private Option<bool> Version { get; } = new("--version", "-V") { Description = "print the versions (convexproof, certificate format, .NET, SMT solver)", Arity = ArgumentArity.Zero };

    /// <summary>`convexproof help [COMMAND]`, as `--help` (kept for scripts and habits).</summary>
    private Command HelpCommand { get; } = new("help", "show the help of the CLI or of a command") { Hidden = true };

    private Command VersionCommand { get; } = new("version", "print the versions") { Hidden = true };

    private readonly Argument<string?> _helpTopic = new("COMMAND") { Arity = ArgumentArity.ZeroOrOne };

    public ParseResult Parse(IReadOnlyList<string> args) =>
        _root.Parse(args, new ParserConfiguration { EnablePosixBundling = true, ResponseFileTokenReplacer = ResponseFiles.TryExpand });

    /// <summary>Binds every command's action to <paramref name="context"/>.</summary>
    public void Bind(CliContext context)
    {
        foreach (var command in _commands) command.Definition.SetAction(parsed => command.Run(parsed, context));
        HelpCommand.SetAction(parsed =>
        {
            string? topic = parsed.GetValue(_helpTopic);
            var command = topic is null ? _root : _root.Subcommands.FirstOrDefault(c => c.Name == topic && !c.Hidden)
                ?? throw new UsageException(UnknownCommand(topic));
            context.Out.Write(HelpOf(command));
            return ExitCodes.Ok;
        });
        VersionCommand.SetAction(_ => PrintVersion(context));
        foreach (var help in _root.Options.OfType<HelpOption>()) help.Action = new ShowHelp(this, context);
        _root.SetAction(parsed =>
        {
            if (parsed.GetValue(Version)) return PrintVersion(context);
            context.Out.Write(HelpOf(_root));
            return ExitCodes.Usage; // no command: a usage error, with the help to say what to type
        });
    }

    private static int PrintVersion(CliContext context)
    {
        context.Out.WriteLine(VersionInfo.Describe());
        return ExitCodes.Ok;
    }

    /// <summary>The generated help of a command (or of the CLI), as --help prints it.</summary>
    public string HelpOf(Command command) => _help.Of(command);

    /// <summary>--help / -h: the help of the command it follows, whatever else the line holds.</summary>
    private sealed class ShowHelp(CommandLine line, CliContext context) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            context.Out.Write(line.HelpOf(parseResult.CommandResult.Command));
            return ExitCodes.Ok;
        }
    }

    public string RootHelp() => HelpOf(_root);

    /// <summary>The first usage error in the CLI's words, or null when the command line is well formed.</summary>
    public string? FirstError(ParseResult parsed, IReadOnlyList<string> args)
    {
        if (parsed.Action is ShowHelp) return null; // --help anywhere shows the help
        var command = parsed.CommandResult.Command;
        var known = parsed.RootCommandResult.Children.OfType<OptionResult>().Concat(parsed.CommandResult.Children.OfType<OptionResult>()).ToList();
        var tokens = parsed.Tokens;
        int doubleDash = tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        bool BeforeDoubleDash(Token t)
        {
            if (doubleDash < 0) return true;
            for (int i = 0; i < doubleDash; i++) if (ReferenceEquals(tokens[i], t)) return true;
            return false;
        }

        // An on/off option given a value (--quiet=1): the library would take the value for a positional.
        var flags = OptionsOf(command).Where(o => o.Arity.MaximumNumberOfValues == 0).ToList();
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            int eq = arg.IndexOf('=');
            if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 0) continue;
            string name = arg[..eq];
            if (flags.Any(f => f.Name == name || f.Aliases.Contains(name))) return $"option {name} takes no value (got '{arg}')";
        }

        // Anything that looks like an option but names none is an unknown option, not a file name
        // (a file whose name starts with '-' goes after "--").
        var values = known.SelectMany(o => o.Tokens).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var token in tokens)
            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !values.Contains(token) && BeforeDoubleDash(token))
                return $"unknown option '{token.Value}' (see '{HelpHint(command)}')";

        // Every option once: a second --out (or --quiet) is a mistake, not an override.
        foreach (var option in known)
            if (option.IdentifierTokenCount > 1)
                return $"option {option.Option.Name} is given more than once";

        if (parsed.Errors.Count == 0) return null;
        var error = parsed.Errors[0];
        if (ReferenceEquals(command, _root))
            return parsed.UnmatchedTokens.FirstOrDefault() is string word ? UnknownCommand(word) : Sentence(error.Message);
        if (error.SymbolResult is OptionResult { Tokens.Count: 0 } missing)
            return $"option {missing.Option.Name} needs a value";
        if (error.SymbolResult is OptionResult)
            return Sentence(error.Message);
        var icommand = _commands.FirstOrDefault(c => ReferenceEquals(c.Definition, command));
        if (icommand is not null && (error.SymbolResult is ArgumentResult || parsed.UnmatchedTokens.Count > 0))
        {
            int given = parsed.CommandResult.Children.OfType<ArgumentResult>().Sum(a => a.Tokens.Count) + parsed.UnmatchedTokens.Count;
            return icommand.WrongArgumentCount(given);
        }
        return $"{Sentence(error.Message)} (see '{HelpHint(command)}')";
    }

    /// <summary>A library message as part of the CLI's line: lower-case start, no final period.</summary>
    private static string Sentence(string message) =>
        message.Length == 0 ? message : char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');

    private string UnknownCommand(string word) =>
        $"unknown command '{word}' (commands: {string.Join(", ", _commands.Select(c => c.Definition.Name))}; see --help)";

    private string HelpHint(Command command) => ReferenceEquals(command, _root) ? $"{Name} --help" : $"{Name} {command.Name} --help";

    /// <summary>The options valid for <paramref name="command"/>: its own and the root's recursive ones.</summary>
    private IEnumerable<Option> OptionsOf(Command command) =>
        command.Options.Concat(_root.Options.Where(o => o.Recursive || ReferenceEquals(command, _root)));

    private const string RootEpilogue = """
        exit codes: 0 convex / valid, 1 not convex / invalid, 2 input or usage error, 3 undecided (limit reached),
                    4 internal error (one line; --debug, accepted by every command, adds the stack trace)
        'convexproof <command> --help' shows a command's options; docs/cli.md has the details.
        Arguments can also come from a file: @FILE (one or more per line). Tab completion: 'convexproof completion bash'.
        """;
}
