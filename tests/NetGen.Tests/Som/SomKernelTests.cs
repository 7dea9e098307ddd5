using System.Runtime.Intrinsics;

namespace NetGen.Tests.Som;

/// <summary>
/// The generated maps' best-matching-unit search, distances and Kohonen update, on each register width (forced per
/// thread with <c>SimdPaths.Force</c>), against a scalar reference in double precision written here, on maps whose unit
/// counts leave a tail on every width (1, 15, 91, 100 and 4,800 units; 1 to 17 inputs).
/// </summary>
public class SomKernelTests
{
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string> { nameof(SimdPath.Scalar) };
        if (Vector256.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector256));
        if (Vector512.IsHardwareAccelerated) data.Add(nameof(SimdPath.Vector512));
        return data;
    }

    /// <summary>argmin over u of Σⱼ (W[j·units + u] − xⱼ)² in double, the lowest u on a tie, and every distance.</summary>
    internal static (int Unit, double[] Distances) ReferenceBestMatchingUnit(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, int units)
    {
        var distances = new double[units];
        int best = -1;
        for (int u = 0; u < units; u++)
        {
            double sum = 0;
            for (int j = 0; j < x.Length; j++)
            {
                double d = (double)weights[j * units + u] - x[j];
                sum += d * d;
            }
            distances[u] = sum;
            if (best < 0 || sum < distances[best]) best = u;
        }
        return (best, distances);
    }

    /// <summary>w_u + η·exp(−((r_u − r_b)² + (c_u − c_b)²)/(2σ²))·(x − w_u) for every unit, in double, feature-major.</summary>
    internal static double[] ReferenceUpdate(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, int width, int height, int bmu, double eta, double sigma)
    {
        int units = width * height;
        var updated = new double[weights.Length];
        for (int u = 0; u < units; u++)
        {
            double dr = u / width - bmu / width, dc = u % width - bmu % width;
            double h = Math.Exp(-(dr * dr + dc * dc) / (2 * sigma * sigma));
            for (int j = 0; j < x.Length; j++)
            {
                double w = weights[j * units + u];
                updated[j * units + u] = w + eta * h * (x[j] - w);
            }
        }
        return updated;
    }

    private static float[] Draw(Random random, int n, bool quantized) =>
        Enumerable.Range(0, n).Select(_ => quantized ? random.Next(-24, 25) / 8f : (float)(random.NextDouble() * 4 - 2)).ToArray();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Best_matching_unit_and_distances_equal_the_reference_with_ties_to_the_lowest_unit(string path)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        CheckSearch<Map1x1>();
        CheckSearch<Map3x5>();
        CheckSearch<Map7x13>();
        CheckSearch<Map10x10>();
        CheckSearch<IrisSom>();
        CheckSearch<LargeMap>();
    }

    private static void CheckSearch<TMap>() where TMap : class, ISelfOrganizingMap<TMap>
    {
        var random = new Random(TMap.Units * 31 + TMap.Inputs);
        var map = TMap.Create(1);
        var distances = new float[TMap.Units];
        int nearTies = 0, trials = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            // Multiples of 1/8 make every float distance exact, so it must equal the reference exactly — and exact ties
            // (between lanes, registers and the tail) are frequent. Other trials take arbitrary floats.
            bool quantized = trial % 2 == 0;
            Draw(random, TMap.Units * TMap.Inputs, quantized).CopyTo(map.Weights);
            if (trial % 6 == 0 && TMap.Units > 1)
            {
                // A copied unit: two units at the same distance from every sample, wherever they fall.
                var copy = new float[TMap.Inputs];
                int from = random.Next(TMap.Units), to = random.Next(TMap.Units);
                map.GetUnitWeights(from, copy);
                map.SetUnitWeights(to, copy);
            }
            for (int sample = 0; sample < 20; sample++)
            {
                var x = Draw(random, TMap.Inputs, quantized);
                if (sample == 0 && trial % 6 == 0)
                    map.GetUnitWeights(random.Next(TMap.Units), x); // a sample on a unit: distance 0
                var (expected, reference) = ReferenceBestMatchingUnit(map.Weights, x, TMap.Units);
                int actual = map.BestMatchingUnit(x, out float squaredDistance);
                map.SquaredDistances(x, distances);
                trials++;
                if (quantized)
                {
                    Assert.True(expected == actual, $"{typeof(TMap).Name}: unit {actual}, reference {expected} (distances {reference[actual]} and {reference[expected]})");
                    Assert.Equal(reference[expected], squaredDistance);
                    for (int u = 0; u < TMap.Units; u++) Assert.Equal(reference[u], distances[u]);
                }
                else
                {
                    // Float rounding may reorder two distances within a few ulps of each other; nothing else may differ.
                    if (actual != expected)
                    {
                        Assert.True(reference[actual] - reference[expected] <= 1e-6 * reference[expected], $"{typeof(TMap).Name}: unit {actual} at {reference[actual]}, reference {expected} at {reference[expected]}");
                        nearTies++;
                    }
                    Assert.Equal(reference[actual], squaredDistance, 1e-5 * (1 + reference[actual]));
                    for (int u = 0; u < TMap.Units; u++) Assert.Equal(reference[u], distances[u], 1e-5 * (1 + reference[u]));
                }
                Assert.Equal(distances[actual], squaredDistance); // the search and the distances compute alike
                Assert.Equal((actual / TMap.Width, actual % TMap.Width), map.Locate(x));
            }
        }
        Assert.True(nearTies <= trials / 100, $"{typeof(TMap).Name}: {nearTies} near-ties in {trials} searches");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Exact_ties_go_to_the_lowest_unit_wherever_the_units_fall(string path)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        // Every weight equal: every distance is the same, so unit 0 wins; then the same with unit 0 moved away (unit 1).
        var map = new Map7x13();
        map.Weights.Fill(0.5f);
        float[] x = [1f, 2f, 3f, 4f];
        Assert.Equal(0, map.BestMatchingUnit(x));
        map.SetUnitWeights(0, [9f, 9f, 9f, 9f]);
        Assert.Equal(1, map.BestMatchingUnit(x));
        // Three copies of the sample at units in lane 3 of the second register, the scalar tail and lane 5 of the first.
        map.Weights.Fill(0.5f);
        foreach (int unit in new[] { 19, 90, 5 }) map.SetUnitWeights(unit, x);
        Assert.Equal(5, map.BestMatchingUnit(x, out float d));
        Assert.Equal(0f, d);
        map.SetUnitWeights(5, [0f, 0f, 0f, 0f]);
        Assert.Equal(19, map.BestMatchingUnit(x));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Update_equals_the_kohonen_step_with_a_gaussian_neighbourhood(string path)
    {
        using var _ = SimdPaths.Force(Enum.Parse<SimdPath>(path));
        CheckUpdate<Map1x1>();
        CheckUpdate<Map3x5>();
        CheckUpdate<Map7x13>();
        CheckUpdate<Map10x10>();
        CheckUpdate<IrisSom>();
        CheckUpdate<LargeMap>();
    }

    private static void CheckUpdate<TMap>() where TMap : class, ISelfOrganizingMap<TMap>
    {
        var random = new Random(TMap.Units + 7 * TMap.Inputs);
        var map = TMap.Create(3);
        foreach (float sigma in new[] { 0.3f, 1f, 2.5f, 10f, 100f })
        {
            for (int trial = 0; trial < 4; trial++)
            {
                Draw(random, TMap.Units * TMap.Inputs, false).CopyTo(map.Weights);
                var x = Draw(random, TMap.Inputs, false);
                int bmu = random.Next(TMap.Units);
                float eta = (float)random.NextDouble();
                var expected = ReferenceUpdate(map.Weights, x, TMap.Width, TMap.Height, bmu, eta, sigma);
                map.Update(x, bmu, eta, sigma);
                var actual = map.Weights;
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(actual[i] - expected[i]) <= 2e-6 * (1 + Math.Abs(expected[i])),
                        $"{typeof(TMap).Name}, σ = {sigma}, bmu {bmu}: weight {i / TMap.Units} of unit {i % TMap.Units} is {actual[i]}, the reference {expected[i]}");
            }
        }
    }

    [Fact]
    public void A_vanishing_radius_moves_only_the_best_matching_unit_by_exactly_eta()
    {
        var map = new IrisSom(seed: 4);
        var before = map.Weights.ToArray();
        float[] x = [1f, -1f, 0.5f, 2f];
        map.Update(x, bestMatchingUnit: 37, learningRate: 0.25f, radius: 1e-30f);  // 2σ² underflows to 0
        for (int u = 0; u < IrisSom.Units; u++)
            for (int j = 0; j < IrisSom.Inputs; j++)
            {
                int i = j * IrisSom.Units + u;
                float expected = u == 37 ? MathF.FusedMultiplyAdd(0.25f, x[j] - before[i], before[i]) : before[i];
                Assert.Equal(expected, map.Weights[i]);
            }
    }

    [Fact]
    public void Learning_rate_one_and_a_huge_radius_put_every_unit_on_the_sample()
    {
        var map = new Map3x5(seed: 2);
        float[] x = [0.25f, -3f, 7f];
        map.Update(x, bestMatchingUnit: 7, learningRate: 1f, radius: 1e6f);
        var w = new float[3];
        for (int u = 0; u < Map3x5.Units; u++)
        {
            map.GetUnitWeights(u, w);
            Assert.Equal(x, w);
        }
    }

    [Fact]
    public void The_layout_is_feature_major_and_the_grid_row_major()
    {
        var map = new Map3x5();
        map.Weights.Clear();
        map.SetUnitWeights(Map3x5.UnitAt(row: 2, column: 1), [1f, 2f, 3f]);
        int unit = 2 * Map3x5.Width + 1;
        Assert.Equal(7, unit);
        Assert.Equal((2, 1), Map3x5.PositionOf(unit));
        Assert.Equal(1f, map.Weights[0 * 15 + 7]);
        Assert.Equal(2f, map.Weights[1 * 15 + 7]);
        Assert.Equal(3f, map.Weights[2 * 15 + 7]);
        Assert.Equal(3, map.Weights.ToArray().Count(v => v != 0f)); // nothing else was written
        Assert.Equal(45, Map3x5.WeightCount);
        Assert.Equal((3, 5, 15, 3), (Map3x5.Width, Map3x5.Height, Map3x5.Units, Map3x5.Inputs));
    }

    [Fact]
    public void The_same_seed_gives_the_same_initial_map_and_the_values_are_uniform_in_minus_one_to_one()
    {
        var a = new Map10x10(seed: 5).Weights.ToArray();
        Assert.Equal(a, new Map10x10(seed: 5).Weights.ToArray());
        Assert.NotEqual(a, new Map10x10(seed: 6).Weights.ToArray());
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
        Assert.InRange(a.Average(), -0.1, 0.1);                  // mean 0 ± 3 standard errors (√(1/3)/√1700 ≈ 0.014)
        Assert.InRange(a.Select(v => (double)v * v).Average(), 0.30, 0.37); // E[v²] = 1/3
    }

    [Fact]
    public void Bad_arguments_throw_and_say_what_to_fix()
    {
        var map = new IrisSom();
        Assert.Contains("IrisSom.Inputs", Assert.Throws<ArgumentException>(() => map.BestMatchingUnit(new float[3])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => map.BestMatchingUnit([float.NaN, 0, 0, 0])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => map.Update([float.PositiveInfinity, 0, 0, 0], 0, 0.5f, 1f)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Update(new float[4], 100, 0.5f, 1f));
        Assert.Contains("radius", Assert.Throws<ArgumentOutOfRangeException>(() => map.Update(new float[4], 0, 0.5f, 0f)).Message);
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => map.Update(new float[4], 0, float.NaN, 1f)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IrisSom.UnitAt(10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IrisSom.PositionOf(-1));
        Assert.Contains("IrisSom.Units", Assert.Throws<ArgumentException>(() => map.SquaredDistances(new float[4], new float[99])).Message);
    }

    [Fact]
    public void Search_and_update_allocate_nothing_also_beyond_the_stack_buffer()
    {
        CheckAllocations<IrisSom>();
        CheckAllocations<LargeMap>();
    }

    private static void CheckAllocations<TMap>() where TMap : class, ISelfOrganizingMap<TMap>
    {
        var map = TMap.Create(1);
        var x = new float[TMap.Inputs];
        var distances = new float[TMap.Units];
        for (int i = 0; i < x.Length; i++) x[i] = i % 3 - 1;
        void Run()
        {
            int bmu = map.BestMatchingUnit(x);
            map.Update(x, bmu, 0.1f, 2f);
            map.SquaredDistances(x, distances);
        }
        for (int i = 0; i < 300; i++) Run(); // past the tiered JIT's thresholds (and the large map's per-thread buffer)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{typeof(TMap).Name}: 100 searches and updates allocated {allocated} bytes.");
    }
}
