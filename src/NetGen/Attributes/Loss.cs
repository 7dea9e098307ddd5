namespace NetGen;

/// <summary>
/// The per-sample loss a network is trained to minimise. n is the number of outputs, a the network's output and y the
/// target. The definitions match PyTorch's and Keras' default (mean) reductions over the outputs of one sample.
/// </summary>
/// <remarks>The numeric values are part of the contract with the source generator; never renumber them.</remarks>
public enum Loss
{
    /// <summary>L = (1/n)·Σᵢ (aᵢ − yᵢ)². For regression. PyTorch <c>MSELoss</c>.</summary>
    MeanSquaredError = 1,

    /// <summary>
    /// L = (1/n)·Σᵢ |aᵢ − yᵢ|. For regression robust to outliers. The derivative at aᵢ = yᵢ is taken as 0.
    /// PyTorch <c>L1Loss</c>.
    /// </summary>
    MeanAbsoluteError = 2,

    /// <summary>
    /// L = (1/n)·Σᵢ −[yᵢ·ln aᵢ + (1 − yᵢ)·ln(1 − aᵢ)] with a = σ(z). Requires a <see cref="Activation.Sigmoid"/> output
    /// layer, and is computed stably from the logits z as max(z, 0) − z·y + ln(1 + e^(−|z|)).
    /// PyTorch <c>BCEWithLogitsLoss</c>.
    /// </summary>
    BinaryCrossEntropy = 3,

    /// <summary>
    /// L = −Σᵢ yᵢ·ln softmax(z)ᵢ = Σᵢ yᵢ·(logsumexp(z) − zᵢ). Requires a <see cref="Activation.Softmax"/> output layer,
    /// with which it is fused: ∂L/∂zᵢ = softmax(z)ᵢ·Σⱼyⱼ − yᵢ (= softmax(z)ᵢ − yᵢ for one-hot targets).
    /// PyTorch <c>CrossEntropyLoss</c> with probability targets.
    /// </summary>
    CrossEntropy = 4,
}
