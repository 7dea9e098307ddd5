using System.Diagnostics;
using NetGen;

// Poor local minima, measured: XOR with two hidden sigmoid units (2-2-1, mean squared error) has flat regions and local
// minima where plain gradient descent stalls (a network stuck there outputs about 0.5 or 0.67 for some inputs). Over 100
// seeds, the fraction of runs that reach a loss below 0.01, for four ways of training with the same budget of passes:
//   gradient descent      full-batch, η = 2, 4,000 epochs
//   random restarts       5 initialisations × 800 epochs of the same descent, the best kept (Trainer.FitWithRestarts)
//   simulated annealing   200 steps × 50 proposals (10,000 loss evaluations), T₀ = 0.1, cooling 0.97, step 0.5
//   anneal then descend   100 annealing steps, then 2,000 epochs of the same descent from the best point found
// Usage: dotnet run -c Release --project samples/LocalMinima [-- --seeds N]

int seeds = args.Length == 2 && args[0] == "--seeds" && int.TryParse(args[1], out int n) && n > 0 ? n : 100;
var xor = new Dataset([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], inputWidth: 2, targetWidth: 1);

var methods = new (string Name, Func<int, float> Run)[]
{
    ("gradient descent", seed => Final(new Trainer<Xor221>(new Xor221(seed), new Sgd(learningRate: 2f), seed) { BatchSize = 4 }, t => t.Fit(xor, 4000))),
    ("random restarts (5)", seed => Final(new Trainer<Xor221>(new Xor221(seed), new Sgd(learningRate: 2f), seed) { BatchSize = 4 }, t => t.FitWithRestarts(xor, 800, restarts: 5, validation: xor))),
    ("simulated annealing", seed => Annealed(seed)),
    ("anneal then descend", seed => Final(new Trainer<Xor221>(new Xor221(seed), new AnnealThenDescend(new SimulatedAnnealing(seed: seed), annealingSteps: 100, learningRate: 2f), seed), t => t.Fit(xor, 100 + 2000))),
};

Console.WriteLine($"XOR 2-2-1 (sigmoid, MSE), {seeds} seeds: runs reaching a loss below 0.01");
Console.WriteLine($"{"method",-22} {"reached",8} {"median final loss",18} {"time per run",13}");
foreach (var (name, run) in methods)
{
    var losses = new List<float>();
    var clock = Stopwatch.StartNew();
    for (int seed = 1; seed <= seeds; seed++) losses.Add(run(seed));
    double perRun = clock.Elapsed.TotalMilliseconds / seeds;
    losses.Sort();
    int reached = losses.Count(l => l < 0.01f);
    Console.WriteLine($"{name,-22} {reached,4}/{seeds,-3} {losses[losses.Count / 2],18:0.00000} {perRun,10:0.0} ms");
}
return 0;

// The mean loss over the four points at the network's final (or, for restarts, kept) parameters.
float Final(Trainer<Xor221> trainer, Action<Trainer<Xor221>> fit)
{
    fit(trainer);
    return trainer.Evaluate(xor).Loss;
}

// Annealing alone keeps the chain's last state in the network; its best point is the result.
float Annealed(int seed)
{
    var annealing = new SimulatedAnnealing(seed: seed);
    var trainer = new Trainer<Xor221>(new Xor221(seed), annealing, seed);
    trainer.Fit(xor, 200);
    annealing.CopyBest(trainer.Network.Parameters);
    return trainer.Evaluate(xor).Loss;
}

/// <summary>2 → 2 sigmoid → 1 sigmoid, mean squared error: the smallest XOR network, the one with poor local minima.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class Xor221 { }
