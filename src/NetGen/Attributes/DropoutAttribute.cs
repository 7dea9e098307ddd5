using System;

namespace NetGen;

/// <summary>
/// Inverted dropout (Srivastava et al., 2014) on the values flowing between two layers: written between two
/// <see cref="DenseAttribute"/>s it drops each output of the layer above; written before the first one it drops inputs.
/// In training mode (<c>TrainingForward</c>/<c>TrainingBackward</c>, which the trainer uses) each value is kept with
/// probability 1 − rate and scaled by 1/(1 − rate), so its expected value is unchanged; in inference mode
/// (<c>Predict</c>, <c>Forward</c>, <c>Backward</c>, <c>ComputeLoss</c>) dropout does nothing. The masks come from a
/// <see cref="SeededRandom"/> the caller passes, so each data-parallel worker owns its generator and a seed reproduces a run.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares dropout at this position.</summary>
    /// <param name="rate">The probability p of dropping a value, in [0, 1) (NG0027 otherwise), e.g. 0.2.</param>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>The probability of dropping a value.</summary>
    public double Rate { get; }

    /// <summary>
    /// Drops whole channels of an image instead of single values (PyTorch's <c>Dropout2d</c>, Keras'
    /// <c>SpatialDropout2D</c>): neighbouring pixels are strongly correlated, so dropping one of them hides little. The
    /// values it acts on must be an image [channels × height × width] (NG0028 otherwise).
    /// </summary>
    public bool PerChannel { get; set; }
}
