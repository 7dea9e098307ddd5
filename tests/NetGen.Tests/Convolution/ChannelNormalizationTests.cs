namespace NetGen.Tests.Convolution;

/// <summary>2×5×4 → Conv2D(3, 3×3, padding 1) → BatchNorm per channel → tanh → 3×5×4 → AvgPool(2) → 3×2×2 → Dense(2).</summary>
[Network(InputShape = new[] { 2, 5, 4 }, Loss = Loss.MeanSquaredError)]
[Conv2D(3, Kernel = 3, Padding = 1, Activation = Activation.Tanh)]
[BatchNorm(Momentum = 0.2, Epsilon = 1e-3)]
[AvgPool2D(2)]
[Dense(2)]
public partial class ChannelNormalized { }

/// <summary>Dropout of whole channels before a convolution: 3×4×4 → Dropout2d(0.5) → Conv2D(2, 3×3) → 2×2×2 → Dense(1).</summary>
[Network(InputShape = new[] { 3, 4, 4 }, Loss = Loss.MeanSquaredError)]
[Dropout(0.5, PerChannel = true)]
[Conv2D(2, Kernel = 3)]
[Dense(1)]
public partial class ChannelDropout { }

/// <summary>
/// Batch normalization after a convolution normalizes each channel over the batch and the image (PyTorch's BatchNorm2d),
/// and dropout with <c>PerChannel</c> drops whole channels (Dropout2d). Checked against a double-precision implementation
/// written here and its central differences.
/// </summary>
public class ChannelNormalizationTests
{
    private const int C = 2, H = 5, W = 4, F = 3, K = 3;

    /// <summary>The network in double: training mode (the batch's statistics per channel over N·H·W) or inference (running ones).</summary>
    private static double[][] Forward(double[] theta, double[][] xs, bool training, double[]? mean = null, double[]? variance = null)
    {
        var layout = ChannelNormalized.ParameterLayout;
        int Block(string name) => layout.Single(b => b.Name == name).Offset;
        int w1 = Block("W1"), b1 = Block("b1"), gamma = Block("gamma1"), beta = Block("beta1"), w3 = Block("W3"), b3 = Block("b3");
        int n = xs.Length;
        var z = new double[n][];
        for (int s = 0; s < n; s++)
        {
            z[s] = new double[F * H * W];
            for (int f = 0; f < F; f++)
                for (int i = 0; i < H; i++)
                    for (int j = 0; j < W; j++)
                    {
                        double sum = theta[b1 + f];
                        for (int c = 0; c < C; c++)
                            for (int u = 0; u < K; u++)
                                for (int v = 0; v < K; v++)
                                {
                                    int y = i + u - 1, x = j + v - 1;
                                    if (y >= 0 && y < H && x >= 0 && x < W)
                                        sum += theta[w1 + ((f * C + c) * K + u) * K + v] * xs[s][(c * H + y) * W + x];
                                }
                        z[s][(f * H + i) * W + j] = sum;
                    }
        }
        var outputs = new double[n][];
        var mu = new double[F];
        var sigma2 = new double[F];
        for (int f = 0; f < F; f++)
        {
            if (training)
            {
                var values = z.SelectMany(v => v.Skip(f * H * W).Take(H * W)).ToArray();
                mu[f] = values.Average();
                sigma2[f] = values.Select(v => (v - mu[f]) * (v - mu[f])).Average();
            }
            else
            {
                mu[f] = mean![f];
                sigma2[f] = variance![f];
            }
        }
        for (int s = 0; s < n; s++)
        {
            var a = new double[F * H * W];
            for (int f = 0; f < F; f++)
                for (int q = 0; q < H * W; q++)
                {
                    int at = f * H * W + q;
                    a[at] = Math.Tanh(theta[gamma + f] * (z[s][at] - mu[f]) / Math.Sqrt(sigma2[f] + 1e-3) + theta[beta + f]);
                }
            var pooled = new double[F * 2 * 2];
            for (int f = 0; f < F; f++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++)
                        pooled[(f * 2 + i) * 2 + j] = (a[(f * H + 2 * i) * W + 2 * j] + a[(f * H + 2 * i) * W + 2 * j + 1] + a[(f * H + 2 * i + 1) * W + 2 * j] + a[(f * H + 2 * i + 1) * W + 2 * j + 1]) / 4;
            outputs[s] = new double[2];
            for (int o = 0; o < 2; o++)
            {
                double sum = theta[b3 + o];
                for (int q = 0; q < pooled.Length; q++) sum += theta[w3 + o * pooled.Length + q] * pooled[q];
                outputs[s][o] = sum;
            }
        }
        return outputs;
    }

    private static double BatchLoss(double[] theta, double[][] xs, double[][] ys)
    {
        var outputs = Forward(theta, xs, training: true);
        return outputs.Select((o, s) => o.Select((v, i) => (v - ys[s][i]) * (v - ys[s][i])).Average()).Sum();
    }

