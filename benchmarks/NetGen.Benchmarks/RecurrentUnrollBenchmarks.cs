using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

// Small Elman networks (F inputs per step, H units, T steps, then Dense(1)) twice: with Unrolling.Auto, which unrolls
// them (a region per time step), and with Unrolling.Never (the time loop over RecurrentKernels).

/// <summary>F = 2, H = 4, T = 5, unrolled.</summary>
[Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
[Recurrent(4)]
[Dense(1)]
public partial class UnrolledElman2x4x5 { }

/// <summary>F = 2, H = 4, T = 5, looped.</summary>
[Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Recurrent(4)]
[Dense(1)]
public partial class LoopedElman2x4x5 { }

/// <summary>F = 4, H = 8, T = 5 (896 multiply-adds in the backward method), unrolled.</summary>
[Network(Inputs = 4, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
[Recurrent(8)]
[Dense(1)]
public partial class UnrolledElman4x8x5 { }

/// <summary>F = 4, H = 8, T = 5, looped.</summary>
[Network(Inputs = 4, SequenceLength = 5, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Recurrent(8)]
[Dense(1)]
public partial class LoopedElman4x8x5 { }

/// <summary>F = 1, H = 8, T = 7 (944 multiply-adds), unrolled.</summary>
[Network(Inputs = 1, SequenceLength = 7, Loss = Loss.MeanSquaredError)]
[Recurrent(8)]
[Dense(1)]
public partial class UnrolledElman1x8x7 { }

/// <summary>F = 1, H = 8, T = 7, looped.</summary>
[Network(Inputs = 1, SequenceLength = 7, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Recurrent(8)]
[Dense(1)]
public partial class LoopedElman1x8x7 { }

/// <summary>
/// Backward (forward, loss and BPTT of one sample) and Predict of small Elman networks, unrolled (<c>Unrolling.Auto</c>)
/// against the same network looped (<c>Unrolling.Never</c>, the baseline of each category): the measurement behind
/// the generator's rule for unrolling a recurrent layer (<c>RecurrentOp.IsUnrollable</c>). Both variants share their
/// parameters; <see cref="Setup"/> checks that their gradients agree with <see cref="DynamicRecurrent"/> where it applies
/// (one input per step) and with each other everywhere.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RecurrentUnrollBenchmarks
{
    private readonly Pair<UnrolledElman2x4x5, LoopedElman2x4x5> _small = new();
    private readonly Pair<UnrolledElman4x8x5, LoopedElman4x8x5> _wide = new();
    private readonly Pair<UnrolledElman1x8x7, LoopedElman1x8x7> _long = new();

    /// <summary>Checks every pair computes the same gradients (and the baseline's, for one input per step).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _small.Check(null);
        _wide.Check(null);
        _long.Check(new DynamicRecurrent(7, 1, 8, lstm: false));
    }

    [Benchmark(Baseline = true), BenchmarkCategory("2x4x5 Backward")] public float LoopedBackward2x4x5() => _small.LoopedBackward();
    [Benchmark, BenchmarkCategory("2x4x5 Backward")] public float UnrolledBackward2x4x5() => _small.UnrolledBackward();
    [Benchmark(Baseline = true), BenchmarkCategory("2x4x5 Predict")] public float LoopedPredict2x4x5() => _small.LoopedPredict();
    [Benchmark, BenchmarkCategory("2x4x5 Predict")] public float UnrolledPredict2x4x5() => _small.UnrolledPredict();
    [Benchmark(Baseline = true), BenchmarkCategory("4x8x5 Backward")] public float LoopedBackward4x8x5() => _wide.LoopedBackward();
    [Benchmark, BenchmarkCategory("4x8x5 Backward")] public float UnrolledBackward4x8x5() => _wide.UnrolledBackward();
    [Benchmark(Baseline = true), BenchmarkCategory("4x8x5 Predict")] public float LoopedPredict4x8x5() => _wide.LoopedPredict();
    [Benchmark, BenchmarkCategory("4x8x5 Predict")] public float UnrolledPredict4x8x5() => _wide.UnrolledPredict();
    [Benchmark(Baseline = true), BenchmarkCategory("1x8x7 Backward")] public float LoopedBackward1x8x7() => _long.LoopedBackward();
    [Benchmark, BenchmarkCategory("1x8x7 Backward")] public float UnrolledBackward1x8x7() => _long.UnrolledBackward();
    [Benchmark(Baseline = true), BenchmarkCategory("1x8x7 Predict")] public float LoopedPredict1x8x7() => _long.LoopedPredict();
    [Benchmark, BenchmarkCategory("1x8x7 Predict")] public float UnrolledPredict1x8x7() => _long.UnrolledPredict();

    /// <summary>One size: both variants on shared parameters, 16 fixed-seed sequences cycled by index.</summary>
    private sealed class Pair<TUnrolled, TLooped>
        where TUnrolled : class, INetwork<TUnrolled>
        where TLooped : class, INetwork<TLooped>
    {
        private const int Samples = 16;
        private readonly TUnrolled _unrolled = TUnrolled.Create(1);
        private readonly TLooped _looped = TLooped.Create(1);
        private readonly float[][] _inputs = BenchmarkData.Uniform(Samples, TUnrolled.InputSize, seed: TUnrolled.InputSize);
        private readonly float[][] _targets = BenchmarkData.Uniform(Samples, 1, seed: 7);
        private readonly float[] _unrolledGradients = new float[TUnrolled.ParameterCount], _loopedGradients = new float[TLooped.ParameterCount];
        private readonly float[] _output = new float[1];
        private int _index;

        public Pair() => _unrolled.Parameters.CopyTo(_looped.Parameters);

        public void Check(DynamicRecurrent? baseline)
        {
            if (TUnrolled.Architecture.Replace(" ", "") != TLooped.Architecture.Replace(" ", ""))
                throw new InvalidOperationException($"{typeof(TUnrolled).Name} and {typeof(TLooped).Name} are not the same network.");
            var a = new float[TUnrolled.ParameterCount];
            var b = new float[TLooped.ParameterCount];
            _unrolled.Backward(_inputs[0], _targets[0], a);
            _looped.Backward(_inputs[0], _targets[0], b);
            var c = baseline is null ? null : new float[a.Length];
            baseline?.Backward(_unrolled.Parameters.ToArray(), _inputs[0], _targets[0][0], c!);
            for (int k = 0; k < a.Length; k++)
                if (MathF.Abs(a[k] - b[k]) > 1e-5f + 1e-4f * MathF.Abs(b[k]) || c is not null && MathF.Abs(a[k] - c[k]) > 1e-5f + 1e-4f * MathF.Abs(c[k]))
                    throw new InvalidOperationException($"{typeof(TUnrolled).Name}: ∂L/∂{TUnrolled.ParameterName(k)} is {a[k]} unrolled, {b[k]} looped{(c is null ? "" : $", {c[k]} in the baseline")}.");
        }

        public float UnrolledBackward() { int i = _index = (_index + 1) & (Samples - 1); return _unrolled.Backward(_inputs[i], _targets[i], _unrolledGradients); }
        public float LoopedBackward() { int i = _index = (_index + 1) & (Samples - 1); return _looped.Backward(_inputs[i], _targets[i], _loopedGradients); }
        public float UnrolledPredict() { int i = _index = (_index + 1) & (Samples - 1); _unrolled.Predict(_inputs[i], _output); return _output[0]; }
        public float LoopedPredict() { int i = _index = (_index + 1) & (Samples - 1); _looped.Predict(_inputs[i], _output); return _output[0]; }
    }
}
