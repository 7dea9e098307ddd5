using Xunit.Abstractions;

namespace NetGen.Tests.Recurrent;

using L = RecurrentReference.Layer;

[Network(Inputs = 1, SequenceLength = 50, Loss = Loss.MeanSquaredError)]
[Recurrent(16)]
[Dense(1)]
public partial class LongElman { }

[Network(Inputs = 1, SequenceLength = 50, Loss = Loss.MeanSquaredError)]
[Lstm(16)]
[Dense(1)]
public partial class LongLstm { }

[Network(Inputs = 1, SequenceLength = 50, Loss = Loss.MeanSquaredError)]
[Lstm(16, ForgetBias = 3)]
[Dense(1)]
public partial class LongLstmOpenForget { }

/// <summary>
/// Vanishing gradients through time, measured: ‖∂L/∂x₁‖ (the first of 50 steps) against ‖∂L/∂x₅₀‖ (the last), through an
/// Elman layer and an LSTM, at initialisation and after training on a task that needs the first step: y = x₁ with 49
/// steps of noise after it. The gradients with respect to the inputs come from the independent double-precision
/// reference, at the generated networks' parameters.
/// </summary>
public class VanishingThroughTimeTests(ITestOutputHelper output)
{
    private const int Steps = 50;

    private static Dataset RememberTheFirst(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * Steps];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            // x₁ uniform on [−1, 1], then 49 steps of small noise (±0.1) the network must carry x₁ across.
            for (int t = 0; t < Steps; t++) inputs[i * Steps + t] = (float)((random.NextDouble() * 2 - 1) * (t == 0 ? 1 : 0.1));
            targets[i] = inputs[i * Steps];
        }
        return new Dataset(inputs, targets, Steps, 1);
    }

    /// <summary>The mean over samples of |∂L/∂x₁| / |∂L/∂x₅₀|.</summary>
    private static double Ratio<T>(T net, RecurrentReference reference, Dataset data) where T : class, INetwork<T>
    {
        double[] theta = net.Parameters.ToArray().Select(v => (double)v).ToArray();
        double sum = 0;
        for (int i = 0; i < 20; i++)
        {
            double[] x = data.Input(i).ToArray().Select(v => (double)v).ToArray(), y = [data.Target(i)[0] + 0.5];
            double first = Math.Abs(reference.InputGradient(theta, x, y, 0)), last = Math.Abs(reference.InputGradient(theta, x, y, Steps - 1));
            sum += first / Math.Max(last, 1e-30);
        }
        return sum / 20;
    }

    private (double Before, double After, float TestError) Measure<T>(RecurrentReference reference, int seed) where T : class, INetwork<T>
    {
        var (training, test) = (RememberTheFirst(800, 1), RememberTheFirst(200, 2));
        var net = T.Create(seed);
        double before = Ratio(net, reference, test);
        var trainer = new Trainer<T>(net, new Adam(0.003f), 1) { BatchSize = 16, ClipGradientNorm = 1f };
        trainer.Fit(training, 40);
        double after = Ratio(net, reference, test);
        float error = trainer.Evaluate(test).MeanSquaredError;
        output.WriteLine($"{typeof(T).Name}, seed {seed}: |∂L/∂x₁| / |∂L/∂x₅₀| = {before:E2} at initialisation, {after:E2} after training; test MSE {error:0.0000} (predicting 0 scores 0.333)");
        return (before, after, error);
    }

    [Fact]
    public void The_gradient_reaches_the_first_of_fifty_steps_exactly_when_a_network_learns_to_use_it()
    {
        var lstmReference = new RecurrentReference(Steps, 1, "mse", LongLstm.ParameterLayout, new L("lstm", 16), new L("dense", 1));
        var elman = Measure<LongElman>(new RecurrentReference(Steps, 1, "mse", LongElman.ParameterLayout, new L("elman-tanh", 16), new L("dense", 1)), 1);
        var lstm = Measure<LongLstm>(lstmReference, 1);
        var open = Measure<LongLstmOpenForget>(lstmReference, 1);

        // At initialisation an Elman layer and an LSTM with PyTorch's initialisation (forget gate fₜ ≈ σ(0) = ½) forget
        // the first step: the signal shrinks by a factor below 1 at each of 49 steps (½⁴⁹ ≈ 2·10⁻¹⁵ along the cell state).
        Assert.True(elman.Before < 1e-6 && lstm.Before < 1e-6, $"at initialisation: Elman {elman.Before:E2}, LSTM {lstm.Before:E2}");
        // A forget gate that starts open (ForgetBias = 3: fₜ ≈ σ(3) ≈ 0.95, σ(3)⁴⁹ ≈ 0.09) carries it from the start.
        Assert.True(open.Before > 1e-3, $"LSTM with ForgetBias = 3 at initialisation: {open.Before:E2}");

        // After training, a network that learned the task (test error far below the 1/3 of predicting 0) passes the
        // gradient back to x₁ undiminished relative to x₅₀; one that did not still loses it. Which of them learns within
        // this budget is the finding (the same in 6 of 6 seeds when measured): Elman and the open-forget LSTM do, the
        // LSTM at PyTorch's initialisation does not — its gradient to x₁ never rises from 10⁻¹⁰ to start learning.
        // (With Adam at 0.01 an Elman net was seen to latch the sign of x₁ in an attractor — MSE 0.025, ratio 2·10⁻⁷ —
        // the robust-latching-implies-vanishing-gradients case of Bengio, Simard & Frasconi, 1994.)
        foreach (var (name, result) in new[] { ("Elman", elman), ("LSTM with ForgetBias = 3", open) })
        {
            Assert.True(result.TestError < 0.05f, $"{name} did not learn to carry x₁: test MSE {result.TestError}");
            Assert.True(result.After > 1e-1, $"{name} learned the task (MSE {result.TestError}) but |∂L/∂x₁| / |∂L/∂x₅₀| is only {result.After:E2}");
        }
        Assert.True(lstm.TestError > 0.25f, $"the LSTM at PyTorch's initialisation learned the task (MSE {lstm.TestError}): update the finding");
        Assert.True(lstm.After < 1e-2, $"the LSTM at PyTorch's initialisation did not learn the task, yet |∂L/∂x₁| / |∂L/∂x₅₀| is {lstm.After:E2}");
    }
}
