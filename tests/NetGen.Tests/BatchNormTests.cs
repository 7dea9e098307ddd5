using NetGen.Tests.Networks;
using NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>One batch-normalized identity layer in front of a linear read-out: for watching the running statistics.</summary>
[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(3)]
[BatchNorm(Momentum = 0.1)]
[Dense(1)]
public partial class BatchNormProbe { }

public class BatchNormTests
{
    // The batch path of networks without batch normalization is checked the same way: it runs the tiled batch kernels.
    public static TheoryData<string> Networks => new()
    {
        nameof(SmallBatchNorm), nameof(LoopedBatchNorm), nameof(MixedBatchNorm), nameof(SmallBatchNormMae),
        nameof(LoopedResidual), nameof(MixedDeep), nameof(LoopedPreluCe),
    };

    public static TheoryData<string> PlainNetworks => new() { nameof(LoopedReluCe), nameof(MixedDeep), nameof(Mnist), nameof(LoopedResidual), nameof(WideScratch), nameof(SmallTanhMseSigmoid), nameof(LoopedPreluCe) };

    [Theory]
    [MemberData(nameof(PlainNetworks))]
    public void Without_batch_normalization_TrainingBatch_is_the_sum_of_the_samples(string network) =>
        NetworkCatalog.Invoke(typeof(BatchNormTests), nameof(CheckBatchIsSum), network);

