using NetGen.Tests.Networks;
using NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>An input-dropout layer in front of an identity layer: with W = I and b = 0 the output is the dropped input.</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError)]
[Dropout(0.4)]
[Dense(8)]
public partial class DropoutProbe { }

public class DropoutTests
{
    public static TheoryData<string> Networks => new() { nameof(SmallDropout), nameof(LoopedDropout), nameof(LoopedInputDropout), nameof(SmallDropoutFused), nameof(LoopedDropoutMae) };

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainingBackward_matches_finite_differences_under_the_same_masks(string network) =>
        NetworkCatalog.Invoke(typeof(DropoutTests), nameof(CheckTrainingGradient), network);

    private static void CheckTrainingGradient<T>() where T : class, INetwork<T>
    {
        var reference = ReferenceMlp.FromAttributes(typeof(T));
        Assert.Contains(reference.Layers, l => l.InputDropout > 0);
        int checkedTrials = 0;
        for (int trial = 0; checkedTrials < 4; trial++)
        {
            Assert.True(trial < 40, "Could not find points away from every kink under the masks.");
            var (theta, x, y) = GradientTests.RandomPoint<T>(reference, seed: 300 + trial);
            var gradient = new float[T.ParameterCount];
            var random = new SeededRandom(trial);
            float loss = T.TrainingBackward(theta, x, y, gradient, ref random);

            // The reference replays the documented draw order to get the same masks.
            var replay = new SeededRandom(trial);
            reference.ActiveMasks = reference.Masks(ref replay);
            Assert.Equal(replay.NextUInt32(), random.NextUInt32()); // both consumed exactly the same draws
            var thetaD = theta.Select(v => (double)v).ToArray();
            var xD = x.Select(v => (double)v).ToArray();
            var yD = y.Select(v => (double)v).ToArray();
            // The masks change every z: a point chosen away from ReLU kinks without them may sit on one with them.
            if (reference.DistanceToKink(thetaD, xD) < 1e-4)
            {
                reference.ActiveMasks = null;
                continue;
            }
            checkedTrials++;
            double expectedLoss = reference.Loss(thetaD, xD, yD);
            Assert.True(Math.Abs(loss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss) + 1e-6, $"loss {loss}, reference {expectedLoss}");
            var numeric = reference.NumericGradient(thetaD, xD, yD);
            double largest = Math.Max(1.0, numeric.Max(Math.Abs));
            for (int k = 0; k < numeric.Length; k++)
            {
                double error = Math.Abs(gradient[k] - numeric[k]);
                double tolerance = 1e-3 * Math.Abs(numeric[k]) + 1e-4 * largest;
                Assert.True(error <= tolerance, $"{typeof(T).Name} trial {trial}: ∂L/∂{T.ParameterName(k)} = {gradient[k]:G9}, finite differences {numeric[k]:G9}.");
            }
            reference.ActiveMasks = null;
        }
    }

    private static DropoutProbe IdentityProbe()
    {
        var net = new DropoutProbe();
        net.Parameters.Clear();
        for (int i = 0; i < 8; i++) net.Parameters[i * 8 + i] = 1f; // W = I, b = 0
        return net;
    }

    [Fact]
    public void Training_outputs_differ_by_mask_and_the_same_seed_gives_the_same_mask()
    {
        var net = IdentityProbe();
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        float[] Run(int seed)
        {
            var output = new float[8];
            var random = new SeededRandom(seed);
            DropoutProbe.TrainingForward(net.Parameters, x, output, ref random);
            return output;
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
        // Each output is either dropped (0) or kept and scaled by 1/(1 − 0.4).
        foreach (var (value, i) in Run(7).Select((v, i) => (v, i)))
            Assert.True(value == 0f || value == x[i] * (1f / (1f - 0.4f)), $"output {i} = {value}");
    }

    [Fact]
    public void Inference_mode_is_deterministic_and_ignores_dropout()
    {
        var net = IdentityProbe();
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        var a = new float[8];
        var b = new float[8];
        net.Predict(x, a);
        net.Predict(x, b);
        Assert.Equal(x, a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void The_expected_activation_is_preserved()
    {
        // E[mⱼ·xⱼ] = xⱼ for inverted dropout. Per draw the output has standard deviation xⱼ·√(p/(1 − p)) = 0.816·xⱼ; the mean
        // of N = 40,000 draws has 0.0041·xⱼ, so 5 standard deviations is 0.02·xⱼ. The kept fraction must be 1 − p = 0.6 within
        // 5·√(p(1 − p)/(8N)) = 0.0061.
        var net = IdentityProbe();
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        const int n = 40_000;
        var sum = new double[8];
        long kept = 0;
        var output = new float[8];
        var random = new SeededRandom(11);
        for (int t = 0; t < n; t++)
        {
            DropoutProbe.TrainingForward(net.Parameters, x, output, ref random);
            for (int j = 0; j < 8; j++)
            {
                sum[j] += output[j];
                if (output[j] != 0f) kept++;
            }
        }
        for (int j = 0; j < 8; j++)
            Assert.True(Math.Abs(sum[j] / n - x[j]) <= 0.02 * x[j], $"mean of output {j} is {sum[j] / n}, expected {x[j]}");
        Assert.True(Math.Abs(kept / (8.0 * n) - 0.6) <= 0.0061, $"kept fraction {kept / (8.0 * n)}");
    }

    [Fact]
    public void Networks_without_dropout_train_exactly_as_in_inference_mode()
    {
        var net = new SmallTanhMseSigmoid(3);
        float[] x = [0.1f, -0.2f, 0.3f];
        var a = new float[SmallTanhMseSigmoid.OutputSize];
        var b = new float[SmallTanhMseSigmoid.OutputSize];
        var random = new SeededRandom(1);
        SmallTanhMseSigmoid.TrainingForward(net.Parameters, x, a, ref random);
        net.Predict(x, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Training_with_dropout_is_reproducible_and_evaluation_uses_inference_mode()
    {
        float[] Train()
        {
            var net = new SmallDropout(2);
            var data = Dataset.FromRows(
                Enumerable.Range(0, 40).Select(i => new float[] { i % 3, i % 5 * 0.2f, (i % 7) * 0.1f, 1 }).ToArray(),
                Enumerable.Range(0, 40).Select(i => new float[] { i % 2, (i % 3) / 2f }).ToArray());
            var trainer = new Trainer<SmallDropout>(net, new Adam(0.01f), seed: 4) { BatchSize = 8 };
            trainer.Fit(data, 5);
            // Evaluate is inference mode: it equals the mean of ComputeLoss, which has no dropout.
            double mean = Enumerable.Range(0, data.Count).Average(i => net.ComputeLoss(data.Input(i), data.Target(i)));
            Assert.Equal(mean, trainer.Evaluate(data).Loss, 5);
            return net.Parameters.ToArray();
        }
        Assert.Equal(Train(), Train());
    }
}
