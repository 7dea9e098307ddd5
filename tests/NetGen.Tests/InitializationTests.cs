using NetGen.Tests.Networks;

namespace NetGen.Tests;

public class InitializationTests
{
    [Fact]
    public void The_same_seed_gives_the_same_network_bit_for_bit()
    {
        Assert.Equal(new Mnist(42).Parameters.ToArray(), new Mnist(42).Parameters.ToArray());
        Assert.Equal(new Mnist(42).Parameters.ToArray(), Mnist.Create(42).Parameters.ToArray());
        Assert.NotEqual(new Mnist(42).Parameters.ToArray(), new Mnist(43).Parameters.ToArray());
        var net = new Mnist(1);
        net.Initialize(42);
        Assert.Equal(new Mnist(42).Parameters.ToArray(), net.Parameters.ToArray());
    }

    [Fact]
    public void Relu_layers_get_He_and_softmax_layers_Glorot_uniform_with_zero_biases()
    {
        var theta = new Mnist(7).Parameters.ToArray();
        var w1 = theta.AsSpan(0, 784 * 128);
        var b1 = theta.AsSpan(784 * 128, 128);
        var w2 = theta.AsSpan(785 * 128, 10 * 128);
        var b2 = theta.AsSpan(785 * 128 + 10 * 128, 10);
        CheckUniform(w1, limit: Math.Sqrt(6.0 / 784)); // He: √(6 / fan-in)
        CheckUniform(w2, limit: Math.Sqrt(6.0 / (128 + 10))); // Glorot: √(6 / (fan-in + fan-out))
        Assert.All(b1.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(b2.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LeakyReLU_uses_He_with_its_slope()
    {
        // SmallLeakyMseIdentity: layer 1 is LeakyReLU(0.2) with fan-in 3: limit √(6 / ((1 + 0.2²)·3)).
        var theta = new LoopedLeakyMseIdentity(3).Parameters.ToArray();
        CheckUniform(theta.AsSpan(0, 37 * 19), limit: Math.Sqrt(6.0 / ((1 + 0.04) * 37)));
    }

    private static void CheckUniform(ReadOnlySpan<float> weights, double limit)
    {
        double sum = 0, squares = 0, max = 0;
        foreach (float w in weights)
        {
            sum += w;
            squares += (double)w * w;
            max = Math.Max(max, Math.Abs(w));
        }
        int n = weights.Length;
        Assert.True(max <= limit, $"A weight of magnitude {max} exceeds the limit {limit}.");
        Assert.True(max > 0.9 * limit, $"The largest weight {max} is far inside the limit {limit}: the range is too narrow.");
        // U(−l, l) has mean 0 and variance l²/3. The standard error of the mean is l/√(3n); allow 5 of them.
        Assert.True(Math.Abs(sum / n) < 5 * limit / Math.Sqrt(3.0 * n), $"Mean {sum / n} is not 0 for U(±{limit}).");
        double variance = squares / n - (sum / n) * (sum / n);
        // The sample variance of U(−l, l) has relative standard deviation √(4/(5n)); allow 5 of them, at least 5%.
        double tolerance = Math.Max(0.05, 5 * Math.Sqrt(0.8 / n));
        Assert.True(Math.Abs(variance / (limit * limit / 3) - 1) < tolerance, $"Variance {variance} is not l²/3 = {limit * limit / 3}.");
    }
}
