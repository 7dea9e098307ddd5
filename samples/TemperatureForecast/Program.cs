using System.Diagnostics;
using System.Globalization;
using NetGen;
using Samples.TemperatureForecast;

// Predicts the next hour's temperature in Seattle from the previous 24 hours with a dense network, Elman, GRU and LSTM,
// and compares their test RMSE in °F with the persistence baseline (next hour = this hour).
// Usage: dotnet run -c Release --project samples/TemperatureForecast [-- --epochs N] [--seed S]
// The series is split by time: the first 70 % of 2010 trains, the next 15 % validates (early stopping), the last 15 % tests.

int epochs = 40, seed = 1;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--epochs" when int.TryParse(value, out int e) && e > 0: epochs = e; i++; break;
        case "--seed" when int.TryParse(value, out int s): seed = s; i++; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: [--epochs N] [--seed S]");
            return 2;
    }
}

// date,temp — one reading per hour.
float[] series = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "seattle-temps.csv")).Skip(1)
    .Select(line => float.Parse(line.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
int trainEnd = (int)(series.Length * 0.70), validationEnd = (int)(series.Length * 0.85);
const int Window = 24;
var train = SequenceWindows.Create(series.AsSpan(0, trainEnd), Window);
var validation = SequenceWindows.Create(series.AsSpan(trainEnd, validationEnd - trainEnd), Window);
var test = SequenceWindows.Create(series.AsSpan(validationEnd), Window);
Console.WriteLine($"{series.Length} hourly temperatures: {train.Count} training, {validation.Count} validation and {test.Count} test windows of {Window} hours.");

// One temperature scale for inputs and targets, fitted on the training part: x′ = (x − μ)/σ. The networks carry it for
// their inputs; the targets are scaled here, and predictions scaled back, so losses are in σ² units and RMSE in °F.
var scale = Standardizer.Fit(train, stepWidth: 1);
float mu = scale.Mean[0], sigma = scale.Scale[0];
Dataset ScaleTargets(Dataset d) => new(Enumerable.Range(0, d.Count).SelectMany(i => d.Input(i).ToArray()).ToArray(),
    Enumerable.Range(0, d.Count).Select(i => (d.Target(i)[0] - mu) / sigma).ToArray(), d.InputWidth, 1);
var (trainScaled, validationScaled) = (ScaleTargets(train), ScaleTargets(validation));

double persistence = Math.Sqrt(Enumerable.Range(0, test.Count).Average(i => Math.Pow(test.Input(i)[Window - 1] - test.Target(i)[0], 2)));
var rows = new List<(string Model, double Rmse, double Seconds, int Epochs, int Parameters)> { ("persistence (next = last)", persistence, 0, 0, 0) };
rows.Add(Run<DenseForecast>("dense 24-32-1"));
rows.Add(Run<ElmanForecast>("Elman 32"));
rows.Add(Run<GruForecast>("GRU 32"));
rows.Add(Run<LstmForecast>("LSTM 32"));

Console.WriteLine();
Console.WriteLine($"{"model",-28} {"test RMSE (°F)",15} {"parameters",11} {"epochs",7} {"training",10}");
foreach (var (model, rmse, seconds, runEpochs, parameters) in rows)
    Console.WriteLine($"{model,-28} {rmse,15:0.000} {parameters,11} {runEpochs,7} {(seconds > 0 ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : ""),10}");
var best = rows.Skip(1).MinBy(r => r.Rmse);
Console.WriteLine(best.Rmse < persistence
    ? $"Best: {best.Model}, {100 * (1 - best.Rmse / persistence):0.0} % below persistence."
    : $"No model beat persistence on the test part (best: {best.Model}, {best.Rmse:0.000} °F against {persistence:0.000} °F).");
return 0;

(string, double, double, int, int) Run<TNetwork>(string label) where TNetwork : class, INetwork<TNetwork>
{
    var net = TNetwork.Create(seed);
    net.Standardizer = scale;
    var trainer = new Trainer<TNetwork>(net, new Adam(learningRate: 1e-3f), seed) { BatchSize = 32, ClipGradientNorm = 1f };
    trainer.Callbacks.Add(new EarlyStopping(patience: 6, restoreBest: true));
    var clock = Stopwatch.StartNew();
    var history = trainer.Fit(trainScaled, epochs, validationScaled);
    clock.Stop();
    var output = new float[1];
    double squares = 0;
    for (int i = 0; i < test.Count; i++)
    {
        net.Predict(test.Input(i), output);
        double error = output[0] * sigma + mu - test.Target(i)[0];
        squares += error * error;
    }
    double rmse = Math.Sqrt(squares / test.Count);
    Console.WriteLine($"{label}: test RMSE {rmse:0.000} °F after {history.Epochs.Count} epochs ({clock.Elapsed.TotalSeconds:0.0} s){(history.Notes.Count > 0 ? "; " + string.Join(" ", history.Notes) : "")}");
    return (label, rmse, clock.Elapsed.TotalSeconds, history.Epochs.Count, TNetwork.TrainableParameterCount);
}
