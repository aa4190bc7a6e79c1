namespace ConvexProof.Checker;

/// <summary>
/// The checker of convexproof-equivalence/1 (docs/formats.md; soundness in docs/certificate.md,
/// "Equivalence certificates"): the rewrite steps are replayed from the first network on its exact
/// weights, each one checked to be an identity on the domain, and must arrive at exactly the second.
/// </summary>
public static class EquivalenceChecker
{
    public const string Format = "convexproof-equivalence/1";

    private static readonly KeySet RootKeys = new(5, "format", "network_sha256", "simplified_sha256", "domain", "steps");

    /// <summary>
    /// Checks that the certificate at <paramref name="certificatePath"/> proves the networks at
    /// <paramref name="networkPath"/> and <paramref name="simplifiedPath"/> equal on its domain
    /// (<paramref name="expectedBox"/> as in <see cref="CertificateChecker.Check"/>). Throws
    /// <see cref="CheckerInputException"/> for unreadable input, <see cref="ArgumentException"/> for a malformed box.
    /// </summary>
    public static CheckResult Check(string networkPath, string simplifiedPath, string certificatePath, string? expectedBox = null)
    {
        var network = NetworkFile.Read(networkPath);
        var simplified = NetworkFile.Read(simplifiedPath);
        var expected = expectedBox is null ? null : Box.Parse(expectedBox, network.InputDim);
        using var doc = InputFile.Parse(InputFile.Read(certificatePath), 16, out var problem);
        if (doc is null) return new CheckResult(false, null, null, $"the certificate is {problem}");
        try
        {
            return Run(network, simplified, doc.RootElement, expected);
        }
        catch (Exception e) when (e is InvalidCertificateException or ArithmeticException or IndexOutOfRangeException or InvalidOperationException or ArgumentException)
        {
            // As in CertificateChecker: never accept what could not be checked, and name a checker bug.
            return new CheckResult(false, null, null, e is InvalidCertificateException ? e.Message : $"the checker could not process this certificate ({e.GetType().Name}: {e.Message})");
        }
    }

    private static CheckResult Run(Network network, Network simplified, JsonElement root, Box? expected)
    {
        Keys(root, "$", RootKeys);
        if (String(root.GetProperty("format"), "$.format") != Format) throw Bad("$.format", $"is {Describe(root.GetProperty("format"))}, this checker reads \"{Format}\"");
        string sha = NetworkFile.Sha256(network), simplifiedSha = NetworkFile.Sha256(simplified);
        foreach (var (key, hash, which) in new[] { ("network_sha256", sha, "first"), ("simplified_sha256", simplifiedSha, "second") })
            if (String(root.GetProperty(key), $"$.{key}") != hash) throw Bad($"$.{key}", $"is {Describe(root.GetProperty(key))}, but the {which} network hashes to {hash}: the certificate is for another network");
        if (simplified.InputDim != network.InputDim) throw Bad("$", $"the networks have {network.InputDim} and {simplified.InputDim} inputs");
        var box = Box.Read(root.GetProperty("domain"), network.InputDim);
        if (expected is not null && (box is null || !box.SameAs(expected)))
            throw Bad("$.domain", $"is {CertificateChecker.DomainText(box, network.InputDim)}, but the expected domain is {expected}");
        var replay = new RewriteReplay(network, box);
        var steps = Items(root.GetProperty("steps"), "$.steps");
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Length; i++)
        {
            string kind = replay.Apply(steps[i], new JsonPath("$.steps", i));
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        if (replay.DifferenceFrom(simplified) is string difference)
            throw Bad("$.steps", $"replayed from the first network, the {steps.Length} steps give a network that is not the second: {difference}");
        string how = counts.Count == 0 ? "No rewrite steps: the two files hold the same network." : $"Replayed {string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))}: " +
            "each an exact identity on the domain, checked on the exact weights (dead and always-on units by the interval pass over the box, " +
            "or by a constant pre-activation), arriving at exactly the second network.";
        return new CheckResult(true, "equivalent", $"VALID: the two networks compute the same function on {CertificateChecker.DomainText(box, network.InputDim)}. " +
            $"Network sha256 {sha} ({network.NeuronCount} ReLU units) and {simplifiedSha} ({simplified.NeuronCount} ReLU units). {how}", null);
    }
}
