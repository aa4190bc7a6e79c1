using ConvexProof.Convexity;
using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Penalty;

/// <summary>
/// One hidden unit's share of the penalty: how many (unit, downstream pattern) conditions it has,
/// how many are violated (c &lt; 0), the worst (least) c, and Σ max(0, −c) over its conditions.
/// </summary>
/// <remarks>A unit that never switches alone inside the domain has no conditions and no worst value.</remarks>
public sealed record UnitPenalty(int Unit, int Layer, int Row, int Conditions, int Violating, Rational? Worst, Rational Penalty);

/// <summary>
/// The exact convexity penalty of a network on a domain (the regulariser of Gagneux et al., eq. 5,
/// divided by λ): R/λ = Σ over every condition (ν, a) realised on a non-degenerate frontier of
/// max(0, −c_ν(a)), from a full enumeration of the regions. Degenerate frontiers (several units
/// switching at once) have no term in R; they are listed with their exact gradient jumps, and a
/// negative jump makes the network not convex even when R = 0. When a limit stopped the
/// enumeration (<see cref="Complete"/> false) the conditions found so far give a lower bound on R.
/// </summary>
public sealed record PenaltyReport(
    Verdict Verdict,
    string NetworkSha256,
    Domain Domain,
    int Regions,
    IReadOnlyList<KinkCondition> Conditions,
    Rational Total,
    IReadOnlyList<UnitPenalty> Units,
    IReadOnlyList<DegenerateFrontier> DegenerateFrontiers,
    string? UndecidedReason,
    bool Complete,
    TimeSpan Elapsed)
{
    /// <summary>The conditions with c &lt; 0 (the terms of R).</summary>
    public int Violating => Conditions.Count(c => c.Value.Sign < 0);

    /// <summary>Degenerate frontiers whose gradient jump is negative.</summary>
    public int NegativeJumps => DegenerateFrontiers.Count(f => f.Jump.Sign < 0);
}
