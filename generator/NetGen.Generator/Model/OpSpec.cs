namespace NetGen.Generator.Model;

// The typed operations a declaration is made of, in execution order. One record per kind, each holding only its own
// settings; the kind's behaviour (shape rule, parameter blocks, code) lives in its handler under Ops/. Part of the
// equatable model: values only.

/// <summary>
/// One operation of the network. <paramref name="Layer"/> is the number (from 1) of the layer attribute it came from —
/// <c>[Dense]</c> with the <c>[Dropout]</c> before it and the <c>[BatchNorm]</c> after it — and names its parameters
/// and values (W1, z1, a1).
/// </summary>
internal abstract record OpSpec(int Layer);

/// <summary>
/// z = W·x + b: a fully connected layer of <paramref name="Units"/> outputs. <paramref name="Flatten"/>: a <c>[Flatten]</c>
/// came before it, so a sequence is read as one vector instead of step by step (an image always is).
/// </summary>
internal sealed record DenseSpec(int Layer, int Units, bool Flatten = false) : OpSpec(Layer);

/// <summary>
/// A convolution of <paramref name="Filters"/> output channels with a square (2-D) or 1-D kernel: over an image
/// [channels × height × width] (<paramref name="OneDimensional"/> false) or along a sequence [steps × channels] (true).
/// W is [filters, channels, kernel(, kernel)] row-major, PyTorch's layout.
/// </summary>
internal sealed record ConvolutionSpec(int Layer, int Filters, int Kernel, int Stride, int Padding, bool Bias, bool OneDimensional) : OpSpec(Layer);

/// <summary>
/// A Gaussian radial-basis layer of <paramref name="Units"/> units: aᵢ = φᵢ(x) = exp(−βᵢ·‖x − cᵢ‖²), with the centres C
/// [units × inputs] row-major and the precisions β [units] trained like weights.
/// </summary>
internal sealed record RbfSpec(int Layer, int Units) : OpSpec(Layer);

/// <summary>Max (<paramref name="Max"/>) or average pooling of each channel of an image, <paramref name="Size"/>² windows every <paramref name="Stride"/> pixels.</summary>
internal sealed record PoolSpec(int Layer, bool Max, int Size, int Stride) : OpSpec(Layer);

/// <summary>a = g(z), element-wise (softmax: over the vector). <paramref name="NegativeSlope"/> is LeakyReLU's α, else 0.</summary>
internal sealed record ActivationSpec(int Layer, ActivationKind Activation, float NegativeSlope) : OpSpec(Layer);

/// <summary>
/// Inverted dropout of rate p on the values entering layer <paramref name="Layer"/>, in training mode only: of each value,
/// or with <paramref name="PerChannel"/> of each whole channel of an image.
/// </summary>
internal sealed record DropoutSpec(int Layer, float Rate, bool PerChannel = false) : OpSpec(Layer);

/// <summary>Batch normalization of the dense layer's output: y = γ·(z − μ)/√(σ² + ε) + β, before its activation.</summary>
internal sealed record BatchNormSpec(int Layer, float Momentum, float Epsilon) : OpSpec(Layer);

/// <summary>a = g + x: adds the layer's input (the dense operation's input) to the layer's activation.</summary>
internal sealed record ResidualSpec(int Layer) : OpSpec(Layer);

/// <summary>
/// A recurrent layer over the sequence: Elman, GRU or LSTM (PyTorch's equations, layout and gate order) of
/// <paramref name="Units"/> hidden units, passing on every step's state or the last one. <paramref name="ForgetBias"/> is
/// an LSTM's initial forget-gate bias (null: drawn like the other parameters).
/// </summary>
internal sealed record RecurrentSpec(int Layer, CellKind Cell, int Units, bool ReturnSequences, float? ForgetBias = null) : OpSpec(Layer);
