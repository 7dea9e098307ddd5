using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks;

/// <summary>The Iris network with the trained checkpoint compiled in.</summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy, Weights = "models/iris.ngw")]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class BenchEmbeddedIris { }

/// <summary>
/// Compiled-in weights against loading the same checkpoint from disk, for the 4-16-3 Iris network.
/// <c>Ready</c>: what it costs to have a model ready to predict — reading and validating the checkpoint file into a new
/// network (the baseline) against copying the compiled-in parameters into a new instance (<c>CreateEmbedded</c>; the
/// static <c>PredictEmbedded</c> needs not even that). <c>Predict</c>: one prediction with the loaded instance (baseline)
/// against the static <c>PredictEmbedded</c> over the assembly's static data.
/// </summary>
/// <remarks>The file is read through the OS page cache after the first iteration, so the load figure is the cost of
/// opening, reading, checksumming and validating, not of a cold disk. Setup checks that both predict the same.</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EmbeddedModelBenchmarks
{
    private readonly float[] _input = [0.3f, -1.2f, 0.8f, 0.5f];
    private readonly float[] _output = new float[3];
    private string _path = "";
    private BenchEmbeddedIris _loaded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(AppContext.BaseDirectory, "models", "iris.ngw");
        _loaded = new BenchEmbeddedIris();
        Checkpoint.Load(_loaded, _path);
        var a = new float[3];
        var b = new float[3];
        _loaded.Predict(_input, a);
        BenchEmbeddedIris.PredictEmbedded(_input, b);
        if (!a.SequenceEqual(b))
            throw new InvalidOperationException("The loaded and the embedded network disagree.");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Ready")]
    public BenchEmbeddedIris LoadCheckpointFromDisk()
    {
        var network = new BenchEmbeddedIris();
        Checkpoint.Load(network, _path);
        return network;
    }

    [Benchmark, BenchmarkCategory("Ready")]
    public BenchEmbeddedIris CreateEmbedded() => BenchEmbeddedIris.CreateEmbedded();

    [Benchmark(Baseline = true), BenchmarkCategory("Predict")]
    public float PredictLoaded()
    {
        _loaded.Predict(_input, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("Predict")]
    public float PredictEmbedded()
    {
        BenchEmbeddedIris.PredictEmbedded(_input, _output);
        return _output[0];
    }
}
