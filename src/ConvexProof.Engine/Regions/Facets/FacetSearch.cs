using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// The one skeleton of region classification: every constraint of a region becomes a facet (with a
/// witness point), redundant (with Farkas multipliers over facets), flat, or dismissed by a proved
/// bounding box. The phases, in order:
/// 1. classify each constraint (flat, positive constant, or a hyperplane) and group positive
///    multiples of one another (one facet each);
/// 2. propose facets (rays from the interior point);
/// 3. bound the region by a box and dismiss the constraints ≥ 0 on all of it;
/// 4. Clarkson's search for the rest: each group is tested by one small LP against the facets found
///    so far; a violating point leads, along a ray from the interior point, to a new facet, whose
///    first crossing is its witness; otherwise the LP's dual proves the group redundant;
/// 5. assemble the result (the other members of a facet's group are redundant by one multiplier);
///    witnesses are simplified to short points as each facet is found.
/// </summary>
/// <remarks>
/// Each step has an exact rational implementation (<see cref="RationalFacetFinder"/>, on the region's
/// rational constraints) and an integer implementation with exact fallback
/// (<see cref="IntegerFacetFinder"/>, on integer multiples c'_k = s_k·c_k of them: doubles propose,
/// integers and rationals decide, and every step it cannot settle goes to the exact LP and ray of
/// <see cref="ExactClarkson"/>, shared by both). This class holds what both share; the steps that
/// depend on the arithmetic are the abstract and virtual members below. Phases 2 and 3 and the
/// proposed LP steps exist only on the integer side (the rational side decides everything by phase 4).
/// </remarks>
internal abstract class FacetSearch
{
    private readonly Dictionary<int, Rational[]> _witness = [];

    protected FacetSearch(int constraints, Rational[] interior, AnalysisControl control)
    {
        Control = control;
        Cancel = control.Cancel;
        D = interior.Length;
        Beta = new Rational[constraints];
        GroupOf = new int[constraints];
        Interior = new InteriorPoint(interior);
    }

    protected AnalysisControl Control { get; }
    protected CancellationToken Cancel { get; }

    /// <summary>The input dimension.</summary>
    protected int D { get; }

    /// <summary>Groups of constraints that are positive multiples of each other; the first member represents the group.</summary>
    protected List<List<int>> Groups { get; } = [];

    /// <summary>Per constraint m of a group: row_m = β_m·row_rep in this search's rows.</summary>
    protected Rational[] Beta { get; }

    /// <summary>Per constraint: its group, or −1 (flat or constant).</summary>
    protected int[] GroupOf { get; }

    protected List<int> Flat { get; } = [];
    protected SortedDictionary<int, RedundancyInfo> Redundant { get; } = [];

    /// <summary>Facet groups in discovery order.</summary>
    protected List<int> FacetGroups { get; } = [];

    protected bool[] IsFacet { get; private set; } = [];

    /// <summary>The strict interior point the rays start from (moved by tie-breaking nudges).</summary>
    protected InteriorPoint Interior { get; private set; }

    /// <summary>Every row as rationals (true constraints, or their integer multiples), for the exact LPs and rays.</summary>
    protected abstract Rational[][] ExactRows { get; }

    /// <summary>What row k is: a hyperplane, identically zero, or a non-zero constant.</summary>
    protected abstract RowShape ShapeOf(int k);

    /// <summary>
    /// The group of hyperplane row k: an existing group whose representative it is a positive
    /// multiple of (β: row_k = β·row_rep), or <paramref name="newGroup"/>, which k then opens (β = 1).
    /// </summary>
    protected abstract int GroupOfHyperplane(int k, int newGroup, out Rational beta);

    /// <summary>s_from / s_to: converts a multiplier of row <c>from</c> for row <c>to</c> into true-constraint units.</summary>
    protected abstract Rational ScaleRatio(int from, int to);

    /// <summary>A short witness of the group's facet near w (or w itself), verified exactly.</summary>
    protected abstract Rational[] SimplifyWitness(Rational[] w, int group);

    /// <summary>Phase 2: facets proposed before the search (none by default).</summary>
    protected virtual void ProposeFacets() { }

    /// <summary>Phase 3: marks the groups a proved bounding box dismisses and returns how many constraints they hold (none by default).</summary>
    protected virtual int DismissByBoundingBox(bool[] dismissed) => 0;

    /// <summary>The bounding box with its Farkas proofs, when phase 3 found one.</summary>
    protected virtual BoundingBox? BoundingBoxProof => null;

    /// <summary>A proposed Clarkson step for a group, settled exactly; false when it decided nothing (the exact step follows).</summary>
    protected virtual bool TryProposedClarksonStep(int group) => false;

    public RegionGeometry Run()
    {
        Classify();
        Control.Report(0, Groups.Count);
        IsFacet = new bool[Groups.Count];
        ProposeFacets();
        Control.Report(FacetGroups.Count, Groups.Count);
        var dismissed = new bool[Groups.Count];
        int dismissedCount = DismissByBoundingBox(dismissed);
        Clarkson(dismissed);
        return Assemble(dismissedCount);
    }

