using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Tests;

/// <summary>Every SIMD path of the dense kernels against a naive double-precision loop, on lengths with tails.</summary>
public class KernelTests
{
    public static TheoryData<int> Lengths => new() { 1, 7, 8, 15, 16, 17, 31, 63, 64, 65, 100, 784 };

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_dot_product_path_matches_the_naive_sum(int n)
    {
        var a = Random(n, 1);
        var b = Random(n, 2);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += (double)a[i] * b[i];
        ref float ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref float rb = ref MemoryMarshal.GetArrayDataReference(b);
        // Float sums of n products of magnitude ≤ 1 differ from the exact sum by at most ~n·ε.
        double tolerance = n * 1.2e-7 * 2;
        Assert.Equal(expected, DenseKernels.DotScalar(ref ra, ref rb, n), tolerance);
        if (Vector256.IsHardwareAccelerated)
            Assert.Equal(expected, DenseKernels.Dot256(ref ra, ref rb, n), tolerance);
        if (Vector512.IsHardwareAccelerated)
            Assert.Equal(expected, DenseKernels.Dot512(ref ra, ref rb, n), tolerance);
        Assert.Equal(expected, DenseKernels.Dot(ref ra, ref rb, n), tolerance);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_multiply_add_path_matches_the_naive_update(int n)
    {
        var x = Random(n, 3);
        var y0 = Random(n, 4);
        var expected = y0.Select((v, i) => v + 0.75f * x[i]).ToArray();
        void Check(Action<float[]> kernel)
        {
            var y = (float[])y0.Clone();
            kernel(y);
            for (int i = 0; i < n; i++) Assert.Equal(expected[i], y[i], 1e-6f);
        }
        Check(y => DenseKernels.MultiplyAddScalar(ref y[0], ref x[0], 0.75f, n));
        if (Vector256.IsHardwareAccelerated) Check(y => DenseKernels.MultiplyAdd256(ref y[0], ref x[0], 0.75f, n));
        if (Vector512.IsHardwareAccelerated) Check(y => DenseKernels.MultiplyAdd512(ref y[0], ref x[0], 0.75f, n));
    }

    [Fact]
    public void Dense_forward_and_backward_match_the_definitions()
    {
        const int rows = 5, cols = 19;
        var w = Random(rows * cols, 5);
        var b = Random(rows, 6);
        var x = Random(cols, 7);
        var delta = Random(rows, 8);
        var z = new float[rows];
        DenseKernels.Forward(w, b, x, z, rows, cols);
        for (int i = 0; i < rows; i++)
        {
            double expected = b[i];
            for (int j = 0; j < cols; j++) expected += (double)w[i * cols + j] * x[j];
            Assert.Equal(expected, z[i], 1e-5);
        }

        var gw = Random(rows * cols, 9);
        var gw0 = (float[])gw.Clone();
        var gb = new float[rows];
        var dx = Random(cols, 10); // overwritten, not added to
        DenseKernels.Backward(w, x, delta, gw, gb, dx, rows, cols);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(delta[i], gb[i]);
            for (int j = 0; j < cols; j++)
                Assert.Equal(gw0[i * cols + j] + delta[i] * x[j], gw[i * cols + j], 1e-6f);
        }
        for (int j = 0; j < cols; j++)
        {
            double expected = 0;
            for (int i = 0; i < rows; i++) expected += (double)w[i * cols + j] * delta[i];
            Assert.Equal(expected, dx[j], 1e-5);
        }
    }

    [Fact]
    public void Kernels_reject_spans_shorter_than_the_sizes()
    {
        Assert.Throws<ArgumentException>(() => DenseKernels.Forward(new float[5], new float[2], new float[3], new float[2], 2, 3));
        Assert.Throws<ArgumentException>(() => DenseKernels.Backward(new float[6], new float[3], new float[2], new float[6], new float[2], new float[2], 2, 3));
    }
}
