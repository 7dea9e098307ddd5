namespace NetGen;

/// <summary>One dense layer of a generated network: z = W·x + b with W of shape [<see cref="Units"/>, <see cref="Inputs"/>], a = g(z).</summary>
/// <param name="Inputs">The layer's input width.</param>
/// <param name="Units">The layer's output width.</param>
/// <param name="Activation">g.</param>
/// <param name="NegativeSlope">α for <see cref="Activation.LeakyReLU"/> (ignored otherwise).</param>
/// <param name="Residual">Whether the layer adds its input to its output: a = g(z) + x.</param>
/// <param name="BatchNormEpsilon">ε of the layer's batch normalization, or 0 when it has none.</param>
public readonly record struct LayerDescription(int Inputs, int Units, Activation Activation, float NegativeSlope, bool Residual = false, float BatchNormEpsilon = 0f)
{
    /// <summary>Whether the layer batch-normalizes its pre-activation.</summary>
    public bool BatchNorm => BatchNormEpsilon > 0f;
}
