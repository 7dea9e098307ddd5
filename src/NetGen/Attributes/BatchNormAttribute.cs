using System;

namespace NetGen;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy, 2015) of the <see cref="DenseAttribute"/> written just before it, applied to
/// that layer's pre-activation, before its activation (as in the paper): y = γ·(z − μ)/√(σ² + ε) + β, a = g(y).
/// In training mode (<c>TrainingBatch</c>, which the trainer uses) μ and σ² are the mini-batch's mean and (biased)
/// variance of each unit, and the running averages are updated: running ← (1 − momentum)·running + momentum·batch
/// (the variance unbiased, ×B/(B − 1)), as PyTorch's <c>BatchNorm1d</c>. In inference mode (<c>Predict</c>, <c>Forward</c>,
/// <c>Backward</c>) μ and σ² are the running averages. γ (initially 1) and β (0) are trained; the running mean (0) and
/// variance (1) are non-trainable entries of the parameter buffer, so checkpoints, compiled-in weights and ONNX carry them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>The weight of the newest batch in the running averages, in (0, 1]. PyTorch's default 0.1.</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>ε, added to the variance before the square root; positive. PyTorch's default 1e-5.</summary>
    public double Epsilon { get; set; } = 1e-5;
}
