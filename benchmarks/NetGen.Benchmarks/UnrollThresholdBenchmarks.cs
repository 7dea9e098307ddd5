using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

// The networks under test: for each width k the same layers twice, once with every layer unrolled (Unrolled{k},
// Unrolling.Always) and once with every layer as fixed-trip-count SIMD loops (Looped{k}, Unrolling.Never).
// k = 4, 8, 12, 16, 20: two layers, k → Dense(k, tanh) → Dense(k, identity).
// k = 24, 32: one layer, k → Dense(k, tanh). Two layers do not compile with Unrolling.Always there: the second layer's
// backward pass needs 2·k² multiply-adds (1,152 for k = 24, 2,048 for k = 32), more than the 1,024 the generator allows
// in one method (error NG0015). A first layer needs only k² (it has no ∂L/∂x), so one layer fits up to k = 32.

/// <summary>Width 4, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(4, Activation.Tanh)]
[Dense(4, Activation.Identity)]
public partial class Unrolled4 { }

/// <summary>Width 4, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 4, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(4, Activation.Tanh)]
[Dense(4, Activation.Identity)]
public partial class Looped4 { }

/// <summary>Width 8, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(8, Activation.Tanh)]
[Dense(8, Activation.Identity)]
public partial class Unrolled8 { }

/// <summary>Width 8, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 8, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(8, Activation.Tanh)]
[Dense(8, Activation.Identity)]
public partial class Looped8 { }

/// <summary>Width 12, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 12, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(12, Activation.Tanh)]
[Dense(12, Activation.Identity)]
public partial class Unrolled12 { }

/// <summary>Width 12, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 12, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(12, Activation.Tanh)]
[Dense(12, Activation.Identity)]
public partial class Looped12 { }

/// <summary>Width 16, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 16, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Identity)]
public partial class Unrolled16 { }

/// <summary>Width 16, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 16, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Identity)]
public partial class Looped16 { }

/// <summary>Width 20, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 20, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(20, Activation.Tanh)]
[Dense(20, Activation.Identity)]
public partial class Unrolled20 { }

/// <summary>Width 20, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 20, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(20, Activation.Tanh)]
[Dense(20, Activation.Identity)]
public partial class Looped20 { }

/// <summary>Width 24, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 24, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(24, Activation.Tanh)]
public partial class Unrolled24 { }

/// <summary>Width 24, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 24, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(24, Activation.Tanh)]
public partial class Looped24 { }

/// <summary>Width 32, every layer unrolled (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 32, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
[Dense(32, Activation.Tanh)]
public partial class Unrolled32 { }

