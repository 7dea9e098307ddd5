using NetGen.Tests.Training;

namespace NetGen.Tests.Persistence;

/// <summary>The Iris network with the checkpoint written by samples/Iris compiled in.</summary>
[Network(Inputs = 4, Loss = Loss.CrossEntropy, Weights = "models/iris.ngw")]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class EmbeddedIris { }

public class EmbeddedWeightsTests
{
    private static IrisNet LoadedFromDisk()
    {
        var net = new IrisNet(seed: 77);
        Checkpoint.Load(net, Path.Combine(AppContext.BaseDirectory, "Data", "iris.ngw"));
        return net;
    }

    [Fact]
    public void Embedded_parameters_are_the_checkpoint_bit_for_bit()
    {
        var loaded = LoadedFromDisk();
        Assert.Equal(IrisNet.Architecture, EmbeddedIris.Architecture);
        Assert.Equal(
            loaded.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits),
            EmbeddedIris.EmbeddedParameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(loaded.Parameters.ToArray(), EmbeddedIris.CreateEmbedded().Parameters.ToArray());
    }

    [Fact]
    public void PredictEmbedded_equals_Predict_of_the_loaded_network_bit_for_bit()
    {
        var loaded = LoadedFromDisk();
        var random = new Random(3);
        var input = new float[4];
        var embedded = new float[3];
        var reference = new float[3];
        for (int trial = 0; trial < 200; trial++)
        {
            for (int j = 0; j < 4; j++) input[j] = (float)(random.NextDouble() * 6 - 3);
            EmbeddedIris.PredictEmbedded(input, embedded);
            loaded.Predict(input, reference);
            Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), embedded.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void PredictEmbedded_allocates_nothing()
    {
        var input = new float[] { 0.1f, -0.2f, 0.3f, 0.4f };
        var output = new float[3];
        // Warm up past tiered compilation (its tier-1 code is installed ~100 ms after the 30th call): its bookkeeping
        // allocates on the calling thread if it lands inside the measured loop.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300) EmbeddedIris.PredictEmbedded(input, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) EmbeddedIris.PredictEmbedded(input, output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}

/// <summary>The standardizer and species names compiled in from the same checkpoint.</summary>
public class EmbeddedPreprocessingTests
{
    [Fact]
    public void PredictEmbedded_takes_raw_features_and_standardizes_them_with_the_compiled_constants()
    {
        var file = new IrisNet(1);
        Checkpoint.Load(file, Path.Combine(AppContext.BaseDirectory, "Data", "iris.ngw"));
        Assert.NotNull(file.Standardizer);
        Assert.Equal(file.Standardizer!.Mean.ToArray(), EmbeddedIris.EmbeddedInputMean.ToArray());
        Assert.Equal(file.Standardizer.Scale.ToArray(), EmbeddedIris.EmbeddedInputScale.ToArray());
        Assert.Equal(["setosa", "versicolor", "virginica"], EmbeddedIris.EmbeddedClassNames);
        var random = new Random(4);
        var raw = new float[4];
        var embedded = new float[3];
        var expected = new float[3];
        var x = new float[4];
        for (int trial = 0; trial < 100; trial++)
        {
            for (int j = 0; j < 4; j++) raw[j] = (float)(random.NextDouble() * 7);
            for (int j = 0; j < 4; j++) x[j] = (raw[j] - EmbeddedIris.EmbeddedInputMean[j]) / EmbeddedIris.EmbeddedInputScale[j];
            EmbeddedIris.PredictEmbedded(raw, embedded);
            EmbeddedIris.Forward(EmbeddedIris.EmbeddedParameters, x, expected);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), embedded.Select(BitConverter.SingleToInt32Bits));
        }
        var created = EmbeddedIris.CreateEmbedded();
        Assert.Equal(EmbeddedIris.EmbeddedInputMean.ToArray(), created.Standardizer!.Mean.ToArray());
        Assert.Equal(EmbeddedIris.EmbeddedClassNames, created.ClassNames);
        Assert.Equal("virginica", created.PredictClass([6.3f, 2.9f, 5.6f, 1.8f]).Name);
    }
}
