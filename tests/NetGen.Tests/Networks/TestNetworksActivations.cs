// Networks for the gradient checks of the activations added after the first release (PReLU with its learnable slopes,
// ELU, softplus, SiLU) and of residual layers: each new activation as a hidden layer with every kind of loss, as an
// output layer, and residual blocks in both code shapes. Written out by a script, like TestNetworks.cs.
using NetGen;

namespace NetGen.Tests.Networks;


[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Identity)]
public partial class SmallPreluMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.PReLU)]
[Dense(5, Activation.Identity)]
public partial class LoopedPreluMseIdentity { }


[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Tanh)]
public partial class SmallPreluMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.PReLU)]
[Dense(5, Activation.Tanh)]
public partial class LoopedPreluMaeTanh { }


[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallPreluBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.PReLU)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedPreluBce { }


[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Softmax)]
public partial class SmallPreluCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.PReLU)]
[Dense(5, Activation.Softmax)]
public partial class LoopedPreluCe { }


[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.Identity)]
public partial class SmallEluMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ELU)]
[Dense(5, Activation.Identity)]
public partial class LoopedEluMseIdentity { }


[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.Tanh)]
public partial class SmallEluMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ELU)]
[Dense(5, Activation.Tanh)]
public partial class LoopedEluMaeTanh { }


[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallEluBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ELU)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedEluBce { }


[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.Softmax)]
public partial class SmallEluCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ELU)]
[Dense(5, Activation.Softmax)]
public partial class LoopedEluCe { }


[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Softplus)]
[Dense(3, Activation.Identity)]
public partial class SmallSoftplusMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Softplus)]
[Dense(5, Activation.Identity)]
public partial class LoopedSoftplusMseIdentity { }


[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Softplus)]
[Dense(3, Activation.Tanh)]
public partial class SmallSoftplusMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Softplus)]
[Dense(5, Activation.Tanh)]
public partial class LoopedSoftplusMaeTanh { }


[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Softplus)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallSoftplusBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Softplus)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedSoftplusBce { }


[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.Softplus)]
[Dense(3, Activation.Softmax)]
public partial class SmallSoftplusCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Softplus)]
[Dense(5, Activation.Softmax)]
public partial class LoopedSoftplusCe { }


[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.Identity)]
public partial class SmallSiluMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.SiLU)]
[Dense(5, Activation.Identity)]
public partial class LoopedSiluMseIdentity { }


[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.Tanh)]
public partial class SmallSiluMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.SiLU)]
[Dense(5, Activation.Tanh)]
public partial class LoopedSiluMaeTanh { }


[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallSiluBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.SiLU)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedSiluBce { }


[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.Softmax)]
public partial class SmallSiluCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.SiLU)]
[Dense(5, Activation.Softmax)]
public partial class LoopedSiluCe { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.PReLU)]
public partial class SmallTanhMsePrelu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.PReLU)]
public partial class LoopedTanhMsePrelu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.ELU)]
public partial class SmallTanhMseElu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.ELU)]
public partial class LoopedTanhMseElu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Softplus)]
public partial class SmallTanhMseSoftplus { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Softplus)]
public partial class LoopedTanhMseSoftplus { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.SiLU)]
public partial class SmallTanhMseSilu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.SiLU)]
public partial class LoopedTanhMseSilu { }

/// <summary>Straight-line residual blocks, the first one on the input itself; tanh and ELU derivatives read g(z), not a.</summary>
[Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh, Residual = true)]
[Dense(4, Activation.ELU, Residual = true)]
[Dense(4, Activation.PReLU, Residual = true)]
[Dense(2, Activation.Sigmoid)]
public partial class SmallResidual { }

/// <summary>Looped residual blocks between a widening layer and a softmax output.</summary>
[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(19, Activation.PReLU, Residual = true)]
[Dense(19, Activation.Tanh, Residual = true)]
[Dense(5, Activation.Softmax)]
public partial class LoopedResidual { }

/// <summary>Layered with a looped residual first layer (24×24) and an unrolled residual layer; SiLU and sigmoid.</summary>
[Network(Inputs = 24, Loss = Loss.MeanSquaredError)]
[Dense(24, Activation.SiLU, Residual = true)]
[Dense(6, Activation.Tanh)]
[Dense(6, Activation.Sigmoid, Residual = true)]
[Dense(2)]
public partial class MixedResidual { }

/// <summary>A residual output layer (allowed: MAE is not fused with the activation).</summary>
[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(3, Activation.Sigmoid, Residual = true)]
[Dense(3, Activation.Softplus, Residual = true)]
public partial class ResidualOutput { }

/// <summary>Dropout on the input and between straight-line layers, with a residual layer reading dropped values.</summary>
[Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
[Dropout(0.25)]
[Dense(5, Activation.Tanh)]
[Dropout(0.5)]
[Dense(5, Activation.ReLU, Residual = true)]
[Dense(2, Activation.Sigmoid)]
public partial class SmallDropout { }

/// <summary>Dropout between looped layers, before a residual PReLU layer and before the softmax output.</summary>
[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dropout(0.2)]
[Dense(19, Activation.PReLU, Residual = true)]
[Dropout(0.3)]
[Dense(5, Activation.Softmax)]
public partial class LoopedDropout { }

/// <summary>Layered: dropout on the input of a looped residual first layer, then before a fused sigmoid output.</summary>
[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dropout(0.3)]
[Dense(37, Activation.Tanh, Residual = true)]
[Dropout(0.2)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedInputDropout { }

/// <summary>Straight-line: dropout before a residual sigmoid layer (g(z) recomputed) and before a fused softmax output.</summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy)]
[Dropout(0.2)]
[Dense(4, Activation.Sigmoid, Residual = true)]
[Dropout(0.3)]
[Dense(3, Activation.Softmax)]
public partial class SmallDropoutFused { }

/// <summary>Batch normalization before ReLU, before a residual tanh, and on the fused softmax output's logits.</summary>
[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.ReLU)]
[BatchNorm]
[Dense(4, Activation.Tanh, Residual = true)]
[BatchNorm(Epsilon = 1e-3)]
[Dense(3, Activation.Softmax)]
[BatchNorm]
public partial class SmallBatchNorm { }

/// <summary>Batch normalization in looped layers: PReLU slopes after γ, β and the statistics; a residual SiLU layer.</summary>
[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.PReLU)]
[BatchNorm(Momentum = 0.3)]
[Dense(19, Activation.SiLU, Residual = true)]
[BatchNorm]
[Dense(5)]
public partial class LoopedBatchNorm { }

/// <summary>Batch normalization before a sigmoid output with binary cross-entropy.</summary>
[Network(Inputs = 10, Loss = Loss.BinaryCrossEntropy)]
[Dense(8, Activation.Sigmoid)]
[BatchNorm]
[Dense(2, Activation.Sigmoid)]
[BatchNorm]
public partial class MixedBatchNorm { }

/// <summary>Batch normalization with mean absolute error, on an ELU layer.</summary>
[Network(Inputs = 5, Loss = Loss.MeanAbsoluteError)]
[Dense(5, Activation.ELU)]
[BatchNorm]
[Dense(2, Activation.Tanh)]
public partial class SmallBatchNormMae { }

/// <summary>Dropout with mean absolute error, before a looped softplus layer.</summary>
[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Softplus)]
[Dropout(0.3)]
[Dense(5, Activation.Tanh)]
public partial class LoopedDropoutMae { }
