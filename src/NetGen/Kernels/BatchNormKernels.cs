using System;

namespace NetGen;

/// <summary>
/// Batch normalization for generated code: per sample with fixed statistics (inference mode), and over a mini-batch held
/// in a strided buffer (training mode: sample b's values of a layer start at b·stride + offset). Sums over the batch are
/// taken in double. Public because code generated into the user's assembly calls it.
/// </summary>
public static class BatchNormKernels
{
    /// <summary>Inference mode: yᵢ = γᵢ·(zᵢ − μᵢ)/√(vᵢ + ε) + βᵢ with the running mean μ and variance v.</summary>
    public static void Forward(ReadOnlySpan<float> z, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float epsilon)
    {
        int m = z.Length;
        if (y.Length < m || gamma.Length < m || beta.Length < m || mean.Length < m || variance.Length < m)
            throw new ArgumentException($"Batch normalization over {m} units needs spans of at least {m} elements.");
        for (int i = 0; i < m; i++)
            y[i] = gamma[i] * (z[i] - mean[i]) / MathF.Sqrt(variance[i] + epsilon) + beta[i];
    }

    /// <summary>
    /// Inference mode, backward. <paramref name="delta"/> holds ∂L/∂y on entry and ∂L/∂z = ∂L/∂y·γ/√(v + ε) on return.
    /// Adds ∂L/∂γ = ∂L/∂y·ẑ, ∂L/∂β = ∂L/∂y, ∂L/∂μ = −∂L/∂y·γ/√(v + ε) and ∂L/∂v = −½·∂L/∂y·γ·(z − μ)·(v + ε)^(−3/2)
    /// (the running statistics are inputs of the inference function, so its exact gradient has them too).
    /// </summary>
    public static void Backward(Span<float> delta, ReadOnlySpan<float> z, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> variance, float epsilon, Span<float> gradGamma, Span<float> gradBeta, Span<float> gradMean, Span<float> gradVariance)
    {
        int m = z.Length;
        if (delta.Length < m || gamma.Length < m || mean.Length < m || variance.Length < m
            || gradGamma.Length < m || gradBeta.Length < m || gradMean.Length < m || gradVariance.Length < m)
            throw new ArgumentException($"Batch normalization over {m} units needs spans of at least {m} elements.");
        for (int i = 0; i < m; i++)
        {
            float inverse = 1f / MathF.Sqrt(variance[i] + epsilon);
            float centred = z[i] - mean[i];
            float dy = delta[i];
            gradGamma[i] += dy * centred * inverse;
            gradBeta[i] += dy;
            gradMean[i] -= dy * gamma[i] * inverse;
            gradVariance[i] -= 0.5f * dy * gamma[i] * centred * inverse * inverse * inverse;
            delta[i] = dy * gamma[i] * inverse;
        }
    }

    /// <summary>
    /// Training mode over <paramref name="count"/> ≥ 2 samples: for each unit, the batch mean μ and biased variance σ²,
    /// yᵦ = γ·(zᵦ − μ)/√(σ² + ε) + β for every sample, and running ← (1 − momentum)·running + momentum·(μ, σ²·B/(B − 1)).
    /// Keeps μ and 1/√(σ² + ε) in <paramref name="batchMean"/> and <paramref name="batchInverseStd"/> for the backward pass.
    /// </summary>
    public static void TrainingForward(Span<float> batch, int stride, int count, int zOffset, int yOffset, int units,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> runningMean, Span<float> runningVariance,
        float momentum, float epsilon, Span<float> batchMean, Span<float> batchInverseStd)
    {
        if (count < 2)
            throw new ArgumentException($"Batch normalization in training mode needs at least 2 samples per batch, but got {count}; use a batch size of 2 or more.", nameof(count));
        CheckBatch(batch, stride, count, zOffset, units);
        CheckBatch(batch, stride, count, yOffset, units);
        for (int i = 0; i < units; i++)
        {
            double sum = 0;
            for (int b = 0; b < count; b++) sum += batch[b * stride + zOffset + i];
            double mean = sum / count;
            double squares = 0;
            for (int b = 0; b < count; b++)
            {
                double d = batch[b * stride + zOffset + i] - mean;
                squares += d * d;
            }
            double variance = squares / count;
            float inverse = (float)(1 / Math.Sqrt(variance + epsilon));
            batchMean[i] = (float)mean;
            batchInverseStd[i] = inverse;
            for (int b = 0; b < count; b++)
            {
                int at = b * stride;
                batch[at + yOffset + i] = gamma[i] * ((batch[at + zOffset + i] - (float)mean) * inverse) + beta[i];
            }
            runningMean[i] = (1f - momentum) * runningMean[i] + momentum * (float)mean;
            runningVariance[i] = (1f - momentum) * runningVariance[i] + momentum * (float)(squares / (count - 1));
        }
    }

    /// <summary>
    /// Training mode, backward through the batch statistics. The values at <paramref name="deltaOffset"/> hold ∂L/∂y on entry
    /// and ∂L/∂z on return: with ẑ = (z − μ)/√(σ² + ε),
    /// ∂L/∂zᵦ = γ/(B·√(σ² + ε))·(B·∂L/∂yᵦ − Σ ∂L/∂y − ẑᵦ·Σ ∂L/∂y·ẑ); adds ∂L/∂γ = Σ ∂L/∂y·ẑ and ∂L/∂β = Σ ∂L/∂y.
    /// </summary>
    public static void TrainingBackward(Span<float> batch, int stride, int count, int zOffset, int deltaOffset, int units,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> batchMean, ReadOnlySpan<float> batchInverseStd, Span<float> gradGamma, Span<float> gradBeta)
    {
        CheckBatch(batch, stride, count, zOffset, units);
        CheckBatch(batch, stride, count, deltaOffset, units);
        for (int i = 0; i < units; i++)
        {
            float mean = batchMean[i], inverse = batchInverseStd[i];
            double sumDy = 0, sumDyHat = 0;
            for (int b = 0; b < count; b++)
            {
                int at = b * stride;
                double dy = batch[at + deltaOffset + i];
                sumDy += dy;
                sumDyHat += dy * ((batch[at + zOffset + i] - mean) * inverse);
            }
            gradGamma[i] += (float)sumDyHat;
            gradBeta[i] += (float)sumDy;
            double scale = gamma[i] * inverse / count;
            for (int b = 0; b < count; b++)
            {
                int at = b * stride;
                double hat = (batch[at + zOffset + i] - mean) * inverse;
                batch[at + deltaOffset + i] = (float)(scale * (count * (double)batch[at + deltaOffset + i] - sumDy - hat * sumDyHat));
            }
        }
    }

    private static void CheckBatch(Span<float> batch, int stride, int count, int offset, int units)
    {
        if (count < 1 || offset < 0 || offset + units > stride || (long)count * stride > batch.Length)
            throw new ArgumentException($"The batch buffer of {batch.Length} floats cannot hold {count} samples of stride {stride} with {units} values at offset {offset}.");
    }
}
