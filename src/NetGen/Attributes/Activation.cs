namespace NetGen;

/// <summary>
/// The activation function g applied element-wise to a layer's pre-activation z = W·x + b, giving a = g(z).
/// </summary>
/// <remarks>The numeric values are part of the contract with the source generator; never renumber them.</remarks>
public enum Activation
{
    /// <summary>g(z) = z. No non-linearity (Keras' default for <c>Dense</c>).</summary>
    Identity = 0,

    /// <summary>g(z) = 1 / (1 + e^(−z)), the logistic sigmoid. Output in (0, 1).</summary>
    Sigmoid = 1,

    /// <summary>g(z) = tanh(z). Output in (−1, 1).</summary>
    Tanh = 2,

    /// <summary>g(z) = max(z, 0), the rectified linear unit. The derivative at 0 is taken as 0 (as in PyTorch).</summary>
    ReLU = 3,

    /// <summary>
    /// g(z) = z for z &gt; 0, α·z otherwise; α is <see cref="DenseAttribute.NegativeSlope"/> (default 0.01, as in
    /// PyTorch's <c>LeakyReLU(negative_slope=0.01)</c>).
    /// </summary>
    LeakyReLU = 4,

    /// <summary>
    /// g(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ), computed with the maximum subtracted first. Allowed on the output layer only, and only
    /// with <see cref="Loss.CrossEntropy"/>, with which it is fused into one stable log-sum-exp expression.
    /// </summary>
    Softmax = 5,

    /// <summary>
    /// g(z)ᵢ = zᵢ for zᵢ &gt; 0, αᵢ·zᵢ otherwise, with a learnable slope αᵢ per unit (He et al., 2015), initialised to 0.25
    /// as in PyTorch's <c>PReLU(num_parameters=units)</c>. The slopes are parameters (block <c>alphaN</c> after the biases),
    /// trained with the weights and not regularized by L1/L2.
    /// </summary>
    PReLU = 6,

    /// <summary>g(z) = z for z &gt; 0, e^z − 1 otherwise: the exponential linear unit with α = 1 (PyTorch's and Keras' default).</summary>
    ELU = 7,

    /// <summary>g(z) = ln(1 + e^z), a smooth ReLU; computed as max(z, 0) + ln(1 + e^(−|z|)) so it never overflows. g'(z) = σ(z).</summary>
    Softplus = 8,

    /// <summary>g(z) = z·σ(z), the sigmoid-weighted linear unit (SiLU, also called Swish). g'(z) = σ(z)·(1 + z·(1 − σ(z))).</summary>
    SiLU = 9,

    /// <summary>
    /// g(z) = 1 for z ≥ 0, else 0: the Heaviside step of Rosenblatt's perceptron. Its derivative is 0 wherever it exists,
    /// so no gradient reaches the weights: <c>Trainer.Fit</c> refuses such a network, and
    /// <see cref="PerceptronTrainer{TNetwork}"/> trains a single step layer with the perceptron rule instead.
    /// </summary>
    Step = 10,
}
