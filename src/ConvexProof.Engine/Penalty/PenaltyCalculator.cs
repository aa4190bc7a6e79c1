using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Penalty;

/// <summary>
/// Computes <see cref="PenaltyReport"/>: the certifier's full enumeration (every region, every
/// condition, never stopping at the first violation) supplies the conditions and the degenerate
/// frontiers; this type only sums and groups them.
/// </summary>
public static class PenaltyCalculator
{
    public static PenaltyReport Compute(Network network, Domain domain, ExplorationLimits? limits = null, int? parallelism = null)
    {
        var result = Certifier.Certify(network, domain, new CertifyOptions
        {
            Limits = limits ?? new ExplorationLimits(),
            KeepRegions = false,
            StopAtFirstViolation = false,
            Parallelism = parallelism ?? Environment.ProcessorCount,
        });
        return Of(network, result);
    }

    /// <summary>The penalty of a completed certification (its conditions must be complete for R to be exact).</summary>
    public static PenaltyReport Of(Network network, CertificationResult result)
    {
        var total = Rational.Zero;
        foreach (var c in result.Conditions) total += Term(c.Value);
        return new PenaltyReport(result.Verdict, result.NetworkSha256, result.Domain, result.Statistics.Regions,
            result.Conditions, total, PerUnit(network, result.Conditions), result.Degeneracies.Frontiers, result.UndecidedReason, result.Complete,
            result.Statistics.Elapsed);
    }

    /// <summary>max(0, −c): the term of one condition.</summary>
    public static Rational Term(Rational c) => c.Sign < 0 ? -c : Rational.Zero;

    private static UnitPenalty[] PerUnit(Network network, IReadOnlyList<KinkCondition> conditions)
    {
        var byUnit = conditions.ToLookup(c => c.Neuron);
        var units = new UnitPenalty[network.NeuronCount];
        for (int k = 0; k < units.Length; k++)
        {
            var own = byUnit[k].ToList();
            Rational? worst = own.Count == 0 ? null : own.Select(c => c.Value).Min();
            var penalty = Rational.Zero;
            foreach (var c in own) penalty += Term(c.Value);
            var id = network.Neurons[k];
            units[k] = new UnitPenalty(k, id.Layer, id.Unit, own.Count, own.Count(c => c.Value.Sign < 0), worst, penalty);
        }
        return units;
    }
}
