using NetGen.Tests.Networks;
using NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>
/// Every generated network's Backward against central finite differences of an independent double-precision reference,
/// for every activation × loss pairing the generator accepts, in every code shape.
/// </summary>
public class GradientTests
{
    public static TheoryData<string> Networks => NetworkCatalog.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_matches_finite_differences_of_an_independent_reference(string network) =>
        NetworkCatalog.Invoke(typeof(GradientTests), nameof(CheckGradient), network);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_and_ComputeLoss_match_the_reference(string network) =>
        NetworkCatalog.Invoke(typeof(GradientTests), nameof(CheckForward), network);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_adds_into_the_gradient_buffer(string network) =>
        NetworkCatalog.Invoke(typeof(GradientTests), nameof(CheckAccumulation), network);

    /// <summary>A random point of the network (parameters with biases moved off 0, an input, a target).</summary>
    internal static (float[] Theta, float[] X, float[] Y) RandomPoint<T>(ReferenceMlp reference, int seed)
        where T : class, INetwork<T>
    {
        var random = new Random(seed);
        for (int attempt = 0; ; attempt++)
        {
            var theta = T.Create(seed + attempt).Parameters.ToArray();
            var layout = reference.Layout();
            for (int l = 0; l < reference.Layers.Count; l++)
            {
                var (layer, at) = (reference.Layers[l], layout[l]);
                // Biases start at 0; move them so that ReLU units sit on both sides of their kink.
                for (int i = 0; i < layer.Units; i++)
                    theta[at.B + i] = (float)(random.NextDouble() - 0.5);
                // PReLU slopes start at 0.25; spread them (below) so that each unit's own αᵢ is exercised.
                // Batch normalization: γ near 1, β near 0, running mean near 0, running variance near 1, all varied.
                if (layer.BatchNorm)
                    for (int i = 0; i < layer.Units; i++)
                    {
                        theta[at.Gamma + i] = (float)(0.5 + random.NextDouble());
                        theta[at.Beta + i] = (float)(random.NextDouble() - 0.5);
                        theta[at.Mean + i] = (float)(0.4 * (random.NextDouble() - 0.5));
                        theta[at.Variance + i] = (float)(0.5 + random.NextDouble());
                    }
                for (int i = 0; i < layer.Slopes; i++)
                    theta[at.Alpha + i] = (float)(0.05 + 0.5 * random.NextDouble());
            }
            var x = Enumerable.Range(0, T.InputSize).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
            var y = RandomTarget(reference.LossKind, T.OutputSize, random, oneHot: seed % 2 == 0);
            var thetaD = theta.Select(v => (double)v).ToArray();
            var xD = x.Select(v => (double)v).ToArray();
            // Finite differences are wrong across a kink; resample points within 1e-4 of one (h is 1e-6).
            bool nearKink = reference.DistanceToKink(thetaD, xD) < 1e-4;
            if (reference.LossKind == Loss.MeanAbsoluteError)
            {
                var output = reference.Forward(thetaD, xD).Output;
                nearKink |= output.Select((a, i) => Math.Abs(a - y[i])).Min() < 1e-4;
            }
            if (!nearKink || attempt > 20)
                return (theta, x, y);
        }
    }

    private static float[] RandomTarget(Loss loss, int n, Random random, bool oneHot)
    {
        switch (loss)
        {
            case Loss.CrossEntropy:
                if (oneHot)
                {
                    var hot = new float[n];
                    hot[random.Next(n)] = 1f;
                    return hot;
                }
                var weights = Enumerable.Range(0, n).Select(_ => random.NextDouble() + 0.05).ToArray();
                double total = weights.Sum();
                return weights.Select(w => (float)(w / total)).ToArray();
            case Loss.BinaryCrossEntropy:
                return Enumerable.Range(0, n).Select(_ => oneHot ? (float)random.Next(2) : (float)random.NextDouble()).ToArray();
            default:
                return Enumerable.Range(0, n).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        }
    }

    /// <summary>The parameters to difference: all of them for small networks, a sample of every block for large ones.</summary>
    private static int[] IndicesToCheck(ReferenceMlp reference, Random random)
    {
        if (reference.ParameterCount <= 2000)
            return Enumerable.Range(0, reference.ParameterCount).ToArray();
        var indices = new List<int>();
        int offset = 0;
        foreach (var layer in reference.Layers)
        {
            int weights = layer.Inputs * layer.Units;
            indices.AddRange(Enumerable.Range(0, 60).Select(_ => offset + random.Next(weights)));
            indices.AddRange(Enumerable.Range(0, Math.Min(layer.Units, 20)).Select(_ => offset + weights + random.Next(layer.Units)));
            offset += weights + layer.Units;
        }
        return indices.Distinct().OrderBy(i => i).ToArray();
    }

