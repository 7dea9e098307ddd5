using NetGen;

namespace Samples.FashionMnist;

/// <summary>28×28 grey images → 256 → 128 ReLU units → 10 clothing classes, softmax cross-entropy.</summary>
[Network(Inputs = 784, Loss = Loss.CrossEntropy)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet { }

/// <summary>The same network with dropout (p = 0.2) after each hidden layer, active only while training.</summary>
[Network(Inputs = 784, Loss = Loss.CrossEntropy)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dropout(0.2)]
[Dense(10, Activation.Softmax)]
public partial class FashionDropoutNet { }

/// <summary>The same network with batch normalization before each hidden activation.</summary>
[Network(Inputs = 784, Loss = Loss.CrossEntropy)]
[Dense(256, Activation.ReLU)]
[BatchNorm]
[Dense(128, Activation.ReLU)]
[BatchNorm]
[Dense(10, Activation.Softmax)]
public partial class FashionBatchNormNet { }
