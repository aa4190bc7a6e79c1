using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>A closed interval [Lo, Hi] of exact rationals (Lo ≤ Hi), the value set of interval arithmetic.</summary>
public readonly record struct Interval(Rational Lo, Rational Hi)
{
    public static Interval Point(Rational value) => new(value, value);

    public static Interval operator +(Interval a, Interval b) => new(a.Lo + b.Lo, a.Hi + b.Hi);

    /// <summary>{w·v : v ∈ this}: the ends swap when w is negative.</summary>
    public Interval Scale(Rational w) => w.Sign >= 0 ? new(w * Lo, w * Hi) : new(w * Hi, w * Lo);

    /// <summary>
    /// {s·v : s ∈ slopes, v ∈ this} for a slope interval with 0 ≤ slopes.Lo: each end is attained at
    /// an end of both factors, and with s ≥ 0 which end of s depends only on the sign of v's end.
    /// </summary>
    public Interval TimesNonNegative(Interval slopes)
    {
        if (slopes.Lo == slopes.Hi) return Scale(slopes.Lo);
        var lo = Lo.Sign >= 0 ? slopes.Lo * Lo : slopes.Hi * Lo;
        var hi = Hi.Sign >= 0 ? slopes.Hi * Hi : slopes.Lo * Hi;
        return new(lo, hi);
    }

    public override string ToString() => $"[{Lo}, {Hi}]";
}
