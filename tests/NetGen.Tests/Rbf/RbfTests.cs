using NetGen.Tests.Reference;

namespace NetGen.Tests.Rbf;

using L = RbfReference.Layer;

/// <summary>The classic RBF network, small enough to be one straight-line method: 2 → 4 Gaussians → sigmoid.</summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Rbf(4)]
[Dense(1, Activation.Sigmoid)]
public partial class TinyRbfClassifier { }

/// <summary>Regression through the kernels (loops): 3 → 5 Gaussians → 2 linear outputs.</summary>
[Network(Inputs = 3, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Rbf(5)]
[Dense(2)]
public partial class LoopedRbfRegression { }

/// <summary>Wine-sized: 13 → 24 Gaussians (312 centre coordinates, above the unrolling limit) → softmax over 3 classes.</summary>
[Network(Inputs = 13, Loss = Loss.CrossEntropy)]
[Rbf(24)]
[Dense(3, Activation.Softmax)]
public partial class WineSizedRbf { }

/// <summary>A radial-basis layer after a dense one, so its ∂L/∂x is needed (and checked through W¹), with MAE.</summary>
[Network(Inputs = 4, Loss = Loss.MeanAbsoluteError)]
[Dense(3, Activation.Tanh)]
[Rbf(4)]
[Dense(2)]
public partial class DenseThenRbf { }

/// <summary><see cref="DenseThenRbf"/> in loops: the kernel's ∂L/∂x.</summary>
[Network(Inputs = 4, Loss = Loss.MeanAbsoluteError, Unrolling = Unrolling.Never)]
[Dense(3, Activation.Tanh)]
[Rbf(4)]
[Dense(2)]
public partial class DenseThenRbfLooped { }

/// <summary>37 inputs (vector tails on every SIMD width) after a dense layer, then a second radial-basis layer.</summary>
[Network(Inputs = 37, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
[Dense(19, Activation.Tanh)]
[Rbf(6)]
[Rbf(3)]
[Dense(2, Activation.Sigmoid)]
public partial class WideStackedRbf { }

/// <summary>A radial-basis layer as the output layer, on one input (straight-line), with MSE.</summary>
[Network(Inputs = 1, Loss = Loss.MeanSquaredError)]
[Rbf(3)]
public partial class RbfOutputLayer { }

/// <summary>Two radial-basis layers in one straight-line method: the second's ∂L/∂x is the first's ∂L/∂a.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Rbf(3)]
[Rbf(2)]
[Dense(1)]
public partial class StraightLineStackedRbf { }

/// <summary>Small enough to work out by hand: 2 → one Gaussian → 1 linear output.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Rbf(1)]
[Dense(1)]
public partial class HandRbf { }

/// <summary>
/// Radial-basis layers against the independent double-precision reference (outputs, loss, every parameter's gradient
/// against its central differences: centres, precisions and the layers around them), in straight-line, unrolled and
/// kernel form; the batch path against per-sample sums; the layout; a hand-computed value and gradient.
/// </summary>
public class RbfTests
{
    private static readonly Dictionary<Type, (RbfReference Reference, string Loss)> Networks = new()
    {
        [typeof(TinyRbfClassifier)] = (new(2, "bce", L.Rbf(4), L.Dense(1, "sigmoid")), "bce"),
        [typeof(LoopedRbfRegression)] = (new(3, "mse", L.Rbf(5), L.Dense(2)), "mse"),
        [typeof(WineSizedRbf)] = (new(13, "ce", L.Rbf(24), L.Dense(3, "softmax")), "ce"),
        [typeof(DenseThenRbf)] = (new(4, "mae", L.Dense(3, "tanh"), L.Rbf(4), L.Dense(2)), "mae"),
        [typeof(DenseThenRbfLooped)] = (new(4, "mae", L.Dense(3, "tanh"), L.Rbf(4), L.Dense(2)), "mae"),
        [typeof(WideStackedRbf)] = (new(37, "bce", L.Dense(19, "tanh"), L.Rbf(6), L.Rbf(3), L.Dense(2, "sigmoid")), "bce"),
        [typeof(HandRbf)] = (new(2, "mse", L.Rbf(1), L.Dense(1)), "mse"),
        [typeof(RbfOutputLayer)] = (new(1, "mse", L.Rbf(3)), "mse"),
        [typeof(StraightLineStackedRbf)] = (new(2, "mse", L.Rbf(3), L.Rbf(2), L.Dense(1)), "mse"),
    };

    /// <summary>
    /// Parameters where every Gaussian matters: centres near the inputs (so φ is neither 0 nor 1) and precisions that
    /// give φ of order e^(−1), set through the layout the reference defines.
    /// </summary>
    private static float[] Parameters<T>(RbfReference reference, Random random) where T : class, INetwork<T>
    {
        var net = T.Create(random.Next(1000));
        var p = net.Parameters.ToArray();
        int at = 0;
        foreach (var (role, rows, columns) in reference.Blocks())
        {
            for (int k = 0; k < rows * columns; k++)
                p[at + k] = role switch
                {
                    ParameterRole.Center => (float)(random.NextDouble() - 0.5),
                    ParameterRole.Precision => (float)(0.3 + 0.5 * random.NextDouble()),
                    _ => p[at + k] + (float)(0.3 * (random.NextDouble() - 0.5)),
                };
            at += rows * columns;
        }
        return p;
    }

    private static void AgreesWithTheReference<T>() where T : class, INetwork<T>
    {
        var (reference, loss) = Networks[typeof(T)];
        var random = new Random(typeof(T).Name.Length);
        for (int trial = 0; trial < 5; trial++)
        {
            var net = T.Create(trial + 1);
            Parameters<T>(reference, random).CopyTo(net.Parameters);
            var x = Enumerable.Range(0, T.InputSize).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var y = SampleChecks.Target(loss, T.OutputSize, random);
            double[] theta = net.Parameters.ToArray().Select(v => (double)v).ToArray();
            double[] xd = x.Select(v => (double)v).ToArray(), yd = y.Select(v => (double)v).ToArray();

            var output = new float[T.OutputSize];
            net.Predict(x, output);
            double[] expected = reference.Forward(theta, xd);
            for (int i = 0; i < output.Length; i++)
                Assert.True(Math.Abs(output[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{typeof(T).Name} trial {trial} output {i}: {output[i]} vs {expected[i]}");

            var gradients = new float[T.ParameterCount];
            float sampleLoss = net.Backward(x, y, gradients);
            double expectedLoss = reference.Loss(theta, xd, yd);
            Assert.True(Math.Abs(sampleLoss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss) + 1e-6, $"{typeof(T).Name} trial {trial} loss {sampleLoss} vs {expectedLoss}");
            Assert.Equal(sampleLoss, net.ComputeLoss(x, y));

            double[] numeric = reference.NumericGradient(theta, xd, yd);
            double largest = numeric.Max(Math.Abs);
            Assert.True(largest > 0, $"{typeof(T).Name} trial {trial}: the reference's gradient is 0 everywhere");
            for (int k = 0; k < numeric.Length; k++)
            {
                double tolerance = 1e-3 * Math.Abs(numeric[k]) + 1e-4 * largest;
                Assert.True(Math.Abs(gradients[k] - numeric[k]) <= tolerance,
                    $"{typeof(T).Name} trial {trial}: ∂L/∂{T.ParameterName(k)} is {gradients[k]:G9} generated but {numeric[k]:G9} by finite differences of the reference");
            }
        }
    }

    [Fact] public void A_straight_line_RBF_classifier_matches_the_reference() => AgreesWithTheReference<TinyRbfClassifier>();
    [Fact] public void An_RBF_regression_in_loops_matches_the_reference() => AgreesWithTheReference<LoopedRbfRegression>();
    [Fact] public void A_wine_sized_RBF_softmax_classifier_matches_the_reference() => AgreesWithTheReference<WineSizedRbf>();
    [Fact] public void An_RBF_layer_after_a_dense_layer_passes_the_right_input_gradient() => AgreesWithTheReference<DenseThenRbf>();
    [Fact] public void An_RBF_layer_after_a_dense_layer_in_loops_passes_the_right_input_gradient() => AgreesWithTheReference<DenseThenRbfLooped>();
    [Fact] public void Stacked_RBF_layers_on_37_inputs_match_the_reference() => AgreesWithTheReference<WideStackedRbf>();
    [Fact] public void An_RBF_output_layer_on_one_input_matches_the_reference() => AgreesWithTheReference<RbfOutputLayer>();
    [Fact] public void Stacked_RBF_layers_in_straight_line_code_match_the_reference() => AgreesWithTheReference<StraightLineStackedRbf>();

    [Fact]
    public void The_straight_line_shape_is_chosen_for_the_small_networks_and_loops_for_the_others()
    {
        static string Code(string summary) => summary.Split('\n').Single(line => line.StartsWith("Rbf 1 ")).Split("  ", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal("unrolled", Code(TinyRbfClassifier.Summary));
        Assert.Equal("unrolled", Code(HandRbf.Summary));
        Assert.Equal("unrolled", Code(StraightLineStackedRbf.Summary));
        Assert.Equal("SIMD loops", Code(LoopedRbfRegression.Summary));
        Assert.Equal("SIMD loops", Code(WineSizedRbf.Summary));
    }

    [Fact]
    public void A_hand_computed_Gaussian_and_its_gradients()
    {
        // C = (1, 2), β = 0.5, x = (2, 4): r = (2 − 1)² + (4 − 2)² = 5, φ = e^(−2.5); W = 3, b = 0.25, so
        // ŷ = 3e^(−2.5) + 0.25 and, with y = 0, L = ŷ²: ∂L/∂ŷ = 2ŷ, ∂L/∂φ = 3·2ŷ, g = ∂L/∂φ·φ,
        // ∂L/∂β = −g·r, ∂L/∂C = 2β·g·(x − C) = g·(1, 2), ∂L/∂W = 2ŷ·φ, ∂L/∂b = 2ŷ.
        var net = new HandRbf(1);
        float[] p = [1, 2, 0.5f, 3, 0.25f];
        p.CopyTo(net.Parameters);
        double phi = Math.Exp(-2.5), yhat = 3 * phi + 0.25, dphi = 6 * yhat, g = dphi * phi;
        var output = new float[1];
        net.Predict([2, 4], output);
        Assert.Equal(yhat, output[0], 6);
        var gradients = new float[5];
        float l = net.Backward([2, 4], [0], gradients);
        Assert.Equal(yhat * yhat, l, 6);
        double[] expected = [g * 1, g * 2, -g * 5, 2 * yhat * phi, 2 * yhat];
        for (int k = 0; k < 5; k++)
            Assert.True(Math.Abs(gradients[k] - expected[k]) <= 1e-5 * Math.Max(1, Math.Abs(expected[k])), $"∂L/∂{HandRbf.ParameterName(k)}: {gradients[k]} vs {expected[k]}");
    }

    private static void BatchIsTheSumOfSamples<T>() where T : class, INetwork<T>
    {
        var (reference, loss) = Networks[typeof(T)];
        var random = new Random(7);
        var net = T.Create(3);
        Parameters<T>(reference, random).CopyTo(net.Parameters);
        const int count = 6;
        var inputs = Enumerable.Range(0, count * T.InputSize).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var targets = Enumerable.Range(0, count).SelectMany(_ => SampleChecks.Target(loss, T.OutputSize, random)).ToArray();
        SampleChecks.BatchIsTheSumOfSamples<T>(net.Parameters, inputs, targets, count);
    }

    [Fact]
    public void The_batch_kernel_equals_the_per_sample_sum()
    {
        BatchIsTheSumOfSamples<TinyRbfClassifier>();
        BatchIsTheSumOfSamples<LoopedRbfRegression>();
        BatchIsTheSumOfSamples<WineSizedRbf>();
        BatchIsTheSumOfSamples<DenseThenRbf>();
        BatchIsTheSumOfSamples<DenseThenRbfLooped>();
        BatchIsTheSumOfSamples<WideStackedRbf>();
        BatchIsTheSumOfSamples<RbfOutputLayer>();
        BatchIsTheSumOfSamples<StraightLineStackedRbf>();
    }

    private static void LayoutIsTheReferences<T>() where T : class, INetwork<T>
    {
        var (reference, _) = Networks[typeof(T)];
        var layout = T.ParameterLayout;
        var expected = reference.Blocks().ToList();
        Assert.Equal(expected.Count, layout.Count);
        int offset = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], (layout[i].Role, layout[i].Rows, layout[i].Columns));
            Assert.Equal(offset, layout[i].Offset);
            Assert.True(layout[i].Trainable);
            offset += layout[i].Length;
        }
        Assert.Equal(reference.ParameterCount, T.ParameterCount);
        Assert.Equal(T.ParameterCount, T.TrainableParameterCount);
        var rbf = T.Operations.Where(o => o.Kind == OperationKind.RadialBasis).ToList();
        Assert.Equal(expected.Count(b => b.Role == ParameterRole.Center), rbf.Count);
        foreach (var op in rbf)
            Assert.Equal([ParameterRole.Center, ParameterRole.Precision], op.Blocks.Select(b => b.Role));
    }

    [Fact]
    public void Every_layout_is_the_reference_layout_centres_then_precisions()
    {
        LayoutIsTheReferences<TinyRbfClassifier>();
        LayoutIsTheReferences<LoopedRbfRegression>();
        LayoutIsTheReferences<WineSizedRbf>();
        LayoutIsTheReferences<DenseThenRbf>();
        LayoutIsTheReferences<WideStackedRbf>();
        LayoutIsTheReferences<RbfOutputLayer>();
        LayoutIsTheReferences<StraightLineStackedRbf>();
        Assert.StartsWith("C1[", TinyRbfClassifier.ParameterName(0));
        Assert.StartsWith("beta1[", TinyRbfClassifier.ParameterName(8));
    }

    [Fact]
    public void Initialization_puts_centres_uniform_on_plus_minus_one_and_precisions_at_one_over_the_inputs()
    {
        var net = new WineSizedRbf(5);
        var centres = net.Parameters.Slice(0, 24 * 13).ToArray();
        Assert.All(centres, c => Assert.InRange(c, -1f, 1f));
        Assert.True(centres.Max() - centres.Min() > 1.5f, "the centres should spread over ±1");
        Assert.All(net.Parameters.Slice(24 * 13, 24).ToArray(), b => Assert.Equal(1f / 13, b));
    }

    [Fact]
    public void Predict_and_Backward_allocate_nothing()
    {
        NoAllocation<TinyRbfClassifier>();
        NoAllocation<WideStackedRbf>();
    }

    private static void NoAllocation<T>() where T : class, INetwork<T>
    {
        var net = T.Create(1);
        var input = Enumerable.Range(0, T.InputSize).Select(i => (i % 5) / 5f).ToArray();
        var target = new float[T.OutputSize];
        var output = new float[T.OutputSize];
        var gradients = new float[T.ParameterCount];
        for (int i = 0; i < 300; i++) { net.Predict(input, output); net.Backward(input, target, gradients); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) { net.Predict(input, output); net.Backward(input, target, gradients); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
