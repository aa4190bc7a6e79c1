using ConvexProof.Cli;
using ConvexProof.Networks;

namespace ConvexProof.Smt.Tests;

/// <summary>`convexproof smt-check` end to end (real z3).</summary>
public sealed class SmtCheckCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smt-check-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, Network net)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, NetworkWriter.ToJson(net));
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliMain.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Convex_exits_0()
    {
        var (code, output, error) = Run("smt-check", Write("abs.json", TestNets.Abs));
        Assert.Equal(0, code);
        Assert.Equal("convex\n", output.Replace("\r", "", StringComparison.Ordinal));
        Assert.Contains("z3 ", error, StringComparison.Ordinal);

        (code, output, error) = Run("smt-check", Write("abs.json", TestNets.Abs), "--quiet", "--query", "midpoint");
        Assert.Equal(0, code);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("both")]
    [InlineData("midpoint")]
    [InlineData("local")]
    public void Not_convex_exits_1_with_reverified_values(string query)
    {
        var (code, output, _) = Run("smt-check", Write("negabs.json", TestNets.NegAbs), "--query", query, "--timeout", "30");
        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("not convex", lines[0]);
        Assert.StartsWith("x = [", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("y = [", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("f(x) = ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("f(y) = ", lines[4], StringComparison.Ordinal);
        Assert.Matches(@"^f\(\(x\+y\)/2\) = \S+ > \(f\(x\)\+f\(y\)\)/2 = \S+$", lines[5]);
    }

    [Fact]
    public void The_box_option_changes_the_domain()
    {
        string path = Write("box.json", TestNets.ConvexOnBoxOnly);
        Assert.Equal(0, Run("smt-check", path, "--box", "-1:1").Code);
        Assert.Equal(1, Run("smt-check", path).Code);
        Assert.Equal(1, Run("smt-check", path, "--box=-1:3").Code);
    }

    [Fact]
    public void A_missing_z3_exits_2_naming_the_path()
    {
        var (code, output, error) = Run("smt-check", Write("abs.json", TestNets.Abs), "--z3", "/nonexistent/z3");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("convexproof: cannot start z3 at '/nonexistent/z3': no such file\n", error.Replace("\r", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--box", "1:0")]
    [InlineData("--box", "0:1,0:1")]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "soon")]
    [InlineData("--query", "global")]
    [InlineData("--frobnicate", "1")]
    public void Bad_options_exit_2(string option, string value) =>
        Assert.Equal(2, Run("smt-check", Write("abs.json", TestNets.Abs), option, value).Code);

    [Fact]
    public void Bad_input_exits_2()
    {
        string path = Path.Combine(_folder, "broken.json");
        File.WriteAllText(path, "{\"input_dim\": 1, \"layers\": []}");
        var (code, _, error) = Run("smt-check", path);
        Assert.Equal(2, code);
        Assert.Contains("broken.json", error, StringComparison.Ordinal);
        Assert.Equal(2, Run("smt-check").Code);
        Assert.Equal(2, Run("smt-check", Path.Combine(_folder, "missing.json")).Code);
    }

    [Fact]
    public void A_timeout_exits_3_undecided()
    {
        var net = RandomNetworks.Generate(11, new RandomNetworkOptions
        {
            MinInputDim = 3, MinHiddenLayers = 3, MinWidth = 12, MaxWidth = 12, NonNegativeLastLayer = false,
        });
        var (code, output, _) = Run("smt-check", Write("big.json", net), "--timeout", "0.001", "--query", "midpoint");
        Assert.Equal(3, code);
        Assert.StartsWith("undecided: ", output, StringComparison.Ordinal);
        Assert.Contains("timeout", output, StringComparison.Ordinal);
    }

    private static string Fixture(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConvexProof.sln"))) dir = dir.Parent;
        string path = Path.Combine(dir!.FullName, "tests", "ConvexProof.Onnx.Tests", "Fixtures", name + ".onnx");
        Assert.True(File.Exists(path), $"{path} is missing (scripts/export_fixtures.py writes it)");
        return path;
    }

    /// <summary>
    /// The small torch-exported fixtures, imported exactly: z3 reaches the verdict that certify
    /// reaches (an independent method on real BatchNorm and convolutional models). The float32
    /// leaky MLP is beyond z3 in a minute (its exact weights have 26-bit denominators); leaky
    /// networks are cross-checked on the random networks of <see cref="DifferentialTests"/>.
    /// </summary>
    [Theory]
    [InlineData("bn_mlp", 1)]
    [InlineData("conv_pool_4x4", 0)]
    public void Z3_agrees_with_certify_on_torch_fixtures(string name, int verdict)
    {
        string net = Path.Combine(_folder, name + ".json");
        Assert.Equal(0, Run("import", Fixture(name), "--out", net).Code);
        Assert.Equal(verdict, Run("certify", net, "--out", Path.Combine(_folder, name + ".cert.json"), "--quiet", "--no-smt").Code);
        var (code, output, error) = Run("smt-check", net, "--quiet", "--timeout", "60");
        Assert.True(verdict == code, $"smt-check exit {code}: {output}{error}");
    }

    [Fact]
    public void Help_lists_the_command()
    {
        Assert.Contains("smt-check", CliMain.HelpText(), StringComparison.Ordinal);
        var (code, output, _) = Run("smt-check", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--z3 PATH", output, StringComparison.Ordinal);
    }
}
