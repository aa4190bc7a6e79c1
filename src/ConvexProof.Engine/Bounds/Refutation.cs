using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Bounds;

/// <summary>
/// An exactly verified violation of convexity found on a line: x and y in the domain with
/// f((x+y)/2) &gt; (f(x)+f(y))/2, their midpoint a breakpoint of f on the line p + t·v where the
/// slope drops by <see cref="SlopeChange"/> (&lt; 0).
/// </summary>
public sealed record Refutation(Rational[] X, Rational[] Y, Rational Fx, Rational Fy, Rational FMid, Rational SlopeChange)
{
    /// <summary>
    /// The violation at interior breakpoint k of a restriction, if its slope change is negative:
    /// x and y at equal distance on both sides, within the neighbouring pieces (where f is affine),
    /// then re-evaluated through the network exactly; null when the slope does not drop there.
    /// </summary>
    public static Refutation? AtBreakpoint(Network network, LineRestriction line, int k)
    {
        var change = line.SlopeChange(k);
        if (change.Sign >= 0) return null;
        var t = line.Parameters;
        var h = Rational.Min(t[k] - t[k - 1], t[k + 1] - t[k]) / 2;
        var x = line.PointAt(t[k] - h);
        var y = line.PointAt(t[k] + h);
        var mid = line.PointAt(t[k]);
        Rational fx = network.Evaluate(x), fy = network.Evaluate(y), fmid = network.Evaluate(mid);
        // The slice says fmid − (fx+fy)/2 = −h·change/2 > 0; the network's own evaluation decides.
        if (fmid * 2 <= fx + fy)
            throw new InvalidOperationException("internal error: a negative slope change on a line did not re-evaluate as a violation");
        return new Refutation(x, y, fx, fy, fmid, change);
    }
}
