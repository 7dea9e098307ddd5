using System;

namespace NetGen;

/// <summary>
/// Batch normalization for generated code: per sample with fixed statistics (inference mode), and over a mini-batch held
/// in a strided buffer (training mode: sample b's values of a layer start at b·stride + offset). Sums over the batch are
/// taken in double. A unit is one value of a vector, or — <c>spatial</c> &gt; 1 — one channel of an image, whose
/// <c>spatial</c> = H·W values share its statistics, γ and β (PyTorch's <c>BatchNorm2d</c>: statistics over N·H·W).
/// Public because code generated into the user's assembly calls it.
/// </summary>
public static class BatchNormKernels
{
    /// <summary>Inference mode: yᵢ = γᵤ·(zᵢ − μᵤ)/√(vᵤ + ε) + βᵤ with the running mean μ and variance v of value i's unit u.</summary>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon, int spatial = 1)
    {
        int m = Units(z.Length, spatial);
        if (y.Length < z.Length || gamma.Length < m || beta.Length < m || mean.Length < m || variance.Length < m)
            throw new ArgumentException($"Batch normalization over {m} units needs spans of at least {m} elements.");
        for (int u = 0, i = 0; u < m; u++)
        {
            float root = MathF.Sqrt(variance[u] + epsilon); // once per unit: the same value for each of its values
            for (int s = 0; s < spatial; s++, i++)
                y[i] = gamma[u] * (z[i] - mean[u]) / root + beta[u];
        }
    }

    private static int Units(int length, int spatial)
    {
        if (spatial < 1 || length % spatial != 0)
            throw new ArgumentException($"{length} values do not split into units of {spatial}.", nameof(spatial));
        return length / spatial;
    }

    /// <summary>
    /// Inference mode, backward. <paramref name="delta"/> holds ∂L/∂y on entry and ∂L/∂z = ∂L/∂y·γ/√(v + ε) on return.
    /// Adds ∂L/∂γ = ∂L/∂y·ẑ, ∂L/∂β = ∂L/∂y, ∂L/∂μ = −∂L/∂y·γ/√(v + ε) and ∂L/∂v = −½·∂L/∂y·γ·(z − μ)·(v + ε)^(−3/2)
    /// (the running statistics are inputs of the inference function, so its exact gradient has them too).
    /// </summary>
    public static void Backward(Span<float> delta, ReadOnlySpan<float> z, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> variance, float epsilon, Span<float> gradGamma, Span<float> gradBeta, Span<float> gradMean, Span<float> gradVariance,
        int spatial = 1)
    {
        int m = Units(z.Length, spatial);
        if (delta.Length < z.Length || gamma.Length < m || mean.Length < m || variance.Length < m
            || gradGamma.Length < m || gradBeta.Length < m || gradMean.Length < m || gradVariance.Length < m)
            throw new ArgumentException($"Batch normalization over {m} units needs spans of at least {m} elements.");
        for (int u = 0, i = 0; u < m; u++)
        {
            float inverse = 1f / MathF.Sqrt(variance[u] + epsilon);
            for (int s = 0; s < spatial; s++, i++)
            {
                float centred = z[i] - mean[u];
                float dy = delta[i];
                gradGamma[u] += dy * centred * inverse;
                gradBeta[u] += dy;
                gradMean[u] -= dy * gamma[u] * inverse;
                gradVariance[u] -= 0.5f * dy * gamma[u] * centred * inverse * inverse * inverse;
                delta[i] = dy * gamma[u] * inverse;
            }
        }
    }

    /// <summary>
    /// Training mode over <paramref name="count"/> samples: for each unit, the batch mean μ and biased variance σ² over the
    /// n = count·<paramref name="spatial"/> ≥ 2 values it has, y = γ·(z − μ)/√(σ² + ε) + β for each of them, and
    /// running ← (1 − momentum)·running + momentum·(μ, σ²·n/(n − 1)). Keeps μ and 1/√(σ² + ε) in
    /// <paramref name="batchMean"/> and <paramref name="batchInverseStd"/> for the backward pass.
    /// </summary>
    public static void TrainingForward(Span<float> batch, int stride, int count, int zOffset, int yOffset, int units,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVariance,
        float momentum, float epsilon, Span<float> batchMean, Span<float> batchInverseStd, int spatial = 1)
    {
        if ((long)count * spatial < 2)
            throw new ArgumentException($"Batch normalization in training mode needs at least 2 samples per batch, but got {count}; use a batch size of 2 or more.", nameof(count));
        CheckBatch(batch, stride, count, zOffset, units * spatial);
        CheckBatch(batch, stride, count, yOffset, units * spatial);
        long n = (long)count * spatial;
        for (int i = 0; i < units; i++)
        {
            int first = i * spatial;
            double sum = 0;
            for (int b = 0; b < count; b++)
                for (int s = 0; s < spatial; s++) sum += batch[b * stride + zOffset + first + s];
            double mean = sum / n;
            double squares = 0;
            for (int b = 0; b < count; b++)
                for (int s = 0; s < spatial; s++)
                {
                    double d = batch[b * stride + zOffset + first + s] - mean;
                    squares += d * d;
                }
            double variance = squares / n;
            float inverse = (float)(1 / Math.Sqrt(variance + epsilon));
            batchMean[i] = (float)mean;
            batchInverseStd[i] = inverse;
            for (int b = 0; b < count; b++)
                for (int s = 0; s < spatial; s++)
                {
                    int at = b * stride + first + s;
                    batch[at + yOffset] = gamma[i] * ((batch[at + zOffset] - (float)mean) * inverse) + beta[i];
                }
            runningMean[i] = (1f - momentum) * runningMean[i] + momentum * (float)mean;
            runningVariance[i] = (1f - momentum) * runningVariance[i] + momentum * (float)(squares / (n - 1));
        }
    }

    /// <summary>
    /// Training mode, backward through the batch statistics. The values at <paramref name="deltaOffset"/> hold ∂L/∂y on entry
    /// and ∂L/∂z on return: with ẑ = (z − μ)/√(σ² + ε) and n = count·<paramref name="spatial"/> values per unit,
    /// ∂L/∂z = γ/(n·√(σ² + ε))·(n·∂L/∂y − Σ ∂L/∂y − ẑ·Σ ∂L/∂y·ẑ); adds ∂L/∂γ = Σ ∂L/∂y·ẑ and ∂L/∂β = Σ ∂L/∂y.
    /// </summary>
    public static void TrainingBackward(Span<float> batch, int stride, int count, int zOffset, int deltaOffset, int units,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> batchMean, ReadOnlySpan<float> batchInverseStd, Span<float> gradGamma, Span<float> gradBeta,
        int spatial = 1)
    {
        CheckBatch(batch, stride, count, zOffset, units * spatial);
        CheckBatch(batch, stride, count, deltaOffset, units * spatial);
        long n = (long)count * spatial;
        for (int i = 0; i < units; i++)
        {
            int first = i * spatial;
            float mean = batchMean[i], inverse = batchInverseStd[i];
            double sumDy = 0, sumDyHat = 0;
            for (int b = 0; b < count; b++)
                for (int s = 0; s < spatial; s++)
                {
                    int at = b * stride + first + s;
                    double dy = batch[at + deltaOffset];
                    sumDy += dy;
                    sumDyHat += dy * ((batch[at + zOffset] - mean) * inverse);
                }
            gradGamma[i] += (float)sumDyHat;
            gradBeta[i] += (float)sumDy;
            double scale = gamma[i] * inverse / n;
            for (int b = 0; b < count; b++)
                for (int s = 0; s < spatial; s++)
                {
                    int at = b * stride + first + s;
                    double hat = (batch[at + zOffset] - mean) * inverse;
                    batch[at + deltaOffset] = (float)(scale * (n * (double)batch[at + deltaOffset] - sumDy - hat * sumDyHat));
                }
        }
    }

    private static void CheckBatch(Span<float> batch, int stride, int count, int offset, int units)
    {
        if (count < 1 || offset < 0 || offset + units > stride || (long)count * stride > batch.Length)
            throw new ArgumentException($"The batch buffer of {batch.Length} floats cannot hold {count} samples of stride {stride} with {units} values at offset {offset}.");
    }
}