    private static void CheckGradient<T>() where T : class, INetwork<T>
    {
        var reference = ReferenceMlp.FromAttributes(typeof(T));
        Assert.Equal(reference.ParameterCount, T.ParameterCount);
        for (int trial = 0; trial < 3; trial++)
        {
            var (theta, x, y) = RandomPoint<T>(reference, seed: 100 + trial);
            var gradient = new float[T.ParameterCount];
            float loss = T.Backward(theta, x, y, gradient);

            var thetaD = theta.Select(v => (double)v).ToArray();
            var xD = x.Select(v => (double)v).ToArray();
            var yD = y.Select(v => (double)v).ToArray();
            double expectedLoss = reference.Loss(thetaD, xD, yD);
            Assert.True(Math.Abs(loss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss) + 1e-6,
                $"{typeof(T).Name}: Backward returned loss {loss}, the reference gives {expectedLoss}.");

            var indices = IndicesToCheck(reference, new Random(trial));
            var full = reference.ParameterCount <= 2000 ? reference.NumericGradient(thetaD, xD, yD) : null;
            double largest = 1.0;
            var numeric = new Dictionary<int, double>();
            foreach (int k in indices)
            {
                numeric[k] = full?[k] ?? NumericAt(reference, thetaD, xD, yD, k);
                largest = Math.Max(largest, Math.Abs(numeric[k]));
            }
            foreach (int k in indices)
            {
                // The analytic gradient is computed in float: each term carries ~1e-7 relative rounding, sums of a few
                // hundred terms ~1e-5 of the largest term. The double-precision central difference (h = 1e-6) is good to
                // ~1e-9. So 1e-3 relative plus 1e-4 of the largest component is loose for rounding and far tighter
                // than any real bug (a wrong sign, factor or index is off by the size of the gradient itself).
                double error = Math.Abs(gradient[k] - numeric[k]);
                double tolerance = 1e-3 * Math.Abs(numeric[k]) + 1e-4 * largest;
                Assert.True(error <= tolerance,
                    $"{typeof(T).Name}, trial {trial}: ∂L/∂{T.ParameterName(k)} (index {k}) is {gradient[k]:G9} from Backward " +
                    $"but {numeric[k]:G9} by finite differences of the reference (error {error:E2} > {tolerance:E2}).");
            }
        }
    }

    private static double NumericAt(ReferenceMlp reference, double[] theta, double[] x, double[] y, int k)
    {
        var point = (double[])theta.Clone();
        double h = 1e-6 * Math.Max(1.0, Math.Abs(theta[k]));
        point[k] = theta[k] + h;
        double plus = reference.Loss(point, x, y);
        point[k] = theta[k] - h;
        double minus = reference.Loss(point, x, y);
        return (plus - minus) / (2 * h);
    }

    private static void CheckForward<T>() where T : class, INetwork<T>
    {
        var reference = ReferenceMlp.FromAttributes(typeof(T));
        var (theta, x, y) = RandomPoint<T>(reference, seed: 7);
        var output = new float[T.OutputSize];
        T.Forward(theta, x, output);
        var expected = reference.Forward(theta.Select(v => (double)v).ToArray(), x.Select(v => (double)v).ToArray()).Output;
        for (int i = 0; i < output.Length; i++)
            Assert.True(Math.Abs(output[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])),
                $"{typeof(T).Name}: output[{i}] is {output[i]} but the reference gives {expected[i]}.");

        float loss = T.ComputeLoss(theta, x, y);
        float fused = T.Backward(theta, x, y, new float[T.ParameterCount]);
        Assert.True(Math.Abs(loss - fused) <= 1e-6f * Math.Max(1f, Math.Abs(fused)),
            $"{typeof(T).Name}: ComputeLoss gives {loss} but Backward's loss is {fused}.");

        // The instance methods are the static kernels over the instance's own parameters.
        var network = T.Create(3);
        theta.CopyTo(network.Parameters);
        var viaInstance = new float[T.OutputSize];
        network.Predict(x, viaInstance);
        Assert.Equal(output, viaInstance);
        Assert.Equal(loss, network.ComputeLoss(x, y));
    }

    private static void CheckAccumulation<T>() where T : class, INetwork<T>
    {
        var reference = ReferenceMlp.FromAttributes(typeof(T));
        var (theta, x, y) = RandomPoint<T>(reference, seed: 11);
        var once = new float[T.ParameterCount];
        T.Backward(theta, x, y, once);
        var twice = (float[])once.Clone();
        T.Backward(theta, x, y, twice);
        // v + v = 2v exactly in floating point, so accumulation must double every component exactly.
        for (int k = 0; k < once.Length; k++)
            Assert.True(twice[k] == 2 * once[k], $"{typeof(T).Name}: {T.ParameterName(k)} accumulated to {twice[k]}, expected 2 × {once[k]}.");
        Assert.Contains(once, g => g != 0f);
    }
}
