using System.Numerics;
using ConvexProof.Numbers;

namespace ConvexProof.Plotting;

/// <summary>
/// The exact rectangle [XMin, XMax] × [YMin, YMax] a plot shows. For a graph of f (d = 1) the y
/// range is the range of f.
/// </summary>
public sealed record PlotWindow(Rational XMin, Rational XMax, Rational YMin, Rational YMax)
{
    public Rational Width => XMax - XMin;
    public Rational Height => YMax - YMin;

    public bool Contains(Point2 p) => p.X >= XMin && p.X <= XMax && p.Y >= YMin && p.Y <= YMax;

    public bool ContainsX(Rational x) => x >= XMin && x <= XMax;

    public List<Point2> Rectangle() => PolygonClipper.Rectangle(XMin, YMin, XMax, YMax);

    public override string ToString() => $"[{XMin}, {XMax}] × [{YMin}, {YMax}]";

    /// <summary>
    /// A window with round bounds that contains every given point strictly inside (a margin of
    /// about 10% on every side). Coordinates with no spread get at least half the other one's, and
    /// an empty or single-point set gets a window of width about 2.
    /// </summary>
    public static PlotWindow Around(IReadOnlyCollection<Point2> points)
    {
        if (points.Count == 0) return Around([new Point2(Rational.Zero, Rational.Zero)]);
        Rational x0 = points.First().X, x1 = x0, y0 = points.First().Y, y1 = y0;
        foreach (var p in points)
        {
            x0 = Rational.Min(x0, p.X); x1 = Rational.Max(x1, p.X);
            y0 = Rational.Min(y0, p.Y); y1 = Rational.Max(y1, p.Y);
        }
        var spread = Rational.Max(x1 - x0, y1 - y0);
        var minimum = spread.IsZero ? new Rational(2, 1) : spread / 2;
        var (xa, xb) = NiceInterval(x0, x1, minimum);
        var (ya, yb) = NiceInterval(y0, y1, minimum);
        return new PlotWindow(xa, xb, ya, yb);
    }

    /// <summary>Up to this many points, <see cref="AroundCore"/> keeps them all.</summary>
    public const int CoreAllBelow = 60;

    /// <summary>The share of points <see cref="AroundCore"/> may leave out at each end of each coordinate.</summary>
    public const double CoreTail = 0.02;

    /// <summary>
    /// A window around the bulk of <paramref name="points"/>: all of them when there are at most
    /// <see cref="CoreAllBelow"/>, otherwise the box between the 2% and 98% quantiles of each coordinate
    /// (exact order statistics), so that a few far-away points — vertices where nearly parallel
    /// hyperplanes meet — do not shrink the interesting part to a dot. <paramref name="always"/> are
    /// contained in any case. Then as <see cref="Around"/>.
    /// </summary>
    public static PlotWindow AroundCore(IReadOnlyList<Point2> points, IReadOnlyCollection<Point2> always)
    {
        if (points.Count <= CoreAllBelow) return Around([.. points, .. always]);
        var xs = points.Select(p => p.X).Order().ToArray();
        var ys = points.Select(p => p.Y).Order().ToArray();
        int cut = (int)Math.Floor(CoreTail * points.Count);
        var corners = new List<Point2>(always)
        {
            new(xs[cut], ys[cut]),
            new(xs[^(cut + 1)], ys[^(cut + 1)]),
        };
        return Around(corners);
    }

    /// <summary>
    /// [lo, hi] widened to at least <paramref name="minimumSpan"/>, given a margin of a tenth of its
    /// span on each side, then rounded outward to a multiple of a power of ten (about a tenth of the
    /// span). The result contains [lo, hi] strictly inside. Exact; doubles only pick the power of ten.
    /// </summary>
    public static (Rational Lo, Rational Hi) NiceInterval(Rational lo, Rational hi, Rational minimumSpan)
    {
        if (minimumSpan.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(minimumSpan), "the minimum span must be positive");
        var span = hi - lo;
        if (span < minimumSpan)
        {
            var centre = (lo + hi) / 2;
            lo = centre - minimumSpan / 2;
            hi = centre + minimumSpan / 2;
            span = minimumSpan;
        }
        var margin = span / 10;
        lo -= margin;
        hi += margin;
        double approx = (hi - lo).ToDouble();
        int exponent = double.IsFinite(approx) && approx > 0 ? (int)Math.Floor(Math.Log10(approx / 10)) : 0;
        exponent = Math.Clamp(exponent, -300, 300);
        var step = exponent >= 0
            ? new Rational(BigInteger.Pow(10, exponent), BigInteger.One)
            : new Rational(BigInteger.One, BigInteger.Pow(10, -exponent));
        var a = new Rational((lo / step).Floor(), BigInteger.One) * step;
        var b = -new Rational((-(hi / step)).Floor(), BigInteger.One) * step;
        return (a, b);
    }
}