/// <summary>Width 32, every layer as SIMD loops (see <see cref="UnrollThresholdBenchmarks"/>).</summary>
[Network(Inputs = 32, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
[Dense(32, Activation.Tanh)]
public partial class Looped32 { }

/// <summary>
/// Where unrolling stops paying: for each width k, the fused forward + loss + backward pass (<c>Backward</c>, one sample,
/// mean squared error) of the same network generated with <see cref="Unrolling.Always"/> (straight-line code) and with
/// <see cref="Unrolling.Never"/> (fixed-trip-count SIMD loops). Each category <c>k=NN</c> has the looped variant as
/// its baseline, so the Ratio column reads "unrolled time / looped time": below 1 unrolling pays, above 1 it does not.
/// This is the measurement behind the generator's <c>CodeShape.AutoUnrollMaxWeights</c> (the <see cref="Unrolling.Auto"/>
/// threshold, in weights per layer).
/// </summary>
/// <remarks>
/// <para>
/// Structure: k = 4, 8, 12, 16 and 20 are two layers, k → Dense(k, tanh) → Dense(k, identity); k = 24 and 32 are a
/// single layer, k → Dense(k, tanh), because a second unrolled k×k layer exceeds the generator's 1,024 multiply-adds per
/// method from k = 23 on (error NG0015). So the ratio is comparable across k within each structure, and the absolute
/// times of the two structures are not comparable with each other. The unrolled variants also change shape with k:
/// while the whole Backward fits in one method (k ≤ 12 for two layers) it is one straight-line method; above that each
/// layer gets its own unrolled methods (see the "Code shape" comment at the top of each generated file in obj/).
/// </para>
/// <para>
/// Inputs and targets are 16 fixed-seed samples uniform in [0, 1), cycled with an index; each variant adds into its own
/// gradient buffer, allocated once in <see cref="Setup"/> and never cleared. Both variants of a width share the same
/// parameters, and <see cref="Setup"/> throws unless both agree with <see cref="DynamicMlp"/> within 1e-4 relative.
/// </para>
/// <para>
/// Limits: everything is in L1 cache and the calls are tens to hundreds of nanoseconds, so the numbers reflect
/// instruction count, JIT register allocation and, for the loops, how well k fills the SIMD width of this machine
/// (k not a multiple of the vector width leaves a scalar tail). The crossover therefore depends on the CPU and the
/// runtime version, and ratios are comparable only within one run on one machine.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UnrollThresholdBenchmarks
{
    private const int Samples = 16;

    private Unrolled4 _unrolled4 = null!;
    private Looped4 _looped4 = null!;
    private Buffers _buffers4 = null!;

    private Unrolled8 _unrolled8 = null!;
    private Looped8 _looped8 = null!;
    private Buffers _buffers8 = null!;

    private Unrolled12 _unrolled12 = null!;
    private Looped12 _looped12 = null!;
    private Buffers _buffers12 = null!;

    private Unrolled16 _unrolled16 = null!;
    private Looped16 _looped16 = null!;
    private Buffers _buffers16 = null!;

    private Unrolled20 _unrolled20 = null!;
    private Looped20 _looped20 = null!;
    private Buffers _buffers20 = null!;

    private Unrolled24 _unrolled24 = null!;
    private Looped24 _looped24 = null!;
    private Buffers _buffers24 = null!;

    private Unrolled32 _unrolled32 = null!;
    private Looped32 _looped32 = null!;
    private Buffers _buffers32 = null!;

    private int _index;

    /// <summary>Creates every pair with shared parameters and fixed-seed inputs, and checks both against the baseline.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_unrolled4, _looped4, _buffers4) = Prepare<Unrolled4, Looped4>(4, twoLayers: true);
        (_unrolled8, _looped8, _buffers8) = Prepare<Unrolled8, Looped8>(8, twoLayers: true);
        (_unrolled12, _looped12, _buffers12) = Prepare<Unrolled12, Looped12>(12, twoLayers: true);
        (_unrolled16, _looped16, _buffers16) = Prepare<Unrolled16, Looped16>(16, twoLayers: true);
        (_unrolled20, _looped20, _buffers20) = Prepare<Unrolled20, Looped20>(20, twoLayers: true);
        (_unrolled24, _looped24, _buffers24) = Prepare<Unrolled24, Looped24>(24, twoLayers: false);
        (_unrolled32, _looped32, _buffers32) = Prepare<Unrolled32, Looped32>(32, twoLayers: false);
        _index = 0;
    }

    /// <summary>Backward of <see cref="Looped4"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=04")]
    public float BackwardLooped4()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped4.Backward(_buffers4.Inputs[i], _buffers4.Targets[i], _buffers4.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled4"/>.</summary>
    [Benchmark, BenchmarkCategory("k=04")]
    public float BackwardUnrolled4()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled4.Backward(_buffers4.Inputs[i], _buffers4.Targets[i], _buffers4.UnrolledGradients);
    }

    /// <summary>Backward of <see cref="Looped8"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=08")]
    public float BackwardLooped8()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped8.Backward(_buffers8.Inputs[i], _buffers8.Targets[i], _buffers8.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled8"/>.</summary>
    [Benchmark, BenchmarkCategory("k=08")]
    public float BackwardUnrolled8()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled8.Backward(_buffers8.Inputs[i], _buffers8.Targets[i], _buffers8.UnrolledGradients);
    }

    /// <summary>Backward of <see cref="Looped12"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=12")]
    public float BackwardLooped12()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped12.Backward(_buffers12.Inputs[i], _buffers12.Targets[i], _buffers12.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled12"/>.</summary>
    [Benchmark, BenchmarkCategory("k=12")]
    public float BackwardUnrolled12()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled12.Backward(_buffers12.Inputs[i], _buffers12.Targets[i], _buffers12.UnrolledGradients);
    }

    /// <summary>Backward of <see cref="Looped16"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=16")]
    public float BackwardLooped16()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped16.Backward(_buffers16.Inputs[i], _buffers16.Targets[i], _buffers16.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled16"/>.</summary>
    [Benchmark, BenchmarkCategory("k=16")]
    public float BackwardUnrolled16()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled16.Backward(_buffers16.Inputs[i], _buffers16.Targets[i], _buffers16.UnrolledGradients);
    }

    /// <summary>Backward of <see cref="Looped20"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=20")]
    public float BackwardLooped20()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped20.Backward(_buffers20.Inputs[i], _buffers20.Targets[i], _buffers20.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled20"/>.</summary>
    [Benchmark, BenchmarkCategory("k=20")]
    public float BackwardUnrolled20()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled20.Backward(_buffers20.Inputs[i], _buffers20.Targets[i], _buffers20.UnrolledGradients);
    }

    /// <summary>Backward of <see cref="Looped24"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=24")]
    public float BackwardLooped24()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped24.Backward(_buffers24.Inputs[i], _buffers24.Targets[i], _buffers24.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled24"/>.</summary>
    [Benchmark, BenchmarkCategory("k=24")]
    public float BackwardUnrolled24()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled24.Backward(_buffers24.Inputs[i], _buffers24.Targets[i], _buffers24.UnrolledGradients);
    }

    /// <summary>Backward of <see cref="Looped32"/> (the baseline of its width).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("k=32")]
    public float BackwardLooped32()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _looped32.Backward(_buffers32.Inputs[i], _buffers32.Targets[i], _buffers32.LoopedGradients);
    }

    /// <summary>Backward of <see cref="Unrolled32"/>.</summary>
    [Benchmark, BenchmarkCategory("k=32")]
    public float BackwardUnrolled32()
    {
        int i = _index = (_index + 1) & (Samples - 1);
        return _unrolled32.Backward(_buffers32.Inputs[i], _buffers32.Targets[i], _buffers32.UnrolledGradients);
    }

    private static (TUnrolled, TLooped, Buffers) Prepare<TUnrolled, TLooped>(int k, bool twoLayers)
        where TUnrolled : class, INetwork<TUnrolled>
        where TLooped : class, INetwork<TLooped>
    {
        var unrolled = TUnrolled.Create(seed: k);
        var looped = TLooped.Create(seed: k);
        unrolled.Parameters.CopyTo(looped.Parameters);
        var baseline = twoLayers
            ? new DynamicMlp(k, Loss.MeanSquaredError, (k, Activation.Tanh), (k, Activation.Identity))
            : new DynamicMlp(k, Loss.MeanSquaredError, (k, Activation.Tanh));
        baseline.LoadParameters(unrolled.Parameters);
        var buffers = new Buffers(
            BenchmarkData.Uniform(Samples, k, seed: 100 + k),
            BenchmarkData.Uniform(Samples, k, seed: 200 + k),
            new float[TUnrolled.ParameterCount],
            new float[TLooped.ParameterCount]);
        BenchmarkData.AssertSameMath(typeof(TUnrolled).Name, unrolled, baseline, buffers.Inputs, buffers.Targets);
        BenchmarkData.AssertSameMath(typeof(TLooped).Name, looped, baseline, buffers.Inputs, buffers.Targets);
        return (unrolled, looped, buffers);
    }

    /// <summary>The fixed inputs of one width and the gradient buffers its two variants add into.</summary>
    private sealed record Buffers(float[][] Inputs, float[][] Targets, float[] UnrolledGradients, float[] LoopedGradients);
}
