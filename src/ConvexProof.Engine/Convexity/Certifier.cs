using System.Collections.Concurrent;
using System.Diagnostics;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;
using ConvexProof.Regions;

namespace ConvexProof.Convexity;

/// <summary>Options of <see cref="Certifier.Certify"/>.</summary>
public sealed record CertifyOptions
{
    public ExplorationLimits Limits { get; init; } = new();
    public Action<ExplorationProgress>? Progress { get; init; }

    /// <summary>Receives each region as soon as it is finished, in index order (e.g. to stream a certificate).</summary>
    public Action<ExploredRegion>? RegionSink { get; init; }

    /// <summary>Keep every region in the result (false: memory does not grow with the regions found).</summary>
    public bool KeepRegions { get; init; } = true;

    /// <summary>The narrowest integer type of the integer path (results do not depend on it; wider is only slower).</summary>
    public IntegerWidth IntegerWidth { get; init; } = IntegerWidth.Narrowest;

    /// <summary>
    /// Decide every region and kink value in rationals only (<see cref="RationalFacetFinder"/>, the
    /// rational forward and backward passes), never building integer maps: the fallback path on
    /// purpose, for tests. The verdict is the same; the certificate proves no bounding boxes.
    /// </summary>
    public bool RationalOnly { get; init; }

    /// <summary>Threads for region analysis (results do not depend on it).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Stop exploring at the first violated frontier (its counterexample verified exactly): the
    /// result is then a refutation with <see cref="CertificationResult.Complete"/> false. False
    /// (the default here; `certify --all-violations` in the CLI) enumerates every region and
    /// reports every violated condition. A convex network is enumerated in full either way.
    /// </summary>
    public bool StopAtFirstViolation { get; init; }

    /// <summary>
    /// <see cref="NetworkHash.Sha256"/> of the network when the caller already has it (e.g. for a
    /// streamed certificate's header): hashing the canonical text of every weight again costs as much
    /// as a quick refutation on a large network. Null: computed here.
    /// </summary>
    public string? NetworkSha256 { get; init; }
}

/// <summary>
/// Decides exactly whether a network is convex on a domain: enumerate all regions, then check every
/// frontier — c ≥ 0 where one unit switches (Gagneux–Massias–Soubies–Gribonval), the gradient jump
/// along the outward normal ≥ 0 where several do. Convex iff all hold. With
/// <see cref="CertifyOptions.StopAtFirstViolation"/> enumeration ends at the first frontier that
/// fails, once its counterexample is verified.
/// </summary>
public static class Certifier
{
    public static CertificationResult Certify(Network network, Domain domain, CertifyOptions? options = null)
    {
        options ??= new CertifyOptions();
        if (domain.Dimension != network.InputDim)
            throw new ArgumentException($"domain has dimension {domain.Dimension} but the network has {network.InputDim} inputs");
        var clock = Stopwatch.StartNew();
        var regions = new List<ExploredRegion>();
        var conditions = new SortedDictionary<(int, string), KinkCondition>(ConditionOrder.Instance);
        Violation? firstViolation = null;
        Counterexample? counterexample = null;
        long facets = 0, boundary = 0, redundant = 0, flat = 0, dismissed = 0, violations = 0, degenerate = 0;

        var frontiers = new List<DegenerateFrontier>();
        var constant = new SortedDictionary<int, ConstantUnit>();
        int regionCount = 0;
        var scaled = ScaledNetwork.Create(network, options.IntegerWidth);
        // Kink values are computed on the analysing threads (the sequential numbering pass below only
        // reads them), and there also decide the early stop.
        var screened = new ConcurrentDictionary<string, RegionKinks>(StringComparer.Ordinal);
        var scaledKinks = options.RationalOnly ? null : ScaledKinkValues.For(scaled);
        TimeSpan? timeToVerdict = null;
        var explorer = new RegionExplorer(scaled, domain)
        {
            Parallelism = options.Parallelism,
            RationalOnly = options.RationalOnly,
            // The test sees the region's own pattern (c = ⟨a, Φ^{k→}⟩ uses its downstream units), so a
            // violation stops exploration when the region carrying it is analysed, not after its level.
            StopAfter = (maps, crossings) =>
            {
                var kinks = new RegionKinks(network, scaledKinks, maps.Pattern);
                screened[maps.Pattern] = kinks;
                bool violated = false;
                foreach (var f in crossings)
                    if (!f.Boundary && (f.IsDegenerate ? f.Jump!.Value.Sign < 0 : kinks.Value(f.Switching[0]).Sign < 0)) violated = true;
                return violated && options.StopAtFirstViolation;
            },
        };
        explorer.Explore((region, maps) =>
        {
            if (options.KeepRegions) regions.Add(region);
            options.RegionSink?.Invoke(region);
            regionCount++;
            facets += region.Facets.Count;
            redundant += region.Geometry.Redundant.Count;
            flat += region.Geometry.Flat.Count;
            dismissed += region.Geometry.Dismissed;
            NoteConstantUnits(network, region, constant);
            var kinks = screened.TryRemove(region.Pattern, out var known) ? known : new RegionKinks(network, scaledKinks, region.Pattern);
            foreach (var facet in region.Facets)
            {
                if (facet.Boundary) { boundary++; continue; }
                Rational value;
                if (facet.IsDegenerate)
                {
                    degenerate++;
                    value = facet.Jump!.Value;
                    if (region.Index < facet.Neighbour)
                        frontiers.Add(new DegenerateFrontier(region.Index, facet.Neighbour, facet.Facet.Constraint,
                            facet.Switching, facet.Facet.Witness, value, region.Pattern, FlipAll(region.Pattern, facet.Switching)));
                }
                else
                {
                    int unit = facet.Switching[0];
                    value = kinks.Value(unit);
                    var key = (unit, KinkValues.Downstream(network, region.Pattern, unit));
                    if (!conditions.ContainsKey(key))
                        conditions[key] = new KinkCondition(unit, key.Item2, value, region.Index, facet.Facet.Witness);
                    else continue; // the same condition was already counted
                }
                if (value.Sign >= 0) continue;
                violations++;
                if (firstViolation is null)
                {
                    firstViolation = new Violation(region.Index, facet.Facet.Constraint, facet.Switching, value, facet.IsDegenerate);
                    counterexample = CounterexampleBuilder.Build(network, domain, maps.Rational, facet);
                    timeToVerdict = clock.Elapsed;
                }
            }
        }, options.Limits, options.Progress);
        if (explorer.StoppedEarly && firstViolation is null)
            throw new InvalidOperationException("internal error: exploration stopped at a violation that the region's own check did not find");

        var stats = new CertificationStatistics(network.NeuronCount, regionCount, facets, boundary, redundant, flat, dismissed,
            conditions.Count, violations, degenerate, clock.Elapsed)
        {
            // A refutation is settled by its verified counterexample; a proof or an undecided run only at the end.
            TimeToVerdict = timeToVerdict ?? clock.Elapsed,
        };
        var verdict = explorer.StopReason is not null && firstViolation is null ? Verdict.Undecided
            : firstViolation is not null ? Verdict.NotConvex : Verdict.Convex;
        return new CertificationResult(verdict, options.NetworkSha256 ?? NetworkHash.Sha256(network), domain, regions, [.. conditions.Values],
            firstViolation, counterexample, verdict == Verdict.Undecided ? explorer.StopReason : null, stats,
            Complete: explorer.StopReason is null, new Degeneracies(frontiers, [.. constant.Values]))
        {
            StoppedAtFirstViolation = explorer.StoppedEarly,
        };
    }

