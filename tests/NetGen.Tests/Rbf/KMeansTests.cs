namespace NetGen.Tests.Rbf;

/// <summary>Three Gaussians on 2 inputs, for placing centres from data.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Rbf(3)]
[Dense(1)]
public partial class ThreeCentreRbf { }

/// <summary>
/// k-means against an exhaustive reference (every partition of a small set), its fixed-point property on random data,
/// its seeding, and <see cref="RbfInitialization"/>: centres from k-means, precisions from each cluster's spread by the
/// documented formula, standardized inputs, and the refusals.
/// </summary>
public class KMeansTests
{
    // Three groups of three, of different sizes and shapes, far apart.
    private static readonly float[] Small =
    [
        0, 0, 0.4f, 0.1f, 0.1f, 0.5f,
        5, 5, 5.2f, 4.6f, 4.7f, 5.3f,
        -4, 6, -4.5f, 6.5f, -3.8f, 5.4f,
    ];

    /// <summary>The partition into <paramref name="k"/> non-empty clusters with the least inertia, by trying every one.</summary>
    private static (int[] Labels, double Inertia) Exhaustive(float[] data, int dimensions, int k)
    {
        int n = data.Length / dimensions;
        var labels = new int[n];
        int[]? best = null;
        double bestInertia = double.PositiveInfinity;
        int total = (int)Math.Pow(k, n);
        for (int code = 0; code < total; code++)
        {
            for (int s = 0, rest = code; s < n; s++, rest /= k) labels[s] = rest % k;
            if (Enumerable.Range(0, k).Any(c => !labels.Contains(c))) continue;
            double inertia = 0;
            for (int c = 0; c < k; c++)
            {
                var members = Enumerable.Range(0, n).Where(s => labels[s] == c).ToList();
                for (int j = 0; j < dimensions; j++)
                {
                    double mean = members.Average(s => (double)data[s * dimensions + j]);
                    inertia += members.Sum(s => Math.Pow(data[s * dimensions + j] - mean, 2));
                }
            }
            if (inertia < bestInertia) { bestInertia = inertia; best = (int[])labels.Clone(); }
        }
        return (best!, bestInertia);
    }

    [Fact]
    public void On_well_separated_data_every_seed_finds_the_optimal_partition_and_its_means()
    {
        var (labels, inertia) = Exhaustive(Small, 2, 3);
        for (int seed = 0; seed < 10; seed++)
        {
            var result = KMeans.Fit(Small, dimensions: 2, clusters: 3, seed);
            Assert.True(result.Converged);
            Assert.Equal(inertia, result.Inertia, 1e-5);
            // The same partition up to the clusters' names, and each centre the mean of its members.
            for (int s = 0; s < labels.Length; s++)
                for (int t = 0; t < labels.Length; t++)
                    Assert.Equal(labels[s] == labels[t], result.Assignments[s] == result.Assignments[t]);
            for (int c = 0; c < 3; c++)
                for (int j = 0; j < 2; j++)
                {
                    double mean = Enumerable.Range(0, 9).Where(s => result.Assignments[s] == c).Average(s => (double)Small[s * 2 + j]);
                    Assert.Equal(mean, result.Centre(c)[j], 1e-6);
                }
        }
    }

    [Fact]
    public void On_random_data_the_result_is_a_fixed_point_of_Lloyds_iteration()
    {
        var random = new Random(3);
        var data = Enumerable.Range(0, 60 * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var result = KMeans.Fit(data, dimensions: 3, clusters: 4, seed: 9);
        Assert.True(result.Converged);
        Assert.Equal(4, result.Clusters);
        for (int s = 0; s < 60; s++)
        {
            // Every sample is with its nearest centre…
            double Distance(int c) => Enumerable.Range(0, 3).Sum(j => Math.Pow(data[s * 3 + j] - result.Centre(c)[j], 2));
            Assert.Equal(Enumerable.Range(0, 4).OrderBy(Distance).First(), result.Assignments[s]);
        }
        for (int c = 0; c < 4; c++)
        {
            // …and every centre is the mean of its samples.
            var members = Enumerable.Range(0, 60).Where(s => result.Assignments[s] == c).ToList();
            Assert.NotEmpty(members);
            for (int j = 0; j < 3; j++)
                Assert.Equal(members.Average(s => (double)data[s * 3 + j]), result.Centre(c)[j], 1e-6);
        }
        // The same seed gives the same centres, bit for bit.
        Assert.Equal(result.Centres, KMeans.Fit(data, 3, 4, seed: 9).Centres);
    }

    [Fact]
    public void As_many_clusters_as_distinct_samples_puts_a_centre_on_each()
    {
        var result = KMeans.Fit(Small, dimensions: 2, clusters: 9, seed: 1);
        Assert.Equal(0, result.Inertia);
        Assert.Equal(9, result.Assignments.Distinct().Count());
    }

    [Fact]
    public void Bad_data_is_refused_with_the_fix()
    {
        Assert.Contains("fewer clusters", Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(Small, 2, 10, 1)).Message);
        Assert.Contains("whole number", Assert.Throws<ArgumentException>(() => KMeans.Fit(Small.AsSpan(0, 5), 2, 1, 1)).Message);
        var holed = (float[])Small.Clone();
        holed[3] = float.NaN;
        Assert.Contains("Sample 1", Assert.Throws<ArgumentException>(() => KMeans.Fit(holed, 2, 3, 1)).Message);
    }

