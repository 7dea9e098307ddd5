// Networks for the gradient checks: every hidden activation × every output activation and loss it is allowed with,
// in each code shape the generator has. Written out by hand-run script; each class is an ordinary user declaration.
// Sizes are chosen so that loop kernels see vector bodies and scalar tails (37 and 19 are not multiples of 8 or 16).
using NetGen;

namespace NetGen.Tests.Networks;

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Identity)]
public partial class SmallIdentityMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Identity)]
public partial class LoopedIdentityMseIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallIdentityMseSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedIdentityMseSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Tanh)]
public partial class SmallIdentityMseTanh { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Tanh)]
public partial class LoopedIdentityMseTanh { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.ReLU)]
public partial class SmallIdentityMseRelu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.ReLU)]
public partial class LoopedIdentityMseRelu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallIdentityMseLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedIdentityMseLeaky { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Identity)]
public partial class SmallIdentityMaeIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Identity)]
public partial class LoopedIdentityMaeIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallIdentityMaeSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedIdentityMaeSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Tanh)]
public partial class SmallIdentityMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Tanh)]
public partial class LoopedIdentityMaeTanh { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.ReLU)]
public partial class SmallIdentityMaeRelu { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.ReLU)]
public partial class LoopedIdentityMaeRelu { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallIdentityMaeLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedIdentityMaeLeaky { }

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallIdentityBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedIdentityBce { }

[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Softmax)]
public partial class SmallIdentityCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Identity)]
[Dense(5, Activation.Softmax)]
public partial class LoopedIdentityCe { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Identity)]
public partial class SmallSigmoidMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Identity)]
public partial class LoopedSigmoidMseIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallSigmoidMseSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedSigmoidMseSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Tanh)]
public partial class SmallSigmoidMseTanh { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Tanh)]
public partial class LoopedSigmoidMseTanh { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.ReLU)]
public partial class SmallSigmoidMseRelu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.ReLU)]
public partial class LoopedSigmoidMseRelu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallSigmoidMseLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedSigmoidMseLeaky { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Identity)]
public partial class SmallSigmoidMaeIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Identity)]
public partial class LoopedSigmoidMaeIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallSigmoidMaeSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedSigmoidMaeSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Tanh)]
public partial class SmallSigmoidMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Tanh)]
public partial class LoopedSigmoidMaeTanh { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.ReLU)]
public partial class SmallSigmoidMaeRelu { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.ReLU)]
public partial class LoopedSigmoidMaeRelu { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallSigmoidMaeLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedSigmoidMaeLeaky { }

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallSigmoidBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedSigmoidBce { }

[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class SmallSigmoidCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Sigmoid)]
[Dense(5, Activation.Softmax)]
public partial class LoopedSigmoidCe { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Identity)]
public partial class SmallTanhMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Identity)]
public partial class LoopedTanhMseIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallTanhMseSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedTanhMseSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Tanh)]
public partial class SmallTanhMseTanh { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Tanh)]
public partial class LoopedTanhMseTanh { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.ReLU)]
public partial class SmallTanhMseRelu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.ReLU)]
public partial class LoopedTanhMseRelu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallTanhMseLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedTanhMseLeaky { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Identity)]
public partial class SmallTanhMaeIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Identity)]
public partial class LoopedTanhMaeIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallTanhMaeSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedTanhMaeSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Tanh)]
public partial class SmallTanhMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Tanh)]
public partial class LoopedTanhMaeTanh { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.ReLU)]
public partial class SmallTanhMaeRelu { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.ReLU)]
public partial class LoopedTanhMaeRelu { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallTanhMaeLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedTanhMaeLeaky { }

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallTanhBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedTanhBce { }

[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class SmallTanhCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Dense(5, Activation.Softmax)]
public partial class LoopedTanhCe { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Identity)]
public partial class SmallReluMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Identity)]
public partial class LoopedReluMseIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallReluMseSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedReluMseSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Tanh)]
public partial class SmallReluMseTanh { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Tanh)]
public partial class LoopedReluMseTanh { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.ReLU)]
public partial class SmallReluMseRelu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.ReLU)]
public partial class LoopedReluMseRelu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallReluMseLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedReluMseLeaky { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Identity)]
public partial class SmallReluMaeIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Identity)]
public partial class LoopedReluMaeIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallReluMaeSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedReluMaeSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Tanh)]
public partial class SmallReluMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Tanh)]
public partial class LoopedReluMaeTanh { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.ReLU)]
public partial class SmallReluMaeRelu { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.ReLU)]
public partial class LoopedReluMaeRelu { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallReluMaeLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedReluMaeLeaky { }

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallReluBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedReluBce { }

[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class SmallReluCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.ReLU)]
[Dense(5, Activation.Softmax)]
public partial class LoopedReluCe { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Identity)]
public partial class SmallLeakyMseIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Identity)]
public partial class LoopedLeakyMseIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallLeakyMseSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedLeakyMseSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Tanh)]
public partial class SmallLeakyMseTanh { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Tanh)]
public partial class LoopedLeakyMseTanh { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.ReLU)]
public partial class SmallLeakyMseRelu { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.ReLU)]
public partial class LoopedLeakyMseRelu { }

