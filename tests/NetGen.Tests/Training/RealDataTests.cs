using Xunit.Abstractions;

namespace NetGen.Tests.Training;

/// <summary>Training on real data shipped with the repository, from fixed seeds.</summary>
public class RealDataTests(ITestOutputHelper output)
{
    private static string DataPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    [Fact]
    public void Iris_reaches_at_least_93_percent_test_accuracy()
    {
        // The same recipe as samples/Iris: 70/15/15 split, standardised on the training part, Adam, early stopping.
        var iris = CsvLoader.LoadClassification(DataPath("iris.csv"), "species");
        var (train, validation, test) = iris.Data.Split(0.15, 0.15, seed: 42);
        var scaler = Standardizer.Fit(train);
        (train, validation, test) = (scaler.Transform(train), scaler.Transform(validation), scaler.Transform(test));

        var trainer = new Trainer<IrisNet>(new IrisNet(seed: 42), new Adam(0.01f), seed: 42) { BatchSize = 16 };
        var stopping = new EarlyStopping(patience: 20, restoreBest: true);
        trainer.Callbacks.Add(stopping);
        var history = trainer.Fit(train, epochs: 300, validation);
        var result = trainer.Evaluate(test);
        output.WriteLine($"epochs {history.Epochs.Count}, best {stopping.BestEpoch}, test accuracy {result.Accuracy:0.000}, loss {result.Loss:0.000}");
        Assert.Equal(23, test.Count);
        Assert.True(result.Accuracy >= 0.93f, $"Iris test accuracy {result.Accuracy}.");
    }

    [Fact]
    public void Fashion_mnist_subset_trains_above_78_percent()
    {
        // 2,500 training and 500 test images cut from the real files (tests/NetGen.Tests/Data/fashion-mnist-subset).
        var train = IdxReader.LoadLabelled(DataPath("fashion-mnist-subset", "train-images-idx3-ubyte.gz"), DataPath("fashion-mnist-subset", "train-labels-idx1-ubyte.gz"));
        var test = IdxReader.LoadLabelled(DataPath("fashion-mnist-subset", "t10k-images-idx3-ubyte.gz"), DataPath("fashion-mnist-subset", "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal(2500, train.Count);
        Assert.Equal(500, test.Count);

        var trainer = new Trainer<FashionSubsetNet>(new FashionSubsetNet(seed: 7), new Adam(1e-3f), seed: 7) { BatchSize = 32 };
        var before = trainer.Evaluate(test);
        var history = trainer.Fit(train, epochs: 8);
        var after = trainer.Evaluate(test);
        output.WriteLine($"test accuracy {before.Accuracy:0.000} → {after.Accuracy:0.000}, loss {history.Epochs[0].Loss:0.000} → {history.FinalLoss:0.000}");
        Assert.True(before.Accuracy < 0.3f, $"An untrained network should be near chance (0.1), not {before.Accuracy}.");
        Assert.True(after.Accuracy >= 0.78f, $"Fashion-MNIST subset test accuracy {after.Accuracy}.");
    }
}
