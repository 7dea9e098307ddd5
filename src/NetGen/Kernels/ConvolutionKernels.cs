using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// Convolution kernels for one sample, lowered to the register-tiled products of <see cref="DenseBatchKernels"/>
/// ("im2col"): the input's patches become the rows of a P × K matrix (P output positions, K = C·kh·kw values under the
/// kernel, in PyTorch's weight order c, u, v), so the layer is Zᵀ = patches · Wᵀ + b with W [F, K] exactly PyTorch's
/// <c>Conv2d.weight</c> / <c>Conv1d.weight</c>; its backward pass is the same product's: ∂L/∂W += δᵀ·patches,
/// ∂L/∂b += Σ δ, ∂L/∂patches = δ·W, scattered back onto the input ("col2im"). Generated code calls them with every size a
/// literal. Public because code generated into the user's assembly calls it.
/// </summary>
/// <remarks>
/// Cache, per sample (<see cref="CacheLength"/>): the patches [P × K] (reused for ∂L/∂patches in the backward pass), the
/// product Zᵀ [P × F] (an image's output is transposed from it into NCHW; reused for δᵀ), and F floats that stand for a
/// missing bias (zeros) or its gradient. The forward pass fills it; the backward pass reads and overwrites it.
/// </remarks>
public static class ConvolutionKernels
{
    /// <summary>Floats of cache one sample needs: P·K + P·F + F (a sequence's output needs no transpose: P·K + F).</summary>
    public static int CacheLength(in ConvolutionGeometry g) =>
        g.Positions * g.PatchLength + (g.TimeMajor ? 0 : g.Positions * g.Filters) + g.Filters;

    /// <summary>
    /// z = W ⊛ x + b for one sample: z[f, i, j] = b[f] + Σ_c Σ_u Σ_v W[f, c, u, v] · x[c, s·i + u − p, s·j + v − p], zero
    /// outside the input. <paramref name="bias"/> may be empty (a layer without bias).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z, Span<float> cache, in ConvolutionGeometry g)
    {
        Check(weights, bias, x.Length, z.Length, cache.Length, g);
        int p = g.Positions, k = g.PatchLength, f = g.Filters;
        Span<float> patches = cache.Slice(0, p * k);
        Span<float> biasSlot = cache.Slice(CacheLength(g) - f, f);
        if (bias.IsEmpty)
        {
            biasSlot.Clear();
            bias = biasSlot;
        }
        Im2Col(x, patches, g);
        if (g.TimeMajor)
        {
            // The sequence's output is already Zᵀ: step after step, filters fastest.
            DenseBatchKernels.Forward(weights, bias, patches, k, z, f, count: p, rows: f, cols: k);
            return;
        }
        Span<float> product = cache.Slice(p * k, p * f);
        DenseBatchKernels.Forward(weights, bias, patches, k, product, f, count: p, rows: f, cols: k);
        Transpose(product, z, p, f);
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
        if (biasGradients.IsEmpty) biasGradients = cache.Slice(CacheLength(g) - f, f);
        ReadOnlySpan<float> deltaT = delta;
        if (!g.TimeMajor)
        {
            Span<float> transposed = cache.Slice(p * k, p * f);
            Transpose(delta, transposed, f, p);
            deltaT = transposed;
        }
        // ∂L/∂W += δᵀ·patches, ∂L/∂b += Σ_positions δ, then ∂L/∂patches = δ·W into the patches' place (they are read first).
        bool wantInput = !inputGradients.IsEmpty;
        DenseBatchKernels.Backward(weights, patches, k, deltaT, f, weightGradients, biasGradients,
            wantInput ? patches : Span<float>.Empty, k, count: p, rows: f, cols: k);
        if (!wantInput) return;
        inputGradients.Clear();
        Col2ImAdd(patches, inputGradients, g);
    }

