using System;

namespace NetGen;

/// <summary>
/// The instance side of a generated network: its parameters and the per-sample operations over them. Every class
/// annotated with <see cref="NetworkAttribute"/> implements it (through <see cref="INetwork{TSelf}"/>).
/// </summary>
public interface INetwork
{
    /// <summary>
    /// All trainable parameters in one flat buffer, layer by layer: W (row-major [units, inputs]) then b. The generated
    /// class documents the offsets. Writing to the span changes the network.
    /// </summary>
    Span<float> Parameters { get; }

    /// <summary>
    /// The standardisation of raw input features that is part of this network (like a Keras <c>Normalization</c> layer), or
    /// null. When set, every instance method — <see cref="Predict"/>, <see cref="Backward"/>, <see cref="ComputeLoss"/> — and
    /// the trainer's <c>Fit</c>, <c>Evaluate</c> and batch <c>Predict</c> take raw features and standardise them first;
    /// checkpoints, compiled-in weights and ONNX exports carry it. The static kernels (<c>Forward</c>, <c>Backward</c>, …)
    /// always take the first layer's input, already standardised. Its width must be the network's input size.
    /// </summary>
    Standardizer? Standardizer { get; set; }

    /// <summary>
    /// The name of each class, in output order (two names for a single sigmoid output: output 0, then output 1), or null.
    /// Saved in checkpoints and ONNX exports; used by <c>PredictClass</c> and the evaluation report.
    /// </summary>
    System.Collections.Generic.IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Runs the network on one sample: <paramref name="output"/> = f(<paramref name="input"/>). Allocation-free
    /// and safe to call from several threads at once as long as nothing writes the parameters meanwhile.</summary>
    void Predict(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Forward pass, loss and backward pass for one sample. Returns the sample's loss and <b>adds</b> ∂loss/∂θ into
    /// <paramref name="gradients"/> (same layout as <see cref="Parameters"/>), so calls over a mini-batch sum.
    /// </summary>
    float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradients);

    /// <summary>The loss of one sample, without gradients.</summary>
    float ComputeLoss(ReadOnlySpan<float> input, ReadOnlySpan<float> target);

    /// <summary>Re-initialises every parameter from <paramref name="seed"/> (Glorot or He per layer, biases 0).</summary>
    void Initialize(int seed);
}

/// <summary>
/// The static side of a generated network: its compile-time sizes and its pure kernels over spans. Generic runtime code
/// (trainer, gradient check) is written against this interface, so it knows every size without reflection.
/// </summary>
/// <typeparam name="TSelf">The generated network class itself.</typeparam>
public interface INetwork<TSelf> : INetwork
    where TSelf : class, INetwork<TSelf>
{
    /// <summary>The number of inputs of one sample.</summary>
    static abstract int InputSize { get; }

    /// <summary>The number of outputs of one sample.</summary>
    static abstract int OutputSize { get; }

    /// <summary>The number of parameters, state included (the length of <see cref="INetwork.Parameters"/>).</summary>
    static abstract int ParameterCount { get; }

    /// <summary>
    /// The number of parameters learned by gradient: the prefix [0, TrainableParameterCount) of the buffer. The suffix up to
    /// <see cref="ParameterCount"/> is state (batch normalization's running statistics), which optimizers never see.
    /// </summary>
    static abstract int TrainableParameterCount { get; }

    /// <summary>The loss the network was declared with.</summary>
    static abstract Loss LossFunction { get; }

    /// <summary>A Keras-style summary: each layer, its output size, parameter count and FLOPs per sample.</summary>
    static abstract string Summary { get; }

    /// <summary>Creates a network whose parameters are initialised from <paramref name="seed"/>.</summary>
    static abstract TSelf Create(int seed);

    /// <summary>The forward pass as a pure function of (parameters, input).</summary>
    static abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Forward + loss + backward as a pure function; adds ∂loss/∂θ into <paramref name="gradients"/>.</summary>
    static abstract float Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradients);

    /// <summary>
    /// The forward pass in <b>training mode</b>: like <see cref="Forward"/>, but dropout layers drop values with masks drawn
    /// from <paramref name="random"/> (one draw per value, layer by layer, in index order). Without dropout layers it is
    /// <see cref="Forward"/>.
    /// </summary>
    static abstract void TrainingForward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, ref SeededRandom random);

    /// <summary>
    /// Forward + loss + backward in <b>training mode</b> (dropout active, masks from <paramref name="random"/>); adds ∂loss/∂θ
    /// for that mask into <paramref name="gradients"/>. The trainer uses this; <see cref="Backward"/> is the inference-mode
    /// gradient (no dropout), the one gradient checks compare.
    /// </summary>
    static abstract float TrainingBackward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradients, ref SeededRandom random);

    /// <summary>
    /// Training mode over a mini-batch of <paramref name="count"/> samples stored row after row in
    /// <paramref name="inputs"/> and <paramref name="targets"/>: returns the sum of their losses and <b>adds</b> the gradient
    /// of that sum into <paramref name="gradients"/>. Batch normalization uses the batch's statistics (coupling the samples)
    /// and updates its running averages in <paramref name="parameters"/>; dropout draws from <paramref name="random"/>.
    /// Without batch normalization it is <see cref="TrainingBackward"/> summed over the samples.
    /// </summary>
    static abstract float TrainingBatch(Span<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, Span<float> gradients, ref SeededRandom random);

    /// <summary>The loss of one sample as a pure function of (parameters, input, target).</summary>
    static abstract float ComputeLoss(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target);

    /// <summary>Fills <paramref name="parameters"/> with the initial values for <paramref name="seed"/>.</summary>
    static abstract void InitializeParameters(Span<float> parameters, int seed);

    /// <summary>The blocks of the flat parameter buffer in order (W1, b1, W2, …) with their roles, offsets and shapes.</summary>
    static abstract System.Collections.Generic.IReadOnlyList<ParameterBlock> ParameterLayout { get; }

    /// <summary>The declaration in canonical form (inputs, layers, activations, loss), e.g.
    /// <c>netgen-1 inputs=2 dense(4,tanh) dense(1,sigmoid) loss=mse</c>. Checkpoints record it and load only where it matches.</summary>
    static abstract string Architecture { get; }

    /// <summary>The dense layers in order, with their sizes and activations: a per-layer view of <see cref="Operations"/>.</summary>
    static abstract System.Collections.Generic.IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>
    /// The operations in execution order, with their shapes, parameter blocks and FLOPs, as the generator planned them.
    /// Their blocks, taken in order, are <see cref="ParameterLayout"/>.
    /// </summary>
    static abstract System.Collections.Generic.IReadOnlyList<OperationDescription> Operations { get; }

    /// <summary>The mathematical name of the parameter at a flat index, such as <c>W2[3,5]</c> or <c>b1[0]</c>.</summary>
    static abstract string ParameterName(int index);
}
