using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The sizes of one convolution layer, for one sample: an image of <see cref="Channels"/> × <see cref="Height"/> ×
/// <see cref="Width"/> stored channel after channel (NCHW without the batch axis), or — <see cref="TimeMajor"/> — a
/// sequence of <see cref="Width"/> steps of <see cref="Channels"/> values stored step after step (height 1). Generated
/// code builds it from literals with <see cref="Image"/> or <see cref="Sequence"/>.
/// </summary>
/// <param name="Channels">Input channels C.</param>
/// <param name="Height">Input rows H (1 for a sequence).</param>
/// <param name="Width">Input columns W (the steps of a sequence).</param>
/// <param name="Filters">Output channels F.</param>
/// <param name="KernelHeight">Kernel rows (1 for a sequence).</param>
/// <param name="KernelWidth">Kernel columns (steps).</param>
/// <param name="Stride">The step between kernel positions, along the convolved axes.</param>
/// <param name="PaddingHeight">Zero rows above and below (0 for a sequence).</param>
/// <param name="PaddingWidth">Zero columns (steps) on either side.</param>
/// <param name="TimeMajor">True for a sequence: input and output are stored step after step, channels fastest.</param>
public readonly record struct ConvolutionGeometry(int Channels, int Height, int Width, int Filters, int KernelHeight, int KernelWidth,
    int Stride, int PaddingHeight, int PaddingWidth, bool TimeMajor)
{
    /// <summary>A 2-D convolution of a <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/> image
    /// with a square kernel.</summary>
    public static ConvolutionGeometry Image(int channels, int height, int width, int filters, int kernel, int stride, int padding) =>
        new(channels, height, width, filters, kernel, kernel, stride, padding, padding, TimeMajor: false);

    /// <summary>A 1-D convolution along a sequence of <paramref name="steps"/> × <paramref name="channels"/>.</summary>
    public static ConvolutionGeometry Sequence(int steps, int channels, int filters, int kernel, int stride, int padding) =>
        new(channels, 1, steps, filters, 1, kernel, stride, 0, padding, TimeMajor: true);

    /// <summary>Output rows: ⌊(H + 2p − k)/s⌋ + 1.</summary>
    public int OutputHeight => (Height + 2 * PaddingHeight - KernelHeight) / Stride + 1;

    /// <summary>Output columns (steps): ⌊(W + 2p − k)/s⌋ + 1.</summary>
    public int OutputWidth => (Width + 2 * PaddingWidth - KernelWidth) / Stride + 1;

    /// <summary>Output positions P, each one dot product per filter.</summary>
    public int Positions => OutputHeight * OutputWidth;

    /// <summary>The values under the kernel, K = C · kernel rows · kernel columns: a row of W.</summary>
    public int PatchLength => Channels * KernelHeight * KernelWidth;

    /// <summary>Floats of one sample's input.</summary>
    public int InputLength => Channels * Height * Width;

    /// <summary>Floats of one sample's output.</summary>
    public int OutputLength => Filters * Positions;
}

/// <summary>
/// Convolution kernels for one sample, lowered to register-tiled matrix products ("im2col"). An image's patches become
/// the columns of a K × P matrix (K = C·kh·kw values under the kernel, in PyTorch's weight order c, u, v; P output
/// positions), so the layer is Z = W·patches + b with W [F, K] exactly PyTorch's <c>Conv2d.weight</c>, and Z [F, P] is
/// already the NCHW output; its backward pass is the same product's: ∂L/∂W += δ·patchesᵀ, ∂L/∂b += Σ δ,
/// ∂L/∂patches = Wᵀ·δ, scattered back onto the input ("col2im"). A sequence (time-major) uses the transposed form,
/// Zᵀ = patchesᵀ·Wᵀ + b, through <see cref="DenseBatchKernels"/>, because its output is step after step. Generated code
/// calls them with every size a literal. Public because code generated into the user's assembly calls it.
/// </summary>
/// <remarks>
/// Cache, per sample (<see cref="CacheLength"/>): the patches (reused for ∂L/∂patches in the backward pass), and for a
/// sequence F floats that stand for a missing bias or its gradient. The forward pass fills the patches; the backward pass
/// reads and overwrites the cache. The backward pass of an image computes one sample's ∂L/∂W (and may transpose the
/// patches) in one scratch buffer per thread, allocated at its first call and then reused.
/// </remarks>
public static class ConvolutionKernels
{
    /// <summary>Floats of cache one sample needs: the patches P·K, and for a sequence F more.</summary>
    public static int CacheLength(in ConvolutionGeometry g) =>
        g.Positions * g.PatchLength + (g.TimeMajor ? g.Filters : 0);

