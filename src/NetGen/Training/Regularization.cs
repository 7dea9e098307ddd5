using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>L1 and L2 penalties on the weight blocks of a parameter buffer (biases are left alone).</summary>
internal sealed class Regularization
{
    private readonly (int Offset, int Length)[] _weights;

    public Regularization(IReadOnlyList<ParameterBlock> layout)
    {
        var weights = new List<(int, int)>();
        foreach (var block in layout)
            if (block.Role is ParameterRole.Weight or ParameterRole.RecurrentWeight)
                weights.Add((block.Offset, block.Length));
        _weights = weights.ToArray();
    }

    public float L1 { get; set; }

    public float L2 { get; set; }

    /// <summary>λ₁·Σ|w| + λ₂·Σw² over the weights.</summary>
    public float Penalty(ReadOnlySpan<float> parameters)
    {
        if (L1 == 0f && L2 == 0f) return 0f;
        double absolute = 0, square = 0;
        foreach (var (offset, length) in _weights)
            foreach (float w in parameters.Slice(offset, length))
            {
                absolute += Math.Abs(w);
                square += (double)w * w;
            }
        return (float)(L1 * absolute + L2 * square);
    }

    /// <summary>sign(w) as −1, 0 or 1; NaN gives 0 (MathF.Sign throws on NaN, and a NaN weight is reported elsewhere).</summary>
    private static float Sign(float w) => w > 0f ? 1f : w < 0f ? -1f : 0f;

    /// <summary>Adds the penalty's gradient, λ₁·sign(w) + 2·λ₂·w, to the weights' gradients.</summary>
    public void AddGradient(ReadOnlySpan<float> parameters, Span<float> gradients)
    {
        if (L1 == 0f && L2 == 0f) return;
        float l1 = L1, twoL2 = 2f * L2;
        foreach (var (offset, length) in _weights)
        {
            var w = parameters.Slice(offset, length);
            var g = gradients.Slice(offset, length);
            for (int i = 0; i < w.Length; i++)
                g[i] += l1 * Sign(w[i]) + twoL2 * w[i];
        }
    }
}
