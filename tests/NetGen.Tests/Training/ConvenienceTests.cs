using System.Globalization;

namespace NetGen.Tests.Training;

/// <summary>z = 10·x, softmax: the predicted class is the index of the largest input (weights set by hand below).</summary>
[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(3, Activation.Softmax)]
public partial class ArgMaxNet { }

/// <summary>p = σ(10·x): class 1 exactly when x &gt; 0.</summary>
[Network(Inputs = 1, Loss = Loss.BinaryCrossEntropy)]
[Dense(1, Activation.Sigmoid)]
public partial class SignNet { }

/// <summary>p = σ(10·x) per output: label j is on exactly when xⱼ &gt; 0.</summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(2, Activation.Sigmoid)]
public partial class TwoLabelNet { }

/// <summary>ŷ = W·x + b with two outputs (set to the identity below).</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(2)]
public partial class TwoOutputRegressor { }

/// <summary>A network with more inputs than the generated code standardises on the stack (2,048).</summary>
[Network(Inputs = 2100, Loss = Loss.MeanSquaredError)]
[Dense(1)]
public partial class WideInputNet { }

/// <summary>The conveniences a Keras or scikit-learn user expects: the classification report, R², batch prediction,
/// saving the best model, the history as CSV and the notes of early stopping. Expected values come from the sample
/// lists and formulas written here.</summary>
public sealed class ConvenienceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netgen-conv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ArgMaxNet ArgMax()
    {
        var net = new ArgMaxNet();
        net.Parameters.Clear();
        for (int i = 0; i < 3; i++) net.Parameters[i * 3 + i] = 10f; // W = 10·I, b = 0
        return net;
    }

    /// <summary>Samples given as (actual, predicted) pairs: input one-hot at the predicted class, target at the actual one.</summary>
    private static Dataset Pairs((int Actual, int Predicted)[] pairs)
    {
        var inputs = new float[pairs.Length * 3];
        var targets = new float[pairs.Length * 3];
        for (int i = 0; i < pairs.Length; i++)
        {
            inputs[i * 3 + pairs[i].Predicted] = 1;
            targets[i * 3 + pairs[i].Actual] = 1;
        }
        return new Dataset(inputs, targets, 3, 3);
    }

    [Fact]
    public void Evaluate_reports_the_confusion_matrix_and_per_class_precision_recall_and_f1()
    {
        (int, int)[] pairs = [(0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (1, 1), (1, 2), (2, 0), (2, 2), (2, 2), (0, 0), (1, 0)];
        var net = ArgMax();
        net.ClassNames = ["cat", "dog", "bird"];
        var result = new Trainer<ArgMaxNet>(net, new Sgd(0.1f)).Evaluate(Pairs(pairs));
        var report = result.Report!;
        var matrix = report.ConfusionMatrix!;
        for (int a = 0; a < 3; a++)
            for (int p = 0; p < 3; p++)
                Assert.Equal(pairs.Count(x => x.Item1 == a && x.Item2 == p), matrix[a, p]);
        for (int c = 0; c < 3; c++)
        {
            double tp = pairs.Count(x => x.Item1 == c && x.Item2 == c);
            double predicted = pairs.Count(x => x.Item2 == c), actual = pairs.Count(x => x.Item1 == c);
            double precision = tp / predicted, recall = tp / actual;
            Assert.Equal(precision, report.Precision[c], 12);
            Assert.Equal(recall, report.Recall[c], 12);
            Assert.Equal(2 * precision * recall / (precision + recall), report.F1[c], 12);
            Assert.Equal((int)actual, report.Support[c]);
        }
        Assert.Equal(report.F1.Average(), report.MacroF1, 12);
        Assert.Equal(Enumerable.Range(0, 3).Sum(c => report.F1[c] * report.Support[c]) / pairs.Length, report.WeightedF1, 12);
        Assert.Equal(pairs.Count(x => x.Item1 == x.Item2) / (double)pairs.Length, report.Accuracy, 12);
        Assert.Equal((float)report.Accuracy, result.Accuracy, 6);
        Assert.Equal(["cat", "dog", "bird"], report.ClassNames);
        string table = report.ToString();
        Assert.Contains("bird", table);
        Assert.Contains("confusion matrix", table);
        Assert.True(float.IsNaN(result.RSquared));
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_as_in_scikit_learn()
    {
        var report = new Trainer<ArgMaxNet>(ArgMax(), new Sgd(0.1f)).Evaluate(Pairs([(0, 0), (1, 0), (2, 2)])).Report!;
        Assert.Equal(0, report.Precision[1]);
        Assert.Equal(0, report.Recall[1]);
        Assert.Equal(0, report.F1[1]);
        Assert.Equal(["0", "1", "2"], report.ClassNames); // no names given
    }

    [Fact]
    public void A_single_sigmoid_output_is_a_two_class_report()
    {
        var net = new SignNet();
        net.Parameters[0] = 10f;
        net.Parameters[1] = 0f;
        float[] x = [1, 2, -1, -3, 0.5f, -0.5f, 4];
        float[] y = [1, 0, 0, 0, 1, 1, 1];
        var report = new Trainer<SignNet>(net, new Sgd(0.1f)).Evaluate(new Dataset(x, y, 1, 1)).Report!;
        var matrix = report.ConfusionMatrix!;
        int Count(int a, int p) => Enumerable.Range(0, x.Length).Count(i => (int)y[i] == a && (x[i] > 0 ? 1 : 0) == p);
        for (int a = 0; a < 2; a++)
            for (int p = 0; p < 2; p++)
                Assert.Equal(Count(a, p), matrix[a, p]);
        Assert.Equal(Count(1, 1) / (double)(Count(1, 1) + Count(0, 1)), report.Precision[1], 12);
        Assert.Equal(["0", "1"], report.ClassNames);
        net.ClassNames = ["negative", "positive"];
        Assert.Equal(new ClassPrediction(1, "positive", 1f / (1f + MathF.Exp(-20f))), net.PredictClass([2f]));
        Assert.Equal("negative", net.PredictClass([-2f]).Name);
    }

    [Fact]
    public void Several_sigmoid_outputs_are_reported_label_by_label_without_a_confusion_matrix()
    {
        var net = new TwoLabelNet();
        net.Parameters.Clear();
        net.Parameters[0] = 10f; // W = 10·I, b = 0
        net.Parameters[3] = 10f;
        float[][] x = [[1, 1], [1, -1], [-1, 1], [-1, -1], [1, 1], [-1, 1]];
        float[][] y = [[1, 0], [1, 1], [0, 1], [1, 0], [0, 0], [0, 1]];
        var report = new Trainer<TwoLabelNet>(net, new Sgd(0.1f)).Evaluate(Dataset.FromRows(x, y)).Report!;
        Assert.True(report.MultiLabel);
        Assert.Null(report.ConfusionMatrix);
        Assert.True(double.IsNaN(report.Accuracy));
        for (int j = 0; j < 2; j++)
        {
            int tp = Enumerable.Range(0, x.Length).Count(i => x[i][j] > 0 && y[i][j] == 1);
            int fp = Enumerable.Range(0, x.Length).Count(i => x[i][j] > 0 && y[i][j] == 0);
            int fn = Enumerable.Range(0, x.Length).Count(i => x[i][j] < 0 && y[i][j] == 1);
            Assert.Equal(tp / (double)(tp + fp), report.Precision[j], 12);
            Assert.Equal(tp / (double)(tp + fn), report.Recall[j], 12);
            Assert.Equal(tp + fn, report.Support[j]);
        }
    }

    [Fact]
    public void R_squared_averages_the_outputs_and_a_constant_target_scores_one_when_met_and_zero_when_missed()
    {
        var net = new TwoOutputRegressor();
        net.Parameters.Clear();
        net.Parameters[0] = 1f; // ŷ = x
        net.Parameters[3] = 1f;
        var random = new Random(4);
        const int n = 30;
        const float constant = 0.1f; // not exact in binary: a one-pass Σy² − (Σy)²/n leaves rounding noise here
        var inputs = new float[n * 2];
        var targets = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            inputs[2 * i] = (float)random.NextDouble();
            targets[2 * i] = inputs[2 * i] + (float)(0.1 * random.NextDouble());
            inputs[2 * i + 1] = constant;   // the second output predicts the constant exactly
            targets[2 * i + 1] = constant;
        }
        double mean = Enumerable.Range(0, n).Average(i => (double)targets[2 * i]);
        double residual = Enumerable.Range(0, n).Sum(i => Math.Pow(inputs[2 * i] - targets[2 * i], 2));
        double total = Enumerable.Range(0, n).Sum(i => Math.Pow(targets[2 * i] - mean, 2));
        var trainer = new Trainer<TwoOutputRegressor>(net, new Sgd(0.1f));
        Assert.Equal(((1 - residual / total) + 1) / 2, trainer.Evaluate(new Dataset(inputs, targets, 2, 2)).RSquared, 4);
        for (int i = 0; i < n; i++) inputs[2 * i + 1] = 0.5f; // now the constant is missed
        Assert.Equal((1 - residual / total) / 2, trainer.Evaluate(new Dataset(inputs, targets, 2, 2)).RSquared, 4);
    }

    [Fact]
    public void Predict_with_a_standardizer_allocates_nothing_on_the_stack_path_and_the_pooled_path()
    {
        var small = new IrisNet(3) { Standardizer = Standardizer.Create([1f, 2f, 3f, 4f], [2f, 2f, 2f, 2f]) };
        var wide = new WideInputNet(3);
        var mean = Enumerable.Range(0, 2100).Select(j => 0.001f * j).ToArray();
        var scale = Enumerable.Range(0, 2100).Select(j => 1f + 0.01f * (j % 7)).ToArray();
        wide.Standardizer = Standardizer.Create(mean, scale);
        var raw = Enumerable.Range(0, 2100).Select(j => (float)Math.Sin(j)).ToArray();
        var expected = new float[1];
        var output = new float[1];
        WideInputNet.Forward(wide.Parameters, raw.Select((v, j) => (v - mean[j]) / scale[j]).ToArray(), expected);
        wide.Predict(raw, output);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected[0]), BitConverter.SingleToInt32Bits(output[0]));

        float[] flower = [5f, 3f, 1f, 0.2f];
        var probabilities = new float[3];
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300) { small.Predict(flower, probabilities); wide.Predict(raw, output); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2_000; i++) { small.Predict(flower, probabilities); wide.Predict(raw, output); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void R_squared_is_one_minus_residual_over_total_sum_of_squares()
    {
        var net = new LinearRegressor();
        float[] w = [0.5f, -1f, 2f];
        const float b = 0.25f;
        w.CopyTo(net.Parameters);
        net.Parameters[3] = b;
        var random = new Random(2);
        const int n = 40;
        var inputs = Enumerable.Range(0, n * 3).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = Enumerable.Range(0, n).Select(i => (float)(3 * inputs[i * 3] - inputs[i * 3 + 2] + random.NextDouble())).ToArray();
        double mean = targets.Average(t => (double)t), residual = 0, total = 0;
        for (int i = 0; i < n; i++)
        {
            double prediction = w[0] * inputs[i * 3] + w[1] * inputs[i * 3 + 1] + w[2] * inputs[i * 3 + 2] + b;
            residual += (prediction - targets[i]) * (prediction - targets[i]);
            total += (targets[i] - mean) * (targets[i] - mean);
        }
        var result = new Trainer<LinearRegressor>(net, new Sgd(0.1f)).Evaluate(new Dataset(inputs, targets, 3, 1));
        Assert.Equal(1 - residual / total, result.RSquared, 4);
        Assert.Null(result.Report);
    }

    [Fact]
    public void Batch_predict_equals_one_predict_per_row_and_names_the_sizes_when_they_are_short()
    {
        var net = new IrisNet(5);
        var random = new Random(3);
        const int count = 9;
        var inputs = Enumerable.Range(0, count * 4).Select(_ => (float)random.NextDouble()).ToArray();
        var outputs = new float[count * 3];
        net.Predict(inputs, outputs, count);
        var row = new float[3];
        for (int i = 0; i < count; i++)
        {
            net.Predict(inputs.AsSpan(i * 4, 4), row);
            Assert.Equal(row, outputs.AsSpan(i * 3, 3).ToArray());
        }
        Assert.Equal(outputs, net.Predict(new Dataset(inputs, new float[count * 3], 4, 3)));
        var error = Assert.Throws<ArgumentException>(() => net.Predict(inputs, new float[count * 3 - 1], count));
        Assert.Contains("count × OutputSize", error.Message);
        Assert.Throws<ArgumentException>(() => net.Predict(new Dataset(new float[6], new float[6], 2, 3)));
        Assert.Throws<InvalidOperationException>(() => new LinearRegressor().PredictClass([1f, 2f, 3f]));
    }

    private static Dataset Noisy(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, count * 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var targets = new float[count * 3];
        for (int i = 0; i < count; i++)
            targets[i * 3 + (inputs[i * 4] + 0.5 * random.NextDouble() > 0.3 ? 0 : inputs[i * 4 + 1] > 0 ? 1 : 2)] = 1;
        return new Dataset(inputs, targets, 4, 3);
    }

    [Fact]
    public void SaveBest_leaves_the_parameters_of_the_epoch_with_the_lowest_validation_loss()
    {
        string path = Path.Combine(_dir, "best.ngw");
        var net = new IrisNet(2) { ClassNames = ["a", "b", "c"], Standardizer = Standardizer.Create([0.1f, 0f, 0f, 0f], [1f, 2f, 1f, 1f]) };
        var trainer = new Trainer<IrisNet>(net, new Adam(0.05f), 1) { BatchSize = 4 };
        var snapshots = new List<float[]>();
        trainer.Callbacks.Add(Callback.OnEpoch(_ => snapshots.Add(net.Parameters.ToArray())));
        var saveBest = new SaveBest(path);
        trainer.Callbacks.Add(saveBest);
        var history = trainer.Fit(Noisy(60, 1), 40, Noisy(30, 2)); // a high rate over-fits: the best epoch is not the last
        var losses = history.Epochs.Select(e => e.Validation!.Value.Loss).ToList();
        int best = losses.IndexOf(losses.Min());
        Assert.Equal(best + 1, saveBest.BestEpoch);
        Assert.NotEqual(history.Epochs.Count, saveBest.BestEpoch);
        var loaded = new IrisNet(0);
        Checkpoint.Load(loaded, path);
        Assert.Equal(snapshots[best], loaded.Parameters.ToArray());
        Assert.Equal(["a", "b", "c"], loaded.ClassNames);
        Assert.Equal([1f, 2f, 1f, 1f], loaded.Standardizer!.Scale.ToArray());
        Assert.Contains(history.Notes, n => n.StartsWith($"Best model: epoch {best + 1} ", StringComparison.Ordinal));

        // A second Fit keeps the best: an epoch worse than it does not overwrite the file.
        int saves = saveBest.Saves;
        float bestValue = saveBest.BestValue;
        net.Initialize(99); // a fresh start scores far worse than the trained best at first
        var second = trainer.Fit(Noisy(60, 1), 1, Noisy(30, 2));
        Assert.True(second.Epochs[0].Validation!.Value.Loss > bestValue);
        Assert.Equal(saves, saveBest.Saves);
        Checkpoint.Load(loaded, path);
        Assert.Equal(snapshots[best], loaded.Parameters.ToArray());
    }

    [Fact]
    public void The_history_as_csv_round_trips_every_number()
    {
        var net = new IrisNet(2);
        var trainer = new Trainer<IrisNet>(net, new Adam(0.01f), 1) { EvaluateTrainingSet = true };
        var history = trainer.Fit(Noisy(40, 1), 5, Noisy(20, 2));
        string path = Path.Combine(_dir, "history.csv");
        history.SaveCsv(path);
        var lines = File.ReadAllLines(path);
        Assert.Equal("epoch,loss,learning_rate,seconds,train_loss,accuracy,mae,mse,r2,val_loss,val_accuracy,val_mae,val_mse,val_r2", lines[0]);
        Assert.Equal(6, lines.Length);
        for (int e = 0; e < 5; e++)
        {
            var fields = lines[e + 1].Split(',');
            var epoch = history.Epochs[e];
            Assert.Equal(epoch.Epoch, int.Parse(fields[0], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.Loss, float.Parse(fields[1], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.Train!.Value.Accuracy, float.Parse(fields[5], CultureInfo.InvariantCulture));
            Assert.Equal("", fields[8]); // R² does not apply to a classifier
            Assert.Equal(epoch.Validation!.Value.Loss, float.Parse(fields[9], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.Validation!.Value.MeanSquaredError, float.Parse(fields[12], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Early_stopping_and_the_restored_epoch_are_noted_and_printed_after_their_epoch()
    {
        var net = new IrisNet(2);
        var trainer = new Trainer<IrisNet>(net, new Adam(0.01f), 1);
        // An improvement must beat the best by 10⁹: only epoch 1 counts, and patience 2 stops at epoch 3.
        trainer.Callbacks.Add(new EarlyStopping(patience: 2, minDelta: 1e9f, restoreBest: true, monitor: Monitored.Loss));
        var console = new StringWriter();
        var history = trainer.Fit(Noisy(40, 1), 50, progress: new ConsoleProgress(console, live: false));
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(2, history.Notes.Count);
        Assert.StartsWith("Early stopping at epoch 3: loss has not improved for 2 epochs (best ", history.Notes[0]);
        Assert.StartsWith("Restored the parameters of epoch 1 (loss ", history.Notes[1]);
        var lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Epoch 3/50", lines[2]);
        Assert.Equal(history.Notes[0], lines[3].TrimEnd('\r'));
        Assert.Equal(history.Notes[1], lines[4].TrimEnd('\r'));
    }
}
