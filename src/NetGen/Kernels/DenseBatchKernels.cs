using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// Dense-layer kernels over a mini-batch whose samples sit at a fixed stride in one buffer (sample b's values start at
/// b·stride). Four samples are processed together: each row of W (and of ∂L/∂W) is loaded once for the four of them instead
/// of once per sample, which is what makes a batch cheaper than its samples one by one when W does not fit in L1.
/// Vector512 where the CPU accelerates it, the per-sample <see cref="DenseKernels"/> otherwise and for the last 1–3
/// samples. Public because code generated into the user's assembly calls it.
/// </summary>
public static class DenseBatchKernels
{
    /// <summary>z_b = W·x_b + b for each of <paramref name="count"/> samples.</summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, int xStride,
        Span<float> z, int zStride, int count, int rows, int cols)
    {
        if (weights.Length < rows * cols || bias.Length < rows || !Fits(x.Length, xStride, count, cols) || !Fits(z.Length, zStride, count, rows))
            ThrowSizes(rows, cols, count);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float zr = ref MemoryMarshal.GetReference(z);
        int b = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; b + 4 <= count; b += 4)
            {
                ref float x0 = ref Unsafe.Add(ref xr, b * xStride);
                ref float x1 = ref Unsafe.Add(ref x0, xStride);
                ref float x2 = ref Unsafe.Add(ref x1, xStride);
                ref float x3 = ref Unsafe.Add(ref x2, xStride);
                for (int i = 0; i < rows; i++)
                {
                    Dot4(ref Unsafe.Add(ref w, i * cols), ref x0, ref x1, ref x2, ref x3, cols, out float s0, out float s1, out float s2, out float s3);
                    float bi = bias[i];
                    Unsafe.Add(ref zr, b * zStride + i) = bi + s0;
                    Unsafe.Add(ref zr, (b + 1) * zStride + i) = bi + s1;
                    Unsafe.Add(ref zr, (b + 2) * zStride + i) = bi + s2;
                    Unsafe.Add(ref zr, (b + 3) * zStride + i) = bi + s3;
                }
            }
        }
        for (; b < count; b++)
            for (int i = 0; i < rows; i++)
                Unsafe.Add(ref zr, b * zStride + i) = bias[i] + DenseKernels.Dot(ref Unsafe.Add(ref w, i * cols), ref Unsafe.Add(ref xr, b * xStride), cols);
    }

    /// <summary>
    /// For each of <paramref name="count"/> samples, given δ_b = ∂L/∂z_b: adds δ_b·x_bᵀ into ∂L/∂W and δ_b into ∂L/∂b, and —
    /// unless <paramref name="inputGradients"/> is empty — writes (or, with <paramref name="accumulateInputGradients"/>,
    /// adds) Wᵀ·δ_b into ∂L/∂x_b.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, int xStride, ReadOnlySpan<float> delta, int deltaStride,
        Span<float> weightGradients, Span<float> biasGradients, Span<float> inputGradients, int inputStride, int count, int rows, int cols,
        bool accumulateInputGradients = false)
    {
        bool wantInput = !inputGradients.IsEmpty;
        if (weights.Length < rows * cols || weightGradients.Length < rows * cols || biasGradients.Length < rows
            || !Fits(x.Length, xStride, count, cols) || !Fits(delta.Length, deltaStride, count, rows)
            || (wantInput && !Fits(inputGradients.Length, inputStride, count, cols)))
            ThrowSizes(rows, cols, count);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float gw = ref MemoryMarshal.GetReference(weightGradients);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(delta);
        ref float dxr = ref MemoryMarshal.GetReference(inputGradients);
        if (wantInput && !accumulateInputGradients)
            for (int s = 0; s < count; s++)
                inputGradients.Slice(s * inputStride, cols).Clear();
        int b = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; b + 4 <= count; b += 4)
            {
                ref float x0 = ref Unsafe.Add(ref xr, b * xStride);
                ref float x1 = ref Unsafe.Add(ref x0, xStride);
                ref float x2 = ref Unsafe.Add(ref x1, xStride);
                ref float x3 = ref Unsafe.Add(ref x2, xStride);
                for (int i = 0; i < rows; i++)
                {
                    float d0 = Unsafe.Add(ref dr, b * deltaStride + i), d1 = Unsafe.Add(ref dr, (b + 1) * deltaStride + i);
                    float d2 = Unsafe.Add(ref dr, (b + 2) * deltaStride + i), d3 = Unsafe.Add(ref dr, (b + 3) * deltaStride + i);
                    biasGradients[i] += (d0 + d1) + (d2 + d3);
                    ref float wRow = ref Unsafe.Add(ref w, i * cols);
                    // Row i of ∂L/∂W += Σ over the four samples of δ_b,i·x_b: one load and store of the row for all four.
                    MultiplyAdd4(ref Unsafe.Add(ref gw, i * cols), ref x0, ref x1, ref x2, ref x3, d0, d1, d2, d3, cols);
                    if (wantInput)
                        // ∂L/∂x_b += δ_b,i·(row i of W) for each sample: the row is loaded once for the four.
                        Scatter4(ref wRow, ref Unsafe.Add(ref dxr, b * inputStride), inputStride, d0, d1, d2, d3, cols);
                }
            }
        }
        for (; b < count; b++)
        {
            ref float xb = ref Unsafe.Add(ref xr, b * xStride);
            for (int i = 0; i < rows; i++)
            {
                float d = Unsafe.Add(ref dr, b * deltaStride + i);
                biasGradients[i] += d;
                DenseKernels.MultiplyAdd(ref Unsafe.Add(ref gw, i * cols), ref xb, d, cols);
                if (wantInput)
                    DenseKernels.MultiplyAdd(ref Unsafe.Add(ref dxr, b * inputStride), ref Unsafe.Add(ref w, i * cols), d, cols);
            }
        }
    }

    private static bool Fits(int length, int stride, int count, int width) =>
        count >= 1 && stride >= width && (long)(count - 1) * stride + width <= length;

    /// <summary>The dot products of one row of W with four inputs, sharing each load of the row.</summary>
    private static void Dot4(ref float w, ref float x0, ref float x1, ref float x2, ref float x3, int length,
        out float s0, out float s1, out float s2, out float s3)
    {
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j <= length - 16; j += 16)
        {
            var wv = Vector512.LoadUnsafe(ref w, (nuint)j);
            a0 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref x0, (nuint)j), a0);
            a1 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref x1, (nuint)j), a1);
            a2 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref x2, (nuint)j), a2);
            a3 = Vector512.FusedMultiplyAdd(wv, Vector512.LoadUnsafe(ref x3, (nuint)j), a3);
        }
        s0 = Vector512.Sum(a0);
        s1 = Vector512.Sum(a1);
        s2 = Vector512.Sum(a2);
        s3 = Vector512.Sum(a3);
        for (; j < length; j++)
        {
            float wj = Unsafe.Add(ref w, j);
            s0 += wj * Unsafe.Add(ref x0, j);
            s1 += wj * Unsafe.Add(ref x1, j);
            s2 += wj * Unsafe.Add(ref x2, j);
            s3 += wj * Unsafe.Add(ref x3, j);
        }
    }

    /// <summary>y += d0·x0 + d1·x1 + d2·x2 + d3·x3, loading and storing y once.</summary>
    private static void MultiplyAdd4(ref float y, ref float x0, ref float x1, ref float x2, ref float x3, float d0, float d1, float d2, float d3, int length)
    {
        Vector512<float> v0 = Vector512.Create(d0), v1 = Vector512.Create(d1), v2 = Vector512.Create(d2), v3 = Vector512.Create(d3);
        int j = 0;
        for (; j <= length - 16; j += 16)
        {
            var acc = Vector512.LoadUnsafe(ref y, (nuint)j);
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)j), v0, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x1, (nuint)j), v1, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x2, (nuint)j), v2, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x3, (nuint)j), v3, acc);
            acc.StoreUnsafe(ref y, (nuint)j);
        }
        for (; j < length; j++)
            Unsafe.Add(ref y, j) += d0 * Unsafe.Add(ref x0, j) + d1 * Unsafe.Add(ref x1, j) + d2 * Unsafe.Add(ref x2, j) + d3 * Unsafe.Add(ref x3, j);
    }

    /// <summary>y_b += d_b·w for four outputs y_b at <paramref name="stride"/> apart, loading w once.</summary>
    private static void Scatter4(ref float w, ref float y0, int stride, float d0, float d1, float d2, float d3, int length)
    {
        ref float y1 = ref Unsafe.Add(ref y0, stride);
        ref float y2 = ref Unsafe.Add(ref y1, stride);
        ref float y3 = ref Unsafe.Add(ref y2, stride);
        Vector512<float> v0 = Vector512.Create(d0), v1 = Vector512.Create(d1), v2 = Vector512.Create(d2), v3 = Vector512.Create(d3);
        int j = 0;
        for (; j <= length - 16; j += 16)
        {
            var wv = Vector512.LoadUnsafe(ref w, (nuint)j);
            Vector512.FusedMultiplyAdd(wv, v0, Vector512.LoadUnsafe(ref y0, (nuint)j)).StoreUnsafe(ref y0, (nuint)j);
            Vector512.FusedMultiplyAdd(wv, v1, Vector512.LoadUnsafe(ref y1, (nuint)j)).StoreUnsafe(ref y1, (nuint)j);
            Vector512.FusedMultiplyAdd(wv, v2, Vector512.LoadUnsafe(ref y2, (nuint)j)).StoreUnsafe(ref y2, (nuint)j);
            Vector512.FusedMultiplyAdd(wv, v3, Vector512.LoadUnsafe(ref y3, (nuint)j)).StoreUnsafe(ref y3, (nuint)j);
        }
        for (; j < length; j++)
        {
            float wj = Unsafe.Add(ref w, j);
            Unsafe.Add(ref y0, j) += d0 * wj;
            Unsafe.Add(ref y1, j) += d1 * wj;
            Unsafe.Add(ref y2, j) += d2 * wj;
            Unsafe.Add(ref y3, j) += d3 * wj;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSizes(int rows, int cols, int count) =>
        throw new ArgumentException(
            $"A span is shorter than a batch of {count} needs for a {rows}×{cols} layer: weights and their gradients {(long)rows * cols}, " +
            $"bias {rows}, and each sample's x, δ and ∂L/∂x at its stride.");
}
