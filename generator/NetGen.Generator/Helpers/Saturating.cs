using System.Collections.Generic;

namespace NetGen.Generator.Helpers;

/// <summary>
/// Sums that stop at <see cref="long.MaxValue"/> instead of wrapping or throwing: the planner sizes declarations before
/// the parser has refused absurd ones (Dense(int.MaxValue) three times), and must answer with a number, not an exception.
/// </summary>
internal static class Saturating
{
    public static long Add(long a, long b) => a > 0 && b > long.MaxValue - a ? long.MaxValue : a + b;

    /// <summary>a·b for non-negative factors, saturated.</summary>
    public static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    public static long Sum(IEnumerable<long> values)
    {
        long total = 0;
        foreach (long value in values) total = Add(total, value);
        return total;
    }
}
