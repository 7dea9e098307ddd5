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

    /// <summary>∂L/∂a = ∂L/∂d ⊙ m, in place: <paramref name="gradient"/> holds ∂L/∂d on entry.</summary>
    public static void Backward(Span<float> gradient, ReadOnlySpan<float> mask)
    {
        if (mask.Length < gradient.Length)
            throw new ArgumentException($"The mask has {mask.Length} elements, fewer than the gradient's {gradient.Length}.");
        for (int i = 0; i < gradient.Length; i++)
            gradient[i] *= mask[i];
    }
}
