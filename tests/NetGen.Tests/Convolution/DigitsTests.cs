using System.IO.Compression;
using Xunit.Abstractions;

namespace NetGen.Tests.Convolution;

/// <summary>
/// A small convolutional network on real images: the UCI optical digits (8×8 pixels, 0–16; 1,797 images) shipped in
/// Data/digits.csv.gz. Two 3×3 convolutions with max pooling share 1,224 weights (72 + 1,152) across the image.
/// 1×8×8 → 8×8×8 → 8×4×4 → 16×4×4 → 16×2×2 → 10.
/// </summary>
[Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.CrossEntropy)]
[Conv2D(8, Kernel = 3, Padding = 1, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, Kernel = 3, Padding = 1, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Dense(10, Activation.Softmax)]
public partial class DigitsCnn { }

public class DigitsTests(ITestOutputHelper output)
{
    /// <summary>The digits as a data set: pixels scaled to [0, 1], one-hot labels.</summary>
    internal static Dataset Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var pixels = new List<float>();
        var labels = new List<int>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = line.Split(',');
            Assert.Equal(65, fields.Length);
            for (int i = 0; i < 64; i++) pixels.Add(float.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture) / 16f);
            labels.Add(int.Parse(fields[64], System.Globalization.CultureInfo.InvariantCulture));
        }
        return Dataset.FromLabels(pixels.ToArray(), 64, labels.ToArray(), 10);
    }

    [Fact]
    public void A_small_cnn_reaches_95_percent_on_held_out_digits()
    {
        var digits = Load();
        Assert.Equal(1797, digits.Count);
        var (train, test) = digits.Split(0.2, seed: 3);
        var trainer = new Trainer<DigitsCnn>(new DigitsCnn(seed: 3), new Adam(3e-3f), seed: 3) { BatchSize = 32 };
        var before = trainer.Evaluate(test);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var history = trainer.Fit(train, epochs: 15);
        var after = trainer.Evaluate(test);
        output.WriteLine($"{train.Count} training and {test.Count} held-out images; accuracy {before.Accuracy:0.000} → {after.Accuracy:0.000}, " +
                         $"loss {history.Epochs[0].Loss:0.000} → {history.FinalLoss:0.000}, {clock.Elapsed.TotalSeconds:0.0} s for {history.Epochs.Count} epochs");
        Assert.True(before.Accuracy < 0.3f, $"An untrained network should be near chance (0.1), not {before.Accuracy}.");
        Assert.True(after.Accuracy >= 0.95f, $"Held-out digits accuracy {after.Accuracy}.");
    }

    [Fact]
    public void Training_the_cnn_allocates_nothing_per_epoch()
    {
        // The batch path keeps every sample's patches in one thread-static buffer and the kernels' scratch in another: once
        // they exist and the JIT has settled (5 epochs, as the batch-norm test), epochs allocate nothing.
        var (train, _) = Load().Split(0.5, seed: 1);
        var trainer = new Trainer<DigitsCnn>(new DigitsCnn(seed: 1), new Adam(1e-3f), seed: 1) { BatchSize = 32, Threads = 1 };
        long start = 0, threeEpochs = -1;
        trainer.Callbacks.Add(new EpochMeter(e => { if (e == 5) start = GC.GetAllocatedBytesForCurrentThread(); if (e == 8) threeEpochs = GC.GetAllocatedBytesForCurrentThread() - start; }));
        var history = trainer.Fit(train, epochs: 8);
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "the loss did not go down");
        Assert.Equal(0, threeEpochs);
    }

    private sealed class EpochMeter(Action<int> onEnd) : Callback
    {
        public override void OnEpochEnd(TrainingContext context, EpochResult result) => onEnd(result.Epoch);
    }
}
