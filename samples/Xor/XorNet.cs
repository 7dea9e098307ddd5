using NetGen;

namespace Samples.Xor;

/// <summary>The XOR network of the README: 2 inputs, 4 tanh units, 1 sigmoid output, mean squared error.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet { }
