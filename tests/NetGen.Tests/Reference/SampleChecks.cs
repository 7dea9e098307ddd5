namespace NetGen.Tests.Reference;

/// <summary>Checks the reference-based test suites (convolution, recurrent, radial-basis) share.</summary>
internal static class SampleChecks
{
    /// <summary>A random target for <paramref name="loss"/>: one-hot for "ce", 0/1 for "bce", uniform on [−1, 1) otherwise.</summary>
    public static float[] Target(string loss, int width, Random random)
    {
        var y = new float[width];
        if (loss == "ce") y[random.Next(width)] = 1;
        else if (loss == "bce") for (int i = 0; i < width; i++) y[i] = random.Next(2);
        else for (int i = 0; i < width; i++) y[i] = (float)(random.NextDouble() * 2 - 1);
        return y;
    }

    /// <summary>
    /// <c>TrainingBatch</c> over <paramref name="count"/> samples gives the sum of the samples' <c>TrainingBackward</c>
    /// losses and gradients (the same dropout draws, from the same seed), within 1e-5 relative.
    /// </summary>
    public static void BatchIsTheSumOfSamples<T>(Span<float> parameters, float[] inputs, float[] targets, int count) where T : class, INetwork<T>
    {
        var batch = new float[T.ParameterCount];
        var sum = new float[T.ParameterCount];
        var seed = new SeededRandom(1);
        float batchLoss = T.TrainingBatch(parameters, inputs, targets, count, batch, ref seed);
        float lossSum = 0;
        var masks = new SeededRandom(1);
        for (int b = 0; b < count; b++)
            lossSum += T.TrainingBackward(parameters, inputs.AsSpan(b * T.InputSize, T.InputSize), targets.AsSpan(b * T.OutputSize, T.OutputSize), sum, ref masks);
        Assert.True(Math.Abs(batchLoss - lossSum) <= 1e-5f * Math.Max(1f, Math.Abs(lossSum)), $"{typeof(T).Name}: batch loss {batchLoss} vs {lossSum}");
        for (int k = 0; k < sum.Length; k++)
            Assert.True(Math.Abs(batch[k] - sum[k]) <= 1e-5f * Math.Max(1f, Math.Abs(sum[k])), $"{typeof(T).Name} ∂L/∂{T.ParameterName(k)}: batch {batch[k]} vs samples {sum[k]}");
    }
}
