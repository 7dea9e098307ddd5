namespace NetGen.Benchmarks;

/// <summary>Inputs for the benchmarks and the setup-time check that two implementations compute the same thing.</summary>
internal static class BenchmarkData
{
    /// <summary>Relative tolerance of <see cref="AssertSameMath"/>.</summary>
    public const float RelativeTolerance = 1e-4f;

    /// <summary><paramref name="count"/> arrays of <paramref name="length"/> values uniform in [0, 1), from a fixed seed.</summary>
    public static float[][] Uniform(int count, int length, int seed)
    {
        var random = new Random(seed);
        var samples = new float[count][];
        for (int s = 0; s < count; s++)
        {
            samples[s] = new float[length];
            for (int i = 0; i < length; i++)
                samples[s][i] = random.NextSingle();
        }
        return samples;
    }

    /// <summary><paramref name="count"/> one-hot targets of <paramref name="classes"/> classes, classes drawn from a fixed seed.</summary>
    public static float[][] OneHot(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var targets = new float[count][];
        for (int s = 0; s < count; s++)
        {
            targets[s] = new float[classes];
            targets[s][random.Next(classes)] = 1f;
        }
        return targets;
    }

    /// <summary>
    /// Throws unless <paramref name="baseline"/> and <paramref name="network"/> agree on every sample: the outputs of
    /// Predict and the losses of Backward within <see cref="RelativeTolerance"/> relative, and the gradients within the
    /// same tolerance relative to the largest gradient. Both must hold the same parameters. Neither object's state is
    /// left changed except for the baseline's scratch buffers.
    /// </summary>
    public static void AssertSameMath(string name, INetwork network, DynamicMlp baseline, float[][] inputs, float[][] targets)
    {
        if (network.Parameters.Length != baseline.ParameterCount)
            throw new InvalidOperationException($"{name}: the baseline has {baseline.ParameterCount} parameters, the network {network.Parameters.Length}.");
        var expected = new float[baseline.OutputSize];
        var actual = new float[baseline.OutputSize];
        var expectedGradients = new float[baseline.ParameterCount];
        var actualGradients = new float[baseline.ParameterCount];
        for (int s = 0; s < inputs.Length; s++)
        {
            baseline.Predict(inputs[s], expected);
            network.Predict(inputs[s], actual);
            for (int i = 0; i < expected.Length; i++)
                Check(name, $"sample {s}: output[{i}]", expected[i], actual[i], Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])));

            Array.Clear(expectedGradients);
            Array.Clear(actualGradients);
            float expectedLoss = baseline.Backward(inputs[s], targets[s], expectedGradients);
            float actualLoss = network.Backward(inputs[s], targets[s], actualGradients);
            Check(name, $"sample {s}: loss", expectedLoss, actualLoss, Math.Max(Math.Abs(expectedLoss), Math.Abs(actualLoss)));

            float largest = 0f;
            foreach (float g in expectedGradients)
                largest = Math.Max(largest, Math.Abs(g));
            for (int i = 0; i < expectedGradients.Length; i++)
                Check(name, $"sample {s}: gradient[{i}]", expectedGradients[i], actualGradients[i], largest);
        }
    }

    private static void Check(string name, string what, float expected, float actual, float scale)
    {
        // A tiny absolute floor so that two values that are both (almost) zero compare equal.
        float tolerance = RelativeTolerance * Math.Max(scale, 1e-6f);
        if (!(Math.Abs(expected - actual) <= tolerance))
            throw new InvalidOperationException(
                $"{name}: the baseline and the generated network disagree on {what}: baseline {expected:R}, generated {actual:R} (tolerance {tolerance:R}).");
    }
}