    /// <summary>
    /// The condition values c_k of one region's pattern: from the backward pass on the integer-scaled
    /// network shared by all regions when given and it does not overflow, from one exact rational
    /// backward pass otherwise; computed on first use and kept per unit (one reduced rational each).
    /// </summary>
    private sealed class RegionKinks(Network network, ScaledKinkValues? scaled, string pattern)
    {
        private Rational[]? _exact;
        private readonly Dictionary<int, Rational> _values = [];

        public Rational Value(int unit)
        {
            if (_values.TryGetValue(unit, out var known)) return known;
            var value = scaled?.Value(pattern, unit) ?? (_exact ??= KinkValues.Backward(network, pattern))[unit];
            _values[unit] = value;
            return value;
        }
    }

    private static string FlipAll(string pattern, int[] units)
    {
        var c = pattern.ToCharArray();
        foreach (int k in units) c[k] = c[k] == '1' ? '0' : '1';
        return new string(c);
    }

    /// <summary>Units whose local pre-activation has zero gradient on this region (flat or constant).</summary>
    private static void NoteConstantUnits(Network network, ExploredRegion region, SortedDictionary<int, ConstantUnit> constant)
    {
        void Note(int unit, bool zero)
        {
            if (unit >= network.NeuronCount) return;
            constant[unit] = constant.TryGetValue(unit, out var seen)
                ? seen with { Regions = seen.Regions + 1, ZeroIn = seen.ZeroIn + (zero ? 1 : 0) }
                : new ConstantUnit(unit, 1, zero ? 1 : 0, region.Index, region.Point);
        }
        foreach (int k in region.Geometry.Flat) Note(k, zero: true);
        foreach (var r in region.Geometry.Redundant) if (r.Farkas.Count == 0) Note(r.Constraint, zero: false);
    }

    /// <summary>Conditions sorted by unit, then downstream pattern (ordinal).</summary>
    private sealed class ConditionOrder : IComparer<(int, string)>
    {
        public static readonly ConditionOrder Instance = new();

        public int Compare((int, string) a, (int, string) b)
        {
            int c = a.Item1.CompareTo(b.Item1);
            return c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2);
        }
    }
}
