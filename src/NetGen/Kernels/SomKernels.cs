using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The kernels of a self-organizing map whose weights are stored <b>feature-major</b> — weight j of unit u at
/// <c>weights[j · units + u]</c> — so that one feature of every unit is contiguous and both the distance search and the
/// update run along the units, a register of units at a time, for any input width. Code generated for a
/// <see cref="SelfOrganizingMapAttribute"/> class calls them with every size as a literal. Public because that code, in
/// the user's assembly, calls it; the generated members check their arguments first and say what to fix.
/// </summary>
/// <remarks>
/// Every squared distance is accumulated in the same order with a fused multiply-add, d = w − x, acc = d·d + acc, whether
/// the unit falls in a vector lane or in the scalar tail, so two units with equal weights have bit-identical distances
/// and a tie goes to the lower index on every path. The width is the widest the CPU accelerates (Vector512, Vector256 or
/// scalar; tests force each).
/// </remarks>
public static class SomKernels
{
    /// <summary>Above this many floats (neighbourhood tables and coefficients) the update takes a per-thread buffer instead of the stack.</summary>
    private const int StackFloats = 4096;

    [ThreadStatic]
    private static float[]? t_coefficients;

    /// <summary>
    /// The best-matching unit of <paramref name="x"/>: argmin over u of ‖x − w_u‖² = Σⱼ (weights[j·units + u] − xⱼ)², the
    /// lowest u on a tie; <paramref name="squaredDistance"/> is that minimum. Reads only, allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A length does not match, or no unit's distance is finite (NaN or infinity in <paramref name="x"/> or the weights).</exception>
    public static int BestMatchingUnit(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, int units, int inputs, out float squaredDistance)
    {
        CheckLengths(weights.Length, x.Length, units, inputs);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xs = ref MemoryMarshal.GetReference(x);
        float best = float.PositiveInfinity;
        int bestUnit = int.MaxValue;
        int u = 0;
        var path = SimdPaths.Current;
        if (path == SimdPath.Vector512 && units >= Vector512<float>.Count)
        {
            // Per lane: the smallest distance so far and its unit; a strict < keeps the earlier (lower) unit of a lane.
            var bestDistances = Vector512.Create(float.PositiveInfinity);
            var bestUnits = Vector512<int>.Zero;
            var lanes = Vector512<int>.Indices;
            for (; u <= units - Vector512<float>.Count; u += Vector512<float>.Count)
            {
                var acc = Vector512<float>.Zero;
                for (int j = 0; j < inputs; j++)
                {
                    var d = Vector512.LoadUnsafe(ref w, (nuint)((long)j * units + u)) - Vector512.Create(Unsafe.Add(ref xs, j));
                    acc = Vector512.FusedMultiplyAdd(d, d, acc);
                }
                var less = Vector512.LessThan(acc, bestDistances);
                bestDistances = Vector512.ConditionalSelect(less, acc, bestDistances);
                bestUnits = Vector512.ConditionalSelect(less.AsInt32(), lanes, bestUnits);
                lanes += Vector512.Create(Vector512<float>.Count);
            }
            for (int k = 0; k < Vector512<float>.Count; k++)
                Take(bestDistances.GetElement(k), bestUnits.GetElement(k), ref best, ref bestUnit);
        }
        else if (path != SimdPath.Scalar && units >= Vector256<float>.Count)
        {
            var bestDistances = Vector256.Create(float.PositiveInfinity);
            var bestUnits = Vector256<int>.Zero;
            var lanes = Vector256<int>.Indices;
            for (; u <= units - Vector256<float>.Count; u += Vector256<float>.Count)
            {
                var acc = Vector256<float>.Zero;
                for (int j = 0; j < inputs; j++)
                {
                    var d = Vector256.LoadUnsafe(ref w, (nuint)((long)j * units + u)) - Vector256.Create(Unsafe.Add(ref xs, j));
                    acc = Vector256.FusedMultiplyAdd(d, d, acc);
                }
                var less = Vector256.LessThan(acc, bestDistances);
                bestDistances = Vector256.ConditionalSelect(less, acc, bestDistances);
                bestUnits = Vector256.ConditionalSelect(less.AsInt32(), lanes, bestUnits);
                lanes += Vector256.Create(Vector256<float>.Count);
            }
            for (int k = 0; k < Vector256<float>.Count; k++)
                Take(bestDistances.GetElement(k), bestUnits.GetElement(k), ref best, ref bestUnit);
        }
        // The units left over (all of them on the scalar path), in order: all above every vector unit, so < suffices.
        for (; u < units; u++)
        {
            float acc = 0f;
            for (int j = 0; j < inputs; j++)
            {
                float d = Unsafe.Add(ref w, (nint)((long)j * units + u)) - Unsafe.Add(ref xs, j);
                acc = MathF.FusedMultiplyAdd(d, d, acc);
            }
            if (acc < best)
            {
                best = acc;
                bestUnit = u;
            }
        }
        if (!float.IsFinite(best))
            throw new ArgumentException(
                "No unit's distance to the sample is finite: the sample or the map's weights hold NaN or infinity, or values so large that their squared distance overflows a float. " +
                "Check the data (standardise it) and the weights.", nameof(x));
        squaredDistance = best;
        return bestUnit;
    }