    private void Classify()
    {
        for (int k = 0; k < Beta.Length; k++)
        {
            Beta[k] = Rational.One;
            GroupOf[k] = -1;
            switch (ShapeOf(k))
            {
                case RowShape.Zero:
                    Flat.Add(k);
                    continue;
                case RowShape.PositiveConstant:
                    Redundant[k] = new RedundancyInfo(k, FarkasMultipliers.None);
                    continue;
                case RowShape.NegativeConstant:
                    throw new InvalidOperationException($"internal error: constraint {k} is a negative constant on its own region");
            }
            int group = GroupOfHyperplane(k, Groups.Count, out Beta[k]);
            if (group == Groups.Count) Groups.Add([]);
            Groups[group].Add(k);
            GroupOf[k] = group;
        }
    }

    private void Clarkson(bool[] dismissed)
    {
        for (int g = 0; g < Groups.Count; g++)
        {
            if (dismissed[g]) continue;
            Control.Report(g, Groups.Count);
            int k = Groups[g][0];
            while (!IsFacet[g] && !Redundant.ContainsKey(k))
            {
                Control.ThrowIfStopped();
                if (TryProposedClarksonStep(g)) continue;
                var test = ExactClarkson.TestAgainstFacets(ExactRows, FacetRepresentatives(), k, Interior.Coordinates, D, Cancel);
                if (test.Farkas is not null)
                {
                    RecordRedundant(g, test.Farkas);
                    break;
                }
                ShootTowards(test.Violator!);
            }
        }
    }

    /// <summary>Walks from the interior point towards <paramref name="target"/> and adds the first facet crossed (exact).</summary>
    protected void ShootTowards(Rational[] target)
    {
        var (hit, point, interior) = ExactClarkson.Shoot(ExactRows, Groups, GroupOf, Interior.Coordinates, target, IsFacet, Cancel);
        if (!ReferenceEquals(interior, Interior.Coordinates)) Interior = new InteriorPoint(interior);
        AddFacet(hit, point);
    }

    /// <summary>Makes the group a facet with witness w (simplified).</summary>
    protected void AddFacet(int group, Rational[] w) => AddFacetWithWitness(group, SimplifyWitness(w, group));

    /// <summary>Makes the group a facet with an already simplified witness.</summary>
    protected void AddFacetWithWitness(int group, Rational[] witness)
    {
        IsFacet[group] = true;
        FacetGroups.Add(group);
        _witness[group] = witness;
    }

    /// <summary>
    /// Every member of the group is redundant: row_rep = Σλ_j row_j + slack over facet rows, so the
    /// true constraint c_m = β_m·(s_rep/s_m)·c_rep has multipliers λ_j·β_m·s_j/s_m.
    /// </summary>
    protected void RecordRedundant(int group, (int Facet, Rational Multiplier)[] farkas)
    {
        foreach (int member in Groups[group])
        {
            var beta = Beta[member];
            Redundant[member] = new RedundancyInfo(member,
                FarkasMultipliers.FromRationals([.. farkas.Select(f => (f.Facet, f.Multiplier * beta * ScaleRatio(f.Facet, member)))]));
        }
    }

    /// <summary>The representative constraint of each facet group, in discovery order.</summary>
    protected int[] FacetRepresentatives()
    {
        var reps = new int[FacetGroups.Count];
        for (int i = 0; i < reps.Length; i++) reps[i] = Groups[FacetGroups[i]][0];
        return reps;
    }

    private RegionGeometry Assemble(int dismissedCount)
    {
        var facets = new List<FacetInfo>();
        for (int g = 0; g < Groups.Count; g++)
        {
            if (!IsFacet[g]) continue;
            Cancel.ThrowIfCancellationRequested();
            var members = Groups[g];
            int rep = members[0];
            facets.Add(new FacetInfo(rep, _witness[g], [.. members.Skip(1)]));
            // c_m = (β_m·s_rep/s_m)·c_rep: the same facet.
            foreach (int member in members.Skip(1))
                Redundant[member] = new RedundancyInfo(member, FarkasMultipliers.FromRationals([(rep, Beta[member] * ScaleRatio(rep, member))]));
        }
        facets.Sort((a, b) => a.Constraint.CompareTo(b.Constraint));
        return new RegionGeometry(facets, [.. Redundant.Values], Flat, BoundingBoxProof, dismissedCount);
    }
}

/// <summary>What one row of a region's constraints is, before grouping.</summary>
internal enum RowShape
{
    Hyperplane,
    Zero,
    PositiveConstant,
    NegativeConstant,
}

/// <summary>
/// The interior point of a facet search, with the forms the steps need made on first use: the
/// common-denominator form for exact integer signs and doubles for ray proposals.
/// </summary>
internal sealed class InteriorPoint(Rational[] coordinates)
{
    private ExactPoint? _exact;
    private double[]? _doubles;

    public Rational[] Coordinates { get; } = coordinates;
    public ExactPoint Exact => _exact ??= new ExactPoint(Coordinates);
    public double[] Doubles => _doubles ??= [.. Coordinates.Select(x => x.ToDouble())];
}