    /// <summary>
    /// z = W ⊛ x + b for one sample: z[f, i, j] = b[f] + Σ_c Σ_u Σ_v W[f, c, u, v] · x[c, s·i + u − p, s·j + v − p], zero
    /// outside the input. <paramref name="bias"/> may be empty (a layer without bias).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z, Span<float> cache, in ConvolutionGeometry g)
    {
        Check(weights, bias, x.Length, z.Length, cache.Length, g);
        int p = g.Positions, k = g.PatchLength, f = g.Filters;
        Span<float> patches = cache.Slice(0, p * k);
        if (g.TimeMajor)
        {
            // The sequence's output is Zᵀ: step after step, filters fastest; patches are rows [P × K].
            Span<float> biasSlot = cache.Slice(p * k, f);
            if (bias.IsEmpty)
            {
                biasSlot.Clear();
                bias = biasSlot;
            }
            Im2Rows(x, patches, g);
            DenseBatchKernels.Forward(weights, bias, patches, k, z, f, count: p, rows: f, cols: k);
            return;
        }
        Im2Col(x, patches, g);
        // Z [F × P] = W [F × K] · patches [K × P] + b
        Multiply(ref MemoryMarshal.GetReference(weights), k, 1, ref MemoryMarshal.GetReference(patches), p, ref MemoryMarshal.GetReference(z), p,
            ref MemoryMarshal.GetReference(bias), !bias.IsEmpty, rows: f, columns: p, depth: k);
    }

