using System.Runtime.Intrinsics;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The register-tiled batch kernels on each register width (forced per thread with <c>SimdPaths.Force</c>), against
/// double-precision sums written here, and the generated batch pass on each width against the per-sample code.
/// </summary>
public class DenseBatchKernelTests
{
    /// <summary>The widths this CPU accelerates, each of which the kernels can be forced onto.</summary>
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { nameof(SimdPath.Scalar) };
        if (Vector256.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector256));
        if (Vector512.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector512));
        return data;
    }

    // Rows, columns and batch sizes around every tile edge: 4 rows or samples per tile; 4 registers of 8 or 16 columns.
    private static readonly int[] Rows = [1, 3, 4, 5, 10, 17];
    private static readonly int[] Cols = [1, 7, 8, 16, 17, 33, 64, 65, 100, 130];
    private static readonly int[] Counts = [1, 2, 3, 4, 5, 9, 33];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Kernels_match_double_precision_sums_around_every_tile_edge(string path)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        var random = new Random(17);
        foreach (int rows in Rows)
            foreach (int cols in Cols)
                foreach (int count in Counts)
                    CheckOne(random, rows, cols, count, path);
    }

    private static void CheckOne(Random random, int rows, int cols, int count, string path)
    {
        // Strides wider than the rows, with sentinels in the gaps that no kernel may touch.
        int xs = cols + 3, zs = rows + 2, ds = rows + 5, dxs = cols + 1;
        const float Sentinel = 12345.678f;
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] w = Fill(rows * cols), bias = Fill(rows), x = Fill(count * xs), delta = Fill(count * ds);
        float[] gw0 = Fill(rows * cols), gb0 = Fill(rows), dx0 = Fill(count * dxs);
        var z = Enumerable.Repeat(Sentinel, count * zs).ToArray();
        string where = $"{path}, {rows}×{cols}, batch {count}";

        DenseBatchKernels.Forward(w, bias, x, xs, z, zs, count, rows, cols);
        for (int b = 0; b < count; b++)
            for (int i = 0; i < zs; i++)
            {
                if (i >= rows)
                {
                    Assert.True(z[b * zs + i] == Sentinel, $"{where}: forward wrote between samples at [{b}, {i}].");
                    continue;
                }
                double exact = bias[i], magnitude = Math.Abs(bias[i]);
                for (int k = 0; k < cols; k++)
                {
                    double term = (double)w[i * cols + k] * x[b * xs + k];
                    exact += term;
                    magnitude += Math.Abs(term);
                }
                AssertClose(exact, magnitude, cols + 1, z[b * zs + i], $"{where}: z[{b}, {i}]");
            }

        foreach (bool accumulate in new[] { false, true })
        {
            float[] gw = (float[])gw0.Clone(), gb = (float[])gb0.Clone(), dx = (float[])dx0.Clone();
            for (int b = 0; b < count; b++)
                for (int j = cols; j < dxs; j++) dx[b * dxs + j] = Sentinel;
            DenseBatchKernels.Backward(w, x, xs, delta, ds, gw, gb, dx, dxs, count, rows, cols, accumulate);
            for (int i = 0; i < rows; i++)
            {
                double exactB = gb0[i], magB = Math.Abs(gb0[i]);
                for (int b = 0; b < count; b++) { exactB += delta[b * ds + i]; magB += Math.Abs(delta[b * ds + i]); }
                AssertClose(exactB, magB, count + 1, gb[i], $"{where}: ∂L/∂b[{i}]");
                for (int j = 0; j < cols; j++)
                {
                    double exact = gw0[i * cols + j], magnitude = Math.Abs(exact);
                    for (int b = 0; b < count; b++)
                    {
                        double term = (double)delta[b * ds + i] * x[b * xs + j];
                        exact += term;
                        magnitude += Math.Abs(term);
                    }
                    AssertClose(exact, magnitude, count + 1, gw[i * cols + j], $"{where}: ∂L/∂W[{i}, {j}]");
                }
            }
            for (int b = 0; b < count; b++)
                for (int j = 0; j < dxs; j++)
                {
                    if (j >= cols)
                    {
                        Assert.True(dx[b * dxs + j] == Sentinel, $"{where}: ∂L/∂x written between samples at [{b}, {j}].");
                        continue;
                    }
                    double exact = accumulate ? dx0[b * dxs + j] : 0, magnitude = Math.Abs(exact);
                    for (int i = 0; i < rows; i++)
                    {
                        double term = (double)w[i * cols + j] * delta[b * ds + i];
                        exact += term;
                        magnitude += Math.Abs(term);
                    }
                    AssertClose(exact, magnitude, rows + 1, dx[b * dxs + j], $"{where}, accumulate {accumulate}: ∂L/∂x[{b}, {j}]");
                }
        }
    }

    /// <summary>
    /// Within the classic bound for a float sum of n terms in any order: |error| ≤ n·u·Σ|terms| with u = 2⁻²⁴, doubled
    /// for the rounding of each product (fused or not). A kernel that drops, repeats or misplaces a term misses it by far.
    /// </summary>
    private static void AssertClose(double exact, double magnitude, int terms, float actual, string what)
    {
        double bound = 2 * (terms + 1) * Math.Pow(2, -24) * magnitude + 1e-30;
        Assert.True(Math.Abs(actual - exact) <= bound, $"{what} = {actual:G9}, exact {exact:G9} (bound {bound:G3}).");
    }

    /// <summary>Every layer kind's network whose batch pass, on every width, must equal its per-sample code summed.</summary>
    public static TheoryData<string, string> PathsAndPlainNetworks()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in Paths())
            foreach (var network in BatchNormTests.PlainNetworks)
                data.Add(path, network);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndPlainNetworks))]
    public void TrainingBatch_on_each_width_is_the_sum_of_the_samples(string path, string network)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        NetworkCatalog.Invoke(typeof(BatchNormTests), "CheckBatchIsSum", network);
    }

    /// <summary>Networks whose batch pass is not a sum of per-sample passes (batch statistics, dropout masks drawn per batch).</summary>
    public static TheoryData<string> BatchOnlyNetworks => new()
    {
        nameof(LoopedBatchNorm), nameof(MixedBatchNorm), nameof(SmallBatchNorm), nameof(LoopedDropout), nameof(LoopedInputDropout),
        nameof(LoopedDropoutMae),
    };

    [Theory]
    [MemberData(nameof(BatchOnlyNetworks))]
    public void Batch_statistics_and_dropout_give_the_same_batch_on_every_width(string network) =>
        NetworkCatalog.Invoke(typeof(DenseBatchKernelTests), nameof(CheckWidthsAgree), network);

    private static void CheckWidthsAgree<T>() where T : class, INetwork<T>
    {
        var reference = Reference.ReferenceMlp.FromAttributes(typeof(T));
        // Not 2: two samples normalize every unit to exactly ±1, and the gradient through σ amplifies the last bit of z.
        foreach (int count in new[] { 3, 5, 13 })
        {
            var points = Enumerable.Range(0, count).Select(b => GradientTests.RandomPoint<T>(reference, seed: 900 + b)).ToArray();
            float[] inputs = points.SelectMany(p => p.X).ToArray(), targets = points.SelectMany(p => p.Y).ToArray();
            (float Loss, float[] Parameters, float[] Gradients) Run(SimdPath path)
            {
                using var _ = SimdPaths.Force(path);
                var parameters = (float[])points[0].Theta.Clone();
                var gradients = new float[T.ParameterCount];
                var random = new SeededRandom(42);
                float loss = T.TrainingBatch(parameters, inputs, targets, count, gradients, ref random);
                return (loss, parameters, gradients);
            }
            var scalar = Run(SimdPath.Scalar);
            foreach (var row in Paths())
            {
                var path = Enum.Parse<SimdPath>(row);
                var other = Run(path);
                string where = $"{typeof(T).Name}, batch {count}, {path} vs scalar";
                Assert.True(Math.Abs(other.Loss - scalar.Loss) <= 1e-5f * Math.Max(1, Math.Abs(scalar.Loss)), $"{where}: loss {other.Loss} vs {scalar.Loss}");
                float largest = Math.Max(1f, scalar.Gradients.Max(Math.Abs));
                for (int k = 0; k < T.ParameterCount; k++)
                {
                    Assert.True(Math.Abs(other.Gradients[k] - scalar.Gradients[k]) <= 1e-5f * largest,
                        $"{where}: ∂L/∂{T.ParameterName(k)} {other.Gradients[k]:G9} vs {scalar.Gradients[k]:G9}");
                    // Running statistics (the only parameters TrainingBatch writes) move the same way.
                    Assert.True(Math.Abs(other.Parameters[k] - scalar.Parameters[k]) <= 1e-5f * Math.Max(1, Math.Abs(scalar.Parameters[k])),
                        $"{where}: {T.ParameterName(k)} {other.Parameters[k]:G9} vs {scalar.Parameters[k]:G9}");
                }
            }
        }
    }
}
