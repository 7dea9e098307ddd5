using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

/// <summary>SimpleChains.jl's small-network benchmark shape: 4 → 32 tanh → 16 tanh → 4, mean squared error.</summary>
[Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
[Dense(32, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(4)]
public partial class BenchSmallChain { }

/// <summary>
/// Training speed, NetGen against <see cref="DynamicMlp"/> plus a plain scalar Adam/SGD (the straightforward dynamic-size
/// C# implementation), each category with the baseline first so the Ratio column compares the same work: one optimizer
/// step on a mini-batch (gradient of the batch mean, then the update), or a full pass over a data set. <c>FmaPeak</c>
/// measures this core's Vector512 FMA throughput in the same run: 1,000,000 iterations × 8 chains × 16 lanes × 2 FLOPs
/// = 256 MFLOP, so GFLOP/s = 256 / time in ms, the yardstick for the rows' achieved GFLOP/s (README, Performance).
/// </summary>
/// <remarks>
/// NetGen runs <c>TrainingBatch</c> (four-sample kernels for the layered networks) and its vectorised optimizers; the
/// baseline sums <see cref="DynamicMlp.Backward"/> over the samples, averages, updates a flat parameter array with scalar
/// loops and copies it back into its layers (a copy of the parameters per step, small next to the work).
/// Data are random (uniform inputs, one-hot or uniform targets): time does not depend on the values.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TrainingBenchmarks
{
    private readonly Trained<BenchXorNet> _xor = new(2, Loss.MeanSquaredError, [(4, Activation.Tanh), (1, Activation.Sigmoid)], batch: 4, samples: 4, adam: false);
    private readonly Trained<BenchSmallChain> _small = new(4, Loss.MeanSquaredError, [(32, Activation.Tanh), (16, Activation.Tanh), (4, Activation.Identity)], batch: 32, samples: 10_000, adam: true);
    private readonly Trained<BenchMnistNet> _mnist1 = new(784, Loss.CrossEntropy, [(128, Activation.ReLU), (10, Activation.Softmax)], batch: 1, samples: 128, adam: true);
    private readonly Trained<BenchMnistNet> _mnist32 = new(784, Loss.CrossEntropy, [(128, Activation.ReLU), (10, Activation.Softmax)], batch: 32, samples: 128, adam: true);
    private readonly Trained<BenchMnistNet> _mnist128 = new(784, Loss.CrossEntropy, [(128, Activation.ReLU), (10, Activation.Softmax)], batch: 128, samples: 128, adam: true);

    [Benchmark(Baseline = true), BenchmarkCategory("XOR 2-4-1, SGD step (batch 4)")]
    public float XorStepBaseline() => _xor.BaselineStep(0);

    [Benchmark, BenchmarkCategory("XOR 2-4-1, SGD step (batch 4)")]
    public float XorStep() => _xor.Step(0);

    [Benchmark(Baseline = true), BenchmarkCategory("4-32-16-4 tanh, Adam, pass over 10,000 (batch 32)")]
    public float SmallChainEpochBaseline() => _small.BaselineEpoch();

    [Benchmark, BenchmarkCategory("4-32-16-4 tanh, Adam, pass over 10,000 (batch 32)")]
    public float SmallChainEpoch() => _small.Epoch();

    [Benchmark(Baseline = true), BenchmarkCategory("784-128-10, Adam step, batch 1")]
    public float Mnist1Baseline() => _mnist1.BaselineStep(0);

    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 1")]
    public float Mnist1() => _mnist1.Step(0);

    [Benchmark(Baseline = true), BenchmarkCategory("784-128-10, Adam step, batch 32")]
    public float Mnist32Baseline() => _mnist32.BaselineStep(0);

    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 32")]
    public float Mnist32() => _mnist32.Step(0);

    [Benchmark(Baseline = true), BenchmarkCategory("784-128-10, Adam step, batch 128")]
    public float Mnist128Baseline() => _mnist128.BaselineStep(0);

    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 128")]
    public float Mnist128() => _mnist128.Step(0);

    [Benchmark, BenchmarkCategory("FMA peak (256 MFLOP)")]
    public float FmaPeak()
    {
        var m = Vector512.Create(0.999f);
        var c = Vector512.Create(1e-3f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int i = 0; i < 1_000_000; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
        }
        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    /// <summary>One network trained both ways from the same parameters and data.</summary>
    private sealed class Trained<T> where T : class, INetwork<T>
    {
        private readonly T _net = T.Create(1);
        private readonly IOptimizer _optimizer;
        private readonly float[] _inputs, _targets, _gradients = new float[T.ParameterCount];
        private readonly int _batch, _samples;
        private readonly DynamicMlp _baseline;
        private readonly float[][] _rowsIn, _rowsOut;
        private readonly float[] _theta, _baselineGradients, _m, _v;
        private readonly bool _adam;
        private long _t;

        public Trained(int inputs, Loss loss, (int, Activation)[] layers, int batch, int samples, bool adam)
        {
            _batch = batch;
            _samples = samples;
            _adam = adam;
            _optimizer = adam ? new Adam(1e-4f) : new Sgd(1e-3f);
            _rowsIn = BenchmarkData.Uniform(samples, T.InputSize, seed: 3);
            _rowsOut = loss == Loss.CrossEntropy ? BenchmarkData.OneHot(samples, T.OutputSize, seed: 4) : BenchmarkData.Uniform(samples, T.OutputSize, seed: 4);
            _inputs = _rowsIn.SelectMany(r => r).ToArray();
            _targets = _rowsOut.SelectMany(r => r).ToArray();
            _baseline = new DynamicMlp(inputs, loss, layers);
            _baseline.LoadParameters(_net.Parameters);
            BenchmarkData.AssertSameMath(typeof(T).Name, _net, _baseline, _rowsIn.Take(8).ToArray(), _rowsOut.Take(8).ToArray());
            _theta = _net.Parameters.ToArray();
            _baselineGradients = new float[_baseline.ParameterCount];
            _m = new float[_theta.Length];
            _v = new float[_theta.Length];
        }

        /// <summary>One NetGen step on the batch starting at sample <paramref name="start"/>.</summary>
        public float Step(int start)
        {
            Array.Clear(_gradients);
            var random = new SeededRandom(0);
            float loss = T.TrainingBatch(_net.Parameters, _inputs.AsSpan(start * T.InputSize, _batch * T.InputSize),
                _targets.AsSpan(start * T.OutputSize, _batch * T.OutputSize), _batch, _gradients, ref random);
            float scale = 1f / _batch;
            for (int i = 0; i < _gradients.Length; i++) _gradients[i] *= scale;
            _optimizer.Step(_net.Parameters, _gradients);
            return loss;
        }

        public float Epoch()
        {
            float loss = 0;
            for (int start = 0; start + _batch <= _samples; start += _batch) loss += Step(start);
            return loss;
        }

        /// <summary>One baseline step: summed per-sample gradients, averaged, then scalar Adam or SGD on a flat array.</summary>
        public float BaselineStep(int start)
        {
            Array.Clear(_baselineGradients);
            float loss = 0;
            for (int b = start; b < start + _batch; b++)
                loss += _baseline.Backward(_rowsIn[b], _rowsOut[b], _baselineGradients);
            _t++;
            float correction1 = 1 - MathF.Pow(0.9f, _t), correction2 = 1 - MathF.Pow(0.999f, _t);
            for (int i = 0; i < _theta.Length; i++)
            {
                float g = _baselineGradients[i] / _batch;
                if (_adam)
                {
                    _m[i] = 0.9f * _m[i] + 0.1f * g;
                    _v[i] = 0.999f * _v[i] + 0.001f * g * g;
                    float mHat = _m[i] / correction1, vHat = _v[i] / correction2;
                    _theta[i] -= 1e-4f * mHat / (MathF.Sqrt(vHat) + 1e-8f);
                }
                else
                {
                    _theta[i] -= 1e-3f * g;
                }
            }
            _baseline.LoadParameters(_theta);
            return loss;
        }

        public float BaselineEpoch()
        {
            float loss = 0;
            for (int start = 0; start + _batch <= _samples; start += _batch) loss += BaselineStep(start);
            return loss;
        }
    }
}
