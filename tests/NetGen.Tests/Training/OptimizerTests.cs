namespace NetGen.Tests.Training;

/// <summary>
/// Each optimizer's first updates against its published update rule: hand-computed literals for one parameter, and an
/// independent double-precision transcription of the rule for 11 parameters (8 go through the SIMD loop, 3 through the
/// scalar tail) over steps with different gradients.
/// </summary>
public class OptimizerTests
{
    private const int N = 11;

    private static float[] Theta0() => Enumerable.Range(0, N).Select(i => 0.5f - 0.13f * i).ToArray();

    /// <summary>Three gradients per parameter, varied in sign and size; one parameter has a zero gradient throughout.</summary>
    private static float[][] Gradients() =>
    [
        Enumerable.Range(0, N).Select(i => i == 4 ? 0f : 0.3f * (i - 5) + 0.05f).ToArray(),
        Enumerable.Range(0, N).Select(i => i == 4 ? 0f : (i % 2 == 0 ? 1f : -0.7f)).ToArray(),
        Enumerable.Range(0, N).Select(i => i == 4 ? 0f : 0.01f * i - 0.2f).ToArray(),
    ];

    private static void AssertMatches(IOptimizer optimizer, Func<double[], double[][], double[][]> reference)
    {
        float[] theta = Theta0();
        var grads = Gradients();
        var expected = reference(theta.Select(t => (double)t).ToArray(), grads.Select(g => g.Select(x => (double)x).ToArray()).ToArray());
        for (int step = 0; step < grads.Length; step++)
        {
            optimizer.Step(theta, grads[step]);
            for (int i = 0; i < N; i++)
                Assert.True(Math.Abs(theta[i] - expected[step][i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[step][i])),
                    $"{optimizer.GetType().Name} step {step + 1}, θ[{i}] = {theta[i]}, the rule gives {expected[step][i]}.");
        }
    }

