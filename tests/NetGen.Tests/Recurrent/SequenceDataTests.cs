namespace NetGen.Tests.Recurrent;

/// <summary>Windows cut from a series, and a standardizer pooled over the steps, against their definitions.</summary>
public class SequenceDataTests
{
    [Fact]
    public void Windows_hold_consecutive_steps_and_the_value_horizon_steps_later()
    {
        float[] series = Enumerable.Range(0, 20).Select(i => (float)i).ToArray(); // value = step index
        var data = SequenceWindows.Create(series, window: 4, horizon: 2, stride: 3);
        // Window k covers steps 3k … 3k + 3; its target is step 3k + 3 + 2. The last fits when 3k + 5 ≤ 19.
        Assert.Equal(5, data.Count);
        for (int k = 0; k < data.Count; k++)
        {
            Assert.Equal(Enumerable.Range(3 * k, 4).Select(i => (float)i), data.Input(k).ToArray());
            Assert.Equal(3 * k + 5, data.Target(k)[0]);
        }
    }

    [Fact]
    public void Windows_of_several_features_keep_each_step_together_and_target_one_feature()
    {
        // Step t has the two features (t, 100 + t).
        float[] series = Enumerable.Range(0, 6).SelectMany(t => new[] { (float)t, 100f + t }).ToArray();
        var data = SequenceWindows.Create(series, window: 2, features: 2, targetFeature: 1);
        Assert.Equal(4, data.Count);
        Assert.Equal([1f, 101f, 2f, 102f], data.Input(1).ToArray());
        Assert.Equal(103f, data.Target(1)[0]);
        Assert.Throws<ArgumentException>(() => SequenceWindows.Create(series, window: 6, features: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceWindows.Create(series, window: 2, features: 2, targetFeature: 2));
    }

    [Fact]
    public void A_standardizer_fitted_per_step_feature_pools_every_step()
    {
        var random = new Random(1);
        var inputs = Enumerable.Range(0, 30 * 6).Select(_ => (float)(random.NextDouble() * 10)).ToArray(); // 30 rows, 3 steps × 2 features
        var data = new Dataset(inputs, new float[30], 6, 1);
        var standardizer = Standardizer.Fit(data, stepWidth: 2);
        for (int f = 0; f < 2; f++)
        {
            var values = inputs.Where((_, j) => j % 2 == f).Select(v => (double)v).ToArray();
            double mean = values.Average(), sigma = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            for (int step = 0; step < 3; step++)
            {
                Assert.Equal(mean, standardizer.Mean[2 * step + f], 4);
                Assert.Equal(sigma, standardizer.Scale[2 * step + f], 4);
            }
        }
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(data, stepWidth: 4));
    }
}
