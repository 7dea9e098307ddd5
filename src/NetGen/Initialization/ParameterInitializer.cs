using System;

namespace NetGen;

/// <summary>
/// The weight initialisations generated networks use, drawn from a <see cref="SeededRandom"/> so that a seed fixes the
/// network bit for bit. Weights are uniform on [−limit, limit]; biases start at 0 (Keras' defaults).
/// </summary>
public static class ParameterInitializer
{
    /// <summary>
    /// Glorot (Xavier) uniform, for sigmoid, tanh, identity and softmax layers: limit = √(6 / (fanIn + fanOut)), which
    /// keeps the variance of activations and of gradients roughly equal across layers (Glorot &amp; Bengio, 2010).
    /// Keras' default for <c>Dense</c>.
    /// </summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, ref SeededRandom random) =>
        Uniform(weights, MathF.Sqrt(6f / (fanIn + fanOut)), ref random);

    /// <summary>
    /// He (Kaiming) uniform, for the ReLU family: limit = √(6 / ((1 + α²)·fanIn)), with α the negative slope (0 for
    /// ReLU). It preserves the activations' variance through rectifiers (He et al., 2015); PyTorch's
    /// <c>kaiming_uniform_</c> with <c>a = α</c>.
    /// </summary>
    public static void HeUniform(Span<float> weights, int fanIn, float negativeSlope, ref SeededRandom random) =>
        Uniform(weights, MathF.Sqrt(6f / ((1f + negativeSlope * negativeSlope) * fanIn)), ref random);

    /// <summary>
    /// PyTorch's initialisation of recurrent layers (<c>nn.RNN</c>, <c>nn.GRU</c>, <c>nn.LSTM</c>): every weight and bias
    /// uniform on ±1/√<paramref name="units"/>, with H = <paramref name="units"/> the size of the hidden state.
    /// </summary>
    public static void RecurrentUniform(Span<float> values, int units, ref SeededRandom random) =>
        Uniform(values, 1f / MathF.Sqrt(units), ref random);

    /// <summary>Every value uniform on [−<paramref name="limit"/>, <paramref name="limit"/>] (a radial-basis layer's centres before <see cref="RbfInitialization"/> places them).</summary>
    public static void Uniform(Span<float> weights, float limit, ref SeededRandom random)
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] = random.NextSingle(-limit, limit);
    }
}
