using System.Collections.Generic;

namespace NetGen;

/// <summary>The kinds of operation a generated network is made of.</summary>
public enum OperationKind
{
    /// <summary>z = W·x + b (a fully connected layer; a sequence [steps × width] is transformed step by step with the same W and b).</summary>
    Dense,

    /// <summary>a = g(z), element-wise (softmax over the vector); PReLU carries one learned slope per unit.</summary>
    Activation,

    /// <summary>Inverted dropout of its input in training mode; the identity in inference mode.</summary>
    Dropout,

    /// <summary>Batch normalization of its input: y = γ·(z − μ)/√(σ² + ε) + β, batch statistics in training, running ones in inference.</summary>
    BatchNorm,

    /// <summary>a = g + x: adds the layer's input (the input of the layer's dense operation) to its activation.</summary>
    ResidualAdd,

    /// <summary>An Elman recurrent layer over the sequence (see <see cref="RecurrentAttribute"/>): W_ih, W_hh, b_ih, b_hh.</summary>
    Recurrent,

    /// <summary>A GRU layer over the sequence (see <see cref="GruAttribute"/>): gates r, z, n.</summary>
    Gru,

    /// <summary>An LSTM layer over the sequence (see <see cref="LstmAttribute"/>): gates i, f, g, o.</summary>
    Lstm,

    /// <summary>A 2-D convolution of an image [channels × height × width] (see <see cref="Conv2DAttribute"/>): W [filters, channels·k·k], b.</summary>
    Convolution2D,

    /// <summary>A 1-D convolution along a sequence [steps × channels] (see <see cref="Conv1DAttribute"/>): W [filters, channels·k], b.</summary>
    Convolution1D,

    /// <summary>Max pooling of each channel of an image (see <see cref="MaxPool2DAttribute"/>); no parameters.</summary>
    MaxPool2D,

    /// <summary>Average pooling of each channel of an image (see <see cref="AvgPool2DAttribute"/>); no parameters.</summary>
    AvgPool2D,

    /// <summary>A Gaussian radial-basis layer (see <see cref="RbfAttribute"/>): aᵢ = exp(−βᵢ·‖x − cᵢ‖²), centres C and precisions β.</summary>
    RadialBasis,
}

/// <summary>
/// One operation of a generated network, as the generator planned it: what exporters, the trainer and tools read
/// instead of re-deriving a network's structure. The operations run in list order; their parameter blocks, taken in
/// order, are exactly <c>ParameterLayout</c>.
/// </summary>
/// <param name="Kind">What the operation computes.</param>
/// <param name="Layer">The number (from 1) of the layer attribute the operation came from: a <c>[Dense]</c> with the
/// <c>[Dropout]</c> before it, the <c>[BatchNorm]</c> after it, its activation and its residual add.</param>
/// <param name="InputShape">The shape of one sample's input value, e.g. <c>[784]</c>.</param>
/// <param name="OutputShape">The shape of one sample's output value.</param>
/// <param name="Blocks">The operation's parameter blocks, in buffer order (W and b; γ, β, μ, σ²; α; or none).</param>
/// <param name="ForwardFlops">Forward floating-point operations per sample (a multiply-add counts 2; element-wise work is not counted).</param>
/// <param name="BackwardFlops">Backward floating-point operations per sample, on the same terms.</param>
public sealed record OperationDescription(
    OperationKind Kind,
    int Layer,
    IReadOnlyList<int> InputShape,
    IReadOnlyList<int> OutputShape,
    IReadOnlyList<ParameterBlock> Blocks,
    long ForwardFlops,
    long BackwardFlops)
{
    /// <summary>For <see cref="OperationKind.Activation"/>: the function g.</summary>
    public Activation Activation { get; init; }

    /// <summary>For <see cref="Activation.LeakyReLU"/>: the negative slope α.</summary>
    public float NegativeSlope { get; init; }

    /// <summary>For <see cref="OperationKind.Dropout"/>: the rate p.</summary>
    public float Rate { get; init; }

    /// <summary>For <see cref="OperationKind.Dropout"/>: true when whole channels of an image are dropped together.</summary>
    public bool PerChannel { get; init; }

    /// <summary>For <see cref="OperationKind.BatchNorm"/>: ε, added to the variance.</summary>
    public float Epsilon { get; init; }

    /// <summary>For <see cref="OperationKind.BatchNorm"/>: the running averages' momentum.</summary>
    public float Momentum { get; init; }

    /// <summary>For convolution and pooling: the side of the kernel or window.</summary>
    public int Kernel { get; init; }

    /// <summary>For convolution and pooling: the step between two kernel or window positions.</summary>
    public int Stride { get; init; }

    /// <summary>For convolution: the zeros added on each side of the convolved axes.</summary>
    public int Padding { get; init; }

    /// <summary>The number of floats in one sample's input value (the product of <see cref="InputShape"/>).</summary>
    public int InputSize => Product(InputShape);

    /// <summary>The number of floats in one sample's output value.</summary>
    public int OutputSize => Product(OutputShape);

    /// <summary>The block with <paramref name="role"/>; throws when the operation has none (a bug in the caller's assumptions).</summary>
    public ParameterBlock Block(ParameterRole role)
    {
        foreach (var block in Blocks)
            if (block.Role == role) return block;
        throw new System.InvalidOperationException($"The {Kind} operation of layer {Layer} has no {role} block.");
    }

    private static int Product(IReadOnlyList<int> shape)
    {
        int size = 1;
        foreach (int dimension in shape) size *= dimension;
        return size;
    }
}
