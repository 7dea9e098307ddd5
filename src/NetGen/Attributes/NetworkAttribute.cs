using System;

namespace NetGen;

/// <summary>
/// Declares a feed-forward network on a <c>partial class</c>. The layers are the <see cref="DenseAttribute"/>s on the same
/// class, in the order they are written. The NetGen source generator then adds the sizes, the parameter buffer, the
/// forward pass, the fused forward + loss + backward pass, initialisation and a summary to the class.
/// </summary>
/// <example>
/// <code>
/// [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
/// [Dense(4, Activation.Tanh)]
/// [Dense(1, Activation.Sigmoid)]
/// public partial class XorNet { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The number of inputs of one sample (the width of the first layer's input) — of one step, for a sequence. Must be at least 1.</summary>
    public int Inputs { get; set; }

    /// <summary>
    /// For sequence data: the number of steps T of every sample, each of <see cref="Inputs"/> values, stored step after
    /// step (so <c>InputSize</c> = T · Inputs). Recurrent layers (<see cref="RecurrentAttribute"/>, <see cref="GruAttribute"/>,
    /// <see cref="LstmAttribute"/>) run over the steps; a dense layer on a sequence applies at every step with shared weights.
    /// 0 (the default): one vector per sample.
    /// </summary>
    public int SequenceLength { get; set; }

    /// <summary>
    /// For images: the shape of one sample as channels × height × width, e.g. <c>new[] { 1, 28, 28 }</c>, stored channel
    /// after channel, row after row (PyTorch's NCHW without the batch axis). Convolution and pooling layers
    /// (<see cref="Conv2DAttribute"/>, <see cref="MaxPool2DAttribute"/>, <see cref="AvgPool2DAttribute"/>) read it; a dense
    /// layer flattens it. <see cref="Inputs"/> may then be left out; if given, it must equal the product.
    /// </summary>
    public int[]? InputShape { get; set; }

    /// <summary>The per-sample loss <c>Backward</c> computes and differentiates. Required.</summary>
    public Loss Loss { get; set; }

    /// <summary>How each layer's code is shaped: unrolled, loops, or chosen per layer by size (the default).</summary>
    public Unrolling Unrolling { get; set; }

    /// <summary>
    /// A trained checkpoint to compile into the class, e.g. <c>"models/iris.ngw"</c>: the path (or its ending) of an
    /// <c>AdditionalFiles</c> item saved with <c>CheckpointEncoding.Base64Text</c>. The generator then adds
    /// <c>EmbeddedParameters</c> (static data in the assembly), <c>PredictEmbedded</c> and <c>CreateEmbedded()</c>. A
    /// missing, damaged or other-network file is a compiler error (NG0022–NG0024).
    /// </summary>
    public string? Weights { get; set; }
}
