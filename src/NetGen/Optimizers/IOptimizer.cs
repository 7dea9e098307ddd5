using System;

namespace NetGen;

/// <summary>
/// Updates a flat parameter buffer from a flat gradient buffer of the same layout. Optimizers never know the network's
/// shape; they see only the two spans.
/// </summary>
public interface IOptimizer
{
    /// <summary>Applies one update step: θ ← update(θ, ∂L/∂θ).</summary>
    /// <param name="parameters">The parameters θ, updated in place.</param>
    /// <param name="gradients">The gradient of the loss (the mean over the mini-batch), same length as θ.</param>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}
