using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Networks;
using ConvexProof.Simplification;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof simplify NET [--box …] --out NET2 [--cert CERT]`: an equivalent network on the domain
/// with the exact redundancies removed, and the equivalence certificate that `check-equiv` verifies.
/// </summary>
public sealed class SimplifyCommand : ICommand
{
    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json)");
    private readonly Option<string> _out = CommandOptions.Text("--out", "NET2", "where to write the simplified network (written to a temp file, then renamed)");
    private readonly Option<string> _cert = EquivalenceOutput.CertOption();
    private readonly Option<string> _box = CommandOptions.Box("simplify on the box (units dead or affine there are removed; default: all of R^d)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("print nothing (the exit code tells)");

    public SimplifyCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("simplify", "an equivalent network without redundant units, with an equivalence certificate") { _net, _out, _cert, _box, _quiet };
        Definition.Description += """

            Removes, layer by layer and repeated to a fixed point, what does not change the function
            on the domain: units dead there (pre-activation <= 0: exact interval bounds on a box, a
            constant anywhere), units affine there (always on, or identity, and affine in x: folded
            into the next layer's skip), units whose hyperplanes coincide (parallel rows merged by
            relu(s·z) = s·relu(z); opposite rows by relu(z) - relu(-z) = z), units nothing reads, and
            layers nothing reads. Each change is one step of the equivalence certificate CERT, which
            `convexproof check-equiv NET NET2 CERT` replays on the exact weights.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof simplify NET --out NET2 [--cert CERT] [--box LO:HI] [--quiet]";
    public string Epilogue => "exit codes: 0 written (also when nothing was removed), 2 bad input or usage\n";
    public string WrongArgumentCount(int given) => $"simplify takes one network file, got {given} (see 'convexproof simplify --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string netPath = parsed.GetValue(_net)!;
        var (outPath, certPath) = EquivalenceOutput.Paths(netPath, parsed.GetValue(_out), parsed.GetValue(_cert), "simplify", "NET2");
        BoxOption.CheckSyntax(parsed.GetValue(_box));
        var network = NetworkReader.ReadFile(netPath);
        var simplification = Simplifier.Simplify(network, BoxOption.Parse(parsed.GetValue(_box), network.InputDim));
        EquivalenceOutput.Write(simplification, outPath, certPath);
        if (!parsed.GetValue(_quiet))
        {
            var counts = simplification.Counts().Select(c => $"{c.Count} {new RewriteStep(c.Kind, 0).Name}").ToList();
            context.Out.WriteLine($"{netPath}: {InfoCommand.Architecture(NetworkInfo.Of(network))} ({Units(network.NeuronCount)}) on {DomainText.Of(simplification.Domain)}");
            context.Out.WriteLine($"simplified: {InfoCommand.Architecture(NetworkInfo.Of(simplification.Result))} ({Units(simplification.Result.NeuronCount)}), written to {outPath}");
            context.Out.WriteLine($"steps:      {(counts.Count == 0 ? "none (nothing is redundant)" : string.Join(", ", counts))}; equivalence certificate {certPath}");
        }
        return ExitCodes.Ok;
    }

    private static string Units(int n) => n == 1 ? "1 ReLU unit" : $"{n} ReLU units";
}
