using NetGen;

namespace Samples.Iris;

/// <summary>4 measurements → 16 ReLU units → 3 species, trained with softmax cross-entropy.</summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet { }
