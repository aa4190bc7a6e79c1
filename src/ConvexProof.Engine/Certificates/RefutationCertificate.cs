using ConvexProof.Convexity;

namespace ConvexProof.Certificates;

/// <summary>
/// Certificate policy for a refutation whose exploration did not cover the domain (it stopped at
/// the first violation, or a limit stopped it after one): the counterexample alone is the proof, so
/// the certificate is refutation-only — no regions, no conditions, zero counts (docs/formats.md) —
/// and whatever regions had already been streamed to the file are dropped.
/// </summary>
public static class RefutationCertificate
{
    /// <summary>True when the certificate of <paramref name="result"/> is refutation-only.</summary>
    public static bool Applies(CertificationResult result) => result.Verdict == Verdict.NotConvex && !result.Complete;

    /// <summary>
    /// Replaces what <paramref name="stream"/> holds (a certificate streamed region by region and
    /// abandoned) by the refutation-only certificate of <paramref name="result"/>.
    /// </summary>
    public static void Rewrite(CertificationResult result, Stream stream)
    {
        if (!Applies(result))
            throw new InvalidOperationException("internal error: only a refutation from an incomplete exploration is written refutation-only");
        stream.SetLength(0);
        stream.Position = 0;
        CertificateWriter.Write(result, stream);
    }
}
