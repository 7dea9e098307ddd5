using NetGen.Tests.Networks;

namespace NetGen.Tests;

/// <summary>Sizes, the documented parameter layout, names and the summary, all checked against formulas.</summary>
public class LayoutTests
{
    [Fact]
    public void Sizes_follow_from_the_declaration()
    {
        // 784 → 128 → 10: (784 + 1)·128 + (128 + 1)·10
        Assert.Equal(784, Mnist.InputSize);
        Assert.Equal(10, Mnist.OutputSize);
        Assert.Equal(785 * 128 + 129 * 10, Mnist.ParameterCount);
        Assert.Equal(Mnist.ParameterCount, new Mnist().Parameters.Length);
    }

    [Fact]
    public void Parameter_names_follow_the_row_major_layout()
    {
        // MixedDeep: W1 is 24×40 at 0, b1 at 960, W2 is 6×24 at 984, b2 at 1128, ...
        Assert.Equal("W1[0,0]", MixedDeep.ParameterName(0));
        Assert.Equal("W1[0,39]", MixedDeep.ParameterName(39));
        Assert.Equal("W1[1,0]", MixedDeep.ParameterName(40));
        Assert.Equal("W1[23,39]", MixedDeep.ParameterName(24 * 40 - 1));
        Assert.Equal("b1[0]", MixedDeep.ParameterName(24 * 40));
        Assert.Equal("b1[23]", MixedDeep.ParameterName(24 * 40 + 23));
        Assert.Equal("W2[3,5]", MixedDeep.ParameterName(24 * 41 + 3 * 24 + 5));
        Assert.Equal("b4[1]", MixedDeep.ParameterName(MixedDeep.ParameterCount - 1));
    }

    [Fact]
    public void The_layout_matches_PyTorch_Linear_weight()
    {
        // With W¹ = 0 except W¹[i,j] = 1 and b = 0, output unit i of an identity layer is exactly input j.
        var net = new Scalar();
        net.Parameters.Clear();
        net.Parameters[0] = 2f; // W1[0,0]
        net.Parameters[1] = 0.5f; // b1[0]
        var output = new float[1];
        net.Predict([3f], output);
        Assert.Equal(2f * 3f + 0.5f, output[0]);
    }

    [Fact]
    public void Summary_lists_each_layer_with_parameters_and_flops()
    {
        string summary = Mnist.Summary;
        // Forward FLOPs of a dense layer: 2·inputs·units (multiply-adds) + units (biases).
        long layer1 = 2L * 784 * 128 + 128, layer2 = 2L * 128 * 10 + 10;
        // Backward: ∂L/∂W (2·inputs·units) + ∂L/∂b (units) + ∂L/∂x (2·inputs·units) except for the first layer.
        long training = layer1 + layer2 + (2L * 784 * 128 + 128) + (2L * 128 * 10 + 10 + 2L * 128 * 10);
        Assert.Contains("Dense 1 (ReLU)", summary);
        Assert.Contains("Dense 2 (softmax)", summary);
        Assert.Contains((785 * 128).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), summary);
        Assert.Contains((129 * 10).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), summary);
        Assert.Contains($"forward {(layer1 + layer2).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}", summary);
        Assert.Contains($"training (forward + backward) {training.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}", summary);
        Assert.Contains("cross-entropy", summary);
        Assert.Equal(summary, GetSummary<Mnist>());
    }

    private static string GetSummary<T>() where T : class, INetwork<T> => T.Summary;

    [Fact]
    public void The_interface_reports_the_declared_loss_and_sizes()
    {
        Assert.Equal(Loss.CrossEntropy, LossOf<Mnist>());
        Assert.Equal(Loss.MeanAbsoluteError, LossOf<SmallReluMaeTanh>());
        Assert.Equal((784, 10, Mnist.ParameterCount), SizesOf<Mnist>());
    }

    private static Loss LossOf<T>() where T : class, INetwork<T> => T.LossFunction;

    private static (int, int, int) SizesOf<T>() where T : class, INetwork<T> => (T.InputSize, T.OutputSize, T.ParameterCount);

    [Fact]
    public void Both_code_shapes_of_one_network_compute_the_same_function()
    {
        var unrolled = new TwinUnrolled(5);
        var looped = new TwinLooped(5);
        Assert.Equal(unrolled.Parameters.ToArray(), looped.Parameters.ToArray());
        var random = new Random(3);
        var input = Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray();
        float[] target = [0f, 1f, 0f, 0f];
        float[] a = new float[4], b = new float[4];
        unrolled.Predict(input, a);
        looped.Predict(input, b);
        var gradientA = new float[TwinUnrolled.ParameterCount];
        var gradientB = new float[TwinLooped.ParameterCount];
        float lossA = unrolled.Backward(input, target, gradientA);
        float lossB = looped.Backward(input, target, gradientB);
        // Same math, different summation order (SIMD lanes vs left to right): equal up to float rounding.
        for (int i = 0; i < 4; i++) Assert.Equal(a[i], b[i], 1e-6f);
        Assert.Equal(lossA, lossB, 1e-6f);
        for (int k = 0; k < gradientA.Length; k++) Assert.Equal(gradientA[k], gradientB[k], 1e-6f);
    }
}
