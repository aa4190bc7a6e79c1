using System.Diagnostics;
using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using Xunit.Abstractions;

namespace ConvexProof.Smt.Tests;

/// <summary>
/// The certificate engine against z3 on seeded random networks: the same verdict every time, every
/// engine counterexample re-verifies with exact evaluation, and the independent checker accepts
/// every certificate the engine writes.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int Cases = 120;

    /// <summary>Case i: its network, its domain (every other case a box) and a label for messages.</summary>
    public static (Network Net, Domain Domain, string Label) Case(int i)
    {
        var options = (i % 5) switch
        {
            0 => new RandomNetworkOptions { Icnn = true },
            1 or 3 => RandomNetworkOptions.Degenerate,
            _ => new RandomNetworkOptions(),
        };
        var rng = RandomNetworks.Rng(1000 + i);
        var net = RandomNetworks.Generate(rng, options);
        var domain = i % 2 == 0 ? Domain.Everywhere(net.InputDim) : RandomNetworks.RandomBox(rng, net.InputDim);
        string kind = options.Icnn ? "icnn" : options.DegenerateRowProbability > 0 ? "degenerate" : "plain";
        return (net, domain, $"case {i} ({kind}, d = {net.InputDim}, widths {string.Join("x", net.Layers.Select(l => l.Outputs))}, {domain})");
    }

    /// <summary>Writes the network and the engine's certificate to files and runs the independent checker on them.</summary>
    private static string? CheckerRejects(Network net, CertificationResult engine)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"cp-diff-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        string netPath = Path.Combine(folder, "net.json"), certPath = Path.Combine(folder, "cert.json");
        File.WriteAllText(netPath, NetworkWriter.ToJson(net));
        using (var stream = File.Create(certPath)) ConvexProof.Certificates.CertificateWriter.Write(engine, stream);
        var result = ConvexProof.Checker.CertificateChecker.Check(netPath, certPath);
        string expected = engine.Verdict == Verdict.Convex ? "convex" : "not_convex";
        if (!result.Valid) return result.Reason;
        return result.Verdict == expected ? null : $"the checker accepted it as {result.Verdict}";
    }

    /// <summary>Case i with every hidden layer a leaky ReLU of slope 1/8, 1/5, 1/2 or 3/4 (by i).</summary>
    public static (Network Net, Domain Domain, string Label) LeakyCase(int i)
    {
        var (net, domain, label) = Case(i);
        var alpha = new[] { new Rational(1, 8), new Rational(1, 5), new Rational(1, 2), new Rational(3, 4) }[i % 4];
        var leaky = new Network(net.InputDim, [.. net.Layers.Select(l => l.Activation == Activation.Relu ? l with { Alpha = alpha } : l)]);
        return (leaky, domain, $"{label}, leaky α = {alpha}");
    }

    [Theory]
    [InlineData(false, Cases)]
    [InlineData(true, 48)]
    public void Engine_and_z3_agree_on_random_networks(bool leaky, int cases)
    {
        var smtOptions = new SmtOptions { Timeout = TimeSpan.FromSeconds(15) };
        int agreed = 0, convex = 0, smtUnknown = 0, engineUndecided = 0;
        var engineTime = TimeSpan.Zero;
        var smtTime = TimeSpan.Zero;
        var slowest = (Time: TimeSpan.Zero, Label: "");
        var failures = new List<string>();
        var decidedBy = new Dictionary<string, int>();
        for (int i = 0; i < cases; i++)
        {
            var (net, domain, label) = leaky ? LeakyCase(i) : Case(i);
            var clock = Stopwatch.StartNew();
            CertificationResult engine;
            try
            {
                engine = Certifier.Certify(net, domain, new CertifyOptions { Parallelism = 1 });
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or AggregateException)
            {
                failures.Add($"{label}: the engine failed: {e.GetBaseException().Message}");
                continue;
            }
            engineTime += clock.Elapsed;
            if (engine.Verdict != Verdict.Undecided && CheckerRejects(net, engine) is string rejection)
                failures.Add($"{label}: the independent checker rejects the engine's certificate: {rejection}");
            var smt = SmtConvexityChecker.Decide(net, domain, smtOptions);
            smtTime += smt.Elapsed;
            if (smt.Elapsed > slowest.Time) slowest = (smt.Elapsed, label);
            if (smt.Elapsed > TimeSpan.FromSeconds(1)) output.WriteLine($"{label}: z3 took {smt.Elapsed.TotalSeconds:0.0} s ({smt.Kind}, {smt.Query} query)");

            if (engine.Verdict == Verdict.NotConvex)
            {
                if (engine.Counterexample is not { } c)
                    failures.Add($"{label}: engine says not convex without a counterexample");
                else if (!SmtConvexityChecker.TryReverify(net, domain, c.X, c.Y, out var v, out var problem))
                    failures.Add($"{label}: the engine's counterexample does not re-verify: {problem}");
                else if ((c.Fx, c.Fy, c.FMid) != (v.Fx, v.Fy, v.FMid))
                    failures.Add($"{label}: the engine's counterexample values are wrong");
            }
            if (smt.Kind == SmtVerdictKind.NotConvex && !SmtConvexityChecker.TryReverify(net, domain, smt.X!, smt.Y!, out _, out var smtProblem))
                failures.Add($"{label}: z3's counterexample does not re-verify: {smtProblem}");

            if (engine.Verdict == Verdict.Undecided) { engineUndecided++; continue; }
            if (smt.Kind == SmtVerdictKind.Unknown) { smtUnknown++; output.WriteLine($"{label}: z3 undecided: {smt.Reason}"); continue; }
            var expected = engine.Verdict == Verdict.Convex ? SmtVerdictKind.Convex : SmtVerdictKind.NotConvex;
            if (expected != smt.Kind)
            {
                failures.Add($"{label}: engine says {engine.Verdict}, z3 says {smt.Kind} ({smt.Reason})");
                continue;
            }
            agreed++;
            decidedBy[smt.Query] = decidedBy.GetValueOrDefault(smt.Query) + 1;
            if (expected == SmtVerdictKind.Convex) convex++;
        }
        output.WriteLine($"{agreed} agreed ({convex} convex, {agreed - convex} not convex); z3 unknown {smtUnknown}, engine undecided {engineUndecided}");
        output.WriteLine($"decided by: {string.Join(", ", decidedBy.OrderBy(p => p.Key).Select(p => $"{p.Key} query {p.Value}"))}");
        output.WriteLine($"engine {engineTime.TotalSeconds:0.0} s, z3 {smtTime.TotalSeconds:0.0} s; slowest z3: {slowest.Time.TotalSeconds:0.0} s for {slowest.Label}");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements or failures:\n{string.Join("\n", failures)}");
        Assert.True(agreed >= cases * 5 / 6, $"only {agreed} of {cases} cases were decided by both");
        Assert.True(convex >= cases / 6 && agreed - convex >= cases / 6, $"an unbalanced sample: {convex} convex of {agreed}");
    }
}
