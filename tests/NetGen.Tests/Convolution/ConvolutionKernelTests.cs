using System.Runtime.Intrinsics;

namespace NetGen.Tests.Convolution;

/// <summary>
/// The convolution kernels on each register width (forced per thread with <c>SimdPaths.Force</c>), against a direct
/// convolution in double written here: sizes chosen to reach every path — output rows that are not a multiple of a
/// register (the overlapping tail tile), filter counts that are not a multiple of four (the repeated-row tile), patches
/// longer and shorter than the positions (both ways of computing ∂L/∂W), strides 1 and 2, padding, a missing bias, and a
/// sequence (time-major).
/// </summary>
public class ConvolutionKernelTests
{
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { nameof(SimdPath.Scalar) };
        if (Vector256.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector256));
        if (Vector512.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector512));
        return data;
    }

    private static readonly ConvolutionGeometry[] Geometries =
    [
        ConvolutionGeometry.Image(channels: 1, height: 11, width: 13, filters: 5, kernel: 3, stride: 1, padding: 1),   // P 143 ≥ K 9
        ConvolutionGeometry.Image(channels: 6, height: 7, width: 6, filters: 3, kernel: 3, stride: 2, padding: 1),     // P 12 < K 54
        ConvolutionGeometry.Image(channels: 3, height: 9, width: 9, filters: 8, kernel: 5, stride: 1, padding: 0),     // P 25 < K 75
        ConvolutionGeometry.Image(channels: 2, height: 20, width: 19, filters: 4, kernel: 1, stride: 1, padding: 0),   // a 1×1 kernel
        ConvolutionGeometry.Image(channels: 2, height: 5, width: 40, filters: 7, kernel: 2, stride: 2, padding: 1),
        ConvolutionGeometry.Sequence(steps: 17, channels: 3, filters: 5, kernel: 4, stride: 2, padding: 2),
        // Down to one pixel: stride 2 with padding over widths 1 and 2 (the last kernel columns read only padding).
        ConvolutionGeometry.Image(channels: 8, height: 1, width: 1, filters: 4, kernel: 3, stride: 2, padding: 1),
        ConvolutionGeometry.Image(channels: 2, height: 2, width: 2, filters: 3, kernel: 5, stride: 2, padding: 2),
        ConvolutionGeometry.Image(channels: 1, height: 3, width: 2, filters: 2, kernel: 3, stride: 3, padding: 1),
    ];

    /// <summary>x[c, y, x] of an image, or x[t, c] of a sequence, zero outside.</summary>
    private static double At(float[] x, ConvolutionGeometry g, int c, int y, int col)
    {
        if (y < 0 || y >= g.Height || col < 0 || col >= g.Width) return 0;
        return g.TimeMajor ? x[col * g.Channels + c] : x[(c * g.Height + y) * g.Width + col];
    }

    /// <summary>The output index of (filter f, row i, column j): NCHW for an image, step after step for a sequence.</summary>
    private static int Out(ConvolutionGeometry g, int f, int i, int j) =>
        g.TimeMajor ? j * g.Filters + f : (f * g.OutputHeight + i) * g.OutputWidth + j;

    private static int In(ConvolutionGeometry g, int c, int y, int col) =>
        g.TimeMajor ? col * g.Channels + c : (c * g.Height + y) * g.Width + col;

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forward_and_all_three_gradients_equal_a_direct_convolution(string path)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        var random = new Random(11);
        float[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        foreach (var g in Geometries)
            foreach (bool bias in new[] { true, false })
            {
                int k = g.PatchLength;
                float[] w = Draw(g.Filters * k), b = bias ? Draw(g.Filters) : [], x = Draw(g.InputLength), dz = Draw(g.OutputLength);
                var z = new float[g.OutputLength];
                var cache = new float[ConvolutionKernels.CacheLength(g)];
                ConvolutionKernels.Forward(w, b, x, z, cache, g);

                var expectedZ = new double[g.OutputLength];
                var expectedW = new double[w.Length];
                var expectedB = new double[g.Filters];
                var expectedX = new double[g.InputLength];
                for (int f = 0; f < g.Filters; f++)
                    for (int i = 0; i < g.OutputHeight; i++)
                        for (int j = 0; j < g.OutputWidth; j++)
                        {
                            double sum = bias ? b[f] : 0, d = dz[Out(g, f, i, j)];
                            expectedB[f] += d;
                            for (int c = 0; c < g.Channels; c++)
                                for (int u = 0; u < g.KernelHeight; u++)
                                    for (int v = 0; v < g.KernelWidth; v++)
                                    {
                                        int y = g.Stride * i + u - g.PaddingHeight, col = g.Stride * j + v - g.PaddingWidth;
                                        int wi = f * k + (c * g.KernelHeight + u) * g.KernelWidth + v;
                                        double xv = At(x, g, c, y, col);
                                        sum += w[wi] * xv;
                                        expectedW[wi] += d * xv;
                                        if (y >= 0 && y < g.Height && col >= 0 && col < g.Width) expectedX[In(g, c, y, col)] += w[wi] * d;
                                    }
                            expectedZ[Out(g, f, i, j)] = sum;
                        }
                Close(expectedZ, z, $"{path} {g} bias {bias}: z");

                var gw = Enumerable.Repeat(0.5f, w.Length).ToArray(); // the kernel adds to what is there
                var gb = bias ? Enumerable.Repeat(0.25f, g.Filters).ToArray() : [];
                var dx = Enumerable.Repeat(9f, g.InputLength).ToArray(); // and overwrites ∂L/∂x
                ConvolutionKernels.Backward(w, dz, cache, gw, gb, dx, g);
                Close(expectedW.Select(v => v + 0.5).ToArray(), gw, $"{path} {g} bias {bias}: ∂L/∂W");
                if (bias) Close(expectedB.Select(v => v + 0.25).ToArray(), gb, $"{path} {g}: ∂L/∂b");
                Close(expectedX, dx, $"{path} {g} bias {bias}: ∂L/∂x");
            }
    }

    private static void Close(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * scale, $"{what}[{i}] is {actual[i]}, expected {expected[i]}");
    }

    [Fact]
    public void A_geometry_whose_sizes_overflow_an_int_is_refused_not_wrapped()
    {
        var g = ConvolutionGeometry.Image(channels: 65536, height: 1, width: 65536, filters: 1, kernel: 65536, stride: 1, padding: 32768);
        var error = Assert.Throws<ArgumentException>(() => ConvolutionKernels.Forward([], [], [], new float[1], [], g));
        Assert.Contains("too large", error.Message);
    }

    [Fact]
    public void A_cache_shorter_than_the_geometry_needs_is_refused_with_the_sizes()
    {
        var g = ConvolutionGeometry.Image(1, 6, 6, 2, 3, 1, 0);
        var error = Assert.Throws<ArgumentException>(() =>
            ConvolutionKernels.Forward(new float[18], new float[2], new float[36], new float[32], new float[ConvolutionKernels.CacheLength(g) - 1], g));
        Assert.Contains($"cache at least {ConvolutionKernels.CacheLength(g)}", error.Message);
    }
}

/// <summary>An image read by a dense layer, with and without a [Flatten] that changes nothing.</summary>
[Network(InputShape = new[] { 2, 3, 3 }, Loss = Loss.MeanSquaredError)]
[Dense(2)]
public partial class ImplicitlyFlattened { }

/// <summary>The same network, written with the [Flatten] a PyTorch or Keras user would write.</summary>
[Network(InputShape = new[] { 2, 3, 3 }, Loss = Loss.MeanSquaredError)]
[Flatten]
[Dense(2)]
public partial class ExplicitlyFlattened { }

public class FlattenTests
{
    [Fact]
    public void A_flatten_that_changes_nothing_is_not_part_of_the_network_or_its_checkpoint_key()
    {
        Assert.Equal(ImplicitlyFlattened.Architecture, ExplicitlyFlattened.Architecture);
        Assert.Equal(ImplicitlyFlattened.ParameterCount, ExplicitlyFlattened.ParameterCount);
        // A checkpoint of one loads into the other.
        var source = new ImplicitlyFlattened(3);
        var target = new ExplicitlyFlattened(4);
        using var stream = new MemoryStream();
        Checkpoint.Save(source, stream);
        stream.Position = 0;
        Checkpoint.Load(target, stream);
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
    }
}
