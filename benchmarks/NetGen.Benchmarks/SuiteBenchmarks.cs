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

/// <summary>Elman 1-32-1 over 24 steps (the recurrent suite rows).</summary>
[Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
[Recurrent(32)]
[Dense(1)]
public partial class BenchElman { }

/// <summary>LSTM 1-32-1 over 24 steps.</summary>
[Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
[Lstm(32)]
[Dense(1)]
public partial class BenchLstm { }

/// <summary>The Fashion-MNIST CNN without dropout (the baseline has none): 1×28×28 → conv 5×5 (16) → pool → conv 5×5 (32) → pool → 128 → 10.</summary>
[Network(InputShape = new[] { 1, 28, 28 }, Loss = Loss.CrossEntropy)]
[Conv2D(16, Kernel = 5, Padding = 2, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(32, Kernel = 5, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class BenchCnn { }

/// <summary>
/// The performance suite (docs/performance.md): every row NetGen runs against <see cref="DynamicMlp"/> plus plain scalar
/// Adam/SGD — the straightforward dynamic-size C# implementation — as that category's baseline, so the Ratio column
/// compares the same work. The yardsticks are measured in the same run: <c>FmaPeak</c> (this core's FMA throughput
/// on the widest vector accelerated here, <see cref="Yardsticks"/>), <c>FmaPeakTwoThreads</c> (what two threads get together) and <c>L2Read</c> (read bandwidth from L2).
/// The <c>GFLOP/s</c> and <c>% peak</c> columns divide each row's arithmetic (<see cref="Flops"/>) by its time and by
/// the same run's one-thread FMA peak.
/// </summary>
/// <remarks>
/// A training step is what <c>Trainer.Fit</c> does per batch: clear the gradient, <c>TrainingBatch</c>, scale by 1/B,
/// the optimizer's step. Data are random (uniform inputs, one-hot or uniform targets) — time does not depend on the
/// values — except the Fashion-MNIST epoch, which reads the real images when the Debian package is installed.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(SuiteConfig))]
public class SuiteBenchmarks
{
    /// <summary>
    /// Floating-point operations per invocation, by method name: per sample of a training pass 2·in·out for z,
    /// 2·in·out for ∂L/∂W and 2·in·out for ∂L/∂x except in the first layer (784-128-10: 409,088); 2·in·out for inference.
    /// The optimizer's few operations per parameter are not counted.
    /// </summary>
    public static readonly Dictionary<string, double> Flops = new()
    {
        [nameof(XorStep)] = 4 * 56.0, [nameof(XorStepBaseline)] = 4 * 56.0,
        [nameof(SmallChainEpoch)] = 10_000 * 3_968.0, [nameof(SmallChainEpochBaseline)] = 10_000 * 3_968.0,
        [nameof(Mnist1)] = 409_088.0, [nameof(Mnist1Baseline)] = 409_088.0,
        [nameof(Mnist32)] = 32 * 409_088.0, [nameof(Mnist32Baseline)] = 32 * 409_088.0,
        [nameof(Mnist128)] = 128 * 409_088.0, [nameof(Mnist128Baseline)] = 128 * 409_088.0, [nameof(Mnist128TwoThreads)] = 128 * 409_088.0,
        [nameof(Predict)] = 203_264.0, [nameof(PredictBaseline)] = 203_264.0,
        [nameof(FashionEpoch)] = FashionSamples * 409_088.0, [nameof(FashionEpochBaseline)] = FashionSamples * 409_088.0,
        // Recurrent rows: the generated Operations' forward + backward FLOPs per sample (the one count of the layer's work).
        [nameof(ElmanStep1)] = TrainingFlops<BenchElman>(), [nameof(ElmanStep1Baseline)] = TrainingFlops<BenchElman>(),
        [nameof(ElmanStep32)] = 32 * TrainingFlops<BenchElman>(), [nameof(ElmanStep32Baseline)] = 32 * TrainingFlops<BenchElman>(),
        [nameof(LstmStep1)] = TrainingFlops<BenchLstm>(), [nameof(LstmStep1Baseline)] = TrainingFlops<BenchLstm>(),
        [nameof(LstmStep32)] = 32 * TrainingFlops<BenchLstm>(), [nameof(LstmStep32Baseline)] = 32 * TrainingFlops<BenchLstm>(),
        [nameof(CnnStep32)] = 32 * TrainingFlops<BenchCnn>(), [nameof(CnnStep32Baseline)] = 32 * TrainingFlops<BenchCnn>(),
        [nameof(CnnPredict)] = BenchCnn.Operations.Sum(o => (double)o.ForwardFlops), [nameof(CnnPredictBaseline)] = BenchCnn.Operations.Sum(o => (double)o.ForwardFlops),
        [nameof(FmaPeak)] = Yardsticks.FmaFlops, [nameof(FmaPeakTwoThreads)] = 2 * Yardsticks.FmaFlops,
    };

    private static double TrainingFlops<T>() where T : class, INetwork<T> => T.Operations.Sum(o => (double)(o.ForwardFlops + o.BackwardFlops));

    private readonly TrainedRecurrent<BenchElman> _elman1 = new(24, 32, lstm: false, batch: 1);
    private readonly TrainedRecurrent<BenchElman> _elman32 = new(24, 32, lstm: false, batch: 32);
    private readonly TrainedRecurrent<BenchLstm> _lstm1 = new(24, 32, lstm: true, batch: 1);
    private readonly TrainedRecurrent<BenchLstm> _lstm32 = new(24, 32, lstm: true, batch: 32);

    private readonly TrainedCnn _cnn32 = new(batch: 32);

    [Benchmark(Baseline = true), BenchmarkCategory("Fashion CNN (2 conv + pool, 117k parameters), Adam step, batch 32")]
    public float CnnStep32Baseline() => _cnn32.BaselineStep();

    [Benchmark, BenchmarkCategory("Fashion CNN (2 conv + pool, 117k parameters), Adam step, batch 32")]
    public float CnnStep32() => _cnn32.Step();

    [Benchmark(Baseline = true), BenchmarkCategory("Fashion CNN, predict one image")]
    public float CnnPredictBaseline() => _cnn32.PredictBaseline();

    [Benchmark, BenchmarkCategory("Fashion CNN, predict one image")]
    public float CnnPredict() => _cnn32.Predict();

    [Benchmark(Baseline = true), BenchmarkCategory("Elman 1-32-1, T = 24, Adam step, batch 1")]
    public float ElmanStep1Baseline() => _elman1.BaselineStep();

    [Benchmark, BenchmarkCategory("Elman 1-32-1, T = 24, Adam step, batch 1")]
    public float ElmanStep1() => _elman1.Step();

    [Benchmark(Baseline = true), BenchmarkCategory("Elman 1-32-1, T = 24, Adam step, batch 32")]
    public float ElmanStep32Baseline() => _elman32.BaselineStep();

    [Benchmark, BenchmarkCategory("Elman 1-32-1, T = 24, Adam step, batch 32")]
    public float ElmanStep32() => _elman32.Step();

    [Benchmark(Baseline = true), BenchmarkCategory("LSTM 1-32-1, T = 24, Adam step, batch 1")]
    public float LstmStep1Baseline() => _lstm1.BaselineStep();

    [Benchmark, BenchmarkCategory("LSTM 1-32-1, T = 24, Adam step, batch 1")]
    public float LstmStep1() => _lstm1.Step();

    [Benchmark(Baseline = true), BenchmarkCategory("LSTM 1-32-1, T = 24, Adam step, batch 32")]
    public float LstmStep32Baseline() => _lstm32.BaselineStep();

    [Benchmark, BenchmarkCategory("LSTM 1-32-1, T = 24, Adam step, batch 32")]
    public float LstmStep32() => _lstm32.Step();
    private const int FashionSamples = 60_000;

    private readonly Trained<BenchXorNet> _xor = new(2, Loss.MeanSquaredError, [(4, Activation.Tanh), (1, Activation.Sigmoid)], batch: 4, samples: 4, adam: false);
    private readonly Trained<BenchSmallChain> _small = new(4, Loss.MeanSquaredError, [(32, Activation.Tanh), (16, Activation.Tanh), (4, Activation.Identity)], batch: 32, samples: 10_000, adam: true);
    private readonly Trained<BenchMnistNet> _mnist1 = new(784, Loss.CrossEntropy, [(128, Activation.ReLU), (10, Activation.Softmax)], batch: 1, samples: 128, adam: true);
    private readonly Trained<BenchMnistNet> _mnist32 = new(784, Loss.CrossEntropy, [(128, Activation.ReLU), (10, Activation.Softmax)], batch: 32, samples: 128, adam: true);
    private readonly Trained<BenchMnistNet> _mnist128 = new(784, Loss.CrossEntropy, [(128, Activation.ReLU), (10, Activation.Softmax)], batch: 128, samples: 128, adam: true);
    private readonly ParallelBatch<BenchMnistNet> _twoThreads = new(2, nameof(BenchMnistNet));
    private readonly float[] _l2 = BenchmarkData.Uniform(1, BenchMnistNet.ParameterCount, seed: 5)[0];
    private readonly float[][] _adamState = BenchmarkData.Uniform(4, BenchMnistNet.ParameterCount, seed: 6);
    private Fashion _fashion = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fashion = new Fashion(FashionSamples);
        StartHelper();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _twoThreads.Dispose();
        _fashion = null!;
        _helperStart.Release();
        _helper?.Join();
    }

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

    /// <summary>
    /// One pass reading the 784-128-10 network's gradient and reading and writing its parameters, m and v (5 × 407 KB):
    /// the memory floor of its Adam step at batch 1 (the target: the step within 1.3× of it).
    /// </summary>
    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 1")]
    public float AdamStateFloor() => Yardsticks.OptimizerPass(_adamState[0], _adamState[1], _adamState[2], _adamState[3]);

    [Benchmark(Baseline = true), BenchmarkCategory("784-128-10, Adam step, batch 32")]
    public float Mnist32Baseline() => _mnist32.BaselineStep(0);

    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 32")]
    public float Mnist32() => _mnist32.Step(0);

    [Benchmark(Baseline = true), BenchmarkCategory("784-128-10, Adam step, batch 128")]
    public float Mnist128Baseline() => _mnist128.BaselineStep(0);

    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 128")]
    public float Mnist128() => _mnist128.Step(0);

    /// <summary>The same step with the batch split across two threads (Trainer.Threads = 2).</summary>
    [Benchmark, BenchmarkCategory("784-128-10, Adam step, batch 128")]
    public float Mnist128TwoThreads() => _mnist128.Step(0, _twoThreads);

    [Benchmark(Baseline = true), BenchmarkCategory("784-128-10, predict one sample")]
    public float PredictBaseline() => _mnist1.BaselinePredict();

    [Benchmark, BenchmarkCategory("784-128-10, predict one sample")]
    public float Predict() => _mnist1.Predict();

    /// <summary>Reads every parameter of the 784-128-10 network (407 KB, L2-resident once warm): the floor for Predict.</summary>
    [Benchmark, BenchmarkCategory("784-128-10, predict one sample")]
    public float L2Read() => Yardsticks.Read(_l2);

    [Benchmark(Baseline = true), BenchmarkCategory("Fashion-MNIST epoch, 784-128-10, Adam, batch 32")]
    public float FashionEpochBaseline() => _fashion.BaselineEpoch();

    /// <summary>One <c>Trainer.Fit</c> epoch on one thread (Threads = 1; the automatic choice also keeps batch 32 on one).</summary>
    [Benchmark, BenchmarkCategory("Fashion-MNIST epoch, 784-128-10, Adam, batch 32")]
    public float FashionEpoch() => _fashion.Epoch();

    [Benchmark, BenchmarkCategory("FMA peak (256 MFLOP per thread)")]
    public float FmaPeak() => Fma();

    /// <summary>Two threads running <see cref="FmaPeak"/>'s loop at once: the most two threads can get from this machine.</summary>
    [Benchmark, BenchmarkCategory("FMA peak (256 MFLOP per thread)")]
    public float FmaPeakTwoThreads()
    {
        _helperStart.Release();
        float mine = Fma();
        _helperDone.Wait();
        return mine + _helperResult;
    }

    private readonly SemaphoreSlim _helperStart = new(0), _helperDone = new(0);
    private float _helperResult;
    private Thread? _helper;

    private void StartHelper()
    {
        _helper = new Thread(() =>
        {
            while (true)
            {
                _helperStart.Wait();
                if (_fashion is null) return;
                _helperResult = Fma();
                _helperDone.Release();
            }
        }) { IsBackground = true };
        _helper.Start();
    }

    private static float Fma() => Yardsticks.Fma();
}