    [Fact]
    public void RbfInitialization_puts_the_centres_on_the_clusters_and_sets_each_precision_from_its_spread()
    {
        var net = new ThreeCentreRbf(1);
        var dense = net.Parameters.Slice(9).ToArray();
        var results = RbfInitialization.FromData(net, Small, seed: 4);
        var kmeans = KMeans.Fit(Small, 2, 3, seed: 4);
        Assert.Equal(kmeans.Centres, results[0].Centres);
        Assert.Equal(kmeans.Centres, net.Parameters.Slice(0, 6).ToArray());
        for (int c = 0; c < 3; c++)
        {
            // β = 1/(2σ²), σ² the mean squared distance of the cluster's samples to its centre.
            var members = Enumerable.Range(0, 9).Where(s => kmeans.Assignments[s] == c).ToList();
            double variance = members.Average(s => Math.Pow(Small[s * 2] - kmeans.Centre(c)[0], 2) + Math.Pow(Small[s * 2 + 1] - kmeans.Centre(c)[1], 2));
            Assert.Equal(1 / (2 * variance), net.Parameters[6 + c], 1e-5 / (2 * variance));
        }
        Assert.Equal(dense, net.Parameters.Slice(9).ToArray()); // the output layer keeps its values
    }

    [Fact]
    public void A_cluster_of_one_sample_is_as_wide_as_the_distance_to_the_nearest_other_centre()
    {
        // Three samples, three clusters: each sample is a cluster of its own, with no spread.
        float[] data = [0, 0, 0.2f, 0, 10, 0];
        var net2 = new ThreeCentreRbf(1);
        RbfInitialization.FromData(net2, data, seed: 2);
        // With three clusters every sample is its own centre: each σ² is the squared distance to the nearest other centre.
        var centres = net2.Parameters.Slice(0, 6).ToArray();
        for (int c = 0; c < 3; c++)
        {
            double nearest = Enumerable.Range(0, 3).Where(o => o != c).Min(o => Math.Pow(centres[2 * c] - centres[2 * o], 2) + Math.Pow(centres[2 * c + 1] - centres[2 * o + 1], 2));
            Assert.Equal(1 / (2 * nearest), net2.Parameters[6 + c], 1e-5 / (2 * nearest));
        }
    }

    [Fact]
    public void With_a_standardizer_the_centres_are_placed_in_the_standardized_space_the_layer_sees()
    {
        var net = new ThreeCentreRbf(1);
        var standardizer = Standardizer.Create([1, 5], [2, 4]);
        net.Standardizer = standardizer;
        RbfInitialization.FromData(net, Small, seed: 4);
        var scaled = Small.Select((v, i) => i % 2 == 0 ? (v - 1) / 2 : (v - 5) / 4).ToArray();
        Assert.Equal(KMeans.Fit(scaled, 2, 3, seed: 4).Centres, net.Parameters.Slice(0, 6).ToArray());
    }

    [Fact]
    public void Duplicate_samples_fewer_than_the_clusters_still_give_k_clusters_and_finite_widths()
    {
        // Two distinct points, each three times, into three clusters: seeding runs out of distance (every sample already
        // sits on a centre) and one cluster ends empty or doubled; every sample is still at distance 0.
        float[] data = [1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4, 4];
        var result = KMeans.Fit(data, dimensions: 2, clusters: 3, seed: 5);
        Assert.Equal(3, result.Clusters);
        Assert.Equal(0, result.Inertia);
        var net = new ThreeCentreRbf(1);
        RbfInitialization.FromData(net, data, seed: 5);
        Assert.All(net.Parameters.Slice(6, 3).ToArray(), b => Assert.True(float.IsFinite(b) && b > 0, $"β = {b}"));
    }

    [Fact]
    public void Samples_a_rounding_error_apart_do_not_make_a_spike()
    {
        // A cluster of two samples 1e-7 apart (σ² ≈ 2.5e-15) among well-spread data: its width is floored at a millionth
        // of the data's variance, so β stays below 1/(2·10⁻⁶·variance).
        float[] data = [0, 0, 1e-7f, 0, 5, 5, 5, 6, -5, 5, -6, 5];
        var x = data.Select(v => (double)v).ToArray();
        double variance = 0;
        for (int j = 0; j < 2; j++)
        {
            double mean = Enumerable.Range(0, 6).Average(s => x[s * 2 + j]);
            variance += Enumerable.Range(0, 6).Average(s => Math.Pow(x[s * 2 + j] - mean, 2));
        }
        var net = new ThreeCentreRbf(1);
        RbfInitialization.FromData(net, data, seed: 3);
        Assert.All(net.Parameters.Slice(6, 3).ToArray(), b => Assert.InRange(b, 0f, (float)(1.0001 / (2 * 1e-6 * variance))));
    }

    [Fact]
    public void Networks_it_cannot_place_are_refused_with_the_fix()
    {
        var stacked = Assert.Throws<ArgumentException>(() => RbfInitialization.FromData(new StraightLineStackedRbf(1), new float[8], seed: 1));
        Assert.Contains("Layer 2", stacked.Message);
        Assert.Contains("Put the [Rbf] first", stacked.Message);
        var later = Assert.Throws<ArgumentException>(() => RbfInitialization.FromData(new DenseThenRbf(1), new float[8], seed: 1));
        Assert.Contains("Put the [Rbf] first", later.Message);
        var none = Assert.Throws<ArgumentException>(() => RbfInitialization.FromData(new Networks.SmallTanhMseSigmoid(1), new float[9], seed: 1));
        Assert.Contains("no [Rbf] layer", none.Message);
        Assert.Contains("multiple of 2", Assert.Throws<ArgumentException>(() => RbfInitialization.FromData(new ThreeCentreRbf(1), new float[7], seed: 1)).Message);
    }
}
