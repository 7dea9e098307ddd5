using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The SIMD kernels that generated code calls for dense layers too large to unroll. Generated code passes every size as
/// a literal and the methods are inlined, so after inlining each loop has a fixed trip count. Each kernel uses
/// <see cref="Vector512"/> where the CPU accelerates it, <see cref="Vector256"/> otherwise, and scalar code as the last
/// resort; all paths compute the same sums up to float rounding.
/// </summary>
/// <remarks>
/// Public because code generated into the user's assembly calls it. The spans are checked once against the sizes;
/// inside, the loops read through references without further bounds checks.
/// </remarks>
public static class DenseKernels
{
    /// <summary>
    /// z = W·x + b, for W row-major [<paramref name="rows"/>, <paramref name="cols"/>]:
    /// zᵢ = bᵢ + Σⱼ Wᵢⱼ·xⱼ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z, int rows, int cols)
    {
        if (weights.Length < rows * cols || bias.Length < rows || x.Length < cols || z.Length < rows)
            ThrowSizes(rows, cols);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (int i = 0; i < rows; i++)
            z[i] = bias[i] + Dot(ref Unsafe.Add(ref w, i * cols), ref xr, cols);
    }

    /// <summary>
    /// The backward pass of z = W·x + b given δ = ∂L/∂z: adds ∂L/∂W = δ·xᵀ into <paramref name="weightGradients"/>
    /// (∂L/∂Wᵢⱼ += δᵢ·xⱼ) and ∂L/∂b = δ into <paramref name="biasGradients"/>, and — unless
    /// <paramref name="inputGradients"/> is empty (the first layer needs none) — overwrites it with
    /// ∂L/∂x = Wᵀ·δ (∂L/∂xⱼ = Σᵢ Wᵢⱼ·δᵢ) — or adds it, when <paramref name="accumulateInputGradients"/> (a residual layer's
    /// skip path has already put ∂L/∂a there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward(
        ReadOnlySpan<float> weights, ReadOnlySpan<float> x, ReadOnlySpan<float> delta,
        Span<float> weightGradients, Span<float> biasGradients, Span<float> inputGradients, int rows, int cols, bool accumulateInputGradients = false)
    {
        bool wantInput = !inputGradients.IsEmpty;
        if (weights.Length < rows * cols || x.Length < cols || delta.Length < rows || weightGradients.Length < rows * cols
            || biasGradients.Length < rows || (wantInput && inputGradients.Length < cols))
            ThrowSizes(rows, cols);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float gw = ref MemoryMarshal.GetReference(weightGradients);
        ref float xr = ref MemoryMarshal.GetReference(x);
        if (wantInput && !accumulateInputGradients)
            inputGradients.Slice(0, cols).Clear();
        ref float dx = ref MemoryMarshal.GetReference(inputGradients);
        for (int i = 0; i < rows; i++)
        {
            float d = delta[i];
            biasGradients[i] += d;
            // Row i of ∂L/∂W: += δᵢ·x
            MultiplyAdd(ref Unsafe.Add(ref gw, i * cols), ref xr, d, cols);
            // ∂L/∂x += δᵢ·(row i of W), summing Wᵀ·δ one row at a time so W is read in storage order.
            if (wantInput)
                MultiplyAdd(ref dx, ref Unsafe.Add(ref w, i * cols), d, cols);
        }
    }

    /// <summary>Σⱼ aⱼ·bⱼ over <paramref name="length"/> elements, on the widest accelerated vector path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(ref float a, ref float b, int length)
    {
        if (Vector512.IsHardwareAccelerated)
            return Dot512(ref a, ref b, length);
        if (Vector256.IsHardwareAccelerated)
            return Dot256(ref a, ref b, length);
        return DotScalar(ref a, ref b, length);
    }

    /// <summary>y += α·x over <paramref name="length"/> elements, on the widest accelerated vector path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAdd(ref float y, ref float x, float alpha, int length)
    {
        if (Vector512.IsHardwareAccelerated)
            MultiplyAdd512(ref y, ref x, alpha, length);
        else if (Vector256.IsHardwareAccelerated)
            MultiplyAdd256(ref y, ref x, alpha, length);
        else
            MultiplyAddScalar(ref y, ref x, alpha, length);
    }

    internal static float Dot512(ref float a, ref float b, int length)
    {
        // Four independent accumulators keep four FMAs in flight, hiding the FMA latency.
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int j = 0;
        for (; j <= length - 64; j += 64)
        {
            s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref b, (nuint)j), s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)(j + 16)), Vector512.LoadUnsafe(ref b, (nuint)(j + 16)), s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)(j + 32)), Vector512.LoadUnsafe(ref b, (nuint)(j + 32)), s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)(j + 48)), Vector512.LoadUnsafe(ref b, (nuint)(j + 48)), s3);
        }
        for (; j <= length - 16; j += 16)
            s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref b, (nuint)j), s0);
        float sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        for (; j < length; j++)
            sum += Unsafe.Add(ref a, j) * Unsafe.Add(ref b, j);
        return sum;
    }

    internal static float Dot256(ref float a, ref float b, int length)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int j = 0;
        for (; j <= length - 32; j += 32)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)j), Vector256.LoadUnsafe(ref b, (nuint)j), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(j + 8)), Vector256.LoadUnsafe(ref b, (nuint)(j + 8)), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(j + 16)), Vector256.LoadUnsafe(ref b, (nuint)(j + 16)), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(j + 24)), Vector256.LoadUnsafe(ref b, (nuint)(j + 24)), s3);
        }
        for (; j <= length - 8; j += 8)
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)j), Vector256.LoadUnsafe(ref b, (nuint)j), s0);
        float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; j < length; j++)
            sum += Unsafe.Add(ref a, j) * Unsafe.Add(ref b, j);
        return sum;
    }

    internal static float DotScalar(ref float a, ref float b, int length)
    {
        float sum = 0f;
        for (int j = 0; j < length; j++)
            sum += Unsafe.Add(ref a, j) * Unsafe.Add(ref b, j);
        return sum;
    }

    internal static void MultiplyAdd512(ref float y, ref float x, float alpha, int length)
    {
        Vector512<float> va = Vector512.Create(alpha);
        int j = 0;
        for (; j <= length - 16; j += 16)
            Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)j), va, Vector512.LoadUnsafe(ref y, (nuint)j))
                .StoreUnsafe(ref y, (nuint)j);
        for (; j < length; j++)
            Unsafe.Add(ref y, j) += alpha * Unsafe.Add(ref x, j);
    }

    internal static void MultiplyAdd256(ref float y, ref float x, float alpha, int length)
    {
        Vector256<float> va = Vector256.Create(alpha);
        int j = 0;
        for (; j <= length - 8; j += 8)
            Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)j), va, Vector256.LoadUnsafe(ref y, (nuint)j))
                .StoreUnsafe(ref y, (nuint)j);
        for (; j < length; j++)
            Unsafe.Add(ref y, j) += alpha * Unsafe.Add(ref x, j);
    }

    internal static void MultiplyAddScalar(ref float y, ref float x, float alpha, int length)
    {
        for (int j = 0; j < length; j++)
            Unsafe.Add(ref y, j) += alpha * Unsafe.Add(ref x, j);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSizes(int rows, int cols) =>
        throw new ArgumentException(
            $"A span is shorter than the layer needs: weights and their gradients need {rows}×{cols} = {(long)rows * cols}, " +
            $"bias, δ and its gradient {rows}, x and ∂L/∂x {cols} elements.");
}