[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallLeakyMseLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedLeakyMseLeaky { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Identity)]
public partial class SmallLeakyMaeIdentity { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Identity)]
public partial class LoopedLeakyMaeIdentity { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallLeakyMaeSigmoid { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedLeakyMaeSigmoid { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Tanh)]
public partial class SmallLeakyMaeTanh { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Tanh)]
public partial class LoopedLeakyMaeTanh { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.ReLU)]
public partial class SmallLeakyMaeRelu { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.ReLU)]
public partial class LoopedLeakyMaeRelu { }

[Network(Inputs = 3, Loss = Loss.MeanAbsoluteError)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.LeakyReLU)]
public partial class SmallLeakyMaeLeaky { }

[Network(Inputs = 37, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.LeakyReLU)]
public partial class LoopedLeakyMaeLeaky { }

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Sigmoid)]
public partial class SmallLeakyBce { }

[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Sigmoid)]
public partial class LoopedLeakyBce { }

[Network(Inputs = 3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(3, Activation.Softmax)]
public partial class SmallLeakyCe { }

[Network(Inputs = 37, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.LeakyReLU, NegativeSlope = 0.2)]
[Dense(5, Activation.Softmax)]
public partial class LoopedLeakyCe { }

/// <summary>Mixed: a 40×24 loop layer, then unrolled 24→6→6→2 layers in their own methods.</summary>
[Network(Inputs = 40, Loss = Loss.MeanSquaredError)]
[Dense(24, Activation.Tanh)]
[Dense(6, Activation.ReLU)]
[Dense(6, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class MixedDeep { }

/// <summary>Layered because the whole network is too big for one method, though every layer is small enough to unroll.</summary>
[Network(Inputs = 16, Loss = Loss.CrossEntropy)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class UnrolledLayered { }

/// <summary>One input, one output, one layer: the degenerate sizes.</summary>
[Network(Inputs = 1, Loss = Loss.MeanSquaredError)]
[Dense(1, Activation.Identity)]
public partial class Scalar { }

/// <summary>Binary cross-entropy over several independent outputs, loops.</summary>
[Network(Inputs = 33, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(17, Activation.ReLU)]
[Dense(17, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class LoopedMultiLabel { }

/// <summary>A layer as large as Unrolling.Always accepts (16×32 = 512 weights, 1,024 backward multiply-adds).</summary>
[Network(Inputs = 32, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(16, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(2, Activation.Identity)]
public partial class UnrolledAtLimit { }

/// <summary>MNIST-sized: the loop path on a realistic layer.</summary>
[Network(Inputs = 784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Mnist { }

/// <summary>Scratch too large for the stack (3 × 6,000 floats): a per-thread buffer instead.</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError)]
[Dense(6000, Activation.ReLU)]
[Dense(1, Activation.Identity)]
public partial class WideScratch { }

/// <summary>The same network in two shapes, to check they agree.</summary>
[Network(Inputs = 12, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Always)]
[Dense(12, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class TwinUnrolled { }

/// <summary>The same network in two shapes, to check they agree.</summary>
[Network(Inputs = 12, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Dense(12, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class TwinLooped { }
