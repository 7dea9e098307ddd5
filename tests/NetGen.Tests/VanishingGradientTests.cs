using Xunit.Abstractions;

namespace NetGen.Tests;

/// <summary>Ten sigmoid layers: the textbook vanishing-gradient network.</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid)]
[Dense(1)]
public partial class DeepSigmoid { }

/// <summary>The same depth, widths and activation, with residual connections around layers 2–10.</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(16, Activation.Sigmoid, Residual = true)]
[Dense(1)]
public partial class DeepResidualSigmoid { }

/// <summary>Ten tanh layers with residual connections around layers 2–10: the usual residual block on a zero-centred activation.</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(16, Activation.Tanh, Residual = true)]
[Dense(1)]
public partial class DeepResidualTanh { }

/// <summary>Ten ReLU layers, each batch-normalized before its activation.</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(16, Activation.ReLU)]
[BatchNorm]
[Dense(1)]
public partial class DeepReluBatchNorm { }

/// <summary>
/// Demonstrates the vanishing gradient and its fix: through ten sigmoid layers (σ' ≤ 1/4) the gradient reaching the first
/// layer shrinks geometrically, while residual connections carry it back undiminished along their identity paths.
/// </summary>
public class VanishingGradientTests(ITestOutputHelper output)
{
    /// <summary>y = sin(x₀ + x₁)·x₂ − x₃·x₄ + 0.5·x₅ on 512 points in [−1, 1]⁸ (x₆, x₇ are noise inputs).</summary>
    private static Dataset Data()
    {
        var random = new Random(21);
        var x = new float[512 * 8];
        var y = new float[512];
        for (int i = 0; i < 512; i++)
        {
            for (int j = 0; j < 8; j++) x[i * 8 + j] = (float)(random.NextDouble() * 2 - 1);
            var r = x.AsSpan(i * 8, 8);
            y[i] = MathF.Sin(r[0] + r[1]) * r[2] - r[3] * r[4] + 0.5f * r[5];
        }
        return new Dataset(x, y, 8, 1);
    }

    /// <summary>‖∂L/∂W¹‖₂ of the mean loss over the data set at the network's initial parameters.</summary>
    private static double FirstLayerGradientNorm<T>(T net, Dataset data) where T : class, INetwork<T>
    {
        var gradient = new float[T.ParameterCount];
        for (int i = 0; i < data.Count; i++) net.Backward(data.Input(i), data.Target(i), gradient);
        var w1 = T.ParameterLayout[0];
        Assert.Equal("W1", w1.Name);
        return Math.Sqrt(gradient.AsSpan(w1.Offset, w1.Length).ToArray().Sum(g => (double)g * g)) / data.Count;
    }

    [Fact]
    public void Residual_connections_keep_the_first_layer_gradient_and_train_markedly_better()
    {
        var data = Data();
        var sigmoid = new DeepSigmoid(seed: 5);
        var residualSigmoid = new DeepResidualSigmoid(seed: 5);
        var residualTanh = new DeepResidualTanh(seed: 5);
        double sigmoidNorm = FirstLayerGradientNorm(sigmoid, data);
        double residualSigmoidNorm = FirstLayerGradientNorm(residualSigmoid, data);
        double residualTanhNorm = FirstLayerGradientNorm(residualTanh, data);
        output.WriteLine($"‖∂L/∂W¹‖ at initialisation: sigmoid {sigmoidNorm:E3}, residual sigmoid {residualSigmoidNorm:E3}, residual tanh {residualTanhNorm:E3}");
        // σ'(z) ≤ 1/4 per layer: nine more layers can shrink the gradient by up to 4⁹ ≈ 2.6e5 (times the weights' gains).
        Assert.True(sigmoidNorm < 1e-3, $"The plain sigmoid stack's first-layer gradient {sigmoidNorm:E3} has not vanished.");
        Assert.True(residualSigmoidNorm > 100 * sigmoidNorm, $"Residual sigmoid {residualSigmoidNorm:E3} vs plain {sigmoidNorm:E3}: the skip paths should carry at least 100× more.");
        Assert.True(residualTanhNorm > 100 * sigmoidNorm, $"Residual tanh {residualTanhNorm:E3} vs plain sigmoid {sigmoidNorm:E3}.");

        float Train<T>(T net) where T : class, INetwork<T>
        {
            var trainer = new Trainer<T>(net, new Adam(1e-2f), seed: 5) { BatchSize = 32 };
            return trainer.Fit(data, epochs: 40).FinalLoss;
        }
        float sigmoidLoss = Train(sigmoid), residualSigmoidLoss = Train(residualSigmoid), residualTanhLoss = Train(residualTanh);
        output.WriteLine($"loss after 40 epochs of Adam(0.01): sigmoid {sigmoidLoss:F4}, residual sigmoid {residualSigmoidLoss:F4}, residual tanh {residualTanhLoss:F4} (variance of y {Variance(data):F4})");
        Assert.True(residualSigmoidLoss < sigmoidLoss, $"Residual sigmoid {residualSigmoidLoss} should train better than plain sigmoid {sigmoidLoss}.");
        Assert.True(residualTanhLoss < 0.2f * sigmoidLoss, $"Residual tanh loss {residualTanhLoss} is not markedly below the plain sigmoid stack's {sigmoidLoss}.");
    }

    [Fact]
    public void Batch_normalized_ReLU_layers_keep_the_first_layer_gradient_and_train_markedly_better()
    {
        var data = Data();
        var sigmoid = new DeepSigmoid(seed: 5);
        var normalized = new DeepReluBatchNorm(seed: 5);
        double sigmoidNorm = FirstLayerGradientNorm(sigmoid, data);
        // Training mode: the gradient of the mean loss over the whole data set as one batch, through the batch statistics.
        var inputs = Enumerable.Range(0, data.Count).SelectMany(i => data.Input(i).ToArray()).ToArray();
        var targets = Enumerable.Range(0, data.Count).SelectMany(i => data.Target(i).ToArray()).ToArray();
        var gradient = new float[DeepReluBatchNorm.ParameterCount];
        var random = new SeededRandom(0);
        DeepReluBatchNorm.TrainingBatch(normalized.Parameters.ToArray(), inputs, targets, data.Count, gradient, ref random);
        var w1 = DeepReluBatchNorm.ParameterLayout[0];
        double normalizedNorm = Math.Sqrt(gradient.AsSpan(w1.Offset, w1.Length).ToArray().Sum(g => (double)g * g)) / data.Count;
        output.WriteLine($"‖∂L/∂W¹‖ at initialisation: sigmoid {sigmoidNorm:E3}, ReLU + batch normalization (training mode) {normalizedNorm:E3}");
        Assert.True(normalizedNorm > 100 * sigmoidNorm, $"ReLU + BatchNorm {normalizedNorm:E3} vs plain sigmoid {sigmoidNorm:E3}.");

        float Train<T>(T net) where T : class, INetwork<T>
        {
            var trainer = new Trainer<T>(net, new Adam(1e-2f), seed: 5) { BatchSize = 32 };
            trainer.Fit(data, epochs: 40);
            return trainer.Evaluate(data).Loss; // inference mode, with the running statistics
        }
        float sigmoidLoss = Train(sigmoid), normalizedLoss = Train(normalized);
        output.WriteLine($"loss after 40 epochs of Adam(0.01), evaluated in inference mode: sigmoid {sigmoidLoss:F4}, ReLU + batch normalization {normalizedLoss:F4}");
        Assert.True(normalizedLoss < 0.5f * sigmoidLoss, $"ReLU + BatchNorm loss {normalizedLoss} is not markedly below the plain sigmoid stack's {sigmoidLoss}.");
    }

    private static double Variance(Dataset data)
    {
        double mean = Enumerable.Range(0, data.Count).Average(i => data.Target(i)[0]);
        return Enumerable.Range(0, data.Count).Average(i => Math.Pow(data.Target(i)[0] - mean, 2));
    }
}
