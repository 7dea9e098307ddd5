namespace NetGen.Tests.Training;

/// <summary>ŷ = w·x + b with mean squared error: linear regression, a convex problem.</summary>
[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(1)]
public partial class LinearRegressor { }

/// <summary>The Iris sample's shape: 4 features, 16 ReLU units, 3 classes.</summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet { }

/// <summary>A small Fashion-MNIST classifier for the shipped subset.</summary>
[Network(Inputs = 784, Loss = Loss.CrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionSubsetNet { }
