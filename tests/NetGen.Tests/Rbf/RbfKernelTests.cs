using System.Runtime.Intrinsics;

namespace NetGen.Tests.Rbf;

/// <summary>
/// <c>RbfKernels</c> on each register width (forced per thread with <c>SimdPaths.Force</c>) against the definitions in
/// double written here, at input lengths below, at and past each register's width (1, 7, 8, 15, 16, 17, 33, 64, 101), so
/// every main loop and tail runs; with and without ∂L/∂x, overwritten and accumulated.
/// </summary>
public class RbfKernelTests
{
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { nameof(SimdPath.Scalar) };
        if (Vector256.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector256));
        if (Vector512.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector512));
        return data;
    }

    private static readonly int[] Lengths = [1, 7, 8, 15, 16, 17, 33, 64, 101];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Forward_and_backward_equal_the_definitions(string path)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        var random = new Random(11);
        foreach (int n in Lengths)
        {
            const int m = 5;
            float[] Random(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)(scale * (random.NextDouble() - 0.5))).ToArray();
            float[] c = Random(m * n, 1), x = Random(n, 1), da = Random(m, 2);
            float[] beta = Enumerable.Range(0, m).Select(_ => (float)(0.5 + random.NextDouble()) / n).ToArray();
            var a = new float[m];
            var r = new float[m];
            RbfKernels.Forward(c, beta, x, a, r, units: m, inputs: n);

            var gc = Random(m * n, 1); // gradients accumulate: start from something
            var gb = Random(m, 1);
            var dx = Random(n, 1);
            float[] gc0 = (float[])gc.Clone(), gb0 = (float[])gb.Clone(), dx0 = (float[])dx.Clone();
            RbfKernels.Backward(c, beta, x, a, r, da, gc, gb, dx, units: m, inputs: n, accumulateInputGradients: true);

            var expectedDx = dx0.Select(v => (double)v).ToArray();
            for (int i = 0; i < m; i++)
            {
                double distance = 0;
                for (int j = 0; j < n; j++) distance += ((double)x[j] - c[i * n + j]) * ((double)x[j] - c[i * n + j]);
                double phi = Math.Exp(-beta[i] * distance);
                Assert.True(Math.Abs(r[i] - distance) <= 1e-5 * Math.Max(1, distance), $"{path} n={n}: r[{i}] {r[i]} vs {distance}");
                Assert.True(Math.Abs(a[i] - phi) <= 1e-6, $"{path} n={n}: a[{i}] {a[i]} vs {phi}");
                double g = da[i] * phi, s = 2 * beta[i] * g;
                Assert.True(Math.Abs(gb[i] - (gb0[i] - g * distance)) <= 1e-5, $"{path} n={n}: ∂L/∂β[{i}]");
                for (int j = 0; j < n; j++)
                {
                    double e = (double)x[j] - c[i * n + j];
                    Assert.True(Math.Abs(gc[i * n + j] - (gc0[i * n + j] + s * e)) <= 1e-5, $"{path} n={n}: ∂L/∂C[{i},{j}]");
                    expectedDx[j] -= s * e;
                }
            }
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(dx[j] - expectedDx[j]) <= 1e-5, $"{path} n={n}: ∂L/∂x[{j}] {dx[j]} vs {expectedDx[j]}");

            // Overwritten rather than accumulated, and no ∂L/∂x at all (the parameters' gradients are the same either way).
            var fresh = Random(n, 1);
            RbfKernels.Backward(c, beta, x, a, r, da, new float[m * n], new float[m], fresh, units: m, inputs: n);
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(fresh[j] - (expectedDx[j] - dx0[j])) <= 1e-5, $"{path} n={n}: overwritten ∂L/∂x[{j}]");
            var onlyParameters = new float[m * n];
            RbfKernels.Backward(c, beta, x, a, r, da, onlyParameters, new float[m], Span<float>.Empty, units: m, inputs: n);
            for (int k = 0; k < m * n; k++)
                Assert.True(Math.Abs(onlyParameters[k] - (gc[k] - gc0[k])) <= 1e-5, $"{path} n={n}: ∂L/∂C without ∂L/∂x");
        }
    }

    [Fact]
    public void The_Gaussian_is_exp_of_minus_t_down_to_the_smallest_normal_float_then_zero()
    {
        foreach (float t in new[] { 0f, 0.5f, 3f, 40f, 87f, 87.3f })
            Assert.Equal(MathF.Exp(-t), RbfKernels.Gaussian(t));
        Assert.True(float.IsNormal(RbfKernels.Gaussian(RbfKernels.SubnormalExponent)), "e^(−87.3) is still a normal float");
        Assert.True(float.IsSubnormal(MathF.Exp(-88f)), "e^(−88) is subnormal, which Gaussian avoids");
        Assert.Equal(0f, RbfKernels.Gaussian(88f));
        Assert.Equal(0f, RbfKernels.Gaussian(float.PositiveInfinity));
        Assert.True(float.IsNaN(RbfKernels.Gaussian(float.NaN)), "a NaN must not be hidden");
        Assert.True(float.IsPositiveInfinity(RbfKernels.Gaussian(float.NegativeInfinity)));
    }

    [Fact]
    public void Short_spans_are_refused_with_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => RbfKernels.Forward(new float[5], new float[2], new float[3], new float[2], new float[2], units: 2, inputs: 3));
        Assert.Contains("2×3 = 6", error.Message);
        Assert.Throws<ArgumentException>(() => RbfKernels.Backward(new float[6], new float[2], new float[3], new float[2], new float[2], new float[2],
            new float[6], new float[2], new float[2], units: 2, inputs: 3));
    }
}
