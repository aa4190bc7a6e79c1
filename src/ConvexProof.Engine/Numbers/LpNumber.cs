namespace ConvexProof.Numbers;

/// <summary>
/// The arithmetic the simplex method needs, so one implementation serves exact rationals (which
/// decide) and tolerant doubles (which only propose a basis).
/// </summary>
public interface ILpNumber<T> where T : ILpNumber<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    static abstract T operator -(T a);
    static abstract int SignOf(T a);
    static abstract int Compare(T a, T b);
}

/// <summary>A double with a tolerance: values within 1e-9 of zero count as zero. Proposals only.</summary>
public readonly record struct ApproxNumber(double Value) : ILpNumber<ApproxNumber>
{
    private const double Tolerance = 1e-9;
    public static ApproxNumber Zero => new(0);
    public static ApproxNumber One => new(1);
    public static ApproxNumber operator +(ApproxNumber a, ApproxNumber b) => new(a.Value + b.Value);
    public static ApproxNumber operator -(ApproxNumber a, ApproxNumber b) => new(a.Value - b.Value);
    public static ApproxNumber operator *(ApproxNumber a, ApproxNumber b) => new(a.Value * b.Value);
    public static ApproxNumber operator /(ApproxNumber a, ApproxNumber b) => new(a.Value / b.Value);
    public static ApproxNumber operator -(ApproxNumber a) => new(-a.Value);
    public static int SignOf(ApproxNumber a) => a.Value > Tolerance ? 1 : a.Value < -Tolerance ? -1 : 0;
    public static int Compare(ApproxNumber a, ApproxNumber b) => SignOf(a - b);
}
