using System.Diagnostics;
using NetGen;
using Samples.FashionMnist;

// Trains FashionNet (784-256-128-10) on the real Fashion-MNIST files and prints the test accuracy and time per epoch.
// Usage: dotnet run -c Release --project samples/FashionMnist [-- --data DIR] [--model mlp|cnn] [--epochs N] [--seed S] [--dropout] [--fixed-epochs]
//   --model cnn     trains FashionCnn (two 5×5 convolutions with max pooling, then 128 units) instead of FashionNet
//   --dropout       trains FashionDropoutNet (dropout 0.2 after each hidden layer) instead of FashionNet
//   --batchnorm     trains FashionBatchNormNet (batch normalization before each hidden activation)
//   --threads N     data-parallel training on N threads (default 1: the figures are per core)
//   --fixed-epochs  runs exactly N epochs: no early stopping, no learning-rate reduction (for like-for-like comparisons)
//   --plot FILE     where the loss and accuracy curves go (.png or .svg; default fashion-curves.png), beside FILE's .csv history
// The files come from the Debian package dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist).

string directory = "/usr/share/datasets/fashion-mnist";
int epochs = 30, seed = 1;
bool dropout = false, batchNorm = false, fixedEpochs = false, cnn = false;
int threads = 1;
string plotPath = "fashion-curves.png";
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--data" when value is not null: directory = value; i++; break;
        case "--epochs" when int.TryParse(value, out int e) && e > 0: epochs = e; i++; break;
        case "--seed" when int.TryParse(value, out int s): seed = s; i++; break;
        case "--model" when value is "cnn" or "mlp": cnn = value == "cnn"; i++; break;
        case "--threads" when int.TryParse(value, out int t) && t > 0: threads = t; i++; break;
        case "--dropout": dropout = true; break;
        case "--batchnorm": batchNorm = true; break;
        case "--fixed-epochs": fixedEpochs = true; break;
        case "--plot" when value is not null: plotPath = value; i++; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: [--data DIR] [--model mlp|cnn] [--threads N] [--epochs N] [--seed S] [--dropout] [--batchnorm] [--fixed-epochs] [--plot FILE.png|.svg]");
            return 2;
    }
}

string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
var missing = files.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
if (missing.Count > 0)
{
    Console.Error.WriteLine($"Fashion-MNIST is not in {directory} (missing {string.Join(", ", missing)}).");
    Console.Error.WriteLine("Install it with:  sudo apt-get install -y dataset-fashion-mnist   (files land in /usr/share/datasets/fashion-mnist)");
    Console.Error.WriteLine("or point to a folder holding the four IDX files with:  --data DIR");
    return 2;
}

var clock = Stopwatch.StartNew();
var all = IdxReader.LoadLabelled(Path.Combine(directory, files[0]), Path.Combine(directory, files[1]));
var test = IdxReader.LoadLabelled(Path.Combine(directory, files[2]), Path.Combine(directory, files[3]));
Console.WriteLine($"Loaded {all.Count} training and {test.Count} test images in {clock.Elapsed.TotalSeconds:0.0} s.");
// 5,000 of the training images are held out for early stopping; the test set is touched once, at the end.
var (train, validation) = all.Split(5000.0 / all.Count, seed);
return cnn
    ? Run(new Trainer<FashionCnn>(new FashionCnn(seed), new Adam(learningRate: 1e-3f), seed) { BatchSize = 64, Threads = threads }, FashionCnn.Summary)
    : batchNorm
    ? Run(new Trainer<FashionBatchNormNet>(new FashionBatchNormNet(seed), new Adam(learningRate: 1e-3f), seed) { BatchSize = 64, Threads = threads }, FashionBatchNormNet.Summary)
    : dropout
    ? Run(new Trainer<FashionDropoutNet>(new FashionDropoutNet(seed), new Adam(learningRate: 1e-3f), seed) { BatchSize = 64, Threads = threads }, FashionDropoutNet.Summary)
    : Run(new Trainer<FashionNet>(new FashionNet(seed), new Adam(learningRate: 1e-3f), seed) { BatchSize = 64, Threads = threads }, FashionNet.Summary);

int Run<TNetwork>(Trainer<TNetwork> trainer, string summary) where TNetwork : class, INetwork<TNetwork>
{
    Console.WriteLine(summary);
    trainer.Network.ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
    var stopping = new EarlyStopping(patience: 5, restoreBest: true, monitor: Monitored.ValidationLoss);
    if (!fixedEpochs)
    {
        trainer.Callbacks.Add(stopping);
        trainer.Callbacks.Add(new ReduceLearningRateOnPlateau(factor: 0.3f, patience: 2, monitor: Monitored.ValidationLoss));
    }
    var history = trainer.Fit(train, epochs, validation, progress: new ConsoleProgress());

    var result = trainer.Evaluate(test);
    double meanEpoch = history.Epochs.Average(e => e.Elapsed.TotalSeconds);
    Console.WriteLine();
    if (!fixedEpochs)
        Console.WriteLine($"Best epoch {stopping.BestEpoch} of {history.Epochs.Count} (validation loss {stopping.BestValue:0.0000}).");
    Console.WriteLine($"Test accuracy {result.Accuracy:0.0000} on {test.Count} images (published: MLP 256-128-100 0.8833, 2 conv + pooling 0.916), test loss {result.Loss:0.0000}.");
    Console.WriteLine($"Time per epoch {meanEpoch:0.00} s ({train.Count} images, batch {trainer.BatchSize}, {(trainer.Threads == 1 ? "one thread" : trainer.Threads + " threads")}, validation included).");
    Console.WriteLine(result.Report);
    string historyPath = Path.ChangeExtension(plotPath, ".csv");
    history.SaveCsv(historyPath);
    Samples.Shared.TrainingCurves.Save(history, $"{typeof(TNetwork).Name} on Fashion-MNIST, Adam", plotPath);
    Console.WriteLine($"Wrote the history to {Path.GetFullPath(historyPath)} and its curves to {Path.GetFullPath(plotPath)}.");
    return 0;
}