    /// <summary>Row q = (i, j) of <paramref name="patches"/> holds x under the kernel at output position (i, j), in the order c, u, v.</summary>
    internal static void Im2Col(ReadOnlySpan<float> x, Span<float> patches, in ConvolutionGeometry g)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride;
        int h = g.Height, w = g.Width, channels = g.Channels, k = g.PatchLength;
        int channelStride = g.TimeMajor ? 1 : h * w, columnStride = g.TimeMajor ? channels : 1, rowStride = w * columnStride;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float pr = ref MemoryMarshal.GetReference(patches);
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                ref float row = ref Unsafe.Add(ref pr, (i * ow + j) * k);
                int top = i * s - g.PaddingHeight, left = j * s - g.PaddingWidth;
                int first = Math.Max(0, -left), end = Math.Min(kw, w - left); // kernel columns that fall inside
                int q = 0;
                for (int c = 0; c < channels; c++)
                    for (int u = 0; u < kh; u++, q += kw)
                    {
                        int y = top + u;
                        if ((uint)y >= (uint)h || first >= end)
                        {
                            for (int v = 0; v < kw; v++) Unsafe.Add(ref row, q + v) = 0f;
                            continue;
                        }
                        for (int v = 0; v < first; v++) Unsafe.Add(ref row, q + v) = 0f;
                        ref float source = ref Unsafe.Add(ref xr, c * channelStride + y * rowStride + left * columnStride);
                        if (columnStride == 1)
                            MemoryMarshal.CreateSpan(ref Unsafe.Add(ref source, first), end - first)
                                .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref row, q + first), end - first));
                        else
                            for (int v = first; v < end; v++) Unsafe.Add(ref row, q + v) = Unsafe.Add(ref source, v * columnStride);
                        for (int v = end; v < kw; v++) Unsafe.Add(ref row, q + v) = 0f;
                    }
            }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every patch value back onto the input element it was read from.</summary>
    internal static void Col2ImAdd(ReadOnlySpan<float> patches, Span<float> dx, in ConvolutionGeometry g)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride;
        int h = g.Height, w = g.Width, channels = g.Channels, k = g.PatchLength;
        int channelStride = g.TimeMajor ? 1 : h * w, columnStride = g.TimeMajor ? channels : 1, rowStride = w * columnStride;
        ref float dr = ref MemoryMarshal.GetReference(dx);
        ref float pr = ref MemoryMarshal.GetReference(patches);
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                ref float row = ref Unsafe.Add(ref pr, (i * ow + j) * k);
                int top = i * s - g.PaddingHeight, left = j * s - g.PaddingWidth;
                int first = Math.Max(0, -left), end = Math.Min(kw, w - left);
                int q = 0;
                for (int c = 0; c < channels; c++)
                    for (int u = 0; u < kh; u++, q += kw)
                    {
                        int y = top + u;
                        if ((uint)y >= (uint)h) continue;
                        ref float target = ref Unsafe.Add(ref dr, c * channelStride + y * rowStride + left * columnStride);
                        for (int v = first; v < end; v++) Unsafe.Add(ref target, v * columnStride) += Unsafe.Add(ref row, q + v);
                    }
            }
    }

    /// <summary>destination[c, r] = source[r, c] for a <paramref name="rows"/> × <paramref name="columns"/> source.</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        ref float sr = ref MemoryMarshal.GetReference(source);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        for (int r = 0; r < rows; r++)
        {
            ref float from = ref Unsafe.Add(ref sr, r * columns);
            for (int c = 0; c < columns; c++) Unsafe.Add(ref dr, c * rows + r) = Unsafe.Add(ref from, c);
        }
    }

    private static void Check(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputLength, int outputLength, int cacheLength, in ConvolutionGeometry g)
    {
        if (g.Channels < 1 || g.Height < 1 || g.Width < 1 || g.Filters < 1 || g.KernelHeight < 1 || g.KernelWidth < 1 || g.Stride < 1
            || g.PaddingHeight < 0 || g.PaddingWidth < 0 || g.OutputHeight < 1 || g.OutputWidth < 1)
            throw new ArgumentException($"{g} does not describe a convolution: every size must be positive and the kernel must fit the padded input.");
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
