using NetGen;
using Samples.Iris;

// Trains IrisNet (4-16-3) on Fisher's Iris data with Adam and early stopping, then prints the test accuracy, the
// per-species precision, recall and F1 and the confusion matrix, and writes the training history (CSV) and its curves.
// Usage: dotnet run -c Release --project samples/Iris [-- --data iris.csv] [--seed N] [--save model.ngw]
//                                                    [--history iris-history.csv] [--plot iris-curves.png|.svg]
// --save keeps the best epoch's network, with its standardizer and species names, as a text-form checkpoint (the form
// the compiler can embed; see samples/EmbeddedModel). Exits 0 when the test accuracy is at least 0.93, 1 otherwise.

const float Target = 0.93f;
string path = Path.Combine(AppContext.BaseDirectory, "iris.csv");
string? savePath = null;
string historyPath = "iris-history.csv", plotPath = "iris-curves.png";
int seed = 42;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--data" when value is not null: path = value; i++; break;
        case "--save" when value is not null: savePath = value; i++; break;
        case "--history" when value is not null: historyPath = value; i++; break;
        case "--plot" when value is not null: plotPath = value; i++; break;
        case "--seed" when int.TryParse(value, out int s): seed = s; i++; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: [--data FILE] [--seed N] [--save FILE] [--history FILE.csv] [--plot FILE.png|.svg]");
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

// 70 % training, 15 % validation (early stopping), 15 % test — drawn at random from the seed. The standardizer is
// fitted on the training part only and becomes part of the network: from here on every call takes raw centimetres.
var (train, validation, test) = iris.Data.Split(validationFraction: 0.15, testFraction: 0.15, seed);
Console.WriteLine($"{iris.Data.Count} samples: {train.Count} train, {validation.Count} validation, {test.Count} test; features {string.Join(", ", iris.FeatureNames)}");
Console.WriteLine(IrisNet.Summary);

var net = new IrisNet(seed)
{
    Standardizer = Standardizer.Fit(train),
    ClassNames = iris.ClassNames,
};
var trainer = new Trainer<IrisNet>(net, new Adam(learningRate: 0.01f), seed) { BatchSize = 16 };
trainer.Callbacks.Add(new EarlyStopping(patience: 20, restoreBest: true));
if (savePath is not null)
    trainer.Callbacks.Add(new SaveBest(savePath, encoding: CheckpointEncoding.Base64Text)); // the text form, which the compiler can embed
var history = trainer.Fit(train, epochs: 300, validation, progress: new ConsoleProgress(every: 10));

var result = trainer.Evaluate(test);
Console.WriteLine();
Console.WriteLine($"Test accuracy {result.Accuracy:0.000} ({Math.Round(result.Accuracy * test.Count)}/{test.Count}), test loss {result.Loss:0.0000}");
Console.WriteLine(result.Report);

var flower = new float[] { 6.3f, 2.9f, 5.6f, 1.8f };
var prediction = net.PredictClass(flower);
Console.WriteLine($"A flower of [{string.Join(", ", flower)}] cm is {prediction.Name} (p = {prediction.Probability:0.000}).");

history.SaveCsv(historyPath);
Samples.Shared.TrainingCurves.Save(history, "IrisNet 4-16-3, Adam", plotPath);
Console.WriteLine($"Wrote the history to {Path.GetFullPath(historyPath)} and its curves to {Path.GetFullPath(plotPath)}.");
if (savePath is not null)
    Console.WriteLine($"Saved the best network, with its standardizer and species names, to {savePath} ({IrisNet.Architecture}).");

return result.Accuracy >= Target ? 0 : 1;