    /// <summary>Merges one lane's best into the running best: the smaller distance, or on a tie the lower unit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(float distance, int unit, ref float best, ref int bestUnit)
    {
        if (distance < best || distance == best && unit < bestUnit)
        {
            best = distance;
            bestUnit = unit;
        }
    }

    /// <summary>Writes ‖x − w_u‖² for every unit u into <paramref name="distances"/>, computed exactly as <see cref="BestMatchingUnit"/> does.</summary>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public static void SquaredDistances(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, int units, int inputs, Span<float> distances)
    {
        CheckLengths(weights.Length, x.Length, units, inputs);
        if (distances.Length != units)
            throw new ArgumentException($"distances must have one element per unit ({units}), but it has {distances.Length}.", nameof(distances));
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float dist = ref MemoryMarshal.GetReference(distances);
        int u = 0;
        var path = SimdPaths.Current;
        if (path == SimdPath.Vector512)
        {
            for (; u <= units - Vector512<float>.Count; u += Vector512<float>.Count)
            {
                var acc = Vector512<float>.Zero;
                for (int j = 0; j < inputs; j++)
                {
                    var d = Vector512.LoadUnsafe(ref w, (nuint)((long)j * units + u)) - Vector512.Create(Unsafe.Add(ref xs, j));
                    acc = Vector512.FusedMultiplyAdd(d, d, acc);
                }
                acc.StoreUnsafe(ref dist, (nuint)u);
            }
        }
        if (path != SimdPath.Scalar)
        {
            for (; u <= units - Vector256<float>.Count; u += Vector256<float>.Count)
            {
                var acc = Vector256<float>.Zero;
                for (int j = 0; j < inputs; j++)
                {
                    var d = Vector256.LoadUnsafe(ref w, (nuint)((long)j * units + u)) - Vector256.Create(Unsafe.Add(ref xs, j));
                    acc = Vector256.FusedMultiplyAdd(d, d, acc);
                }
                acc.StoreUnsafe(ref dist, (nuint)u);
            }
        }
        for (; u < units; u++)
        {
            float acc = 0f;
            for (int j = 0; j < inputs; j++)
            {
                float d = Unsafe.Add(ref w, (nint)((long)j * units + u)) - Unsafe.Add(ref xs, j);
                acc = MathF.FusedMultiplyAdd(d, d, acc);
            }
            Unsafe.Add(ref dist, u) = acc;
        }
    }

