using NetGen;

// Rosenblatt's perceptron learns AND and OR, which a line separates, in a few epochs of the perceptron rule
// (w ← w + η·(y − ŷ)·x, b ← b + η·(y − ŷ)); it never learns XOR, which no line separates: every epoch misclassifies a
// point (Minsky and Papert, 1969). One hidden layer fixes that: the 2-4-1 network of samples/Xor, trained by gradient
// descent, learns XOR. Exits 0 when all three outcomes are as described.
// Usage: dotnet run -c Release --project samples/Perceptron

float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
bool asExpected = true;
foreach (var (name, targets, separable) in new[] { ("AND", new float[] { 0, 0, 0, 1 }, true), ("OR", new float[] { 0, 1, 1, 1 }, true), ("XOR", new float[] { 0, 1, 1, 0 }, false) })
{
    var gate = new Dataset(inputs, targets, inputWidth: 2, targetWidth: 1);
    var perceptron = new Perceptron(seed: 1);
    perceptron.Parameters.Clear(); // w = 0, b = 0: Rosenblatt's start
    var result = new PerceptronTrainer<Perceptron>(perceptron, learningRate: 1f).Fit(gate, maxEpochs: 1000);
    var p = perceptron.Parameters;
    Console.WriteLine(result.Converged
        ? $"{name}: converged after {result.Epochs} epochs ({result.MistakesPerEpoch.Sum()} corrections): ŷ = H({p[0]}·x₁ {Signed(p[1])}·x₂ {Signed(p[2])})"
        : $"{name}: no epoch of {result.Epochs} classified all four points (mistakes per epoch from {result.MistakesPerEpoch.Min()} to {result.MistakesPerEpoch.Max()}): no line separates them");
    asExpected &= result.Converged == separable;
}

// The multilayer answer: a hidden layer of 4 tanh units, trained by backpropagation.
var xor = new Dataset(inputs, [0, 1, 1, 0], inputWidth: 2, targetWidth: 1);
var trainer = new Trainer<XorMlp>(new XorMlp(seed: 1), new Sgd(learningRate: 2f), seed: 1) { BatchSize = 4 };
var history = trainer.Fit(xor, epochs: 2000);
var output = new float[1];
int right = 0;
for (int s = 0; s < 4; s++)
{
    trainer.Network.Predict(xor.Input(s), output);
    if ((output[0] >= 0.5f ? 1f : 0f) == xor.Target(s)[0]) right++;
}
Console.WriteLine($"XOR with a 2-4-1 network (tanh, sigmoid; SGD): {right}/4 right after {history.Epochs.Count} epochs, loss {history.FinalLoss:0.0000}");
asExpected &= right == 4;
return asExpected ? 0 : 1;

static string Signed(float value) => value < 0 ? $"− {-value}" : $"+ {value}";

/// <summary>One step unit on two inputs: ŷ = H(w·x + b).</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(1, Activation.Step)]
public partial class Perceptron { }

/// <summary>2 → 4 tanh → 1 sigmoid, as samples/Xor.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorMlp { }
