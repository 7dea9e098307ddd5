using System;

namespace NetGen;

/// <summary>
/// A 2-D convolution over an image (PyTorch's <c>nn.Conv2d</c>): every filter slides the same
/// <see cref="Kernel"/> × <see cref="Kernel"/> weights over the input — weight sharing — so
/// z[o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v] · x[c, s·i + u − p, s·j + v − p] (zero outside the image), then a = g(z).
/// Values are channels × height × width (NCHW without the batch axis) and W is [filters, channels, kernel, kernel]
/// row-major, PyTorch's <c>Conv2d.weight</c>, so weights map one to one. The output is
/// filters × ⌊(H + 2p − k)/s⌋ + 1 × ⌊(W + 2p − k)/s⌋ + 1; every shape is checked at compile time. The network's input
/// shape comes from <see cref="NetworkAttribute.InputShape"/>, or from the layer before.
/// </summary>
/// <example><c>[Conv2D(16, Kernel = 5, Padding = 2, Activation = Activation.ReLU)]</c>: 1 × 28 × 28 → 16 × 28 × 28.</example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Declares a 2-D convolution layer.</summary>
    /// <param name="filters">The output channels. Must be at least 1.</param>
    public Conv2DAttribute(int filters) => Filters = filters;

    /// <summary>The output channels (PyTorch's <c>out_channels</c>).</summary>
    public int Filters { get; }

    /// <summary>The side of the square kernel; 3 by default.</summary>
    public int Kernel { get; set; } = 3;

    /// <summary>The step between two positions of the kernel, along both axes; 1 by default.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side of the input; 0 by default (PyTorch's <c>padding</c>). <c>Kernel / 2</c> with
    /// stride 1 keeps the height and width ("same" for odd kernels).</summary>
    public int Padding { get; set; }

    /// <summary>Whether the layer adds a bias per filter; true by default (PyTorch's <c>bias</c>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>The activation g applied to every output element; <see cref="Activation.Identity"/> by default.
    /// Softmax is not allowed here.</summary>
    public Activation Activation { get; set; }
}

/// <summary>
/// A 1-D convolution along a sequence (PyTorch's <c>nn.Conv1d</c> weights, Keras' time-major values): the input is the
/// network's sequence [steps × channels] (or the layer before's), stored step after step, and
/// z[t, o] = b[o] + Σ_c Σ_u W[o, c, u] · x[s·t + u − p, c] (zero outside the sequence). W is [filters, channels, kernel]
/// row-major, PyTorch's <c>Conv1d.weight</c>. The output is the sequence [⌊(T + 2p − k)/s⌋ + 1 × filters], which a
/// recurrent layer, another convolution, a pooling-free dense layer at every step, or <see cref="FlattenAttribute"/> can take.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute : Attribute
{
    /// <summary>Declares a 1-D convolution layer.</summary>
    /// <param name="filters">The output channels. Must be at least 1.</param>
    public Conv1DAttribute(int filters) => Filters = filters;

    /// <summary>The output channels (PyTorch's <c>out_channels</c>).</summary>
    public int Filters { get; }

    /// <summary>The kernel's length in steps; 3 by default.</summary>
    public int Kernel { get; set; } = 3;

    /// <summary>The step between two positions of the kernel; 1 by default.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero steps added at both ends of the sequence; 0 by default.</summary>
    public int Padding { get; set; }

    /// <summary>Whether the layer adds a bias per filter; true by default.</summary>
    public bool Bias { get; set; } = true;

    /// <summary>The activation g applied to every output element; <see cref="Activation.Identity"/> by default.</summary>
    public Activation Activation { get; set; }
}

/// <summary>
/// Max pooling over each channel of an image (PyTorch's <c>nn.MaxPool2d</c>): y[c, i, j] = max over the
/// <see cref="Size"/> × <see cref="Size"/> window at (s·i, s·j). No parameters; the gradient flows to each window's
/// arg-max (the first one on a tie, as PyTorch does).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Declares a max-pooling layer.</summary>
    /// <param name="size">The side of the square window. Must be at least 1.</param>
    public MaxPool2DAttribute(int size) => Size = size;

    /// <summary>The side of the square window.</summary>
    public int Size { get; }

    /// <summary>The step between two windows; 0 (the default) means <see cref="Size"/> (windows that tile the image).</summary>
    public int Stride { get; set; }
}

/// <summary>
/// Average pooling over each channel of an image (PyTorch's <c>nn.AvgPool2d</c>): y[c, i, j] = the mean of the
/// <see cref="Size"/> × <see cref="Size"/> window at (s·i, s·j). No parameters; each input gets ∂L/∂y / Size² from every
/// window it is in.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Attribute
{
    /// <summary>Declares an average-pooling layer.</summary>
    /// <param name="size">The side of the square window. Must be at least 1.</param>
    public AvgPool2DAttribute(int size) => Size = size;

    /// <summary>The side of the square window.</summary>
    public int Size { get; }

    /// <summary>The step between two windows; 0 (the default) means <see cref="Size"/>.</summary>
    public int Stride { get; set; }
}

/// <summary>
/// Flattens an image [channels × height × width] or a sequence [steps × width] into one vector, in memory order (as
/// PyTorch's <c>flatten</c> of NCHW): a dense layer after it then sees every value. A dense layer after an image flattens
/// it implicitly; after a sequence it applies at every step unless a <c>[Flatten]</c> comes between them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
