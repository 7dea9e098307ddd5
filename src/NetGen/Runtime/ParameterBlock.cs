namespace NetGen;

/// <summary>What a block of parameters does in its layer.</summary>
public enum ParameterRole
{
    /// <summary>A weight matrix W (regularized by L1/L2).</summary>
    Weight,

    /// <summary>A bias vector b (not regularized).</summary>
    Bias,

    /// <summary>The learnable negative slopes α of a <see cref="Activation.PReLU"/> layer (not regularized).</summary>
    Slope,

    /// <summary>Batch normalization's scale γ (trained, not regularized).</summary>
    Scale,

    /// <summary>Batch normalization's shift β (trained, not regularized).</summary>
    Shift,

    /// <summary>Batch normalization's running mean: not trained (the trainer keeps optimizers from changing it).</summary>
    RunningMean,

    /// <summary>Batch normalization's running variance: not trained (the trainer keeps optimizers from changing it).</summary>
    RunningVariance,

    /// <summary>A recurrent layer's hidden-to-hidden weights W_hh [gates·units, units] (regularized by L1/L2, like <see cref="Weight"/>).</summary>
    RecurrentWeight,

    /// <summary>A recurrent layer's hidden-to-hidden bias b_hh (not regularized).</summary>
    RecurrentBias,

    /// <summary>A radial-basis layer's centres C [units, inputs], one centre per row (trained; not penalized by the trainer's L1/L2, though an optimizer's own weight decay applies).</summary>
    Center,

    /// <summary>A radial-basis layer's precisions β [units], βᵢ = 1/(2σᵢ²) for a Gaussian of width σᵢ (trained, unconstrained; not penalized by the trainer's L1/L2, though an optimizer's own weight decay applies).</summary>
    Precision,
}

/// <summary>One contiguous block of a network's flat parameter buffer, such as W2 or b1.</summary>
/// <param name="Name">The block's name: <c>W1</c>, <c>b1</c>, … (layers numbered from 1).</param>
/// <param name="Role">Whether the block holds weights or biases.</param>
/// <param name="Offset">The index of the block's first element in the flat buffer.</param>
/// <param name="Rows">The number of rows (a layer's units).</param>
/// <param name="Columns">The number of columns (a layer's inputs for W; 1 for b).</param>
public readonly record struct ParameterBlock(string Name, ParameterRole Role, int Offset, int Rows, int Columns)
{
    /// <summary>The number of parameters in the block: <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int Length => Rows * Columns;

    /// <summary>False for statistics the network keeps in its buffer but does not learn by gradient (running mean and variance).</summary>
    public bool Trainable => Role is not (ParameterRole.RunningMean or ParameterRole.RunningVariance);
}
