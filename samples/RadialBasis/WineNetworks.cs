using NetGen;

namespace Samples.RadialBasis;

/// <summary>
/// The classic RBF network: 12 Gaussians on the 13 standardized features, then a softmax over the 3 cultivars.
/// 12·13 centre coordinates + 12 precisions + 12·3 + 3 output weights = 207 parameters.
/// </summary>
[Network(Inputs = 13, Loss = Loss.CrossEntropy)]
[Rbf(12)]
[Dense(3, Activation.Softmax)]
public partial class WineRbf { }

/// <summary>An MLP with exactly as many parameters: 13 → 12 tanh → 3 softmax, 12·13 + 12 + 12·3 + 3 = 207.</summary>
[Network(Inputs = 13, Loss = Loss.CrossEntropy)]
[Dense(12, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class WineMlp { }
