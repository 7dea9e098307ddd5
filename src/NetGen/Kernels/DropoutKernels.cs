using System;

namespace NetGen;

/// <summary>
/// Inverted dropout for generated code in the layered shape (straight-line code inlines the same steps). Public because
/// code generated into the user's assembly calls it. One <see cref="SeededRandom.NextSingle()"/> per value, in index
/// order: the documented mask order, which tests replay.
/// </summary>
public static class DropoutKernels
{
    /// <summary>
    /// mᵢ = 1/(1 − p) with probability 1 − p, else 0 (drawn as: keep when u ≥ p for u uniform in [0, 1));
    /// dᵢ = aᵢ·mᵢ. Writes the mask to <paramref name="mask"/> and the dropped values to <paramref name="dropped"/>.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> values, Span<float> dropped, Span<float> mask, float rate, ref SeededRandom random)
    {
        if (dropped.Length < values.Length || mask.Length < values.Length)
            throw new ArgumentException($"The dropout buffers need {values.Length} elements; dropped has {dropped.Length} and mask {mask.Length}.");
        float scale = 1f / (1f - rate);
        for (int i = 0; i < values.Length; i++)
        {
            float m = random.NextSingle() >= rate ? scale : 0f;
            mask[i] = m;
            dropped[i] = values[i] * m;
        }
    }

    /// <summary>
    /// Dropout of whole channels (PyTorch's <c>Dropout2d</c>): one draw per channel, in channel order, keeps or drops all
    /// <paramref name="values"/>.Length / <paramref name="channels"/> values of that channel together; the mask is written
    /// per value, so the backward pass is <see cref="Backward"/>.
    /// </summary>
    public static void ForwardChannels(ReadOnlySpan<float> values, Span<float> dropped, Span<float> mask, float rate, int channels, ref SeededRandom random)
    {
        if (dropped.Length < values.Length || mask.Length < values.Length || channels < 1 || values.Length % channels != 0)
            throw new ArgumentException($"The dropout buffers need {values.Length} elements in {channels} channels; dropped has {dropped.Length} and mask {mask.Length}.");
        float scale = 1f / (1f - rate);
        int spatial = values.Length / channels;
        for (int c = 0, i = 0; c < channels; c++)
        {
            float m = random.NextSingle() >= rate ? scale : 0f;
            for (int s = 0; s < spatial; s++, i++)
            {
                mask[i] = m;
                dropped[i] = values[i] * m;
            }
        }
    }

    /// <summary>∂L/∂a = ∂L/∂d ⊙ m, in place: <paramref name="gradient"/> holds ∂L/∂d on entry.</summary>
    public static void Backward(Span<float> gradient, ReadOnlySpan<float> mask)
    {
        if (mask.Length < gradient.Length)
            throw new ArgumentException($"The mask has {mask.Length} elements, fewer than the gradient's {gradient.Length}.");
        for (int i = 0; i < gradient.Length; i++)
            gradient[i] *= mask[i];
    }
}
