using NetGen.Tests.Reference;

namespace NetGen.Tests.Convolution;

using L = ConvReference.Layer;

// Shapes are written after each declaration as the values between layers (C×H×W, [steps × width], or a vector).

// Three of these networks drop the last row or column on purpose (a stride that does not tile, floored as PyTorch does):
// NG0036 says so at compile time, and NetGen.Tests.csproj lists it in NoWarn because the floor is what they test.
/// <summary>One input channel, stride 1, no padding, a non-square image; tiled average pooling drops the last column.</summary>
/// <remarks>1×6×5 → conv 3×3 → 2×4×3 → avg 2 → 2×2×1 → 3.</remarks>
[Network(InputShape = new[] { 1, 6, 5 }, Loss = Loss.MeanSquaredError)]
[Conv2D(2, Kernel = 3, Activation = Activation.Tanh)]
[AvgPool2D(2)]
[Dense(3)]
public partial class TanhConvTiledAvgPool { }

/// <summary>Two channels, stride 2 and padding 1 on a 7×5 image, sigmoid, and binary cross-entropy.</summary>
/// <remarks>2×7×5 → conv 3×3 /2 pad 1 → 3×4×3 → 2.</remarks>
[Network(InputShape = new[] { 2, 7, 5 }, Loss = Loss.BinaryCrossEntropy)]
[Conv2D(3, Kernel = 3, Stride = 2, Padding = 1, Activation = Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class StridedPaddedSigmoidConv { }

/// <summary>
/// Three channels, a bias-free "same" convolution, tiled max pooling, a second convolution (so the first needs its
/// ∂L/∂x through the pool), an explicit flatten, and a softmax classifier.
/// </summary>
/// <remarks>3×7×6 → conv 3×3 pad 1 → 4×7×6 → max 2 → 4×3×3 → conv 2×2 → 3×2×2 → flatten 12 → 3.</remarks>
[Network(InputShape = new[] { 3, 7, 6 }, Loss = Loss.CrossEntropy)]
[Conv2D(4, Kernel = 3, Padding = 1, Bias = false, Activation = Activation.Tanh)]
[MaxPool2D(2)]
[Conv2D(3, Kernel = 2)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class StackedConvMaxPoolClassifier { }

/// <summary><see cref="StackedConvMaxPoolClassifier"/> with loops for every layer instead of the size-chosen shape.</summary>
[Network(InputShape = new[] { 3, 7, 6 }, Loss = Loss.CrossEntropy, Unrolling = Unrolling.Never)]
[Conv2D(4, Kernel = 3, Padding = 1, Bias = false, Activation = Activation.Tanh)]
[MaxPool2D(2)]
[Conv2D(3, Kernel = 2)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class StackedConvMaxPoolClassifierLooped { }

/// <summary>An even 2×2 kernel, ELU, overlapping average windows (stride 1 &lt; size 2), and mean absolute error.</summary>
/// <remarks>2×5×6 → conv 2×2 → 2×4×5 → avg 2 /1 → 2×3×4 → 2.</remarks>
[Network(InputShape = new[] { 2, 5, 6 }, Loss = Loss.MeanAbsoluteError)]
[Conv2D(2, Kernel = 2, Activation = Activation.ELU)]
[AvgPool2D(2, Stride = 1)]
[Dense(2)]
public partial class EluConvOverlappingAvgPool { }

/// <summary>A strided ReLU convolution straight into a padded tanh one (no pooling, so no ties at 0 to worry about).</summary>
/// <remarks>1×7×7 → conv 3×3 /2 → 2×3×3 → conv 2×2 pad 1 → 3×4×4 → 1.</remarks>
[Network(InputShape = new[] { 1, 7, 7 }, Loss = Loss.MeanSquaredError)]
[Conv2D(2, Kernel = 3, Stride = 2, Activation = Activation.ReLU)]
[Conv2D(3, Kernel = 2, Padding = 1, Activation = Activation.Tanh)]
[Dense(1)]
public partial class ReluConvThenPaddedConv { }

/// <summary>An identity convolution, overlapping max windows (3 with stride 2) and two dense layers after it.</summary>
/// <remarks>2×7×5 → conv 3×3 pad 1 → 3×7×5 → max 3 /2 → 3×3×2 → 4 → 2.</remarks>
[Network(InputShape = new[] { 2, 7, 5 }, Loss = Loss.BinaryCrossEntropy)]
[Conv2D(3, Kernel = 3, Padding = 1)]
[MaxPool2D(3, Stride = 2)]
[Dense(4, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
public partial class OverlappingMaxPoolBce { }

/// <summary>A 1-D convolution with stride 2 and padding 1, flattened into one dense layer.</summary>
/// <remarks>[9 steps × 3] → conv1d 3 /2 pad 1 → [5 × 4] → flatten 20 → 2.</remarks>
[Network(Inputs = 3, SequenceLength = 9, Loss = Loss.MeanSquaredError)]
[Conv1D(4, Kernel = 3, Stride = 2, Padding = 1, Activation = Activation.Tanh)]
[Flatten]
[Dense(2, Activation.Tanh)]
public partial class StridedConv1DFlatten { }

/// <summary>Two stacked 1-D convolutions, the second bias-free and padded, then a dense layer at every step.</summary>
/// <remarks>[7 × 2] → conv1d 2 → [6 × 3] → conv1d 3 pad 1 → [6 × 2] → dense at every step → [6 × 1].</remarks>
[Network(Inputs = 2, SequenceLength = 7, Loss = Loss.MeanSquaredError)]
[Conv1D(3, Kernel = 2, Activation = Activation.Sigmoid)]
[Conv1D(2, Kernel = 3, Padding = 1, Bias = false, Activation = Activation.Tanh)]
[Dense(1)]
public partial class StackedConv1DPerStep { }

/// <summary>One channel per step, SiLU, and a softmax classifier over the flattened sequence.</summary>
/// <remarks>[8 × 1] → conv1d 3 → [6 × 3] → flatten 18 → 3.</remarks>
[Network(Inputs = 1, SequenceLength = 8, Loss = Loss.CrossEntropy)]
[Conv1D(3, Kernel = 3, Activation = Activation.SiLU)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class SiluConv1DClassifier { }

/// <summary>Small enough to work out by hand: 1×3×3 → conv 2×2 → 1×2×2 → 4.</summary>
[Network(InputShape = new[] { 1, 3, 3 }, Loss = Loss.MeanSquaredError)]
[Conv2D(1, Kernel = 2)]
[Dense(4)]
public partial class HandConv2D { }

/// <summary>Small enough to work out by hand: [3 × 2] → conv1d 2 → [2 × 1] → dense at every step → [2 × 1].</summary>
[Network(Inputs = 2, SequenceLength = 3, Loss = Loss.MeanSquaredError)]
[Conv1D(1, Kernel = 2)]
[Dense(1)]
public partial class HandConv1D { }

/// <summary>Small enough to work out by hand: 1×3×4 → 1×1 conv → 1×3×4 → max 2 /1 → 1×2×3 → avg 2 /1 → 1×1×2 → 2.</summary>
[Network(InputShape = new[] { 1, 3, 4 }, Loss = Loss.MeanSquaredError)]
[Conv2D(1, Kernel = 1)]
[MaxPool2D(2, Stride = 1)]
[AvgPool2D(2, Stride = 1)]
[Dense(2)]
public partial class HandPools { }

/// <summary>
/// Conv2D, Conv1D, max and average pooling — strides 1 and 2, padding 0 and 1, 1 to 3 channels, non-square images,
/// overlapping windows, with and without biases, stacked, every loss — against the independent double-precision
/// reference: outputs, losses, gradients (against central differences of the reference), the batch kernel against
/// per-sample sums, PyTorch's weight layout, sizes, hand-computed values, and allocation-free prediction.
/// </summary>
public class ConvolutionTests
{
    private static readonly Dictionary<Type, (ConvReference Reference, string Loss)> Networks = new()
    {
        [typeof(TanhConvTiledAvgPool)] = (new([1, 6, 5], "mse", TanhConvTiledAvgPool.ParameterLayout,
            L.Conv2D(2, 3, activation: "tanh"), L.AvgPool(2), L.Dense(3)), "mse"),
        [typeof(StridedPaddedSigmoidConv)] = (new([2, 7, 5], "bce", StridedPaddedSigmoidConv.ParameterLayout,
            L.Conv2D(3, 3, stride: 2, padding: 1, activation: "sigmoid"), L.Dense(2, "sigmoid")), "bce"),
        [typeof(StackedConvMaxPoolClassifier)] = (new([3, 7, 6], "ce", StackedConvMaxPoolClassifier.ParameterLayout,
            L.Conv2D(4, 3, padding: 1, bias: false, activation: "tanh"), L.MaxPool(2), L.Conv2D(3, 2), L.Flatten(), L.Dense(3, "softmax")), "ce"),
        [typeof(StackedConvMaxPoolClassifierLooped)] = (new([3, 7, 6], "ce", StackedConvMaxPoolClassifierLooped.ParameterLayout,
            L.Conv2D(4, 3, padding: 1, bias: false, activation: "tanh"), L.MaxPool(2), L.Conv2D(3, 2), L.Flatten(), L.Dense(3, "softmax")), "ce"),
        [typeof(EluConvOverlappingAvgPool)] = (new([2, 5, 6], "mae", EluConvOverlappingAvgPool.ParameterLayout,
            L.Conv2D(2, 2, activation: "elu"), L.AvgPool(2, stride: 1), L.Dense(2)), "mae"),
        [typeof(ReluConvThenPaddedConv)] = (new([1, 7, 7], "mse", ReluConvThenPaddedConv.ParameterLayout,
            L.Conv2D(2, 3, stride: 2, activation: "relu"), L.Conv2D(3, 2, padding: 1, activation: "tanh"), L.Dense(1)), "mse"),
        [typeof(OverlappingMaxPoolBce)] = (new([2, 7, 5], "bce", OverlappingMaxPoolBce.ParameterLayout,
            L.Conv2D(3, 3, padding: 1), L.MaxPool(3, stride: 2), L.Dense(4, "tanh"), L.Dense(2, "sigmoid")), "bce"),
        [typeof(StridedConv1DFlatten)] = (new([9, 3], "mse", StridedConv1DFlatten.ParameterLayout,
            L.Conv1D(4, 3, stride: 2, padding: 1, activation: "tanh"), L.Flatten(), L.Dense(2, "tanh")), "mse"),
        [typeof(StackedConv1DPerStep)] = (new([7, 2], "mse", StackedConv1DPerStep.ParameterLayout,
            L.Conv1D(3, 2, activation: "sigmoid"), L.Conv1D(2, 3, padding: 1, bias: false, activation: "tanh"), L.Dense(1)), "mse"),
        [typeof(SiluConv1DClassifier)] = (new([8, 1], "ce", SiluConv1DClassifier.ParameterLayout,
            L.Conv1D(3, 3, activation: "silu"), L.Flatten(), L.Dense(3, "softmax")), "ce"),
        [typeof(HandConv2D)] = (new([1, 3, 3], "mse", HandConv2D.ParameterLayout, L.Conv2D(1, 2), L.Dense(4)), "mse"),
        [typeof(HandConv1D)] = (new([3, 2], "mse", HandConv1D.ParameterLayout, L.Conv1D(1, 2), L.Dense(1)), "mse"),
        [typeof(HandPools)] = (new([1, 3, 4], "mse", HandPools.ParameterLayout,
            L.Conv2D(1, 1), L.MaxPool(2, stride: 1), L.AvgPool(2, stride: 1), L.Dense(2)), "mse"),
    };

    private static void AgreesWithTheReference<T>() where T : class, INetwork<T>
    {
        var (reference, loss) = Networks[typeof(T)];
        var random = new Random(typeof(T).Name.Length);
        for (int trial = 0; trial < 5; trial++)
        {
            var net = T.Create(trial + 1);
            // Non-zero biases and non-symmetric weights well away from 0, so every tap and path matters; random, so no
            // two values of a max-pooling window tie (finite differences across a switch of the arg-max are meaningless).
            for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += (float)(0.3 * (random.NextDouble() - 0.5));
            var x = Enumerable.Range(0, T.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var y = SampleChecks.Target(loss, T.OutputSize, random);
            double[] theta = net.Parameters.ToArray().Select(v => (double)v).ToArray();
            double[] xd = x.Select(v => (double)v).ToArray(), yd = y.Select(v => (double)v).ToArray();

            var output = new float[T.OutputSize];
            net.Predict(x, output);
            double[] expected = reference.Forward(theta, xd);
            Assert.Equal(expected.Length, output.Length);
            for (int i = 0; i < output.Length; i++)
                Assert.True(Math.Abs(output[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{typeof(T).Name} trial {trial} output {i}: {output[i]} vs {expected[i]}");

            var gradients = new float[T.ParameterCount];
            float sampleLoss = net.Backward(x, y, gradients);
            double expectedLoss = reference.Loss(theta, xd, yd);
            Assert.True(Math.Abs(sampleLoss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss) + 1e-6, $"{typeof(T).Name} trial {trial} loss {sampleLoss} vs {expectedLoss}");
            // The loss-only path computes the same float as the fused forward + backward pass.
            Assert.Equal(sampleLoss, net.ComputeLoss(x, y));

            // Every parameter, the first layer's included: its gradient needs ∂L/∂x of every layer after it (through
            // pooling, a second convolution, or a dense layer), so a wrong input gradient anywhere shows up here.
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

    [Fact] public void A_tanh_convolution_with_tiled_average_pooling_matches_the_reference() => AgreesWithTheReference<TanhConvTiledAvgPool>();
    [Fact] public void A_strided_padded_two_channel_convolution_with_binary_cross_entropy_matches_the_reference() => AgreesWithTheReference<StridedPaddedSigmoidConv>();
    [Fact] public void Stacked_convolutions_around_max_pooling_with_a_softmax_classifier_match_the_reference() => AgreesWithTheReference<StackedConvMaxPoolClassifier>();
    [Fact] public void Stacked_convolutions_in_loops_match_the_reference() => AgreesWithTheReference<StackedConvMaxPoolClassifierLooped>();
    [Fact] public void Overlapping_average_pooling_with_mean_absolute_error_matches_the_reference() => AgreesWithTheReference<EluConvOverlappingAvgPool>();
    [Fact] public void A_relu_convolution_straight_into_a_padded_one_matches_the_reference() => AgreesWithTheReference<ReluConvThenPaddedConv>();
    [Fact] public void Overlapping_max_pooling_before_two_dense_layers_matches_the_reference() => AgreesWithTheReference<OverlappingMaxPoolBce>();
    [Fact] public void A_strided_padded_Conv1D_flattened_into_a_dense_layer_matches_the_reference() => AgreesWithTheReference<StridedConv1DFlatten>();
    [Fact] public void Stacked_Conv1D_with_a_dense_layer_at_every_step_matches_the_reference() => AgreesWithTheReference<StackedConv1DPerStep>();
    [Fact] public void A_single_channel_Conv1D_classifier_matches_the_reference() => AgreesWithTheReference<SiluConv1DClassifier>();

    [Fact]
    public void The_hand_computed_networks_match_the_reference()
    {
        AgreesWithTheReference<HandConv2D>();
        AgreesWithTheReference<HandConv1D>();
        AgreesWithTheReference<HandPools>();
    }

    private static void BatchIsTheSumOfSamples<T>() where T : class, INetwork<T>
    {
        var (_, loss) = Networks[typeof(T)];
        var random = new Random(7);
        var net = T.Create(3);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += (float)(0.3 * (random.NextDouble() - 0.5));
        const int count = 5;
        var inputs = Enumerable.Range(0, count * T.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var targets = Enumerable.Range(0, count).SelectMany(_ => SampleChecks.Target(loss, T.OutputSize, random)).ToArray();
        SampleChecks.BatchIsTheSumOfSamples<T>(net.Parameters, inputs, targets, count);
    }

    [Fact]
    public void The_batch_kernel_equals_the_per_sample_sum()
    {
        BatchIsTheSumOfSamples<TanhConvTiledAvgPool>();
        BatchIsTheSumOfSamples<StridedPaddedSigmoidConv>();
        BatchIsTheSumOfSamples<StackedConvMaxPoolClassifier>();
        BatchIsTheSumOfSamples<StackedConvMaxPoolClassifierLooped>();
        BatchIsTheSumOfSamples<EluConvOverlappingAvgPool>();
        BatchIsTheSumOfSamples<ReluConvThenPaddedConv>();
        BatchIsTheSumOfSamples<OverlappingMaxPoolBce>();
        BatchIsTheSumOfSamples<StridedConv1DFlatten>();
        BatchIsTheSumOfSamples<StackedConv1DPerStep>();
        BatchIsTheSumOfSamples<SiluConv1DClassifier>();
    }

    /// <summary>
    /// The layout is the reference's, block by block and contiguous: a convolution's W is [filters, C·k·k] (or
    /// [filters, C·k] in 1-D) — PyTorch's weight flattened row-major — then b [filters] only with a bias; a dense layer's
    /// W is [units, fan-in] (C·H·W after an image, the step's width after a sequence); pooling and flatten add nothing.
    /// </summary>
    private static void LayoutIsTheReferences<T>() where T : class, INetwork<T>
    {
        var (reference, _) = Networks[typeof(T)];
        var layout = T.ParameterLayout;
        var expected = reference.Blocks;
        string name = typeof(T).Name;
        Assert.True(layout.Count == expected.Count,
            $"{name} has {layout.Count} blocks ({string.Join(", ", layout.Select(b => $"{b.Name} {b.Rows}×{b.Columns}"))}) but the reference expects {expected.Count}");
        int offset = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var (block, want) = (layout[i], expected[i]);
            Assert.True(block.Role == want.Role && block.Rows == want.Rows && block.Columns == want.Columns,
                $"{name} block {i} ({block.Name}) is a {block.Role} {block.Rows}×{block.Columns}, but reference layer {want.Layer} expects a {want.Role} {want.Rows}×{want.Columns}");
            Assert.StartsWith(want.Role == ParameterRole.Weight ? "W" : "b", block.Name);
            Assert.Equal(offset, block.Offset);
            Assert.StartsWith(block.Name + "[", T.ParameterName(block.Offset));
            offset += block.Length;
        }
        Assert.Equal(layout.Count, layout.Select(b => b.Name).Distinct().Count());
        Assert.Equal(offset, T.ParameterCount);
        Assert.Equal(T.ParameterCount, T.TrainableParameterCount);
        Assert.Equal(reference.ParameterCount, T.ParameterCount);
        Assert.Equal(reference.InputSize, T.InputSize);
        Assert.Equal(reference.OutputSize, T.OutputSize);
        Assert.Equal(T.ParameterCount, T.Create(1).Parameters.Length);
    }

    [Fact]
    public void Every_layout_is_the_reference_layout()
    {
        LayoutIsTheReferences<TanhConvTiledAvgPool>();
        LayoutIsTheReferences<StridedPaddedSigmoidConv>();
        LayoutIsTheReferences<StackedConvMaxPoolClassifier>();
        LayoutIsTheReferences<StackedConvMaxPoolClassifierLooped>();
        LayoutIsTheReferences<EluConvOverlappingAvgPool>();
        LayoutIsTheReferences<ReluConvThenPaddedConv>();
        LayoutIsTheReferences<OverlappingMaxPoolBce>();
        LayoutIsTheReferences<StridedConv1DFlatten>();
        LayoutIsTheReferences<StackedConv1DPerStep>();
        LayoutIsTheReferences<SiluConv1DClassifier>();
        LayoutIsTheReferences<HandConv2D>();
        LayoutIsTheReferences<HandConv1D>();
        LayoutIsTheReferences<HandPools>();
    }

    [Fact]
    public void A_Conv2D_weight_is_filters_by_channels_times_kernel_squared()
    {
        var layout = StackedConvMaxPoolClassifier.ParameterLayout;
        // Conv2d(3, 4, 3, padding=1, bias=False).weight [4, 3, 3, 3] → 4 × 27, no bias block; Conv2d(4, 3, 2).weight
        // [3, 4, 2, 2] → 3 × 16 and bias [3]; Linear(12, 3).weight 3 × 12 and bias [3].
        Assert.Equal(5, layout.Count);
        Assert.Equal((ParameterRole.Weight, 4, 3 * 3 * 3), (layout[0].Role, layout[0].Rows, layout[0].Columns));
        Assert.Equal((ParameterRole.Weight, 3, 4 * 2 * 2), (layout[1].Role, layout[1].Rows, layout[1].Columns));
        Assert.Equal((ParameterRole.Bias, 3, 1), (layout[2].Role, layout[2].Rows, layout[2].Columns));
        Assert.Equal((ParameterRole.Weight, 3, 3 * 2 * 2), (layout[3].Role, layout[3].Rows, layout[3].Columns));
        Assert.Equal((ParameterRole.Bias, 3, 1), (layout[4].Role, layout[4].Rows, layout[4].Columns));
        Assert.Equal(0, layout[0].Offset);
        Assert.Equal(108, layout[1].Offset);
        Assert.Equal(108 + 48, layout[2].Offset);

        // Conv1d(3, 4, 3).weight [4, 3, 3] → 4 × 9, bias [4].
        var oneD = StridedConv1DFlatten.ParameterLayout;
        Assert.Equal((ParameterRole.Weight, 4, 3 * 3), (oneD[0].Role, oneD[0].Rows, oneD[0].Columns));
        Assert.Equal((ParameterRole.Bias, 4, 1), (oneD[1].Role, oneD[1].Rows, oneD[1].Columns));
        Assert.Equal((ParameterRole.Weight, 2, 5 * 4), (oneD[2].Role, oneD[2].Rows, oneD[2].Columns));

        // A dense layer at every step of a sequence has the step's width as its fan-in, not the whole sequence's.
        var perStep = StackedConv1DPerStep.ParameterLayout;
        Assert.Equal((ParameterRole.Weight, 1, 2), (perStep[^2].Role, perStep[^2].Rows, perStep[^2].Columns));
    }

    private static void Sizes<T>(int inputs, int outputs, int parameters) where T : class, INetwork<T>
    {
        string name = typeof(T).Name;
        Assert.True(T.InputSize == inputs, $"{name}.InputSize is {T.InputSize}, not {inputs}");
        Assert.True(T.OutputSize == outputs, $"{name}.OutputSize is {T.OutputSize}, not {outputs}");
        Assert.True(T.ParameterCount == parameters, $"{name}.ParameterCount is {T.ParameterCount}, not {parameters}");
    }

    [Fact]
    public void Sizes_and_parameter_counts_are_the_hand_computed_ones()
    {
        // Conv2D: filters·(C·k² + 1) (no +1 without a bias); Conv1D: filters·(C·k + 1); dense: units·(fan-in + 1).
        Sizes<TanhConvTiledAvgPool>(1 * 6 * 5, 3, 2 * (1 * 9 + 1) + 3 * (2 * 2 * 1 + 1));
        Sizes<StridedPaddedSigmoidConv>(2 * 7 * 5, 2, 3 * (2 * 9 + 1) + 2 * (3 * 4 * 3 + 1));
        Sizes<StackedConvMaxPoolClassifier>(3 * 7 * 6, 3, 4 * 3 * 9 + 3 * (4 * 4 + 1) + 3 * (3 * 2 * 2 + 1));
        Sizes<StackedConvMaxPoolClassifierLooped>(3 * 7 * 6, 3, 4 * 3 * 9 + 3 * (4 * 4 + 1) + 3 * (3 * 2 * 2 + 1));
        Sizes<EluConvOverlappingAvgPool>(2 * 5 * 6, 2, 2 * (2 * 4 + 1) + 2 * (2 * 3 * 4 + 1));
        Sizes<ReluConvThenPaddedConv>(1 * 7 * 7, 1, 2 * (1 * 9 + 1) + 3 * (2 * 4 + 1) + 1 * (3 * 4 * 4 + 1));
        Sizes<OverlappingMaxPoolBce>(2 * 7 * 5, 2, 3 * (2 * 9 + 1) + 4 * (3 * 3 * 2 + 1) + 2 * (4 + 1));
        Sizes<StridedConv1DFlatten>(9 * 3, 2, 4 * (3 * 3 + 1) + 2 * (5 * 4 + 1));
        Sizes<StackedConv1DPerStep>(7 * 2, 6 * 1, 3 * (2 * 2 + 1) + 2 * (3 * 3) + 1 * (2 + 1));
        Sizes<SiluConv1DClassifier>(8 * 1, 3, 3 * (1 * 3 + 1) + 3 * (6 * 3 + 1));
        Sizes<HandConv2D>(9, 4, 1 * (4 + 1) + 4 * (4 + 1));
        Sizes<HandConv1D>(6, 2, 1 * (2 * 2 + 1) + 1 * (1 + 1));
        Sizes<HandPools>(12, 2, 1 * (1 + 1) + 2 * (2 + 1));
    }

    [Fact]
    public void A_Conv2D_is_PyTorchs_cross_correlation_over_CHW_values()
    {
        // x = 1…9 in a 3×3 image, W = [[1, 2], [3, 4]], b = 0.5, then an identity dense layer: z[i,j] = x[i,j] + 2·x[i,j+1]
        // + 3·x[i+1,j] + 4·x[i+1,j+1] + 0.5 — not the flipped kernel of a true convolution (which would give 23.5 first).
        var net = new HandConv2D(1);
        var layout = HandConv2D.ParameterLayout;
        var p = net.Parameters;
        p.Clear();
        for (int i = 0; i < 4; i++) p[layout[0].Offset + i] = i + 1;
        p[layout[1].Offset] = 0.5f;
        for (int i = 0; i < 4; i++) p[layout[2].Offset + i * 4 + i] = 1;
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var output = new float[4];
        net.Predict(x, output);
        Assert.Equal([37.5f, 47.5f, 67.5f, 77.5f], output);
        var (reference, _) = Networks[typeof(HandConv2D)];
        Assert.Equal([37.5, 47.5, 67.5, 77.5], reference.Forward(net.Parameters.ToArray().Select(v => (double)v).ToArray(), x.Select(v => (double)v).ToArray()));
    }

    [Fact]
    public void A_Conv1D_reads_a_time_major_sequence_with_PyTorchs_weight_order()
    {
        // x = steps (1, 2), (3, 4), (5, 6); W[0, c, u] = [[1, 2], [3, 4]] (channel 0's taps, then channel 1's), b = 0.5:
        // z₀ = 1·1 + 2·3 + 3·2 + 4·4 + 0.5 = 29.5, z₁ = 1·3 + 2·5 + 3·4 + 4·6 + 0.5 = 49.5; then 2·z − 1 at every step.
        var net = new HandConv1D(1);
        var layout = HandConv1D.ParameterLayout;
        var p = net.Parameters;
        p.Clear();
        for (int i = 0; i < 4; i++) p[layout[0].Offset + i] = i + 1;
        p[layout[1].Offset] = 0.5f;
        p[layout[2].Offset] = 2;
        p[layout[3].Offset] = -1;
        float[] x = [1, 2, 3, 4, 5, 6];
        var output = new float[2];
        net.Predict(x, output);
        Assert.Equal([58f, 98f], output);
        var (reference, _) = Networks[typeof(HandConv1D)];
        Assert.Equal([58.0, 98.0], reference.Forward(net.Parameters.ToArray().Select(v => (double)v).ToArray(), x.Select(v => (double)v).ToArray()));
    }

    [Fact]
    public void Overlapping_max_then_average_windows_give_the_hand_computed_values()
    {
        // A 1×1 identity convolution passes x through; max 2×2 stride 1 of [[1, 5, 2, 0], [3, 4, 8, 6], [7, 0, 1, 9]] is
        // [[5, 8, 8], [7, 8, 9]]; average 2×2 stride 1 of that is [7, 8.25]; then an identity dense layer.
        var net = new HandPools(1);
        var layout = HandPools.ParameterLayout;
        var p = net.Parameters;
        p.Clear();
        p[layout[0].Offset] = 1;
        p[layout[2].Offset] = 1;
        p[layout[2].Offset + 3] = 1;
        float[] x = [1, 5, 2, 0, 3, 4, 8, 6, 7, 0, 1, 9];
        var output = new float[2];
        net.Predict(x, output);
        Assert.Equal([7f, 8.25f], output);
        var (reference, _) = Networks[typeof(HandPools)];
        Assert.Equal([7.0, 8.25], reference.Forward(net.Parameters.ToArray().Select(v => (double)v).ToArray(), x.Select(v => (double)v).ToArray()));
    }

    [Fact]
    public void The_reference_pools_and_pads_as_PyTorch_does()
    {
        // Checks of the reference alone, so a mistake shared by it and the generator cannot hide behind agreement.
        double[] image = [1, 5, 2, 0, 3, 4, 8, 6, 7, 0, 1, 9]; // 1×3×4
        var max = new ConvReference([1, 3, 4], "mse", [], L.MaxPool(2, stride: 1));
        Assert.Equal([5.0, 8, 8, 7, 8, 9], max.Forward([], image));
        // Tiled 2×2 windows: ⌊(3 − 2)/2⌋ + 1 = 1 row, ⌊(4 − 2)/2⌋ + 1 = 2 columns; the last row is dropped.
        var average = new ConvReference([1, 3, 4], "mse", [], L.AvgPool(2));
        Assert.Equal((1, 1, 2), (average.Shapes[1].Channels, average.Shapes[1].Height, average.Shapes[1].Width));
        Assert.Equal([13 / 4.0, 16 / 4.0], average.Forward([], image));

        // A 3×3 kernel of ones with padding 1 sums each value's in-image neighbourhood: the corner of a 2×2 image of
        // ones sees 4 of them. Stride 2 on 3×3 with padding 1 gives ⌊(3 + 2 − 3)/2⌋ + 1 = 2.
        ParameterBlock[] blocks = [new("W1", ParameterRole.Weight, 0, 1, 9), new("b1", ParameterRole.Bias, 9, 1, 1)];
        double[] ones = Enumerable.Repeat(1.0, 9).Append(0.0).ToArray();
        var padded = new ConvReference([1, 2, 2], "mse", blocks, L.Conv2D(1, 3, padding: 1));
        Assert.Equal([4.0, 4, 4, 4], padded.Forward(ones, [1, 1, 1, 1]));
        var strided = new ConvReference([1, 3, 3], "mse", blocks, L.Conv2D(1, 3, stride: 2, padding: 1));
        // Outputs at (0,0), (0,2), (2,0), (2,2) of the 3×3 image 1…9: each the sum of its 2×2 in-image neighbourhood.
        Assert.Equal([1.0 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9], strided.Forward(ones, [1, 2, 3, 4, 5, 6, 7, 8, 9]));

        // Conv1D with padding 1: steps −1 and T are zeros; one channel, kernel [1, 10, 100].
        ParameterBlock[] taps = [new("W1", ParameterRole.Weight, 0, 1, 3)];
        var sequence = new ConvReference([3, 1], "mse", taps, L.Conv1D(1, 3, padding: 1, bias: false));
        Assert.Equal([10.0 + 200, 1 + 20 + 300, 2 + 30], sequence.Forward([1, 10, 100], [1, 2, 3]));
    }

    private static void PredictBackwardAndComputeLossAllocateNothing<T>() where T : class, INetwork<T>
    {
        var net = T.Create(1);
        var input = new float[T.InputSize];
        var target = new float[T.OutputSize];
        target[0] = 1f;
        var output = new float[T.OutputSize];
        var gradients = new float[T.ParameterCount];
        for (int i = 0; i < input.Length; i++) input[i] = (i % 7) / 7f;

        // Warm up past the tiered JIT's thresholds and on-stack replacement, whose transitions can allocate on this thread.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 300 || warm.ElapsedMilliseconds < 300; i++)
        {
            net.Predict(input, output);
            net.Backward(input, target, gradients);
            net.ComputeLoss(input, target);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) net.Predict(input, output);
        long predict = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(predict == 0, $"{typeof(T).Name}: 1,000 Predict calls allocated {predict} bytes.");

        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            net.Backward(input, target, gradients);
            net.ComputeLoss(input, target);
        }
        long backward = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(backward == 0, $"{typeof(T).Name}: 100 Backward + ComputeLoss calls allocated {backward} bytes.");
    }

    [Fact]
    public void Predict_Backward_and_ComputeLoss_allocate_nothing()
    {
        PredictBackwardAndComputeLossAllocateNothing<StackedConvMaxPoolClassifier>();
        PredictBackwardAndComputeLossAllocateNothing<StackedConvMaxPoolClassifierLooped>();
        PredictBackwardAndComputeLossAllocateNothing<OverlappingMaxPoolBce>();
        PredictBackwardAndComputeLossAllocateNothing<StackedConv1DPerStep>();
    }
}
