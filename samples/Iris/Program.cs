using NetGen;
using Samples.Iris;

// Trains IrisNet (4-16-3) on Fisher's Iris data with Adam and early stopping, then prints the test accuracy and the
// confusion matrix. Usage: dotnet run -c Release --project samples/Iris [-- --data iris.csv] [--seed N] [--save model.ngw]
// --save writes the trained network as a text-form checkpoint (the form the compiler can embed; see samples/EmbeddedModel)
// and prints the standardisation constants that inputs need before Predict.
// Exits 0 when the test accuracy is at least 0.93, 1 otherwise.

const float Target = 0.93f;
string path = Path.Combine(AppContext.BaseDirectory, "iris.csv");
string? savePath = null;
int seed = 42;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--data" when value is not null: path = value; i++; break;
        case "--save" when value is not null: savePath = value; i++; break;
        case "--seed" when int.TryParse(value, out int s): seed = s; i++; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: [--data FILE] [--seed N] [--save FILE]");
            return 2;
    }
}

CsvData iris;
try
{
    iris = CsvLoader.LoadClassification(path, labelColumn: "species");
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// 70 % training, 15 % validation (early stopping), 15 % test — drawn at random from the seed. Standardise with the
// training part's statistics only, then apply them to the other parts.
var (train, validation, test) = iris.Data.Split(validationFraction: 0.15, testFraction: 0.15, seed);
var scaler = Standardizer.Fit(train);
(train, validation, test) = (scaler.Transform(train), scaler.Transform(validation), scaler.Transform(test));
Console.WriteLine($"{iris.Data.Count} samples: {train.Count} train, {validation.Count} validation, {test.Count} test; features {string.Join(", ", iris.FeatureNames)}");
Console.WriteLine(IrisNet.Summary);

var net = new IrisNet(seed);
var trainer = new Trainer<IrisNet>(net, new Adam(learningRate: 0.01f), seed) { BatchSize = 16 };
var stopping = new EarlyStopping(patience: 20, restoreBest: true);
trainer.Callbacks.Add(stopping);
var history = trainer.Fit(train, epochs: 300, validation, progress: new ConsoleProgress(every: 10));
Console.WriteLine(stopping.StoppedEpoch is { } stopped
    ? $"Early stopping at epoch {stopped}; restored epoch {stopping.BestEpoch} (validation loss {stopping.BestValue:0.0000})."
    : $"Ran all {history.Epochs.Count} epochs; restored the best, epoch {stopping.BestEpoch}.");

var result = trainer.Evaluate(test);
Console.WriteLine();
Console.WriteLine($"Test accuracy {result.Accuracy:0.000} ({Math.Round(result.Accuracy * test.Count)}/{test.Count}), test loss {result.Loss:0.0000}");

// Confusion matrix: rows are the true species, columns the predicted ones.
int classes = iris.ClassNames.Count;
var confusion = new int[classes, classes];
Span<float> output = stackalloc float[IrisNet.OutputSize];
for (int i = 0; i < test.Count; i++)
{
    net.Predict(test.Input(i), output);
    confusion[OneHot.Decode(test.Target(i)), OneHot.Decode(output)]++;
}
int width = iris.ClassNames.Max(n => n.Length) + 2;
Console.WriteLine();
Console.WriteLine("true \\ predicted".PadRight(width + 6) + string.Concat(iris.ClassNames.Select(n => n.PadLeft(width))));
for (int t = 0; t < classes; t++)
    Console.WriteLine(iris.ClassNames[t].PadRight(width + 6) + string.Concat(Enumerable.Range(0, classes).Select(p => confusion[t, p].ToString().PadLeft(width))));

if (savePath is not null)
{
    Checkpoint.Save(net, savePath, encoding: CheckpointEncoding.Base64Text);
    Console.WriteLine();
    Console.WriteLine($"Saved the trained network to {savePath} ({IrisNet.Architecture}).");
    Console.WriteLine($"Inputs must be standardised first: mean = [{string.Join(", ", scaler.Mean.ToArray().Select(v => v.ToString("G9") + "f"))}],");
    Console.WriteLine($"                                   scale = [{string.Join(", ", scaler.Scale.ToArray().Select(v => v.ToString("G9") + "f"))}].");
}

return result.Accuracy >= Target ? 0 : 1;
