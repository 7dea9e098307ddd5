using System;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// C = bias + A·B with B and C row-major and A read through strides (so A may be a matrix or a transposed one), vectorised
/// along C's rows: each 4 × 2-register tile keeps eight accumulators, and every k adds a broadcast element of A times two
/// registers of B's row k — no horizontal sums, which is what a convolution's short patches (K = 25 for a 5×5 kernel on
/// one channel) need. Columns past the last whole register are covered by one more tile that overlaps the previous one
/// (the same products in the same order, so the overlapped values are written again unchanged); rows past the last
/// whole group of four repeat the last row and drop its results.
/// </summary>
internal static class MatrixTiles<TOps, TVector>
    where TOps : struct, ISimdOps<TVector>
    where TVector : struct
{
    /// <summary>
    /// c[i·cStride + j] = bias[i] (0 when <paramref name="hasBias"/> is false) + Σ_k a[i·aRowStride + k·aColStride]·b[k·bStride + j]
    /// for i &lt; <paramref name="rows"/>, j &lt; <paramref name="columns"/>, k &lt; <paramref name="depth"/>.
    /// </summary>
    public static void Multiply(ref float a, int aRowStride, int aColStride, ref float b, int bStride, ref float c, int cStride,
        ref float bias, bool hasBias, int rows, int columns, int depth)
    {
        int w = TOps.Count;
        if (columns < w)
        {
            Scalar(ref a, aRowStride, aColStride, ref b, bStride, ref c, cStride, ref bias, hasBias, rows, 0, columns, depth);
            return;
        }
        // Column strips outside, row groups inside: a strip of B (depth × two registers) stays in L1 while every group of
        // four rows of A uses it.
        int strip = 2 * w, lastStrip = columns - columns % strip;
        for (int j = 0; j < columns; j += strip)
        {
            bool whole = j < lastStrip;
            int at = whole ? j : Math.Min(j, columns - w); // the tail: one register ending at the last column, overlapping
            for (int i = 0; i < rows; i += 4)
            {
                int valid = Math.Min(4, rows - i), last = rows - 1;
                ref float a0 = ref Unsafe.Add(ref a, i * aRowStride);
                ref float a1 = ref Unsafe.Add(ref a, Math.Min(i + 1, last) * aRowStride);
                ref float a2 = ref Unsafe.Add(ref a, Math.Min(i + 2, last) * aRowStride);
                ref float a3 = ref Unsafe.Add(ref a, Math.Min(i + 3, last) * aRowStride);
                float b0 = hasBias ? Unsafe.Add(ref bias, i) : 0f, b1 = hasBias ? Unsafe.Add(ref bias, Math.Min(i + 1, last)) : 0f;
                float b2 = hasBias ? Unsafe.Add(ref bias, Math.Min(i + 2, last)) : 0f, b3 = hasBias ? Unsafe.Add(ref bias, Math.Min(i + 3, last)) : 0f;
                ref float cij = ref Unsafe.Add(ref c, i * cStride + at);
                if (whole)
                    Tile2(ref a0, ref a1, ref a2, ref a3, aColStride, ref Unsafe.Add(ref b, at), bStride, ref cij, cStride, b0, b1, b2, b3, valid, depth);
                else
                {
                    Tile1(ref a0, ref a1, ref a2, ref a3, aColStride, ref Unsafe.Add(ref b, at), bStride, ref cij, cStride, b0, b1, b2, b3, valid, depth);
                    if (at + w < columns) // a strip tail of more than one register
                        Tile1(ref a0, ref a1, ref a2, ref a3, aColStride, ref Unsafe.Add(ref b, columns - w), bStride, ref Unsafe.Add(ref c, i * cStride + columns - w), cStride, b0, b1, b2, b3, valid, depth);
                }
            }
        }
    }

    private static void Tile2(ref float a0, ref float a1, ref float a2, ref float a3, int aColStride, ref float b, int bStride,
        ref float c, int cStride, float bias0, float bias1, float bias2, float bias3, int valid, int depth)
    {
        nuint w = (nuint)TOps.Count;
        TVector c00 = TOps.Broadcast(bias0), c01 = c00, c10 = TOps.Broadcast(bias1), c11 = c10;
        TVector c20 = TOps.Broadcast(bias2), c21 = c20, c30 = TOps.Broadcast(bias3), c31 = c30;
        for (int k = 0; k < depth; k++)
        {
            ref float bk = ref Unsafe.Add(ref b, k * bStride);
            TVector v0 = TOps.Load(ref bk, 0), v1 = TOps.Load(ref bk, w);
            int at = k * aColStride;
            TVector s = TOps.Broadcast(Unsafe.Add(ref a0, at));
            c00 = TOps.MultiplyAdd(s, v0, c00); c01 = TOps.MultiplyAdd(s, v1, c01);
            s = TOps.Broadcast(Unsafe.Add(ref a1, at));
            c10 = TOps.MultiplyAdd(s, v0, c10); c11 = TOps.MultiplyAdd(s, v1, c11);
            s = TOps.Broadcast(Unsafe.Add(ref a2, at));
            c20 = TOps.MultiplyAdd(s, v0, c20); c21 = TOps.MultiplyAdd(s, v1, c21);
            s = TOps.Broadcast(Unsafe.Add(ref a3, at));
            c30 = TOps.MultiplyAdd(s, v0, c30); c31 = TOps.MultiplyAdd(s, v1, c31);
        }
        TOps.Store(c00, ref c, 0); TOps.Store(c01, ref c, w);
        if (valid > 1) { ref float r = ref Unsafe.Add(ref c, cStride); TOps.Store(c10, ref r, 0); TOps.Store(c11, ref r, w); }
        if (valid > 2) { ref float r = ref Unsafe.Add(ref c, 2 * cStride); TOps.Store(c20, ref r, 0); TOps.Store(c21, ref r, w); }
        if (valid > 3) { ref float r = ref Unsafe.Add(ref c, 3 * cStride); TOps.Store(c30, ref r, 0); TOps.Store(c31, ref r, w); }
    }

    private static void Tile1(ref float a0, ref float a1, ref float a2, ref float a3, int aColStride, ref float b, int bStride,
        ref float c, int cStride, float bias0, float bias1, float bias2, float bias3, int valid, int depth)
    {
        TVector c0 = TOps.Broadcast(bias0), c1 = TOps.Broadcast(bias1), c2 = TOps.Broadcast(bias2), c3 = TOps.Broadcast(bias3);
        for (int k = 0; k < depth; k++)
        {
            TVector v = TOps.Load(ref Unsafe.Add(ref b, k * bStride), 0);
            int at = k * aColStride;
            c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, at)), v, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a1, at)), v, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a2, at)), v, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a3, at)), v, c3);
        }
        TOps.Store(c0, ref c, 0);
        if (valid > 1) TOps.Store(c1, ref Unsafe.Add(ref c, cStride), 0);
        if (valid > 2) TOps.Store(c2, ref Unsafe.Add(ref c, 2 * cStride), 0);
        if (valid > 3) TOps.Store(c3, ref Unsafe.Add(ref c, 3 * cStride), 0);
    }

    /// <summary>Columns [<paramref name="from"/>, <paramref name="to"/>) one element at a time (matrices narrower than a register).</summary>
    private static void Scalar(ref float a, int aRowStride, int aColStride, ref float b, int bStride, ref float c, int cStride,
        ref float bias, bool hasBias, int rows, int from, int to, int depth)
    {
        for (int i = 0; i < rows; i++)
            for (int j = from; j < to; j++)
            {
                float sum = hasBias ? Unsafe.Add(ref bias, i) : 0f;
                for (int k = 0; k < depth; k++)
                    sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, i * aRowStride + k * aColStride), Unsafe.Add(ref b, k * bStride + j), sum);
                Unsafe.Add(ref c, i * cStride + j) = sum;
            }
    }
}