    private static void CheckBatchIsSum<T>() where T : class, INetwork<T>
    {
        var reference = ReferenceMlp.FromAttributes(typeof(T));
        foreach (int count in new[] { 1, 3, 4, 7, 9 })
        {
            var points = Enumerable.Range(0, count).Select(b => GradientTests.RandomPoint<T>(reference, seed: 700 + b)).ToArray();
            var theta = points[0].Theta;
            float[] inputs = points.SelectMany(p => p.X).ToArray(), targets = points.SelectMany(p => p.Y).ToArray();
            var batch = new float[T.ParameterCount];
            var random = new SeededRandom(0);
            float loss = T.TrainingBatch((float[])theta.Clone(), inputs, targets, count, batch, ref random);
            var sum = new float[T.ParameterCount];
            float expected = 0;
            foreach (var p in points) expected += T.Backward(theta, p.X, p.Y, sum);
            Assert.True(Math.Abs(loss - expected) <= 1e-5f * Math.Max(1, Math.Abs(expected)), $"{typeof(T).Name}, batch of {count}: loss {loss} vs {expected}");
            float largest = Math.Max(1f, sum.Max(Math.Abs));
            for (int k = 0; k < sum.Length; k++)
                Assert.True(Math.Abs(batch[k] - sum[k]) <= 1e-5f * largest,
                    $"{typeof(T).Name}, batch of {count}: ∂L/∂{T.ParameterName(k)} = {batch[k]:G9} from TrainingBatch, {sum[k]:G9} summed per sample.");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainingBatch_gradient_goes_through_the_batch_statistics(string network) =>
        NetworkCatalog.Invoke(typeof(BatchNormTests), nameof(CheckBatchGradient), network);

    private static void CheckBatchGradient<T>() where T : class, INetwork<T>
    {
        var reference = ReferenceMlp.FromAttributes(typeof(T));
        const int count = 5;
        for (int trial = 0; trial < 3; trial++)
        {
            var (theta, _, _) = GradientTests.RandomPoint<T>(reference, seed: 500 + trial);
            var random = new Random(trial);
            var points = Enumerable.Range(0, count).Select(b => GradientTests.RandomPoint<T>(reference, seed: 600 + 10 * trial + b)).ToArray();
            float[] inputs = points.SelectMany(p => p.X).ToArray(), targets = points.SelectMany(p => p.Y).ToArray();
            var parameters = (float[])theta.Clone();
            var gradient = new float[T.ParameterCount];
            var dropout = new SeededRandom(1);
            float loss = T.TrainingBatch(parameters, inputs, targets, count, gradient, ref dropout);

            var thetaD = theta.Select(v => (double)v).ToArray();
            var xs = points.Select(p => p.X.Select(v => (double)v).ToArray()).ToArray();
            var ys = points.Select(p => p.Y.Select(v => (double)v).ToArray()).ToArray();
            double expected = reference.BatchLoss(thetaD, xs, ys);
            Assert.True(Math.Abs(loss - expected) <= 1e-4 * Math.Abs(expected) + 1e-5, $"{typeof(T).Name}: batch loss {loss}, reference {expected}");

            // Central differences of the batch loss, through the batch means and variances.
            var numeric = new double[thetaD.Length];
            for (int k = 0; k < thetaD.Length; k++)
            {
                var point = (double[])thetaD.Clone();
                double h = 1e-6 * Math.Max(1, Math.Abs(thetaD[k]));
                point[k] = thetaD[k] + h;
                double plus = reference.BatchLoss(point, xs, ys);
                point[k] = thetaD[k] - h;
                numeric[k] = (plus - reference.BatchLoss(point, xs, ys)) / (2 * h);
            }
            double largest = Math.Max(1.0, numeric.Max(Math.Abs));
            for (int k = 0; k < numeric.Length; k++)
            {
                double error = Math.Abs(gradient[k] - numeric[k]);
                Assert.True(error <= 2e-3 * Math.Abs(numeric[k]) + 2e-4 * largest,
                    $"{typeof(T).Name} trial {trial}: ∂L/∂{T.ParameterName(k)} = {gradient[k]:G9}, finite differences {numeric[k]:G9}.");
            }
            // The running statistics moved (TrainingBatch updates them) and got no gradient.
            foreach (var block in T.ParameterLayout.Where(b => !b.Trainable))
            {
                Assert.All(gradient.AsSpan(block.Offset, block.Length).ToArray(), g => Assert.Equal(0f, g));
                Assert.NotEqual(theta.AsSpan(block.Offset, block.Length).ToArray(), parameters.AsSpan(block.Offset, block.Length).ToArray());
            }
        }
    }

    private static BatchNormProbe Probe()
    {
        var net = new BatchNormProbe();
        var p = net.Parameters;
        p.Clear();
        for (int i = 0; i < 3; i++) p[i * 3 + i] = 1f; // W1 = I, b1 = 0: z = x
        var layout = BatchNormProbe.ParameterLayout;
        var gamma = layout.Single(b => b.Name == "gamma1");
        var variance = layout.Single(b => b.Name == "var1");
        p.Slice(gamma.Offset, gamma.Length).Fill(1f);
        p.Slice(variance.Offset, variance.Length).Fill(1f);
        p[layout.Single(b => b.Name == "W2").Offset] = 1f; // output = y₀
        return net;
    }

    [Fact]
    public void Running_statistics_converge_to_the_data_mean_and_variance()
    {
        // x ~ N(μ, σ²) per input with μ = (2, −1, 0.5), σ = (3, 0.5, 1). With momentum 0.1 the running mean has standard
        // deviation σ·√(0.1/1.9)/√64 ≈ 0.029·σ after it has settled, so 0.15·σ is five of them; the running variance's
        // relative spread is ≈ √(2/64)·√(0.1/1.9) ≈ 0.04, so 0.2 is five of them.
        double[] mu = [2, -1, 0.5], sigma = [3, 0.5, 1];
        var net = Probe();
        var random = new Random(8);
        const int count = 64;
        var inputs = new float[count * 3];
        var targets = new float[count];
        var gradient = new float[BatchNormProbe.ParameterCount];
        var dropout = new SeededRandom(0);
        for (int step = 0; step < 400; step++)
        {
            for (int b = 0; b < count; b++)
                for (int j = 0; j < 3; j++)
                {
                    double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                    inputs[b * 3 + j] = (float)(mu[j] + sigma[j] * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
            BatchNormProbe.TrainingBatch(net.Parameters, inputs, targets, count, gradient, ref dropout);
        }
        var layout = BatchNormProbe.ParameterLayout;
        var mean = net.Parameters.Slice(layout.Single(b => b.Name == "mean1").Offset, 3).ToArray();
        var variance = net.Parameters.Slice(layout.Single(b => b.Name == "var1").Offset, 3).ToArray();
        for (int j = 0; j < 3; j++)
        {
            Assert.True(Math.Abs(mean[j] - mu[j]) <= 0.15 * sigma[j], $"running mean {j} = {mean[j]}, data mean {mu[j]}");
            Assert.True(Math.Abs(variance[j] / (sigma[j] * sigma[j]) - 1) <= 0.2, $"running variance {j} = {variance[j]}, data variance {sigma[j] * sigma[j]}");
        }
    }

    [Fact]
    public void Inference_uses_the_running_statistics()
    {
        var net = Probe();
        var layout = BatchNormProbe.ParameterLayout;
        var p = net.Parameters;
        p[layout.Single(b => b.Name == "gamma1").Offset] = 2f;
        p[layout.Single(b => b.Name == "beta1").Offset] = 0.5f;
        p[layout.Single(b => b.Name == "mean1").Offset] = 1f;
        p[layout.Single(b => b.Name == "var1").Offset] = 4f;
        var output = new float[1];
        net.Predict([3f, 0f, 0f], output);
        // y₀ = γ·(x₀ − μ)/√(v + ε) + β = 2·(3 − 1)/√(4 + 1e-5) + 0.5
        Assert.Equal(2.0 * 2 / Math.Sqrt(4 + 1e-5) + 0.5, output[0], 5);
        // And it is deterministic: no batch statistics involved.
        var again = new float[1];
        net.Predict([3f, 0f, 0f], again);
        Assert.Equal(output, again);
    }

    [Fact]
    public void Training_mode_needs_a_batch_of_two_and_says_so()
    {
        var net = new SmallBatchNorm(1);
        var random = new SeededRandom(0);
        var single = Assert.Throws<ArgumentException>(() =>
        {
            var r = new SeededRandom(0);
            SmallBatchNorm.TrainingBatch(net.Parameters, new float[3], new float[3], 1, new float[SmallBatchNorm.ParameterCount], ref r);
        });
        Assert.Contains("at least 2 samples", single.Message);
        var perSample = Assert.Throws<InvalidOperationException>(() =>
        {
            var r = new SeededRandom(0);
            SmallBatchNorm.TrainingBackward(net.Parameters, new float[3], new float[3], new float[SmallBatchNorm.ParameterCount], ref r);
        });
        Assert.Contains("TrainingBatch", perSample.Message);
        var data = Dataset.FromLabels(new float[12], 3, [0, 1, 2, 0], 3);
        var trainer = new Trainer<SmallBatchNorm>(net, new Adam()) { BatchSize = 1 };
        Assert.Contains("BatchSize to 2 or more", Assert.Throws<ArgumentException>(() => trainer.Fit(data, 1)).Message);
        _ = random;
    }

    private sealed class BatchSizes(List<int> sizes) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, float loss) => sizes.Add(batch);
    }

    private sealed class Reports(List<TrainingProgress> list) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => list.Add(value);
    }

    [Fact]
    public void Full_batch_training_of_a_normalized_network_leaves_the_running_statistics_alone()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 40 * 10).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, 40 * 2).Select(i => (float)(i % 3 == 0 ? 1 : 0)).ToArray();
        var data = new Dataset(x, y, 10, 2);
        var net = new MixedBatchNorm(1);
        var frozen = MixedBatchNorm.ParameterLayout.Where(b => !b.Trainable).ToArray();
        var before = frozen.Select(b => net.Parameters.Slice(b.Offset, b.Length).ToArray()).ToArray();
        var newton = new Newton();
        var history = new Trainer<MixedBatchNorm>(net, newton).Fit(data, 5);
        for (int k = 0; k < frozen.Length; k++)
            Assert.Equal(before[k], net.Parameters.Slice(frozen[k].Offset, frozen[k].Length).ToArray());
        Assert.True(history.FinalLoss < history.Epochs[0].Loss, $"Newton did not lower the loss: {history.Epochs[0].Loss} → {history.FinalLoss}");
        // The loss reported for the last step is the loss of the parameters the network ends with (it would not be if the
        // statistics had moved during the step and been put back afterwards).
        double final = Enumerable.Range(0, data.Count).Average(i => net.ComputeLoss(data.Input(i), data.Target(i)));
        Assert.True(Math.Abs(final - history.FinalLoss) < 1e-5, $"reported {history.FinalLoss:G9}, actual {final:G9}, damping {newton.Damping}");
    }

    /// <summary>Sets every parameter it is given to 123: whatever it touches shows.</summary>
    private sealed class Vandal : IOptimizer
    {
        public float LearningRate { get; set; } = 1f;
        public void Reset() { }
        public void Step(Span<float> parameters, ReadOnlySpan<float> gradients) => parameters.Fill(123f);
    }

    [Fact]
    public void The_trainer_keeps_optimizers_off_the_running_statistics_and_never_leaves_a_batch_of_one()
    {
        var data = new Dataset(Enumerable.Range(0, 33 * 3).Select(i => (float)Math.Sin(i)).ToArray(), new float[33], 3, 1);
        var net = Probe();
        var before = net.Parameters.ToArray();
        var sizes = new List<int>();
        // DivergenceFactor 0: the vandal's parameters make the loss explode, which is not what this test is about.
        var trainer = new Trainer<BatchNormProbe>(net, new Vandal(), seed: 2) { BatchSize = 16, DivergenceFactor = 0 };
        trainer.Callbacks.Add(new BatchSizes(sizes));
        trainer.Fit(data, 1);
        Assert.Equal(2, sizes.Count); // 16 + 17: the single leftover sample joined the last batch
        var reports = new List<TrainingProgress>();
        new Trainer<BatchNormProbe>(Probe(), new Adam(), seed: 2) { BatchSize = 16 }.Fit(data, 1, progress: new Reports(reports));
        Assert.All(reports, r => Assert.Equal(2, r.Batches));
        foreach (var block in BatchNormProbe.ParameterLayout)
        {
            var values = net.Parameters.Slice(block.Offset, block.Length).ToArray();
            if (block.Trainable)
                Assert.All(values, v => Assert.Equal(123f, v));
            else
                Assert.All(values, v => Assert.NotEqual(123f, v)); // moved by the batch statistics only
        }
        Assert.NotEqual(before, net.Parameters.ToArray());
    }

    [Fact]
    public void A_normalized_network_trains_and_its_epochs_allocate_nothing()
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 256 * 37).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var y = Enumerable.Range(0, 256 * 5).Select(i => (float)Math.Sin(x[(i / 5) * 37 + i % 5])).ToArray();
        var data = new Dataset(x, y, 37, 5);
        var trainer = new Trainer<LoopedBatchNorm>(new LoopedBatchNorm(1), new Adam(0.01f), seed: 3) { BatchSize = 32 };
        long start = 0, allocated = -1;
        trainer.Callbacks.Add(new EpochAllocations(e => start = GC.GetAllocatedBytesForCurrentThread(), e => allocated = GC.GetAllocatedBytesForCurrentThread() - start));
        var history = trainer.Fit(data, 6, data);
        Assert.True(history.FinalLoss < 0.5f * history.Epochs[0].Loss, $"loss {history.Epochs[0].Loss} → {history.FinalLoss}");
        Assert.Equal(0, allocated);
    }

    /// <summary>Measures from the end of batch 1 of epoch 5 to the end of batch 1 of epoch 6.</summary>
    private sealed class EpochAllocations(Action<int> begin, Action<int> end) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, float loss)
        {
            if (batch != 1) return;
            if (context.Epoch == 5) begin(5);
            if (context.Epoch == 6) end(6);
        }
    }
}