    [Fact]
    public void Training_normalizes_each_channel_over_the_batch_and_the_image_and_its_gradient_matches_finite_differences()
    {
        var random = new Random(4);
        var net = new ChannelNormalized(2);
        for (int i = 0; i < ChannelNormalized.TrainableParameterCount; i++) net.Parameters[i] += (float)(0.4 * (random.NextDouble() - 0.5));
        const int count = 4;
        var inputs = Enumerable.Range(0, count * ChannelNormalized.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var targets = Enumerable.Range(0, count * 2).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var theta = net.Parameters.ToArray();
        double[] thetaD = theta.Select(v => (double)v).ToArray();
        var xs = Enumerable.Range(0, count).Select(s => inputs.Skip(s * ChannelNormalized.InputSize).Take(ChannelNormalized.InputSize).Select(v => (double)v).ToArray()).ToArray();
        var ys = Enumerable.Range(0, count).Select(s => targets.Skip(s * 2).Take(2).Select(v => (double)v).ToArray()).ToArray();

        var parameters = (float[])theta.Clone();
        var gradient = new float[ChannelNormalized.ParameterCount];
        var dropout = new SeededRandom(1);
        float loss = ChannelNormalized.TrainingBatch(parameters, inputs, targets, count, gradient, ref dropout);
        double expected = BatchLoss(thetaD, xs, ys);
        Assert.True(Math.Abs(loss - expected) <= 1e-4 * Math.Abs(expected) + 1e-5, $"batch loss {loss}, reference {expected}");

        // Central differences over every parameter: the running statistics' are 0 (training mode does not read them), as is their gradient.
        var numeric = Reference.CentralDifferences.Gradient(t => BatchLoss(t, xs, ys), thetaD, v => 1e-6 * Math.Max(1, Math.Abs(v)));
        double largest = Math.Max(1.0, numeric.Max(Math.Abs));
        for (int k = 0; k < numeric.Length; k++)
            Assert.True(Math.Abs(gradient[k] - numeric[k]) <= 2e-3 * Math.Abs(numeric[k]) + 2e-4 * largest,
                $"∂L/∂{ChannelNormalized.ParameterName(k)} = {gradient[k]:G9}, finite differences {numeric[k]:G9}");

        // One γ, β, running mean and variance per channel; the running ones move to (1 − m)·old + m·batch, the variance unbiased over N·H·W.
        var layout = ChannelNormalized.ParameterLayout;
        var meanBlock = layout.Single(b => b.Name == "mean1");
        var varBlock = layout.Single(b => b.Name == "var1");
        Assert.Equal(F, meanBlock.Length);
        Assert.Equal(F, layout.Single(b => b.Name == "gamma1").Length);
        int w1 = layout.Single(b => b.Name == "W1").Offset, b1 = layout.Single(b => b.Name == "b1").Offset;
        for (int f = 0; f < F; f++)
        {
            var values = new List<double>();
            foreach (var x in xs)
                for (int i = 0; i < H; i++)
                    for (int j = 0; j < W; j++)
                    {
                        double sum = thetaD[b1 + f];
                        for (int c = 0; c < C; c++)
                            for (int u = 0; u < K; u++)
                                for (int v = 0; v < K; v++)
                                {
                                    int y = i + u - 1, col = j + v - 1;
                                    if (y >= 0 && y < H && col >= 0 && col < W) sum += thetaD[w1 + ((f * C + c) * K + u) * K + v] * x[(c * H + y) * W + col];
                                }
                        values.Add(sum);
                    }
            double mu = values.Average(), unbiased = values.Sum(v => (v - mu) * (v - mu)) / (values.Count - 1);
            Assert.Equal(0.8 * theta[meanBlock.Offset + f] + 0.2 * mu, parameters[meanBlock.Offset + f], 4);
            Assert.Equal(0.8 * theta[varBlock.Offset + f] + 0.2 * unbiased, parameters[varBlock.Offset + f], 4);
            Assert.Equal(0f, gradient[meanBlock.Offset + f]);
        }
    }

    [Fact]
    public void Inference_uses_the_running_statistics_of_each_channel()
    {
        var random = new Random(5);
        var net = new ChannelNormalized(3);
        var layout = ChannelNormalized.ParameterLayout;
        var mean = layout.Single(b => b.Name == "mean1");
        var variance = layout.Single(b => b.Name == "var1");
        for (int f = 0; f < F; f++)
        {
            net.Parameters[mean.Offset + f] = (float)(random.NextDouble() - 0.5);
            net.Parameters[variance.Offset + f] = (float)(0.5 + random.NextDouble());
        }
        var x = Enumerable.Range(0, ChannelNormalized.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var output = new float[2];
        net.Predict(x, output);
        var theta = net.Parameters.ToArray().Select(v => (double)v).ToArray();
        var expected = Forward(theta, [x.Select(v => (double)v).ToArray()], training: false,
            theta.Skip(mean.Offset).Take(F).ToArray(), theta.Skip(variance.Offset).Take(F).ToArray())[0];
        for (int o = 0; o < 2; o++) Assert.Equal(expected[o], output[o], 5);
    }

    [Fact]
    public void Per_channel_dropout_keeps_or_drops_every_value_of_a_channel_together_with_one_draw_per_channel()
    {
        var net = new ChannelDropout(1);
        var x = Enumerable.Range(0, ChannelDropout.InputSize).Select(i => 1f + i).ToArray();
        int kept = 0, dropped = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new SeededRandom(seed);
            var replay = new SeededRandom(seed);
            var output = new float[1];
            ChannelDropout.TrainingForward(net.Parameters, x, output, ref random);
            // The mask the kernel drew: channel c kept when its one draw u ≥ 0.5, then every value of c scaled by 2.
            var masked = new float[x.Length];
            for (int c = 0; c < 3; c++)
            {
                bool keep = replay.NextSingle() >= 0.5f;
                if (keep) kept++; else dropped++;
                for (int q = 0; q < 16; q++) masked[c * 16 + q] = keep ? 2f * x[c * 16 + q] : 0f;
            }
            var expected = new float[1];
            net.Predict(masked, expected);
            Assert.Equal(expected[0], output[0], 5);
            Assert.Equal(random.NextSingle(), replay.NextSingle()); // exactly one draw per channel
        }
        Assert.Equal(600, kept + dropped);
        Assert.InRange(kept, 240, 360); // 600 channels kept with probability ½: 300 ± 5σ
        Assert.True(ChannelDropout.Operations.Single(o => o.Kind == OperationKind.Dropout).PerChannel);
    }
}
