namespace NetGen.Tests.Training;

/// <summary>Mistakes users make get an answer that names the cause: divergence that never turns NaN, rows of the wrong width, a CSV with another separator.</summary>
public class SignalTests
{
    private sealed class Snapshots : Callback
    {
        public List<float[]> Parameters { get; } = [];

        public override void OnEpochEnd(TrainingContext context, EpochResult result) => Parameters.Add(context.Network.Parameters.ToArray());
    }

    [Fact]
    public void Adam_with_a_huge_learning_rate_stops_as_diverged_and_gives_back_the_last_good_epoch()
    {
        var data = Dataset.Create<IrisNet>(
            Enumerable.Range(0, 64 * 4).Select(i => (float)Math.Sin(i)).ToArray(),
            Enumerable.Range(0, 64 * 3).Select(i => i % 3 == i / 3 % 3 ? 1f : 0f).ToArray());
        var net = new IrisNet(1);
        var initial = net.Parameters.ToArray();
        var snapshots = new Snapshots();
        var trainer = new Trainer<IrisNet>(net, new Adam(learningRate: 1e6f)) { BatchSize = 16, Callbacks = { snapshots } };
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, epochs: 200));
        Assert.Contains("DivergenceFactor", error.Message);
        Assert.True(error.Value > trainer.DivergenceFactor * 0.1f, $"reported loss {error.Value}");
        // The network holds the parameters of the last epoch that passed the check (the callbacks saw each one), or the
        // starting ones when the first epoch already failed it.
        Assert.Equal(snapshots.Parameters.Count > 0 ? snapshots.Parameters[^1] : initial, net.Parameters.ToArray());
        Assert.Equal(snapshots.Parameters.Count + 1, error.Epoch);
        Assert.All(net.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));

        // With the check off, the same run goes on to the end with a loss far above the first epoch's.
        var unchecked_ = new Trainer<IrisNet>(new IrisNet(1), new Adam(learningRate: 1e6f)) { BatchSize = 16, DivergenceFactor = 0 };
        float start = unchecked_.Evaluate(data).Loss;
        var history = unchecked_.Fit(data, epochs: 30);
        Assert.True(history.Epochs[^1].Loss > 1e4f * start, $"starting loss {start}, last epoch {history.Epochs[^1].Loss}: the run does not diverge, so the test above proves nothing");
        Assert.Throws<ArgumentOutOfRangeException>(() => unchecked_.DivergenceFactor = -1);
    }

    [Fact]
    public void Rows_of_the_wrong_width_name_InputSize_and_the_width_found()
    {
        // Four rows of 3 features for a network of 2 inputs: 12 values are a whole number of 2-wide rows, so only the row
        // count gives it away.
        var error = Assert.Throws<ArgumentException>(() => Dataset.Create<XorNet>(new float[12], new float[4]));
        Assert.Contains("3 per row", error.Message);
        Assert.Contains("XorNet.InputSize is 2", error.Message);
        Assert.Contains("Inputs = 3", error.Message);
    }

    [Fact]
    public void A_semicolon_separated_csv_says_to_pass_the_separator()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            CsvLoader.LoadRegression(new StringReader("a;b;y\n1;2;3\n4,5;6;7\n"), ["y"]));
        Assert.Contains("separator: ';'", error.Message);
        // The right separator loads it.
        Assert.Equal(1, CsvLoader.LoadRegression(new StringReader("a;b;y\n1;2;3\n"), ["y"], separator: ';').Data.Count);
    }
}
