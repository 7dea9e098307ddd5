using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// Dense-layer kernels over a mini-batch whose samples sit at a fixed stride in one buffer (sample b's values start at
/// b·stride). The products are register-tiled (4 × 4 tiles of sixteen accumulators, see <c>DenseTiles</c>): each value
/// loaded feeds four multiply-adds, and ∂L/∂W is read and written once per batch instead of once per sample. Vector512
/// where the CPU accelerates it, Vector256 otherwise, scalar code as the last resort; all three add the same products.
/// Public because code generated into the user's assembly calls it.
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
        ref float b = ref MemoryMarshal.GetReference(bias);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float zr = ref MemoryMarshal.GetReference(z);
        switch (SimdPaths.Current)
        {
            case SimdPath.Vector512:
                DenseTiles<Simd512, Vector512<float>>.Forward(ref w, ref b, ref xr, xStride, ref zr, zStride, count, rows, cols);
                break;
            case SimdPath.Vector256:
                DenseTiles<Simd256, Vector256<float>>.Forward(ref w, ref b, ref xr, xStride, ref zr, zStride, count, rows, cols);
                break;
            default:
                DenseTiles<SimdScalar, float>.Forward(ref w, ref b, ref xr, xStride, ref zr, zStride, count, rows, cols);
                break;
        }
    }

    /// <summary>
    /// For the <paramref name="count"/> samples, given δ_b = ∂L/∂z_b: adds Σ_b δ_b·x_bᵀ into ∂L/∂W and Σ_b δ_b into ∂L/∂b,
    /// and — unless <paramref name="inputGradients"/> is empty — writes (or, with <paramref name="accumulateInputGradients"/>,
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
        ref float gb = ref MemoryMarshal.GetReference(biasGradients);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(delta);
        ref float dxr = ref MemoryMarshal.GetReference(inputGradients);
        switch (SimdPaths.Current)
        {
            case SimdPath.Vector512:
                DenseTiles<Simd512, Vector512<float>>.WeightGradients(ref xr, xStride, ref dr, deltaStride, ref gw, ref gb, count, rows, cols);
                if (wantInput)
                    DenseTiles<Simd512, Vector512<float>>.InputGradients(ref w, ref dr, deltaStride, ref dxr, inputStride, count, rows, cols, accumulateInputGradients);
                break;
            case SimdPath.Vector256:
                DenseTiles<Simd256, Vector256<float>>.WeightGradients(ref xr, xStride, ref dr, deltaStride, ref gw, ref gb, count, rows, cols);
                if (wantInput)
                    DenseTiles<Simd256, Vector256<float>>.InputGradients(ref w, ref dr, deltaStride, ref dxr, inputStride, count, rows, cols, accumulateInputGradients);
                break;
            default:
                DenseTiles<SimdScalar, float>.WeightGradients(ref xr, xStride, ref dr, deltaStride, ref gw, ref gb, count, rows, cols);
                if (wantInput)
                    DenseTiles<SimdScalar, float>.InputGradients(ref w, ref dr, deltaStride, ref dxr, inputStride, count, rows, cols, accumulateInputGradients);
                break;
        }
    }

    private static bool Fits(int length, int stride, int count, int width) =>
        count >= 1 && stride >= width && (long)(count - 1) * stride + width <= length;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSizes(int rows, int cols, int count) =>
        throw new ArgumentException(
            $"A span is shorter than a batch of {count} needs for a {rows}×{cols} layer: weights and their gradients {(long)rows * cols}, " +
            $"bias {rows}, and each sample's x, δ and ∂L/∂x at its stride.");
}
