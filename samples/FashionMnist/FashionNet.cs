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

/// <summary>
/// A convolutional network (weight sharing): two 5×5 convolutions, each followed by 2×2 max pooling, then 128 ReLU units
/// with dropout before them. 1×28×28 → 16×28×28 → 16×14×14 → 32×10×10 → 32×5×5 → 128 → 10; 117,066 parameters, half
/// of FashionNet's 235,146, for the data set's published 2-conv + pooling result of 0.916.
/// </summary>
[Network(InputShape = new[] { 1, 28, 28 }, Loss = Loss.CrossEntropy)]
[Conv2D(16, Kernel = 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(32, Kernel = 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Dropout(0.25)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionCnn { }
