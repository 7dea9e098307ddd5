using System;

namespace NetGen;

/// <summary>
/// A fully connected layer: z = W·x + b, a = g(z), with W of shape [<see cref="Units"/>, inputs] (row-major, the layout
/// of PyTorch's <c>Linear.weight</c>) and b of length <see cref="Units"/>. Layers apply in the order their attributes are
/// written on the class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a dense layer.</summary>
    /// <param name="units">The number of outputs of the layer. Must be at least 1.</param>
    /// <param name="activation">The activation g; <see cref="Activation.Identity"/> when omitted.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of outputs of the layer.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the layer's pre-activation.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// The slope α of <see cref="Activation.LeakyReLU"/> for negative inputs; 0.01 by default (PyTorch's
    /// <c>negative_slope</c>). Only valid with <see cref="Activation.LeakyReLU"/>.
    /// </summary>
    public double NegativeSlope { get; set; } = 0.01;

    /// <summary>
    /// Adds the layer's input to its output — a residual (skip) connection, a = g(W·x + b) + x (He et al., 2016) — so the
    /// gradient reaches earlier layers through the identity path undiminished. The layer's units must equal its inputs
    /// (NG0025), and it cannot be an output layer whose activation is fused with the loss (NG0026).
    /// </summary>
    public bool Residual { get; set; }
}