    private static float[] Run(IOptimizer optimizer, float theta0, params float[] gradients)
    {
        float[] theta = [theta0];
        var trajectory = new float[gradients.Length];
        for (int t = 0; t < gradients.Length; t++)
        {
            optimizer.Step(theta, [gradients[t]]);
            trajectory[t] = theta[0];
        }
        return trajectory;
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 2e-6, $"step {i + 1}: expected {expected[i]}, got {actual[i]}");
    }

    // ---- hand-computed single-parameter sequences ----

    [Fact]
    public void Sgd_momentum_by_hand()
    {
        // b₁ = g = 1, θ = 1 − 0.1 = 0.9; b₂ = 0.9·1 + 1 = 1.9, θ = 0.71; b₃ = 0.9·1.9 + 1 = 2.71, θ = 0.439
        AssertClose([0.9, 0.71, 0.439], Run(new Sgd(0.1f, momentum: 0.9f), 1f, 1, 1, 1));
        // Nesterov: b₁ = 1, step g + μb₁ = 1.9 → 0.81; b₂ = 1.9, step 1 + 0.9·1.9 = 2.71 → 0.539
        AssertClose([0.81, 0.539], Run(new Sgd(0.1f, momentum: 0.9f, nesterov: true), 1f, 1, 1));
        // Dampening 0.5: b₁ = g = 1 (undamped first step) → 0.9; b₂ = 0.9 + 0.5 = 1.4 → 0.76
        AssertClose([0.9, 0.76], Run(new Sgd(0.1f, momentum: 0.9f, dampening: 0.5f), 1f, 1, 1));
        // Weight decay 0.5: g = 1 + 0.5·1 = 1.5 → θ = 1 − 0.15 = 0.85
        AssertClose([0.85], Run(new Sgd(0.1f, weightDecay: 0.5f), 1f, 1));
    }

    [Fact]
    public void AdaGrad_by_hand()
    {
        // s = 1, 2, 3: θ = 1 − 0.1/1 = 0.9, − 0.1/√2 = 0.8292893, − 0.1/√3 = 0.7715543
        AssertClose([0.9, 0.9 - 0.1 / Math.Sqrt(2), 0.9 - 0.1 / Math.Sqrt(2) - 0.1 / Math.Sqrt(3)], Run(new AdaGrad(0.1f), 1f, 1, 1, 1));
        // learning-rate decay 1: η̃ = 0.1, 0.05: θ = 0.9, 0.9 − 0.05/√2
        AssertClose([0.9, 0.9 - 0.05 / Math.Sqrt(2)], Run(new AdaGrad(0.1f, learningRateDecay: 1f), 1f, 1, 1));
    }

    [Fact]
    public void RmsProp_by_hand()
    {
        // v = 0.01 → θ = 1 − 0.01·1/0.1 = 0.9; v = 0.99·0.01 + 0.01 = 0.0199 → θ = 0.9 − 0.01/√0.0199
        AssertClose([0.9, 0.9 - 0.01 / Math.Sqrt(0.0199)], Run(new RmsProp(0.01f), 1f, 1, 1));
        // centered: ḡ = 0.01, v − ḡ² = 0.0099 → θ = 1 − 0.01/√0.0099
        AssertClose([1 - 0.01 / Math.Sqrt(0.0099)], Run(new RmsProp(0.01f, centered: true), 1f, 1));
        // momentum 0.5: b₁ = 1/0.1 = 10 → θ = 0.9; b₂ = 5 + 1/√0.0199 → θ = 0.9 − 0.01·b₂
        AssertClose([0.9, 0.9 - 0.01 * (5 + 1 / Math.Sqrt(0.0199))], Run(new RmsProp(0.01f, momentum: 0.5f), 1f, 1, 1));
    }

    [Fact]
    public void Adam_by_hand()
    {
        // A constant gradient gives m̂ = g and v̂ = g², so every step is η·g/|g| = 0.1 (less ε's 1e-9).
        AssertClose([0.9, 0.8, 0.7], Run(new Adam(0.1f), 1f, 1, 1, 1));
        // g = 1 then −1: m₂ = 0.9·0.1 − 0.1 = −0.01, m̂₂ = −0.01/0.19; v₂ = 0.999·0.001 + 0.001, v̂₂ = 1 → θ₂ = 0.9 + 0.1·0.01/0.19
        AssertClose([0.9, 0.9 + 0.1 * 0.01 / 0.19], Run(new Adam(0.1f), 1f, 1, -1));
        // AdamW, λ = 0.1: θ₁ = 1·(1 − 0.1·0.1) − 0.1 = 0.89
        AssertClose([0.89], Run(new AdamW(0.1f, weightDecay: 0.1f), 1f, 1));
        // Adam with coupled λ = 0.1: g = 1.1, still a unit step: θ₁ = 0.9
        AssertClose([0.9], Run(new Adam(0.1f, weightDecay: 0.1f), 1f, 1));
    }

    // ---- the rules transcribed in double precision, over 11 parameters and 3 varied steps ----

    [Theory]
    [InlineData(0f, 0f, 0f, false)]
    [InlineData(0.9f, 0f, 0f, false)]
    [InlineData(0.9f, 0.1f, 0.01f, false)]
    [InlineData(0.8f, 0f, 0.05f, true)]
    public void Sgd_follows_pytorch_rule(float momentum, float dampening, float weightDecay, bool nesterov)
    {
        const double lr = 0.05;
        AssertMatches(new Sgd((float)lr, momentum, dampening, weightDecay, nesterov), (theta, grads) =>
        {
            var b = new double[N];
            var result = new List<double[]>();
            for (int t = 0; t < grads.Length; t++)
            {
                for (int i = 0; i < N; i++)
                {
                    double g = grads[t][i] + weightDecay * theta[i];
                    if (momentum != 0)
                    {
                        b[i] = t == 0 ? g : momentum * b[i] + (1 - dampening) * g;
                        g = nesterov ? g + momentum * b[i] : b[i];
                    }
                    theta[i] -= lr * g;
                }
                result.Add((double[])theta.Clone());
            }
            return result.ToArray();
        });
    }

    [Fact]
    public void AdaGrad_follows_pytorch_rule()
    {
        AssertMatches(new AdaGrad(0.1f, learningRateDecay: 0.2f, weightDecay: 0.01f, initialAccumulatorValue: 0.1f), (theta, grads) =>
        {
            var s = Enumerable.Repeat(0.1, N).ToArray();
            var result = new List<double[]>();
            for (int t = 0; t < grads.Length; t++)
            {
                double clr = 0.1 / (1 + t * 0.2);
                for (int i = 0; i < N; i++)
                {
                    double g = grads[t][i] + 0.01 * theta[i];
                    s[i] += g * g;
                    theta[i] -= clr * g / (Math.Sqrt(s[i]) + 1e-10);
                }
                result.Add((double[])theta.Clone());
            }
            return result.ToArray();
        });
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(true, 0.9f)]
    public void RmsProp_follows_pytorch_rule(bool centered, float momentum)
    {
        const double lr = 0.01, alpha = 0.9, eps = 1e-8, wd = 0.02;
        AssertMatches(new RmsProp((float)lr, (float)alpha, (float)eps, (float)wd, momentum, centered), (theta, grads) =>
        {
            var v = new double[N];
            var avg = new double[N];
            var buf = new double[N];
            var result = new List<double[]>();
            for (int t = 0; t < grads.Length; t++)
            {
                for (int i = 0; i < N; i++)
                {
                    double g = grads[t][i] + wd * theta[i];
                    v[i] = alpha * v[i] + (1 - alpha) * g * g;
                    double denominator;
                    if (centered)
                    {
                        avg[i] = alpha * avg[i] + (1 - alpha) * g;
                        denominator = Math.Sqrt(v[i] - avg[i] * avg[i]) + eps;
                    }
                    else denominator = Math.Sqrt(v[i]) + eps;
                    if (momentum > 0)
                    {
                        buf[i] = momentum * buf[i] + g / denominator;
                        theta[i] -= lr * buf[i];
                    }
                    else theta[i] -= lr * g / denominator;
                }
                result.Add((double[])theta.Clone());
            }
            return result.ToArray();
        });
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(false, 0.05f)]
    [InlineData(true, 0.05f)]
    public void Adam_and_AdamW_follow_the_published_rule(bool decoupled, float weightDecay)
    {
        const double lr = 0.01, b1 = 0.8, b2 = 0.95, eps = 1e-6;
        IOptimizer optimizer = decoupled
            ? new AdamW((float)lr, (float)b1, (float)b2, (float)eps, weightDecay)
            : new Adam((float)lr, (float)b1, (float)b2, (float)eps, weightDecay);
        AssertMatches(optimizer, (theta, grads) =>
        {
            var m = new double[N];
            var v = new double[N];
            var result = new List<double[]>();
            for (int t = 1; t <= grads.Length; t++)
            {
                for (int i = 0; i < N; i++)
                {
                    double g = grads[t - 1][i];
                    if (decoupled) theta[i] *= 1 - lr * weightDecay;
                    else g += weightDecay * theta[i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double mHat = m[i] / (1 - Math.Pow(b1, t)), vHat = v[i] / (1 - Math.Pow(b2, t));
                    theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
                }
                result.Add((double[])theta.Clone());
            }
            return result.ToArray();
        });
    }

    // ---- state hygiene ----

    [Theory]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("RmsProp")]
    [InlineData("AdaGrad")]
    public void Running_averages_are_flushed_to_zero_instead_of_going_subnormal(string name)
    {
        // One small gradient, then zeros: unflushed, β = 0.9 decays the state from ~1e-7 through the subnormal range
        // (below 1.2e-38) on its way to 0 around step 900. Checked after every step, no state value may be subnormal.
        IOptimizer optimizer = name switch
        {
            "Adam" => new Adam(1e-3f, beta1: 0.9f, beta2: 0.9f),
            "AdamW" => new AdamW(1e-3f, beta1: 0.9f, beta2: 0.9f),
            "RmsProp" => new RmsProp(1e-3f, alpha: 0.9f, centered: true, momentum: 0.9f),
            _ => new AdaGrad(1e-3f),
        };
        float[] theta = new float[N];
        // AdaGrad's sum only grows; a gradient of 1e-20 makes g² = 1e-40, subnormal at once unless flushed.
        float[] g = Enumerable.Repeat(name == "AdaGrad" ? 1e-20f : 1e-3f, N).ToArray();
        var zero = new float[N];
        for (int t = 0; t < 1200; t++)
        {
            optimizer.Step(theta, t == 0 || name == "AdaGrad" ? g : zero);
            var buffers = ((ICheckpointableOptimizer)optimizer).CaptureState().Buffers;
            Assert.Contains(buffers, b => b.Length == N);
            for (int k = 0; k < buffers.Count; k++)
                Assert.All(buffers[k], x => Assert.False(float.IsSubnormal(x), $"{name} buffer {k} holds subnormal {x} after step {t + 1}"));
        }
    }

    [Fact]
    public void Centered_rmsprop_stays_finite_when_flushing_zeroes_v_before_the_mean()
    {
        // g = 1e-15: v = 0.01·1e-30 is flushed to 0 while ḡ = 1e-17 is not, so v − ḡ² < 0 without the clamp.
        float[] theta = [1f];
        new RmsProp(0.01f, centered: true).Step(theta, [1e-15f]);
        Assert.True(float.IsFinite(theta[0]), $"θ became {theta[0]}.");
    }

    [Fact]
    public void An_optimizer_refuses_a_buffer_of_another_length_until_reset()
    {
        var adam = new Adam();
        adam.Step(new float[4], new float[4]);
        var error = Assert.Throws<InvalidOperationException>(() => adam.Step(new float[5], new float[5]));
        Assert.Contains("Reset()", error.Message);
        adam.Reset();
        adam.Step(new float[5], new float[5]);
        Assert.Equal(1, adam.StepCount);
    }

    [Fact]
    public void Bad_hyper_parameters_are_rejected_with_the_parameter_named()
    {
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0f)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(alpha: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGrad(epsilon: 0f));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1f).Step(new float[2], new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs(historySize: 0));
    }
}
