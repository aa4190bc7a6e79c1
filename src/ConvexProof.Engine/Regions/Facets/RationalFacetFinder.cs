using ConvexProof.Geometry;
using ConvexProof.Numbers;

namespace ConvexProof.Regions;

/// <summary>
/// Classifies every constraint of a region as facet, redundant or flat, exactly, with certificates,
/// on the region's rational constraints: the rational implementation of <see cref="FacetSearch"/>
/// (no proposals, no bounding box: Clarkson's exact test decides every group). The fallback when
/// the integer maps of a region do not fit (<see cref="IntegerFacetFinder"/>).
/// </summary>
public static class RationalFacetFinder
{
    public static RegionGeometry Analyse(RegionConstraints constraints, Rational[] interior, AnalysisControl? control = null) =>
        new Search(constraints.All, interior, control ?? AnalysisControl.None).Run();

    private sealed class Search(Rational[][] all, Rational[] interior, AnalysisControl control)
        : FacetSearch(all.Length, interior, control)
    {
        private readonly Dictionary<string, int> _groupOfKey = new(StringComparer.Ordinal);

        protected override Rational[][] ExactRows => all;

        protected override RowShape ShapeOf(int k)
        {
            var row = all[k];
            if (Affine.IsZero(row)) return RowShape.Zero;
            if (!Affine.IsConstant(row)) return RowShape.Hyperplane;
            return row[D].Sign > 0 ? RowShape.PositiveConstant : RowShape.NegativeConstant;
        }

        /// <summary>Positive multiples share <see cref="Affine.HyperplaneKey"/>.</summary>
        protected override int GroupOfHyperplane(int k, int newGroup, out Rational beta)
        {
            string key = Affine.HyperplaneKey(all[k]);
            if (_groupOfKey.TryGetValue(key, out int g))
            {
                beta = Affine.PositiveMultiple(all[Groups[g][0]], all[k])!.Value;
                return g;
            }
            _groupOfKey[key] = newGroup;
            beta = Rational.One;
            return newGroup;
        }

        protected override Rational ScaleRatio(int from, int to) => Rational.One;

        protected override Rational[] SimplifyWitness(Rational[] w, int group)
        {
            var members = Groups[group];
            return PointSimplifier.OnHyperplane(w, all[members[0]], candidate =>
            {
                for (int j = 0; j < all.Length; j++)
                {
                    if (members.Contains(j) || Affine.IsZero(all[j])) continue;
                    if (Affine.Evaluate(all[j], candidate).Sign <= 0) return false;
                }
                return true;
            });
        }
    }
}
