namespace NetGen.Tests;

public class SeededRandomTests
{
    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_others_differ()
    {
        var a = new SeededRandom(5);
        var b = new SeededRandom(5);
        var c = new SeededRandom(6);
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt32()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 100).Select(_ => b.NextUInt32()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 100).Select(_ => c.NextUInt32()).ToArray());
    }

    [Fact]
    public void Floats_are_uniform_on_the_unit_interval()
    {
        var random = new SeededRandom(1);
        const int n = 100_000;
        var counts = new int[10];
        for (int i = 0; i < n; i++)
        {
            float v = random.NextSingle();
            Assert.InRange(v, 0f, 0.99999994f);
            counts[(int)(v * 10)]++;
        }
        // χ² with 9 degrees of freedom: the 99.9th percentile is 27.9.
        double chi2 = counts.Sum(c => (c - n / 10.0) * (c - n / 10.0) / (n / 10.0));
        Assert.True(chi2 < 27.9, $"χ² = {chi2} for counts {string.Join(",", counts)}");
    }

    [Fact]
    public void Integers_stay_in_range_and_shuffles_are_permutations()
    {
        var random = new SeededRandom(2);
        var seen = new bool[7];
        for (int i = 0; i < 1000; i++) seen[random.NextInt32(7)] = true;
        Assert.All(seen, Assert.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt32(0));

        var values = Enumerable.Range(0, 50).ToArray();
        random.Shuffle(values.AsSpan());
        Assert.Equal(Enumerable.Range(0, 50), values.OrderBy(v => v));
        Assert.NotEqual(Enumerable.Range(0, 50), values);
    }
}
