using NetGen.Tests.Networks;

namespace NetGen.Tests;

/// <summary>The public gradient check passes on generated networks and catches a wrong gradient, naming it.</summary>
public class GradientCheckTests
{
    [Fact]
    public void Generated_networks_pass_the_public_gradient_check()
    {
        var net = new SmallSigmoidCe(4);
        var result = GradientCheck.Run(net, [0.3f, -0.7f, 0.1f], [0f, 1f, 0f]);
        Assert.True(result.Passed(), result.ToString());
        Assert.Equal(SmallSigmoidCe.ParameterCount, result.ParameterCount);
        Assert.Equal(5, result.Worst.Count);

        var looped = new LoopedTanhMseIdentity(4);
        var x = Enumerable.Range(0, 37).Select(i => MathF.Sin(i)).ToArray();
        var check = GradientCheck.Run(looped, x, [0.1f, 0.2f, -0.3f, 0.4f, 0f]);
        Assert.True(check.Passed(), check.ToString());
    }

    [Fact]
    public void A_wrong_gradient_is_reported_by_parameter_name()
    {
        var result = GradientCheck.Run(new Faulty(), [1f, 2f], [0.5f]);
        Assert.False(result.Passed());
        Assert.Equal("W1[0,1]", result.Worst[0].Name);
        Assert.True(result.Worst[0].RelativeError > 0.3);
        Assert.Contains("W1[0,1]", result.ToString());
        // The correct components are not blamed.
        Assert.True(result.Worst[1].RelativeError < 1e-2, result.ToString());
    }

    [Fact]
    public void The_checked_network_is_left_unchanged()
    {
        var net = new SmallTanhMseTanh(1);
        var before = net.Parameters.ToArray();
        GradientCheck.Run(net, [1f, 0f, -1f], [0.1f, 0.2f, 0.3f]);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    /// <summary>
    /// A hand-written "network" a = w₀x₀ + w₁x₁ + b with L = (a − y)², whose Backward returns a deliberately wrong
    /// ∂L/∂w₁ (half the true value); the other components are right.
    /// </summary>
    private sealed class Faulty : INetwork<Faulty>
    {
        private readonly float[] _theta = [0.4f, -0.3f, 0.2f];
        public static int InputSize => 2;
        public static int OutputSize => 1;
        public static int ParameterCount => 3;
        public static int TrainableParameterCount => 3;
        public static Loss LossFunction => Loss.MeanSquaredError;
        public static string Summary => "faulty";
        public static IReadOnlyList<ParameterBlock> ParameterLayout { get; } =
            [new("W1", ParameterRole.Weight, 0, 1, 2), new("b1", ParameterRole.Bias, 2, 1, 1)];
        public static string Architecture => "netgen-1 inputs=2 dense(1,identity) loss=mse";
        public static IReadOnlyList<LayerDescription> Layers { get; } = [new(2, 1, Activation.Identity, 0.01f)];
        public static IReadOnlyList<OperationDescription> Operations { get; } =
            [new(OperationKind.Dense, 1, [2], [1], ParameterLayout, 5, 5), new(OperationKind.Activation, 1, [1], [1], [], 0, 0)];
        public Span<float> Parameters => _theta;
        public Standardizer? Standardizer { get; set; }
        public IReadOnlyList<string>? ClassNames { get; set; }
        public static Faulty Create(int seed) => new();
        public static string ParameterName(int index) => index switch { 0 => "W1[0,0]", 1 => "W1[0,1]", _ => "b1[0]" };
        public static void InitializeParameters(Span<float> parameters, int seed) { }
        public void Initialize(int seed) { }

        public static void Forward(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> output) => output[0] = p[0] * x[0] + p[1] * x[1] + p[2];

        public static float ComputeLoss(ReadOnlySpan<float> p, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            float e = p[0] * x[0] + p[1] * x[1] + p[2] - y[0];
            return e * e;
        }

        public static float Backward(ReadOnlySpan<float> p, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> g)
        {
            float e = p[0] * x[0] + p[1] * x[1] + p[2] - y[0];
            g[0] += 2 * e * x[0];
            g[1] += e * x[1]; // wrong: the true derivative is 2·e·x₁
            g[2] += 2 * e;
            return e * e;
        }

        public static void TrainingForward(ReadOnlySpan<float> p, ReadOnlySpan<float> x, Span<float> output, ref SeededRandom random) => Forward(p, x, output);
        public static float TrainingBackward(ReadOnlySpan<float> p, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> g, ref SeededRandom random) => Backward(p, x, y, g);
        public static float TrainingBatch(Span<float> p, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int count, Span<float> g, ref SeededRandom random)
        {
            float loss = 0;
            for (int b = 0; b < count; b++) loss += Backward(p, x.Slice(2 * b, 2), y.Slice(b, 1), g);
            return loss;
        }
        public void Predict(ReadOnlySpan<float> input, Span<float> output) => Forward(_theta, input, output);
        public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradients) => Backward(_theta, input, target, gradients);
        public float ComputeLoss(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => ComputeLoss(_theta, input, target);
    }
}
