using System.CommandLine;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Convexity;
using ConvexProof.Networks;
using ConvexProof.Simplification;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `convexproof to-icnn NET --out ICNN [--cert CERT] [--box …]`: for a convex one-hidden-layer
/// network, an ICNN of the same width computing the same function (the convexity paper's
/// Prop. 2.2, docs/maths.md), with its equivalence certificate; for a non-convex one, exit 1 and an
/// exactly verified counterexample.
/// </summary>
public sealed class ToIcnnCommand : ICommand
{
    private readonly Argument<string> _net = CommandOptions.File("NET", "the network (net.json: one hidden ReLU layer, skips allowed)");
    private readonly Option<string> _out = CommandOptions.Text("--out", "ICNN", "where to write the ICNN (written to a temp file, then renamed)");
    private readonly Option<string> _cert = EquivalenceOutput.CertOption();
    private readonly Option<string> _box = CommandOptions.Box("convert on the box: equal there (units whose hyperplane misses the open box are folded into the skip)");
    private readonly Option<bool> _quiet = CommandOptions.Quiet("print nothing but a counterexample (the exit code tells)");

    public ToIcnnCommand()
    {
        _out.Aliases.Add("-o");
        Definition = new Command("to-icnn", "an ICNN of the same width for a convex one-hidden-layer network, with an equivalence certificate") { _net, _out, _cert, _box, _quiet };
        Definition.Description += """

            Merges the units of each hyperplane into one (relu(s·z) = s·relu(z); relu(-z) = relu(z) - z,
            the affine part into the output's skip); the others keep their rows with output weight 0,
            so the width is unchanged. f is convex iff every merged output weight is >= 0, and then the
            result is an ICNN. On a box, units whose hyperplane misses the open box are first folded
            into the skip (they are affine there), and the ICNN equals f on the box only.
            """;
    }

    public Command Definition { get; }
    public string Synopsis => "convexproof to-icnn NET --out ICNN [--cert CERT] [--box LO:HI] [--quiet]";
    public string Epilogue => "exit codes: 0 ICNN written, 1 not convex (counterexample printed, nothing written), 2 bad input or usage\n";
    public string WrongArgumentCount(int given) => $"to-icnn takes one network file, got {given} (see 'convexproof to-icnn --help')";

    public int Run(ParseResult parsed, CliContext context)
    {
        string netPath = parsed.GetValue(_net)!;
        var (outPath, certPath) = EquivalenceOutput.Paths(netPath, parsed.GetValue(_out), parsed.GetValue(_cert), "to-icnn", "ICNN");
        BoxOption.CheckSyntax(parsed.GetValue(_box));
        var network = NetworkReader.ReadFile(netPath);
        if (!IcnnConverter.IsOneHiddenLayer(network))
            throw new InputException(netPath, "$.layers", $"to-icnn takes one hidden ReLU layer (not leaky) and the output layer, this network is {InfoCommand.Architecture(NetworkInfo.Of(network))}");
        var domain = BoxOption.Parse(parsed.GetValue(_box), network.InputDim);
        var conversion = IcnnConverter.Convert(network, domain);
        bool quiet = parsed.GetValue(_quiet);
        if (!conversion.Convex)
        {
            // The merged weight proves non-convexity (docs/maths.md); the counterexample the certifier finds is checked exactly.
            var found = Certifier.Certify(network, domain).Counterexample
                ?? throw new InvalidOperationException($"internal error: unit {conversion.ObstacleUnit + 1}'s merged output weight is {conversion.ObstacleWeight} < 0, but the certifier found no counterexample");
            context.Out.WriteLine($"{netPath}: not convex on {DomainText.Of(domain)}: the units of hidden unit {conversion.ObstacleUnit + 1}'s hyperplane have merged output weight {conversion.ObstacleWeight} < 0");
            context.Out.WriteLine($"counterexample: x = ({string.Join(", ", found.X)}), y = ({string.Join(", ", found.Y)})");
            context.Out.WriteLine($"                f(x) = {found.Fx}, f(y) = {found.Fy}, f((x+y)/2) = {found.FMid} > (f(x)+f(y))/2");
            return ExitCodes.Negative;
        }
        var result = conversion.AsSimplification();
        EquivalenceOutput.Write(result, outPath, certPath);
        if (!quiet)
        {
            int active = result.Result.Layers[1].Weights[0].Count(w => !w.IsZero);
            context.Out.WriteLine($"{netPath}: convex on {DomainText.Of(domain)}; ICNN of width {result.Result.Layers[0].Outputs} ({active} with a positive output weight, " +
                                  $"{result.Result.Layers[0].Outputs - active} with weight 0) written to {outPath}");
            context.Out.WriteLine($"equivalence certificate {certPath} ({result.Steps.Count} steps)");
        }
        return ExitCodes.Ok;
    }
}
