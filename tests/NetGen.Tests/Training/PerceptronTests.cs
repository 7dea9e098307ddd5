namespace NetGen.Tests.Training;

/// <summary>One step unit on two inputs: Rosenblatt's perceptron, ŷ = H(w·x + b).</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(1, Activation.Step)]
public partial class TwoInputPerceptron { }

/// <summary>Three step units on four inputs (one-vs-rest), for the rule on several outputs and a standardizer.</summary>
[Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
[Dense(3, Activation.Step)]
public partial class ThreeUnitPerceptron { }

/// <summary>A step unit behind a hidden layer: nothing can train it.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(3, Activation.Tanh)]
[Dense(1, Activation.Step)]
public partial class DeepStep { }

public class PerceptronTests
{
    private static Dataset Gate(params float[] targets) =>
        new([0, 0, 0, 1, 1, 0, 1, 1], targets, inputWidth: 2, targetWidth: 1);

    private static TwoInputPerceptron Zero()
    {
        var net = new TwoInputPerceptron(1);
        net.Parameters.Clear();
        return net;
    }

    [Fact]
    public void The_first_updates_of_AND_are_the_hand_computed_ones()
    {
        // η = 1, w = (0, 0), b = 0, H(0) = 1. Sample by sample, ŷ = H(w·x + b), then w += (y − ŷ)·x, b += y − ŷ:
        //   (0,0) y 0: z = 0 → ŷ 1, e = −1 → w = (0, 0), b = −1
        //   (0,1) y 0: z = −1 → ŷ 0, right
        //   (1,0) y 0: z = −1 → ŷ 0, right
        //   (1,1) y 1: z = −1 → ŷ 0, e = +1 → w = (1, 1), b = 0          epoch 1: 2 mistakes
        //   (0,0) y 0: z = 0 → ŷ 1, e = −1 → w = (1, 1), b = −1
        //   (0,1) y 0: z = 0 → ŷ 1, e = −1 → w = (1, 0), b = −2
        //   (1,0) y 0: z = −1 → ŷ 0, right
        //   (1,1) y 1: z = −1 → ŷ 0, e = +1 → w = (2, 1), b = −1          epoch 2: 3 mistakes
        var net = Zero();
        var trainer = new PerceptronTrainer<TwoInputPerceptron>(net);
        var and = Gate(0, 0, 0, 1);
        Assert.True(trainer.Update(and.Input(0), and.Target(0)));
        Assert.Equal([0f, 0f, -1f], net.Parameters.ToArray());
        Assert.False(trainer.Update(and.Input(1), and.Target(1)));
        Assert.False(trainer.Update(and.Input(2), and.Target(2)));
        Assert.True(trainer.Update(and.Input(3), and.Target(3)));
        Assert.Equal([1f, 1f, 0f], net.Parameters.ToArray());
        var result = new PerceptronTrainer<TwoInputPerceptron>(Zero()).Fit(and, maxEpochs: 2);
        Assert.Equal([2, 3], result.MistakesPerEpoch);
        Assert.False(result.Converged);
    }

    [Fact]
    public void AND_and_OR_converge_and_then_classify_all_four_points()
    {
        foreach (var (name, gate) in new[] { ("AND", Gate(0, 0, 0, 1)), ("OR", Gate(0, 1, 1, 1)) })
        {
            var net = Zero();
            var result = new PerceptronTrainer<TwoInputPerceptron>(net).Fit(gate, maxEpochs: 100);
            Assert.True(result.Converged, $"{name} did not converge in 100 epochs");
            Assert.Equal(0, result.MistakesPerEpoch[^1]);
            var output = new float[1];
            for (int s = 0; s < 4; s++)
            {
                net.Predict(gate.Input(s), output);
                Assert.Equal(gate.Target(s)[0], output[0]);
            }
        }
    }

    [Fact]
    public void XOR_is_never_learned_every_epoch_has_a_mistake()
    {
        // No line separates XOR: the rule cycles. Every epoch of 1,000 misclassifies at least one point, in order or shuffled.
        foreach (int? shuffle in new int?[] { null, 7 })
        {
            var result = new PerceptronTrainer<TwoInputPerceptron>(Zero()) { Shuffle = shuffle }.Fit(Gate(0, 1, 1, 0), maxEpochs: 1000);
            Assert.False(result.Converged);
            Assert.Equal(1000, result.Epochs);
            Assert.All(result.MistakesPerEpoch, m => Assert.True(m >= 1));
        }
    }

    [Fact]
    public void Separable_data_converges_on_several_outputs_and_through_a_standardizer()
    {
        // 200 points in 4-D labelled by three random hyperplanes with a margin: linearly separable for each unit.
        var random = new Random(3);
        var planes = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var inputs = new List<float>();
        var targets = new List<float>();
        while (targets.Count < 600)
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 10 + 5)).ToArray(); // off-centre: the standardizer matters
            var scores = planes.Select(p => Enumerable.Range(0, 4).Sum(j => p[j] * (x[j] - 10))).ToArray(); // planes through (10, 10, 10, 10)
            if (scores.Any(v => Math.Abs(v) < 0.3)) continue; // keep a margin
            inputs.AddRange(x);
            targets.AddRange(scores.Select(v => v > 0 ? 1f : 0f));
        }
        var data = new Dataset(inputs.ToArray(), targets.ToArray(), 4, 3);
        var net = new ThreeUnitPerceptron(2) { Standardizer = Standardizer.Fit(data) };
        var result = new PerceptronTrainer<ThreeUnitPerceptron>(net, learningRate: 0.5f) { Shuffle = 1 }.Fit(data, maxEpochs: 2000);
        Assert.True(result.Converged, $"not separated after {result.Epochs} epochs (last mistakes {result.MistakesPerEpoch[^1]})");
        var output = new float[3];
        for (int s = 0; s < data.Count; s++)
        {
            net.Predict(data.Input(s), output);
            Assert.Equal(data.Target(s).ToArray(), output);
        }
    }

    [Fact]
    public void Gradient_training_of_a_step_network_is_refused_naming_the_perceptron_trainer()
    {
        var trainer = new Trainer<DeepStep>(new DeepStep(1), new Sgd(0.1f), seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Gate(0, 1, 1, 0), epochs: 1));
        Assert.Contains("PerceptronTrainer<DeepStep>", error.Message);
        Assert.Contains("layer 2", error.Message);
        var notPerceptron = Assert.Throws<ArgumentException>(() => new PerceptronTrainer<DeepStep>(new DeepStep(1)));
        Assert.Contains("[Dense(1, Activation.Step)] alone", notPerceptron.Message);
        Assert.Throws<ArgumentException>(() => new PerceptronTrainer<TwoInputPerceptron>(Zero()).Fit(Gate(0, 0.5f, 1, 1), 1));
    }

    [Fact]
    public void The_step_activation_computes_H_and_passes_no_gradient()
    {
        var net = Zero();
        net.Parameters[0] = 1f; net.Parameters[1] = -1f; // z = x₀ − x₁
        var output = new float[1];
        foreach (var (x, expected) in new[] { (new[] { 0f, 0f }, 1f), (new[] { 1f, 2f }, 0f), (new[] { 2f, 1f }, 1f) })
        {
            net.Predict(x, output);
            Assert.Equal(expected, output[0]); // H(0) = 1
        }
        var gradients = new float[TwoInputPerceptron.ParameterCount];
        net.Backward([1f, 2f], [1f], gradients);
        Assert.All(gradients, g => Assert.Equal(0f, g));
        var trainer = new PerceptronTrainer<TwoInputPerceptron>(net);
        var gate = Gate(0, 1, 1, 0);
        trainer.Update(gate.Input(0), gate.Target(0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) trainer.Update(gate.Input(i % 4), gate.Target(i % 4));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