    /// <summary>
    /// The backward pass of <see cref="Forward"/> for one sample, given δ = ∂L/∂z: adds ∂L/∂W and ∂L/∂b (unless
    /// <paramref name="biasGradients"/> is empty) and, unless <paramref name="inputGradients"/> is empty, writes ∂L/∂x.
    /// Reads the cache <see cref="Forward"/> filled and overwrites it.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> weights, ReadOnlySpan<float> delta, Span<float> cache,
        Span<float> weightGradients, Span<float> biasGradients, Span<float> inputGradients, in ConvolutionGeometry g)
    {
        Check(weights, biasGradients, inputGradients.IsEmpty ? g.InputLength : inputGradients.Length, delta.Length, cache.Length, g);
        if (weightGradients.Length != weights.Length)
            throw new ArgumentException($"weightGradients must hold {weights.Length} values; it has {weightGradients.Length}.", nameof(weightGradients));
        int p = g.Positions, k = g.PatchLength, f = g.Filters;
        Span<float> patches = cache.Slice(0, p * k);
        bool wantInput = !inputGradients.IsEmpty;
        if (g.TimeMajor)
        {
            if (biasGradients.IsEmpty) biasGradients = cache.Slice(p * k, f);
            // ∂L/∂W += δᵀ·patches, ∂L/∂b += Σ_steps δ, then ∂L/∂patches = δ·W into the patches' place (they are read first).
            DenseBatchKernels.Backward(weights, patches, k, delta, f, weightGradients, biasGradients,
                wantInput ? patches : Span<float>.Empty, k, count: p, rows: f, cols: k);
            if (!wantInput) return;
            inputGradients.Clear();
            Rows2ImAdd(patches, inputGradients, g);
            return;
        }
        // ∂L/∂b[f] += Σ_positions δ[f, ·]
        if (!biasGradients.IsEmpty)
            for (int i = 0; i < f; i++) biasGradients[i] += TensorPrimitives.Sum(delta.Slice(i * p, p));
        // ∂L/∂W [F × K] += δ [F × P] · patchesᵀ [P × K], into one sample's ∂L/∂W in this thread's scratch, then added to
        // the batch's.
        if (p >= k)
        {
            // Positions outnumber the patch length (an early layer: 784 positions of 25 values): one long dot product over
            // the positions per weight, in the dense layers' 4 × 4 tiles (bias: zeros).
            Span<float> scratch = Scratch(f * k + k), sampleGradient = scratch.Slice(0, f * k), zeros = scratch.Slice(f * k, k);
            zeros.Clear();
            DenseBatchKernels.Forward(patches, zeros, delta, p, sampleGradient, k, count: f, rows: k, cols: p);
            TensorPrimitives.Add(weightGradients, sampleGradient, weightGradients);
        }
        else
        {
            // Short rows (a later layer: 100 positions of 400 values): the patches transposed, then the forward pass's
            // register tiles along the patch.
            Span<float> scratch = Scratch(f * k + p * k), sampleGradient = scratch.Slice(0, f * k), transposed = scratch.Slice(f * k, p * k);
            Transpose(patches, transposed, k, p);
            Multiply(ref MemoryMarshal.GetReference(delta), p, 1, ref MemoryMarshal.GetReference(transposed), k, ref MemoryMarshal.GetReference(sampleGradient), k,
                ref MemoryMarshal.GetReference(delta), false, rows: f, columns: k, depth: p);
            TensorPrimitives.Add(weightGradients, sampleGradient, weightGradients);
        }
        if (!wantInput) return;
        // ∂L/∂patches [K × P] = Wᵀ [K × F] · δ [F × P] (Wᵀ read through W's strides), into the patches' place
        Multiply(ref MemoryMarshal.GetReference(weights), 1, k, ref MemoryMarshal.GetReference(delta), p, ref MemoryMarshal.GetReference(patches), p,
            ref MemoryMarshal.GetReference(weights), false, rows: k, columns: p, depth: f);
        inputGradients.Clear();
        Col2ImAdd(patches, inputGradients, g);
    }

    private static void Multiply(ref float a, int aRowStride, int aColStride, ref float b, int bStride, ref float c, int cStride,
        ref float bias, bool hasBias, int rows, int columns, int depth)
    {
        switch (SimdPaths.Current)
        {
            case SimdPath.Vector512:
                MatrixTiles<Simd512, Vector512<float>>.Multiply(ref a, aRowStride, aColStride, ref b, bStride, ref c, cStride, ref bias, hasBias, rows, columns, depth);
                break;
            case SimdPath.Vector256:
                MatrixTiles<Simd256, Vector256<float>>.Multiply(ref a, aRowStride, aColStride, ref b, bStride, ref c, cStride, ref bias, hasBias, rows, columns, depth);
                break;
            default:
                MatrixTiles<SimdScalar, float>.Multiply(ref a, aRowStride, aColStride, ref b, bStride, ref c, cStride, ref bias, hasBias, rows, columns, depth);
                break;
        }
    }

    [ThreadStatic]
    private static float[]? t_scratch;

    /// <summary>This thread's scratch (transposed patches, or zeros), grown to the largest layer it has met (no allocation after that).</summary>
    private static Span<float> Scratch(int length)
    {
        if (t_scratch is not { } buffer || buffer.Length < length) t_scratch = buffer = new float[length];
        return buffer.AsSpan(0, length);
    }

    /// <summary>destination[c, r] = source[r, c] for a <paramref name="rows"/> × <paramref name="columns"/> source, in 8 × 8 blocks.</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        ref float sr = ref MemoryMarshal.GetReference(source);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        for (int r0 = 0; r0 < rows; r0 += 8)
            for (int c0 = 0; c0 < columns; c0 += 8)
            {
                int rEnd = Math.Min(r0 + 8, rows), cEnd = Math.Min(c0 + 8, columns);
                for (int r = r0; r < rEnd; r++)
                    for (int c = c0; c < cEnd; c++)
                        Unsafe.Add(ref dr, c * rows + r) = Unsafe.Add(ref sr, r * columns + c);
            }
    }

    /// <summary>
    /// Column q = (i, j) of <paramref name="patches"/> [K × P] holds x under the kernel at output position (i, j); row
    /// (c, u, v) is the input shifted by (u, v), so at stride 1 each of its output rows is one contiguous run of x.
    /// </summary>
    internal static void Im2Col(ReadOnlySpan<float> x, Span<float> patches, in ConvolutionGeometry g)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride;
        int h = g.Height, w = g.Width, p = oh * ow, ph = g.PaddingHeight, pw = g.PaddingWidth;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float pr = ref MemoryMarshal.GetReference(patches);
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int u = 0; u < kh; u++)
                for (int v = 0; v < kw; v++, row++)
                {
                    ref float target = ref Unsafe.Add(ref pr, row * p);
                    var (first, end) = InsideColumns(v, g);
                    for (int i = 0; i < oh; i++)
                    {
                        ref float line = ref Unsafe.Add(ref target, i * ow);
                        int y = i * s + u - ph;
                        if ((uint)y >= (uint)h)
                        {
                            MemoryMarshal.CreateSpan(ref line, ow).Clear();
                            continue;
                        }
                        for (int j = 0; j < first; j++) Unsafe.Add(ref line, j) = 0f;
                        for (int j = end; j < ow; j++) Unsafe.Add(ref line, j) = 0f;
                        if (first == end) continue;
                        // x[c, y, s·first + v − pw]: the first input column inside (never a reference outside x)
                        ref float source = ref Unsafe.Add(ref xr, (c * h + y) * w + first * s + v - pw);
                        if (s == 1)
                            MemoryMarshal.CreateReadOnlySpan(ref source, end - first).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref line, first), end - first));
                        else
                            for (int j = first; j < end; j++) Unsafe.Add(ref line, j) = Unsafe.Add(ref source, (j - first) * s);
                    }
                }
    }

    /// <summary>
    /// The output columns [first, end) whose input column s·j + v − p lies inside [0, W) for kernel column
    /// <paramref name="v"/>: every other column of that patch row reads padding. Floor division throughout (C#'s `/`
    /// truncates towards zero, which would let a negative bound round up into the image).
    /// </summary>
    private static (int First, int End) InsideColumns(int v, in ConvolutionGeometry g)
    {
        int s = g.Stride, ow = g.OutputWidth;
        int low = g.PaddingWidth - v;               // j ≥ ⌈low / s⌉
        int high = g.Width - 1 + g.PaddingWidth - v; // j ≤ ⌊high / s⌋
        if (high < 0) return (0, 0);
        int first = low <= 0 ? 0 : Math.Min(ow, (low + s - 1) / s);
        int end = Math.Min(ow, high / s + 1);
        return (first, Math.Max(first, end));
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every patch value back onto the input element it was read from.</summary>
    internal static void Col2ImAdd(ReadOnlySpan<float> patches, Span<float> dx, in ConvolutionGeometry g)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride;
        int h = g.Height, w = g.Width, p = oh * ow, ph = g.PaddingHeight, pw = g.PaddingWidth;
        ref float dr = ref MemoryMarshal.GetReference(dx);
        ref float pr = ref MemoryMarshal.GetReference(patches);
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
            for (int u = 0; u < kh; u++)
                for (int v = 0; v < kw; v++, row++)
                {
                    ref float from = ref Unsafe.Add(ref pr, row * p);
                    var (first, end) = InsideColumns(v, g);
                    for (int i = 0; i < oh; i++)
                    {
                        int y = i * s + u - ph;
                        if ((uint)y >= (uint)h || first == end) continue;
                        ref float line = ref Unsafe.Add(ref from, i * ow);
                        ref float target = ref Unsafe.Add(ref dr, (c * h + y) * w + first * s + v - pw);
                        if (s == 1)
                            TensorPrimitives.Add(MemoryMarshal.CreateReadOnlySpan(ref target, end - first),
                                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref line, first), end - first),
                                MemoryMarshal.CreateSpan(ref target, end - first));
                        else
                            for (int j = first; j < end; j++) Unsafe.Add(ref target, (j - first) * s) += Unsafe.Add(ref line, j);
                    }
                }
    }

    /// <summary>A sequence's patches as rows [P × K]: row t holds x under the kernel at output step t, in the order c, u.</summary>
    internal static void Im2Rows(ReadOnlySpan<float> x, Span<float> patches, in ConvolutionGeometry g)
    {
        int steps = g.OutputWidth, kw = g.KernelWidth, s = g.Stride, w = g.Width, channels = g.Channels, k = g.PatchLength;
        for (int t = 0; t < steps; t++)
        {
            Span<float> row = patches.Slice(t * k, k);
            int left = t * s - g.PaddingWidth;
            for (int c = 0; c < channels; c++)
                for (int u = 0; u < kw; u++)
                {
                    int step = left + u;
                    row[c * kw + u] = (uint)step < (uint)w ? x[step * channels + c] : 0f;
                }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Rows"/>.</summary>
    internal static void Rows2ImAdd(ReadOnlySpan<float> patches, Span<float> dx, in ConvolutionGeometry g)
    {
        int steps = g.OutputWidth, kw = g.KernelWidth, s = g.Stride, w = g.Width, channels = g.Channels, k = g.PatchLength;
        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<float> row = patches.Slice(t * k, k);
            int left = t * s - g.PaddingWidth;
            for (int c = 0; c < channels; c++)
                for (int u = 0; u < kw; u++)
                {
                    int step = left + u;
                    if ((uint)step < (uint)w) dx[step * channels + c] += row[c * kw + u];
                }
        }
    }

    private static void Check(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputLength, int outputLength, int cacheLength, in ConvolutionGeometry g)
    {
        if (g.Channels < 1 || g.Height < 1 || g.Width < 1 || g.Filters < 1 || g.KernelHeight < 1 || g.KernelWidth < 1 || g.Stride < 1
            || g.PaddingHeight < 0 || g.PaddingWidth < 0
            || (long)g.Height + 2L * g.PaddingHeight < g.KernelHeight || (long)g.Width + 2L * g.PaddingWidth < g.KernelWidth)
            throw new ArgumentException($"{g} does not describe a convolution: every size must be positive and the kernel must fit the padded input.");
        // Every length in long: a geometry whose products do not fit an int is refused, not wrapped into small numbers.
        long patch = (long)g.Channels * g.KernelHeight * g.KernelWidth;
        long positions = ((long)g.Height + 2L * g.PaddingHeight - g.KernelHeight) / g.Stride + 1;
        positions *= ((long)g.Width + 2L * g.PaddingWidth - g.KernelWidth) / g.Stride + 1;
        long input = (long)g.Channels * g.Height * g.Width, cache = positions * patch + (g.TimeMajor ? g.Filters : 0);
        if (patch * g.Filters > int.MaxValue || positions * g.Filters > int.MaxValue || input > int.MaxValue || cache > int.MaxValue)
            throw new ArgumentException($"{g} is too large: its weights, output or cache would not fit one span.");
        if (weights.Length != g.Filters * g.PatchLength || (!bias.IsEmpty && bias.Length != g.Filters)
            || inputLength != g.InputLength || outputLength != g.OutputLength || cacheLength < CacheLength(g))
            ThrowSizes(g);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSizes(in ConvolutionGeometry g) =>
        throw new ArgumentException(
            $"A span does not fit the convolution {g}: weights {g.Filters * g.PatchLength} (and their gradients), bias {g.Filters} or none, " +
            $"input {g.InputLength}, output {g.OutputLength}, cache at least {CacheLength(g)}.");
}

/// <summary>
/// Pooling kernels for one sample's image, channel by channel (PyTorch's <c>MaxPool2d</c> and <c>AvgPool2d</c> without
/// padding): a <c>size</c> × <c>size</c> window every <c>stride</c> pixels, output ⌊(H − size)/stride⌋ + 1 per axis.
/// Max pooling keeps, in its cache, each window's arg-max (the first on a tie, and a NaN wins, as PyTorch does) and routes
/// the gradient there. Public because code generated into the user's assembly calls it.
/// </summary>
public static class PoolingKernels
{
    /// <summary>y[c, i, j] = max of x over the window at (stride·i, stride·j); the arg-max of each into <paramref name="argMax"/>.</summary>
    public static void MaxForward(ReadOnlySpan<float> x, Span<float> y, Span<float> argMax, int channels, int height, int width, int size, int stride)
    {
        int oh = (height - size) / stride + 1, ow = (width - size) / stride + 1;
        Check(x.Length, y.Length, channels, height, width, size, stride);
        if (argMax.Length < y.Length) throw new ArgumentException($"argMax must hold {y.Length} values; it has {argMax.Length}.", nameof(argMax));
        Span<int> index = MemoryMarshal.Cast<float, int>(argMax);
        int o = 0;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int start = (c * height + i * stride) * width + j * stride, best = start;
                    float max = x[start];
                    for (int u = 0; u < size; u++)
                        for (int v = 0; v < size; v++)
                        {
                            int at = start + u * width + v;
                            float value = x[at];
                            if (value > max || float.IsNaN(value) && !float.IsNaN(max)) { max = value; best = at; }
                        }
                    y[o] = max;
                    index[o] = best;
                }
    }

    /// <summary>∂L/∂x = 0 except at each window's arg-max, which gets the window's ∂L/∂y (summed where windows overlap).</summary>
    public static void MaxBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> argMax, Span<float> dx)
    {
        ReadOnlySpan<int> index = MemoryMarshal.Cast<float, int>(argMax);
        if (index.Length < dy.Length) throw new ArgumentException($"argMax must hold {dy.Length} values; it has {index.Length}.", nameof(argMax));
        dx.Clear();
        for (int o = 0; o < dy.Length; o++) dx[index[o]] += dy[o];
    }

    /// <summary>y[c, i, j] = the mean of x over the window at (stride·i, stride·j).</summary>
    public static void AverageForward(ReadOnlySpan<float> x, Span<float> y, int channels, int height, int width, int size, int stride)
    {
        int oh = (height - size) / stride + 1, ow = (width - size) / stride + 1;
        Check(x.Length, y.Length, channels, height, width, size, stride);
        float scale = 1f / (size * size);
        int o = 0;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int start = (c * height + i * stride) * width + j * stride;
                    float sum = 0f;
                    for (int u = 0; u < size; u++)
                        for (int v = 0; v < size; v++) sum += x[start + u * width + v];
                    y[o] = sum * scale;
                }
    }

    /// <summary>∂L/∂x: every input gets ∂L/∂y / size² from each window it is in.</summary>
    public static void AverageBackward(ReadOnlySpan<float> dy, Span<float> dx, int channels, int height, int width, int size, int stride)
    {
        int oh = (height - size) / stride + 1, ow = (width - size) / stride + 1;
        Check(dx.Length, dy.Length, channels, height, width, size, stride);
        float scale = 1f / (size * size);
        dx.Clear();
        int o = 0;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++, o++)
                {
                    int start = (c * height + i * stride) * width + j * stride;
                    float share = dy[o] * scale;
                    for (int u = 0; u < size; u++)
                        for (int v = 0; v < size; v++) dx[start + u * width + v] += share;
                }
    }

    private static void Check(int inputLength, int outputLength, int channels, int height, int width, int size, int stride)
    {
        if (channels < 1 || size < 1 || stride < 1 || size > height || size > width)
            throw new ArgumentException($"A {size}×{size} pooling window with stride {stride} does not fit a {channels}×{height}×{width} image.");
        int outputs = channels * ((height - size) / stride + 1) * ((width - size) / stride + 1);
        if (inputLength != channels * height * width || outputLength != outputs)
            throw new ArgumentException($"Pooling {channels}×{height}×{width} by {size} (stride {stride}) reads {channels * height * width} values and writes {outputs}; " +
                                        $"the spans hold {inputLength} and {outputLength}.");
    }
}
