using NetGen;
using Samples.Xor;

// Trains XorNet on the four XOR cases with plain SGD and prints the loss every few epochs and the four predictions.
// Exits 0 when the loss fell below 0.01, 1 otherwise.

const float Target = 0.01f;
const int MaxEpochs = 2000;
int seed = args.Length > 0 && int.TryParse(args[0], out var s) ? s : 1;

var data = Dataset.FromRows(
    inputs: [[0, 0], [0, 1], [1, 0], [1, 1]],
    targets: [[0], [1], [1], [0]]);

var net = new XorNet(seed);
Console.WriteLine(XorNet.Summary);

var trainer = new Trainer<XorNet>(net, new Sgd(learningRate: 0.5f), seed) { BatchSize = 4 };
int converged = 0;
trainer.Callbacks.Add(Callback.OnEpoch(epoch =>
{
    if (epoch.Epoch % 200 == 0 || epoch.Epoch == 1)
        Console.WriteLine($"epoch {epoch.Epoch,5}  loss {epoch.Loss:F6}");
    if (converged == 0 && epoch.Loss < Target)
        converged = epoch.Epoch;
}));
trainer.Fit(data, MaxEpochs);

float finalLoss = 0;
Span<float> output = stackalloc float[XorNet.OutputSize];
Console.WriteLine();
for (int i = 0; i < data.Count; i++)
{
    net.Predict(data.Input(i), output);
    finalLoss += net.ComputeLoss(data.Input(i), data.Target(i)) / data.Count;
    Console.WriteLine($"{data.Input(i)[0]} XOR {data.Input(i)[1]} = {output[0]:F3}  (target {data.Target(i)[0]})");
}
Console.WriteLine();
if (finalLoss < Target)
{
    Console.WriteLine($"Converged: loss {finalLoss:F6} < {Target} (first below it after {converged} epochs).");
    return 0;
}
Console.WriteLine($"Did not converge: loss {finalLoss:F6} ≥ {Target} after {MaxEpochs} epochs. Try another seed or learning rate.");
return 1;
