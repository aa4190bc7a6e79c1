using ConvexProof.Numbers;

namespace ConvexProof.Plotting;

/// <summary>A point of the plane with exact coordinates.</summary>
public readonly record struct Point2(Rational X, Rational Y)
{
    public override string ToString() => $"({X}, {Y})";
}

/// <summary>The closed half-plane a·x + b·y + c ≥ 0.</summary>
public readonly record struct HalfPlane(Rational A, Rational B, Rational C)
{
    public Rational Value(Point2 p) => A * p.X + B * p.Y + C;

    /// <summary>From an affine function stored as [g₀, g₁, h] (see <see cref="Geometry.Affine"/>).</summary>
    public static HalfPlane FromAffine(Rational[] a)
    {
        if (a.Length != 3) throw new ArgumentException("a half-plane needs an affine function of two variables", nameof(a));
        return new HalfPlane(a[0], a[1], a[2]);
    }

    /// <summary>True when the boundary line is undefined (a = b = 0): the constraint is a constant.</summary>
    public bool IsConstant => A.IsZero && B.IsZero;
}

/// <summary>
/// Exact convex-polygon geometry in rationals: Sutherland–Hodgman clipping of a convex polygon by a
/// half-plane, areas and line intersections. Nothing is rounded, so a region's polygon has exactly
/// its true vertices (no slivers, no duplicated or collinear corners).
/// </summary>
public static class PolygonClipper
{
    /// <summary>The rectangle [x₀, x₁] × [y₀, y₁] as a counter-clockwise polygon.</summary>
    public static List<Point2> Rectangle(Rational x0, Rational y0, Rational x1, Rational y1) =>
        [new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1)];

    /// <summary>
    /// The part of a convex polygon (counter-clockwise, no repeated or collinear consecutive
    /// vertices) where h ≥ 0. Vertices on the line are kept; a new vertex is made only where an edge
    /// crosses the line strictly, so the result again has no repeated or collinear vertices when it
    /// has positive area.
    /// </summary>
    public static List<Point2> Clip(IReadOnlyList<Point2> polygon, HalfPlane h)
    {
        int n = polygon.Count;
        var result = new List<Point2>(n + 1);
        if (n == 0) return result;
        var values = new Rational[n];
        bool allInside = true;
        for (int i = 0; i < n; i++)
        {
            values[i] = h.Value(polygon[i]);
            if (values[i].Sign < 0) allInside = false;
        }
        if (allInside)
        {
            result.AddRange(polygon);
            return result;
        }
        for (int i = 0; i < n; i++)
        {
            int j = i + 1 == n ? 0 : i + 1;
            Point2 p = polygon[i], q = polygon[j];
            Rational vp = values[i], vq = values[j];
            if (vp.Sign >= 0) result.Add(p);
            if (vp.Sign * vq.Sign < 0)
            {
                var t = vp / (vp - vq);
                result.Add(new Point2(p.X + t * (q.X - p.X), p.Y + t * (q.Y - p.Y)));
            }
        }
        return result;
    }

    /// <summary>Twice the signed area (shoelace formula): positive for counter-clockwise polygons.</summary>
    public static Rational TwiceSignedArea(IReadOnlyList<Point2> polygon)
    {
        Rational s = Rational.Zero;
        for (int i = 0; i < polygon.Count; i++)
        {
            var p = polygon[i];
            var q = polygon[(i + 1) % polygon.Count];
            s += p.X * q.Y - q.X * p.Y;
        }
        return s;
    }

    /// <summary>The point where the boundary lines of two half-planes meet, or null when they are parallel.</summary>
    public static Point2? Intersect(HalfPlane g, HalfPlane h)
    {
        var det = g.A * h.B - h.A * g.B;
        if (det.IsZero) return null;
        return new Point2((g.B * h.C - h.B * g.C) / det, (g.C * h.A - h.C * g.A) / det);
    }

    /// <summary>
    /// Every vertex of the polyhedron ∩ {hᵢ ≥ 0} (possibly unbounded): the intersections of two
    /// boundary lines that satisfy all the constraints. Exact; O(n³) for n half-planes.
    /// </summary>
    public static List<Point2> Vertices(IReadOnlyList<HalfPlane> halfPlanes)
    {
        var vertices = new List<Point2>();
        for (int i = 0; i < halfPlanes.Count; i++)
            for (int j = i + 1; j < halfPlanes.Count; j++)
            {
                if (Intersect(halfPlanes[i], halfPlanes[j]) is not Point2 p) continue;
                bool inside = true;
                for (int k = 0; k < halfPlanes.Count && inside; k++)
                    if (k != i && k != j && halfPlanes[k].Value(p).Sign < 0) inside = false;
                if (inside && !vertices.Contains(p)) vertices.Add(p);
            }
        return vertices;
    }
}
