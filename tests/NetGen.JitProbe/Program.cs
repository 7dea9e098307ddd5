using System.Reflection;
using NetGen;

// Calls Forward, ComputeLoss, Backward, TrainingForward, TrainingBackward and TrainingBatch of every network declared below once, so that the JIT compiles every
// generated method. Prints one line per network.
foreach (var type in typeof(Probe).Assembly.GetTypes().Where(t => t.GetCustomAttribute<NetworkAttribute>() is not null).OrderBy(t => t.Name))
{
    typeof(Probe).GetMethod(nameof(Probe.Run))!.MakeGenericMethod(type).Invoke(null, null);
    Console.WriteLine("probed " + type.Name);
}

internal static class Probe
{
    public static void Run<T>() where T : class, INetwork<T>
    {
        var net = T.Create(1);
        var input = new float[T.InputSize];
        var target = new float[T.OutputSize];
        target[0] = 1f;
        net.Predict(input, new float[T.OutputSize]);
        net.ComputeLoss(input, target);
        net.Backward(input, target, new float[T.ParameterCount]);
        var random = new SeededRandom(1);
        if (!T.Layers.Any(l => l.BatchNorm))
        {
            T.TrainingForward(net.Parameters, input, new float[T.OutputSize], ref random);
            T.TrainingBackward(net.Parameters, input, target, new float[T.ParameterCount], ref random);
        }
        T.TrainingBatch(net.Parameters, [.. input, .. input], [.. target, .. target], 2, new float[T.ParameterCount], ref random);
    }
}

/// <summary>Straight-line near the edge of the budget: 144 + 144 + 36 forward, the same again for ∂L/∂W, 144 + 36 for ∂L/∂x = 684 multiply-adds.</summary>
[Network(Inputs = 12, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(12, Activation.Tanh)]
[Dense(12, Activation.Sigmoid)]
[Dense(3, Activation.Identity)]
public partial class StraightLineEdge { }

/// <summary>One first layer as large as Unrolling.Always allows: 32×32 (backward 1,024 multiply-adds).</summary>
[Network(Inputs = 32, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(32, Activation.Tanh)]
public partial class UnrolledFirst32 { }

/// <summary>A hidden layer as large as Unrolling.Always allows: 16×32 (backward 2·512 = 1,024 multiply-adds).</summary>
[Network(Inputs = 32, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Always)]
[Dense(16, Activation.ReLU)]
[Dense(32, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class UnrolledHidden16x32 { }

/// <summary>The largest layer Auto unrolls, with many outputs.</summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(128, Activation.LeakyReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class AutoWide { }

/// <summary>Many small layers: layered, every layer unrolled.</summary>
[Network(Inputs = 16, Loss = Loss.MeanAbsoluteError)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class DeepSmall { }

/// <summary>MNIST-sized loops.</summary>
[Network(Inputs = 784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class MnistSized { }

/// <summary>A wide softmax output straight-line: 10 classes.</summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class WideSoftmax { }

/// <summary>Straight-line at the budget: 320 + 120 forward, 320 + 120 for ∂L/∂W, 120 for ∂L/∂x = 1,000 multiply-adds.</summary>
[Network(Inputs = 16, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Always)]
[Dense(20, Activation.Tanh)]
[Dense(6, Activation.Softmax)]
public partial class StraightLineAtLimit { }

/// <summary>Straight-line at the budget with everything the training kernels add: input dropout, a PReLU layer with its
/// slopes, dropout between layers and a residual SiLU layer (whose derivative calls a helper).</summary>
[Network(Inputs = 16, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Always)]
[Dropout(0.1)]
[Dense(16, Activation.PReLU)]
[Dropout(0.2)]
[Dense(16, Activation.SiLU, Residual = true)]
[Dense(6, Activation.Softmax)]
public partial class StraightLineTrainingAtLimit { }

/// <summary>Layered with dropout and residual blocks on SIMD loops.</summary>
[Network(Inputs = 64, Loss = Loss.MeanSquaredError)]
[Dense(64, Activation.ELU, Residual = true)]
[Dropout(0.3)]
[Dense(64, Activation.Softplus, Residual = true)]
[Dense(2, Activation.Tanh)]
public partial class LayeredTrainingLoops { }

/// <summary>Batch normalization in both layer sizes, with dropout and a residual block: the batch training path.</summary>
[Network(Inputs = 32, Loss = Loss.CrossEntropy)]
[Dense(32, Activation.ReLU)]
[BatchNorm]
[Dropout(0.2)]
[Dense(8, Activation.PReLU)]
[BatchNorm]
[Dense(8, Activation.Tanh, Residual = true)]
[Dense(4, Activation.Softmax)]
public partial class BatchNormTraining { }

/// <summary>Every recurrent cell, stacked, with a dense layer at every step: the recurrent kernels and their layer methods.</summary>
[Network(Inputs = 3, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
[Recurrent(16, ReturnSequences = true)]
[Gru(16, ReturnSequences = true)]
[Dropout(0.1)]
[Lstm(32, ReturnSequences = true)]
[Dense(2)]
public partial class RecurrentStack { }

/// <summary>A many-to-one LSTM and a ReLU Elman layer feeding a classifier.</summary>
[Network(Inputs = 1, SequenceLength = 50, Loss = Loss.CrossEntropy)]
[Recurrent(8, Activation.ReLU, ReturnSequences = true)]
[Lstm(32)]
[Dense(4, Activation.Softmax)]
public partial class RecurrentClassifier { }

/// <summary>
/// Unrolled Elman layers near the budget: layer 1 (4 → 8, 5 steps) has 5·(64 + 32) + 4·64 + 5·32 = 896 multiply-adds in
/// its backward method, layer 2 (8 → 6, ReLU, with ∂L/∂x) 5·(36 + 48 + 48) + 4·36 = 804.
/// </summary>
[Network(Inputs = 4, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
[Recurrent(8, ReturnSequences = true)]
[Recurrent(6, Activation.ReLU)]
[Dense(1)]
public partial class UnrolledElmanEdge { }

/// <summary>Convolution, pooling and a 1-D convolution: layered methods calling the convolution and pooling kernels.</summary>
[Network(InputShape = new[] { 1, 28, 28 }, Loss = Loss.CrossEntropy)]
[Conv2D(16, Kernel = 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(32, Kernel = 5, Activation = Activation.ReLU)]
[AvgPool2D(2)]
[Dropout(0.25)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class ConvolutionClassifier { }

/// <summary>A 1-D convolution along a sequence, then a dense layer on the flattened steps.</summary>
[Network(Inputs = 3, SequenceLength = 16, Loss = Loss.MeanSquaredError)]
[Conv1D(8, Kernel = 3, Padding = 1, Activation = Activation.Tanh)]
[Conv1D(4, Kernel = 3, Stride = 2, Padding = 1, Bias = false)]
[Flatten]
[Dense(2)]
public partial class SequenceConvolution { }

/// <summary>
/// A straight-line radial-basis network at the edge of Auto's unrolling: 16 centres × 12 inputs = 192 coordinates, each a
/// local eᵢⱼ used by the forward pass, ∂L/∂C and (none here: the first layer) ∂L/∂x.
/// </summary>
[Network(Inputs = 12, Loss = Loss.CrossEntropy)]
[Rbf(16)]
[Dense(4, Activation.Softmax)]
public partial class RbfStraightLineEdge { }

/// <summary>Radial-basis layers in loops, one of them after a dense layer (its ∂L/∂x through the kernel).</summary>
[Network(Inputs = 13, Loss = Loss.MeanSquaredError)]
[Rbf(24)]
[Dense(8, Activation.Tanh)]
[Rbf(30)]
[Dense(2)]
public partial class RbfLayers { }