    /// <summary>
    /// Kohonen's step towards <paramref name="x"/> on a <paramref name="width"/> × <paramref name="height"/> rectangular grid:
    /// for every unit u, w_u ← w_u + η·h(u)·(x − w_u) with h(u) = exp(−‖r_u − r_bmu‖² / (2σ²)), r_u = (u / width, u % width).
    /// The Gaussian is separable, h(u) = exp(−Δrow²/(2σ²))·exp(−Δcolumn²/(2σ²)), so it takes width + height exponentials
    /// (in double precision) and one multiplication per unit to get every coefficient c_u = η·h(u); then each feature's row
    /// of weights moves as w ← c ⊙ (xⱼ − w) + w, vectorised along the units. Allocates nothing (the coefficients live on
    /// the stack, or for maps of more than about 4,000 units in a buffer kept per thread after the first call).
    /// </summary>
    /// <exception cref="ArgumentException">A length does not match, <paramref name="x"/> holds NaN or infinity, or the unit is outside the map.</exception>
    /// <exception cref="ArgumentOutOfRangeException">η is not finite, or σ is not positive and finite.</exception>
    [SkipLocalsInit]
    public static void Update(Span<float> weights, ReadOnlySpan<float> x, int width, int height, int inputs, int bestMatchingUnit, float learningRate, float radius)
    {
        if (width < 1 || height < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"The grid must be at least 1 × 1, not {width} × {height}.");
        int units = checked(width * height);
        CheckLengths(weights.Length, x.Length, units, inputs);
        if ((uint)bestMatchingUnit >= (uint)units)
            throw new ArgumentOutOfRangeException(nameof(bestMatchingUnit), bestMatchingUnit, $"The best-matching unit must be a unit of the map, 0 to {units - 1}.");
        if (!float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number, such as 0.5.");
        if (!(radius > 0f) || float.IsInfinity(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The neighbourhood radius σ must be a positive, finite number of grid cells, such as 1.");
        for (int j = 0; j < x.Length; j++)
            if (!float.IsFinite(x[j]))
                throw new ArgumentException($"x[{j}] is {x[j]}; a sample must be finite, or it would turn the weights it moves into NaN.", nameof(x));

        int length = height + width + units;
        Span<float> scratch = length <= StackFloats
            ? stackalloc float[length]
            : (t_coefficients is { } kept && kept.Length >= length ? kept : t_coefficients = new float[length]).AsSpan(0, length);
        Span<float> rowFactor = scratch[..height], columnFactor = scratch.Slice(height, width), coefficients = scratch.Slice(height + width, units);

        // h(u) = exp(−Δrow²/(2σ²)) · exp(−Δcolumn²/(2σ²)); at the best-matching unit both factors are exactly 1.
        int bestRow = bestMatchingUnit / width, bestColumn = bestMatchingUnit % width;
        double twoSigmaSquared = 2.0 * radius * radius;
        for (int r = 0; r < height; r++)
            rowFactor[r] = Neighbourhood(r - bestRow, twoSigmaSquared);
        for (int c = 0; c < width; c++)
            columnFactor[c] = Neighbourhood(c - bestColumn, twoSigmaSquared);
        for (int r = 0; r < height; r++)
        {
            float rowCoefficient = learningRate * rowFactor[r];
            Span<float> row = coefficients.Slice(r * width, width);
            for (int c = 0; c < width; c++)
                row[c] = rowCoefficient * columnFactor[c];
        }

        // w_u ← c_u·(xⱼ − w_u) + w_u, feature by feature, along the units.
        ref float coefficient = ref MemoryMarshal.GetReference(coefficients);
        var path = SimdPaths.Current;
        for (int j = 0; j < inputs; j++)
        {
            ref float w = ref MemoryMarshal.GetReference(weights.Slice(j * units, units));
            float xj = x[j];
            int u = 0;
            if (path == SimdPath.Vector512)
            {
                var xv = Vector512.Create(xj);
                for (; u <= units - Vector512<float>.Count; u += Vector512<float>.Count)
                {
                    var wv = Vector512.LoadUnsafe(ref w, (nuint)u);
                    Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref coefficient, (nuint)u), xv - wv, wv).StoreUnsafe(ref w, (nuint)u);
                }
            }
            if (path != SimdPath.Scalar)
            {
                var xv = Vector256.Create(xj);
                for (; u <= units - Vector256<float>.Count; u += Vector256<float>.Count)
                {
                    var wv = Vector256.LoadUnsafe(ref w, (nuint)u);
                    Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref coefficient, (nuint)u), xv - wv, wv).StoreUnsafe(ref w, (nuint)u);
                }
            }
            for (; u < units; u++)
            {
                float wu = Unsafe.Add(ref w, u);
                Unsafe.Add(ref w, u) = MathF.FusedMultiplyAdd(Unsafe.Add(ref coefficient, u), xj - wu, wu);
            }
        }
    }

    /// <summary>exp(−d²/(2σ²)) for a grid offset d: exactly 1 at d = 0 (even when 2σ² underflows), 0 when it is far beyond σ.</summary>
    private static float Neighbourhood(int offset, double twoSigmaSquared) =>
        offset == 0 ? 1f : (float)Math.Exp(-((double)offset * offset) / twoSigmaSquared);

    private static void CheckLengths(int weightsLength, int xLength, int units, int inputs)
    {
        if (units < 1 || inputs < 1 || (long)units * inputs != weightsLength)
            throw new ArgumentException($"weights must hold units × inputs = {(long)units * inputs} values (feature-major), but it has {weightsLength}.", "weights");
        if (xLength != inputs)
            throw new ArgumentException($"x must have exactly {inputs} elements (the map's Inputs), but it has {xLength}.", "x");
    }
}
