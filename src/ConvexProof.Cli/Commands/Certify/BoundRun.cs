using ConvexProof.Bounds;
using ConvexProof.Certificates;
using ConvexProof.Cli.Infrastructure;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Cli.Commands;

/// <summary>
/// `certify` by the bound route (--method icnn or bounds, or chosen by auto): the structural test,
/// the line search and branch and bound (<see cref="BoundCertifier"/>); the certificate (format /2,
/// or the refutation-only /1) is written only when there is a verdict.
/// </summary>
public static class BoundRun
{
    public static BoundCertification Run(Network network, Domain domain, MethodChoice choice, IReadOnlyList<Rational[]> points,
        ExplorationLimits limits, string certPath, CancellationToken deadline)
    {
        var options = new BoundCertifyOptions
        {
            StructuralOnly = choice.Method == CertifyMethod.Icnn,
            Points = points,
            Search = new BranchAndBoundOptions
            {
                MaxLeaves = limits.MaxRegions,
                Timeout = limits.Timeout,
                Cancellation = deadline,
            },
        };
        var result = BoundCertifier.Certify(network, domain.Lower, domain.Upper, options);
        if (result.Verdict != BoundVerdict.Undecided)
            AtomicFile.TryWrite(certPath, stream =>
            {
                BoundCertificateWriter.Write(result, NetworkHash.Sha256(network), domain, network.NeuronCount, stream);
                return true;
            });
        return result;
    }

    /// <summary>The lines of the human summary after verdict, network and domain.</summary>
    public static IEnumerable<string> Describe(BoundCertification r)
    {
        if (r.Search is { } search)
        {
            var nodes = search.Root.Preorder().ToList();
            yield return $"leaves:     {nodes.Count(n => n.Kind is SplitKind.Leaf or SplitKind.Pending)} ({nodes.Count(n => n.Kind == SplitKind.Box)} box splits, " +
                         $"{nodes.Count(n => n.Kind == SplitKind.Sign)} unit-sign splits; {search.Nodes} bounded), " +
                         $"{search.CertifiedText} certified";
        }
        if (r.Search is not null || r.LinesSearched > 0) yield return $"lines:      {r.LinesSearched} exact one-dimensional slices searched for a concave kink";
        yield return $"reason:     {r.Reason}";
    }
}
