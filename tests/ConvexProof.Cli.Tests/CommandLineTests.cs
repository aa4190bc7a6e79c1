using System.Text.RegularExpressions;

namespace ConvexProof.Cli.Tests;

/// <summary>
/// The command line as System.CommandLine parses it: POSIX conventions (--opt=value, --, bundling),
/// every mistake a one-line usage error (exit 2), help generated from the definitions, response
/// files and the [suggest] directive behind tab completion.
/// </summary>
public class CommandLineTests
{
    [Fact]
    public void AnOptionValueMayFollowAnEqualsSign()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.AbsSum2D);
        var r = Cli.Invoke("certify", net, $"--out={dir.File("a.cert.json")}", "--box=-1:1", "--max-regions=100", "--quiet");
        Assert.Equal(0, r.Code);
        Assert.Contains("domain:     [-1, 1]^2", r.Out);
        Assert.True(File.Exists(dir.File("a.cert.json")));
    }

    [Fact]
    public void AFlagTakesNoValue()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.AbsSum2D);
        var r = Cli.Invoke("certify", net, "--out", dir.File("a.cert.json"), "--quiet=1");
        Cli.AssertOneLineError(r, "option --quiet takes no value (got '--quiet=1')");
        Assert.Equal(["net.json"], dir.Files());
    }

    [Theory]
    [InlineData("--quiet", "")]
    [InlineData("--json", "")]
    [InlineData("--box", "-1:1")]
    [InlineData("--max-regions", "5")]
    public void AnOptionGivenTwiceIsAUsageError(string option, string value)
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.AbsSum2D);
        string[] once = value.Length == 0 ? [option] : [option, value];
        var r = Cli.Invoke(["certify", net, "--out", dir.File("a.cert.json"), .. once, .. once]);
        Cli.AssertOneLineError(r, $"option {option} is given more than once");
        Assert.Equal(["net.json"], dir.Files());
    }

    [Fact]
    public void ShortOptionsBundle()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.AbsSum2D);
        // -qo FILE is -q -o FILE (quiet, out), as getopt reads it.
        var r = Cli.Invoke("certify", net, "-qo", dir.File("a.cert.json"));
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.True(File.Exists(dir.File("a.cert.json")));
    }

    [Fact]
    public void AnOptionsValueMayLookLikeAnOption()
    {
        using var dir = new TempFolder();
        string net = dir.Write("net.json", TestNets.AbsSum2D);
        // `--out -h` writes to a file named -h: the value belongs to --out, it is not a request for help.
        string folder = dir.Path;
        var r = Cli.Invoke("certify", net, "--out", System.IO.Path.Combine(folder, "-h"), "--quiet");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("verdict:    convex", r.Out);
        Assert.True(File.Exists(System.IO.Path.Combine(folder, "-h")));
    }

    [Fact]
    public void DoubleDashEndsTheOptions()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("sub"));
        string net = dir.Write(System.IO.Path.Combine("sub", "-net.json"), TestNets.AbsSum2D);
        // A file whose name starts with '-' is named after "--"; before it, it would be an unknown option.
        var before = Cli.Invoke("info", "-net.json");
        Cli.AssertOneLineError(before, "unknown option '-net.json'");
        var after = Cli.Invoke("info", "--", net);
        Assert.Equal(0, after.Code);
        Assert.Contains("-net.json", after.Out);
    }

    [Theory]
    [InlineData("certify")]
    [InlineData("check")]
    [InlineData("smt-check")]
    [InlineData("plot")]
    [InlineData("info")]
    [InlineData("import")]
    public void AnUnknownOptionIsOneLine(string command)
    {
        var r = Cli.Invoke(command, "net.json", "other.json", "--frobnicate");
        Cli.AssertOneLineError(r, "unknown option '--frobnicate'", $"convexproof {command} --help");
    }

    [Fact]
    public void LibraryMessagesBecomeOneLine()
    {
        Cli.AssertOneLineError(Cli.Invoke("certify", "a.json", "--out"), "option --out needs a value");
        Cli.AssertOneLineError(Cli.Invoke("frob"), "unknown command 'frob'", "certify, check, simplify, check-equiv, to-icnn, import, smt-check, plot, census, info, completion");
        Cli.AssertOneLineError(Cli.Invoke("check", "a"), "check needs two arguments: NET CERT");
        Cli.AssertOneLineError(Cli.Invoke("check", "a", "b", "c"), "check needs two arguments: NET CERT");
        Cli.AssertOneLineError(Cli.Invoke("certify", "a.json", "--out", "x", "--threads", "0"), "option --threads takes a whole number from 1 to 1024, not '0'");
        Cli.AssertOneLineError(Cli.Invoke("certify", "a.json", "--out", "x", "--timeout", "soon"), "option --timeout takes a positive number of seconds, not 'soon'");
        Cli.AssertOneLineError(Cli.Invoke("completion", "fish"), "completion takes the name of the shell: bash");
    }

    [Fact]
    public void HelpVersionAndNoArguments()
    {
        foreach (var args in new[] { new[] { "--help" }, ["-h"], ["help"] })
        {
            var r = Cli.Invoke(args);
            Assert.Equal(0, r.Code);
            Assert.StartsWith("usage: convexproof <command>", r.Out);
            foreach (var command in new[] { "certify", "check", "import", "smt-check", "plot", "info", "completion" })
                Assert.Matches(new Regex($"\n  {Regex.Escape(command)} +"), r.Out);
        }
        var none = Cli.Invoke();
        Assert.Equal(2, none.Code);
        Assert.StartsWith("usage: convexproof <command>", none.Out);
        foreach (var args in new[] { new[] { "--version" }, ["-V"], ["version"] })
        {
            var r = Cli.Invoke(args);
            Assert.Equal(0, r.Code);
            Assert.StartsWith("convexproof 0.", r.Out);
        }
        var topic = Cli.Invoke("help", "check");
        Assert.Equal(0, topic.Code);
        Assert.StartsWith("usage: convexproof check NET CERT", topic.Out);
        Cli.AssertOneLineError(Cli.Invoke("help", "frob"), "unknown command 'frob'");
    }

    /// <summary>Every option a command accepts is in its --help, each once, with its value's name.</summary>
    [Fact]
    public void HelpIsGeneratedFromTheDefinitions()
    {
        foreach (var command in CliMain.CreateCommands())
        {
            var r = Cli.Invoke(command.Definition.Name, "--help");
            Assert.Equal(0, r.Code);
            Assert.StartsWith($"usage: convexproof {command.Definition.Name}", r.Out);
            foreach (var option in command.Definition.Options)
            {
                string label = Infrastructure.HelpText.Label(option);
                Assert.Single(r.OutLines, l => l.StartsWith("  " + label + " ", StringComparison.Ordinal) || l == "  " + label);
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{command.Definition.Name} {option.Name} has no description");
            }
            Assert.Contains("--debug", r.Out);
            Assert.Contains("exit codes:", r.Out);
        }
        Assert.Contains("  -o, --out CERT ", Cli.Invoke("certify", "-h").Out);
        Assert.Contains("  --domain R^d ", Cli.Invoke("check", "-h").Out);
    }

    [Fact]
    public void HelpAnywhereShowsTheCommandsHelp()
    {
        var r = Cli.Invoke("certify", "net.json", "--frobnicate", "--help");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("usage: convexproof certify", r.Out);
    }

    [Fact]
    public void AResponseFileHoldsArguments()
    {
        using var dir = new TempFolder();
        string net = dir.Write("my net.json", TestNets.AbsSum2D), cert = dir.File("a.cert.json");
        string rsp = dir.Write("args.rsp", $"# certify one network\ncertify \"{net}\"\n--out {cert}\n\n--quiet\n");
        var r = Cli.Invoke("@" + rsp);
        Assert.Equal(0, r.Code);
        Assert.StartsWith("verdict:    convex", r.Out);
        Assert.True(File.Exists(cert));
        // Mixed with ordinary arguments, and a repeated option across the two is still an error.
        string options = dir.Write("options.rsp", "--quiet --box -1:1\n");
        Assert.Equal(0, Cli.Invoke("certify", net, "--out", cert, "@" + options).Code);
        Cli.AssertOneLineError(Cli.Invoke("certify", net, "--out", cert, "@" + options, "--quiet"), "option --quiet is given more than once");
    }

    [Fact]
    public void TheSuggestDirectiveCompletesCommandsOptionsAndValues()
    {
        Assert.Equal(["census", "certify", "check", "check-equiv", "completion"], Cli.Invoke("[suggest:1]", "c").OutLines.Where(l => l.StartsWith('c')).Order(StringComparer.Ordinal));
        var options = Cli.Invoke("[suggest:13]", "certify a --o").OutLines;
        Assert.Contains("--out", options);
        Assert.Contains("--out-dir", options);
        Assert.DoesNotContain("--domain", options);
        Assert.Equal(["both", "local", "midpoint"], Cli.Invoke("[suggest:22]", "smt-check a --query ").OutLines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CompletionBashPrintsAScriptThatAsksTheSuggestDirective()
    {
        var r = Cli.Invoke("completion", "bash");
        Assert.Equal(0, r.Code);
        Assert.Contains("[suggest:${position}]", r.Out);
        Assert.Contains("complete -o default -o bashdefault -F _convexproof_complete convexproof", r.Out);
    }

    /// <summary>The script in a real bash: completing "convexproof certify a --ou" offers --out and --out-dir.</summary>
    [Fact]
    public void TheBashScriptCompletesInBash()
    {
        using var dir = new TempFolder();
        string script = dir.Write("completion.bash", Cli.Invoke("completion", "bash").Out);
        string line = "convexproof certify a --ou";
        string test = $$"""
            source '{{script}}'
            convexproof() { '{{CliProcess.Path}}' "$@"; }
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=(convexproof certify a --ou); COMP_CWORD=3
            _convexproof_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var (code, output) = RunBash(test);
        Assert.Equal(0, code);
        Assert.Equal(["--out", "--out-dir"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    private static (int Code, string Out) RunBash(string script)
    {
        var info = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = System.Diagnostics.Process.Start(info)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(30_000), "bash did not finish");
        return (p.ExitCode, output.Result);
    }
}
