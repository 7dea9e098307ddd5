using System;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Register-tiled dense-layer kernels over a mini-batch, generic over the register width (<see cref="ISimdOps{TVector}"/>).
/// Each kernel keeps a 4 × 4 tile of sixteen accumulators in registers, so every value loaded from memory feeds four
/// multiply-adds: 8 loads per 16 FMAs, which keeps the FMA units, not the loads, the limit.
/// </summary>
/// <remarks>
/// Layout: sample b's values start at b·stride; W is row-major [rows, cols] (row i holds the weights into output i).
/// <list type="bullet">
/// <item>Forward, Z = X·Wᵀ + b: the tile is 4 rows of W × 4 samples, a dot product each along the inputs, summed across
/// lanes once at the end of the row (W is stored along the inputs, so this needs no transposed copy).</item>
/// <item>∂L/∂W += δᵀ·X: the tile is 4 rows × 4 registers of columns, accumulated over every sample of the batch before
/// ∂L/∂W is read and written once — one pass over the gradient per batch, not per sample.</item>
/// <item>∂L/∂X = δ·W: the tile is 4 samples × 4 registers of columns, accumulated over the rows of W.</item>
/// </list>
/// Tails: a tile that would run past the last row or sample repeats the last one and drops its results (forward and
/// ∂L/∂X); ∂L/∂W, which accumulates, takes leftover rows one at a time and leftover columns one register at a time;
/// columns past the last whole register are summed in scalar code. All paths add the same products; only the order of the float additions differs.
/// </remarks>
internal static class DenseTiles<TOps, TVector>
    where TOps : struct, ISimdOps<TVector>
    where TVector : struct
{
    /// <summary>z_b,i = bias_i + Σ_k W_i,k·x_b,k for every sample b &lt; count and row i &lt; rows.</summary>
    public static void Forward(ref float w, ref float bias, ref float x, int xStride, ref float z, int zStride, int count, int rows, int cols)
    {
        int c = TOps.Count;
        int vectorEnd = cols - cols % c;
        for (int i = 0; i < rows; i += 4)
        {
            int last = rows - 1;
            ref float w0 = ref Unsafe.Add(ref w, i * cols);
            ref float w1 = ref Unsafe.Add(ref w, Math.Min(i + 1, last) * cols);
            ref float w2 = ref Unsafe.Add(ref w, Math.Min(i + 2, last) * cols);
            ref float w3 = ref Unsafe.Add(ref w, Math.Min(i + 3, last) * cols);
            int validRows = Math.Min(4, rows - i);
            for (int b = 0; b < count; b += 4)
            {
                int lastSample = count - 1;
                ref float x0 = ref Unsafe.Add(ref x, b * xStride);
                ref float x1 = ref Unsafe.Add(ref x, Math.Min(b + 1, lastSample) * xStride);
                ref float x2 = ref Unsafe.Add(ref x, Math.Min(b + 2, lastSample) * xStride);
                ref float x3 = ref Unsafe.Add(ref x, Math.Min(b + 3, lastSample) * xStride);
                // a{row}{sample}: sixteen running dot products.
                TVector a00 = TOps.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
                TVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
                for (int k = 0; k < vectorEnd; k += c)
                {
                    nuint o = (nuint)k;
                    TVector v0 = TOps.Load(ref x0, o), v1 = TOps.Load(ref x1, o), v2 = TOps.Load(ref x2, o), v3 = TOps.Load(ref x3, o);
                    TVector r = TOps.Load(ref w0, o);
                    a00 = TOps.MultiplyAdd(r, v0, a00); a01 = TOps.MultiplyAdd(r, v1, a01); a02 = TOps.MultiplyAdd(r, v2, a02); a03 = TOps.MultiplyAdd(r, v3, a03);
                    r = TOps.Load(ref w1, o);
                    a10 = TOps.MultiplyAdd(r, v0, a10); a11 = TOps.MultiplyAdd(r, v1, a11); a12 = TOps.MultiplyAdd(r, v2, a12); a13 = TOps.MultiplyAdd(r, v3, a13);
                    r = TOps.Load(ref w2, o);
                    a20 = TOps.MultiplyAdd(r, v0, a20); a21 = TOps.MultiplyAdd(r, v1, a21); a22 = TOps.MultiplyAdd(r, v2, a22); a23 = TOps.MultiplyAdd(r, v3, a23);
                    r = TOps.Load(ref w3, o);
                    a30 = TOps.MultiplyAdd(r, v0, a30); a31 = TOps.MultiplyAdd(r, v1, a31); a32 = TOps.MultiplyAdd(r, v2, a32); a33 = TOps.MultiplyAdd(r, v3, a33);
                }
                float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                float s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                if (vectorEnd > 0)
                {
                    s00 = TOps.Sum(a00); s01 = TOps.Sum(a01); s02 = TOps.Sum(a02); s03 = TOps.Sum(a03);
                    s10 = TOps.Sum(a10); s11 = TOps.Sum(a11); s12 = TOps.Sum(a12); s13 = TOps.Sum(a13);
                    s20 = TOps.Sum(a20); s21 = TOps.Sum(a21); s22 = TOps.Sum(a22); s23 = TOps.Sum(a23);
                    s30 = TOps.Sum(a30); s31 = TOps.Sum(a31); s32 = TOps.Sum(a32); s33 = TOps.Sum(a33);
                }
                for (int k = vectorEnd; k < cols; k++)
                {
                    float v0 = Unsafe.Add(ref x0, k), v1 = Unsafe.Add(ref x1, k), v2 = Unsafe.Add(ref x2, k), v3 = Unsafe.Add(ref x3, k);
                    float r = Unsafe.Add(ref w0, k);
                    s00 += r * v0; s01 += r * v1; s02 += r * v2; s03 += r * v3;
                    r = Unsafe.Add(ref w1, k);
                    s10 += r * v0; s11 += r * v1; s12 += r * v2; s13 += r * v3;
                    r = Unsafe.Add(ref w2, k);
                    s20 += r * v0; s21 += r * v1; s22 += r * v2; s23 += r * v3;
                    r = Unsafe.Add(ref w3, k);
                    s30 += r * v0; s31 += r * v1; s32 += r * v2; s33 += r * v3;
                }
                ref float zb = ref Unsafe.Add(ref z, b * zStride + i);
                ref float bi = ref Unsafe.Add(ref bias, i);
                int validSamples = Math.Min(4, count - b);
                PutRows(ref zb, ref bi, validRows, s00, s10, s20, s30);
                if (validSamples > 1) PutRows(ref Unsafe.Add(ref zb, zStride), ref bi, validRows, s01, s11, s21, s31);
                if (validSamples > 2) PutRows(ref Unsafe.Add(ref zb, 2 * zStride), ref bi, validRows, s02, s12, s22, s32);
                if (validSamples > 3) PutRows(ref Unsafe.Add(ref zb, 3 * zStride), ref bi, validRows, s03, s13, s23, s33);
            }
        }
    }

    /// <summary>One sample's z for up to four rows: z_p = bias_p + s_p for p &lt; <paramref name="validRows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutRows(ref float z, ref float bias, int validRows, float s0, float s1, float s2, float s3)
    {
        z = bias + s0;
        if (validRows > 1) Unsafe.Add(ref z, 1) = Unsafe.Add(ref bias, 1) + s1;
        if (validRows > 2) Unsafe.Add(ref z, 2) = Unsafe.Add(ref bias, 2) + s2;
        if (validRows > 3) Unsafe.Add(ref z, 3) = Unsafe.Add(ref bias, 3) + s3;
    }

    /// <summary>∂L/∂W_i,j += Σ_b δ_b,i·x_b,j and ∂L/∂b_i += Σ_b δ_b,i over the batch.</summary>
    public static void WeightGradients(ref float x, int xStride, ref float delta, int deltaStride, ref float gw, ref float gb, int count, int rows, int cols)
    {
        for (int b = 0; b < count; b++)
        {
            ref float db = ref Unsafe.Add(ref delta, b * deltaStride);
            for (int i = 0; i < rows; i++)
                Unsafe.Add(ref gb, i) += Unsafe.Add(ref db, i);
        }
        int wide = 4 * TOps.Count, wideEnd = cols - cols % wide;
        // Column blocks outside, rows inside: the block of X (the batch × four registers) stays in L1 while every row of
        // ∂L/∂W uses it.
        for (int j = 0; j < wideEnd; j += wide)
        {
            ref float xj = ref Unsafe.Add(ref x, j);
            int row = 0;
            for (; row + 4 <= rows; row += 4)
                WideRows4(ref xj, xStride, ref Unsafe.Add(ref delta, row), deltaStride, ref Unsafe.Add(ref gw, row * cols + j), cols, count);
            for (; row < rows; row++)
                WideRow(ref xj, xStride, ref Unsafe.Add(ref delta, row), deltaStride, ref Unsafe.Add(ref gw, row * cols + j), count);
        }
        if (wideEnd < cols)
            for (int row = 0; row < rows; row++)
                NarrowRow(ref x, xStride, ref Unsafe.Add(ref delta, row), deltaStride, ref Unsafe.Add(ref gw, row * cols), count, wideEnd, cols);
    }

    /// <summary>Four rows × four registers of ∂L/∂W (the first at <paramref name="g"/>), summed over the batch.</summary>
    private static void WideRows4(ref float x, int xStride, ref float delta, int deltaStride, ref float g, int cols, int count)
    {
        int c = TOps.Count;
        // a{row}{register}: sixteen accumulators, each loaded x register and broadcast δ feeding four of them.
        TVector a00 = TOps.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        TVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int b = 0; b < count; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * xStride);
            ref float db = ref Unsafe.Add(ref delta, b * deltaStride);
            TVector v0 = TOps.Load(ref xb, 0), v1 = TOps.Load(ref xb, (nuint)c), v2 = TOps.Load(ref xb, (nuint)(2 * c)), v3 = TOps.Load(ref xb, (nuint)(3 * c));
            TVector e = TOps.Broadcast(db);
            a00 = TOps.MultiplyAdd(v0, e, a00); a01 = TOps.MultiplyAdd(v1, e, a01); a02 = TOps.MultiplyAdd(v2, e, a02); a03 = TOps.MultiplyAdd(v3, e, a03);
            e = TOps.Broadcast(Unsafe.Add(ref db, 1));
            a10 = TOps.MultiplyAdd(v0, e, a10); a11 = TOps.MultiplyAdd(v1, e, a11); a12 = TOps.MultiplyAdd(v2, e, a12); a13 = TOps.MultiplyAdd(v3, e, a13);
            e = TOps.Broadcast(Unsafe.Add(ref db, 2));
            a20 = TOps.MultiplyAdd(v0, e, a20); a21 = TOps.MultiplyAdd(v1, e, a21); a22 = TOps.MultiplyAdd(v2, e, a22); a23 = TOps.MultiplyAdd(v3, e, a23);
            e = TOps.Broadcast(Unsafe.Add(ref db, 3));
            a30 = TOps.MultiplyAdd(v0, e, a30); a31 = TOps.MultiplyAdd(v1, e, a31); a32 = TOps.MultiplyAdd(v2, e, a32); a33 = TOps.MultiplyAdd(v3, e, a33);
        }
        AddInto(ref g, c, a00, a01, a02, a03);
        AddInto(ref Unsafe.Add(ref g, cols), c, a10, a11, a12, a13);
        AddInto(ref Unsafe.Add(ref g, 2 * cols), c, a20, a21, a22, a23);
        AddInto(ref Unsafe.Add(ref g, 3 * cols), c, a30, a31, a32, a33);
    }

    /// <summary>One row × four registers of ∂L/∂W: the rows left over after the four-row tiles.</summary>
    private static void WideRow(ref float x, int xStride, ref float delta, int deltaStride, ref float g, int count)
    {
        int c = TOps.Count;
        TVector a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < count; b++)
        {
            ref float xb = ref Unsafe.Add(ref x, b * xStride);
            TVector e = TOps.Broadcast(Unsafe.Add(ref delta, b * deltaStride));
            a0 = TOps.MultiplyAdd(TOps.Load(ref xb, 0), e, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(ref xb, (nuint)c), e, a1);
            a2 = TOps.MultiplyAdd(TOps.Load(ref xb, (nuint)(2 * c)), e, a2);
            a3 = TOps.MultiplyAdd(TOps.Load(ref xb, (nuint)(3 * c)), e, a3);
        }
        AddInto(ref g, c, a0, a1, a2, a3);
    }

    /// <summary>Columns [<paramref name="from"/>, <paramref name="to"/>) of one row of ∂L/∂W: whole registers, then scalar.</summary>
    private static void NarrowRow(ref float x, int xStride, ref float delta, int deltaStride, ref float g, int count, int from, int to)
    {
        int c = TOps.Count, j = from;
        for (; j + c <= to; j += c)
        {
            TVector a = TOps.Zero;
            for (int b = 0; b < count; b++)
                a = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref x, b * xStride + j), 0), TOps.Broadcast(Unsafe.Add(ref delta, b * deltaStride)), a);
            TOps.Store(TOps.Add(TOps.Load(ref g, (nuint)j), a), ref g, (nuint)j);
        }
        for (; j < to; j++)
        {
            float s = 0;
            for (int b = 0; b < count; b++)
                s += Unsafe.Add(ref x, b * xStride + j) * Unsafe.Add(ref delta, b * deltaStride);
            Unsafe.Add(ref g, j) += s;
        }
    }

    /// <summary>y[0..4c) += (a0, a1, a2, a3), one register each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto(ref float y, int c, TVector a0, TVector a1, TVector a2, TVector a3)
    {
        TOps.Store(TOps.Add(TOps.Load(ref y, 0), a0), ref y, 0);
        TOps.Store(TOps.Add(TOps.Load(ref y, (nuint)c), a1), ref y, (nuint)c);
        TOps.Store(TOps.Add(TOps.Load(ref y, (nuint)(2 * c)), a2), ref y, (nuint)(2 * c));
        TOps.Store(TOps.Add(TOps.Load(ref y, (nuint)(3 * c)), a3), ref y, (nuint)(3 * c));
    }

    /// <summary>
    /// ∂L/∂x_b,j = Σ_i δ_b,i·W_i,j for every sample — written, or added to what is there when <paramref name="accumulate"/>
    /// (a residual layer's skip path put ∂L/∂a there first).
    /// </summary>
    public static void InputGradients(ref float w, ref float delta, int deltaStride, ref float dx, int dxStride, int count, int rows, int cols, bool accumulate)
    {
        int c = TOps.Count, wide = 4 * TOps.Count;
        for (int b = 0; b < count; b += 4)
        {
            int lastSample = count - 1, validSamples = Math.Min(4, count - b);
            int b1 = Math.Min(b + 1, lastSample), b2 = Math.Min(b + 2, lastSample), b3 = Math.Min(b + 3, lastSample);
            ref float d0 = ref Unsafe.Add(ref delta, b * deltaStride);
            ref float d1 = ref Unsafe.Add(ref delta, b1 * deltaStride);
            ref float d2 = ref Unsafe.Add(ref delta, b2 * deltaStride);
            ref float d3 = ref Unsafe.Add(ref delta, b3 * deltaStride);
            ref float y0 = ref Unsafe.Add(ref dx, b * dxStride);
            ref float y1 = ref Unsafe.Add(ref dx, b1 * dxStride);
            ref float y2 = ref Unsafe.Add(ref dx, b2 * dxStride);
            ref float y3 = ref Unsafe.Add(ref dx, b3 * dxStride);
            int j = 0;
            for (; j + wide <= cols; j += wide)
            {
                // a{sample}{register}: four samples × four registers of columns, summed over the rows of W.
                TVector a00 = TOps.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
                TVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
                ref float wj = ref Unsafe.Add(ref w, j);
                for (int i = 0; i < rows; i++)
                {
                    ref float wr = ref Unsafe.Add(ref wj, i * cols);
                    TVector v0 = TOps.Load(ref wr, 0), v1 = TOps.Load(ref wr, (nuint)c), v2 = TOps.Load(ref wr, (nuint)(2 * c)), v3 = TOps.Load(ref wr, (nuint)(3 * c));
                    TVector e = TOps.Broadcast(Unsafe.Add(ref d0, i));
                    a00 = TOps.MultiplyAdd(v0, e, a00); a01 = TOps.MultiplyAdd(v1, e, a01); a02 = TOps.MultiplyAdd(v2, e, a02); a03 = TOps.MultiplyAdd(v3, e, a03);
                    e = TOps.Broadcast(Unsafe.Add(ref d1, i));
                    a10 = TOps.MultiplyAdd(v0, e, a10); a11 = TOps.MultiplyAdd(v1, e, a11); a12 = TOps.MultiplyAdd(v2, e, a12); a13 = TOps.MultiplyAdd(v3, e, a13);
                    e = TOps.Broadcast(Unsafe.Add(ref d2, i));
                    a20 = TOps.MultiplyAdd(v0, e, a20); a21 = TOps.MultiplyAdd(v1, e, a21); a22 = TOps.MultiplyAdd(v2, e, a22); a23 = TOps.MultiplyAdd(v3, e, a23);
                    e = TOps.Broadcast(Unsafe.Add(ref d3, i));
                    a30 = TOps.MultiplyAdd(v0, e, a30); a31 = TOps.MultiplyAdd(v1, e, a31); a32 = TOps.MultiplyAdd(v2, e, a32); a33 = TOps.MultiplyAdd(v3, e, a33);
                }
                PutColumns(ref Unsafe.Add(ref y0, j), c, accumulate, a00, a01, a02, a03);
                if (validSamples > 1) PutColumns(ref Unsafe.Add(ref y1, j), c, accumulate, a10, a11, a12, a13);
                if (validSamples > 2) PutColumns(ref Unsafe.Add(ref y2, j), c, accumulate, a20, a21, a22, a23);
                if (validSamples > 3) PutColumns(ref Unsafe.Add(ref y3, j), c, accumulate, a30, a31, a32, a33);
            }
            for (; j + c <= cols; j += c)
            {
                TVector a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0;
                for (int i = 0; i < rows; i++)
                {
                    TVector v = TOps.Load(ref Unsafe.Add(ref w, i * cols + j), 0);
                    a0 = TOps.MultiplyAdd(v, TOps.Broadcast(Unsafe.Add(ref d0, i)), a0);
                    a1 = TOps.MultiplyAdd(v, TOps.Broadcast(Unsafe.Add(ref d1, i)), a1);
                    a2 = TOps.MultiplyAdd(v, TOps.Broadcast(Unsafe.Add(ref d2, i)), a2);
                    a3 = TOps.MultiplyAdd(v, TOps.Broadcast(Unsafe.Add(ref d3, i)), a3);
                }
                PutColumn(ref Unsafe.Add(ref y0, j), accumulate, a0);
                if (validSamples > 1) PutColumn(ref Unsafe.Add(ref y1, j), accumulate, a1);
                if (validSamples > 2) PutColumn(ref Unsafe.Add(ref y2, j), accumulate, a2);
                if (validSamples > 3) PutColumn(ref Unsafe.Add(ref y3, j), accumulate, a3);
            }
            for (; j < cols; j++)
            {
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int i = 0; i < rows; i++)
                {
                    float v = Unsafe.Add(ref w, i * cols + j);
                    s0 += v * Unsafe.Add(ref d0, i); s1 += v * Unsafe.Add(ref d1, i); s2 += v * Unsafe.Add(ref d2, i); s3 += v * Unsafe.Add(ref d3, i);
                }
                Put(ref Unsafe.Add(ref y0, j), accumulate, s0);
                if (validSamples > 1) Put(ref Unsafe.Add(ref y1, j), accumulate, s1);
                if (validSamples > 2) Put(ref Unsafe.Add(ref y2, j), accumulate, s2);
                if (validSamples > 3) Put(ref Unsafe.Add(ref y3, j), accumulate, s3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutColumns(ref float y, int c, bool accumulate, TVector a0, TVector a1, TVector a2, TVector a3)
    {
        if (accumulate)
        {
            AddInto(ref y, c, a0, a1, a2, a3);
            return;
        }
        TOps.Store(a0, ref y, 0);
        TOps.Store(a1, ref y, (nuint)c);
        TOps.Store(a2, ref y, (nuint)(2 * c));
        TOps.Store(a3, ref y, (nuint)(3 * c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutColumn(ref float y, bool accumulate, TVector a) =>
        TOps.Store(accumulate ? TOps.Add(TOps.Load(ref y, 0), a) : a, ref y, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref float y, bool accumulate, float s) => y = accumulate ? y + s : s;
}
