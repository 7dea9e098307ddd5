using System.Buffers.Binary;
using System.IO.Hashing;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen.Onnx;
using NetGen.Onnx.Protos;
using NetGen.Tests.Training;

namespace NetGen.Tests.Persistence;

/// <summary>
/// A standardizer and class names are part of the network: every instance method takes raw features, and checkpoints,
/// compiled-in weights and ONNX exports carry them. Expected values are computed here from the formula x′ = (x − μ)/σ
/// and the static kernels, which take the layers' input.
/// </summary>
public class PreprocessingTests
{
    private static readonly float[] Mean = [5.8f, 3.1f, 3.7f, 1.2f];
    private static readonly float[] Scale = [0.8f, 0.45f, 1.8f, 0.75f];
    private static readonly string[] Species = ["setosa", "versicolor", "virginica"];

    private static float[] Standardized(ReadOnlySpan<float> raw, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        var x = new float[raw.Length];
        for (int j = 0; j < raw.Length; j++) x[j] = (raw[j] - mean[j]) / scale[j];
        return x;
    }

    private static IrisNet Standardized(int seed) => new(seed) { Standardizer = Standardizer.Create(Mean, Scale), ClassNames = Species };

    private static float[] RawRow(Random random) => [(float)(4 + 4 * random.NextDouble()), (float)(2 + 2 * random.NextDouble()), (float)(1 + 6 * random.NextDouble()), (float)(2.5 * random.NextDouble())];

    private static Dataset RawIris(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * 4];
        var targets = new float[count * 3];
        for (int i = 0; i < count; i++)
        {
            RawRow(random).CopyTo(inputs, i * 4);
            int label = inputs[i * 4 + 2] < 2.5f ? 0 : inputs[i * 4 + 3] < 1.7f ? 1 : 2; // petal length and width decide, as in the data
            targets[i * 3 + label] = 1;
        }
        return new Dataset(inputs, targets, 4, 3);
    }

    private static int[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Every_instance_method_standardizes_raw_features_first()
    {
        var net = Standardized(3);
        var random = new Random(1);
        var output = new float[3];
        var expected = new float[3];
        float[] target = [0, 1, 0];
        for (int trial = 0; trial < 50; trial++)
        {
            float[] raw = RawRow(random);
            float[] x = Standardized(raw, Mean, Scale);
            net.Predict(raw, output);
            IrisNet.Forward(net.Parameters, x, expected);
            Assert.Equal(Bits(expected), Bits(output));
            Assert.Equal(IrisNet.ComputeLoss(net.Parameters, x, target), net.ComputeLoss(raw, target));
            var g1 = new float[IrisNet.ParameterCount];
            var g2 = new float[IrisNet.ParameterCount];
            Assert.Equal(IrisNet.Backward(net.Parameters, x, target, g1), net.Backward(raw, target, g2));
            Assert.Equal(Bits(g1), Bits(g2));
        }
    }

    [Fact]
    public void Without_a_standardizer_the_instance_methods_are_the_kernels()
    {
        var net = new IrisNet(3);
        float[] raw = [6.1f, 2.8f, 4.7f, 1.2f];
        var output = new float[3];
        var expected = new float[3];
        net.Predict(raw, output);
        IrisNet.Forward(net.Parameters, raw, expected);
        Assert.Equal(Bits(expected), Bits(output));
    }

    [Fact]
    public void A_standardizer_or_names_that_do_not_fit_are_refused_naming_the_size()
    {
        var net = new IrisNet(1);
        var wrongWidth = Assert.Throws<ArgumentException>(() => net.Standardizer = Standardizer.Create([1f, 2f], [1f, 1f]));
        Assert.Contains("IrisNet.InputSize is 4", wrongWidth.Message);
        var wrongCount = Assert.Throws<ArgumentException>(() => net.ClassNames = ["a", "b"]);
        Assert.Contains("3 class names", wrongCount.Message);
        Assert.Throws<ArgumentException>(() => net.ClassNames = ["a", " ", "c"]);
        Assert.Throws<ArgumentException>(() => Standardizer.Create([1f], [0f]));
        Assert.Throws<ArgumentException>(() => Standardizer.Create([float.NaN], [1f]));
        Assert.Null(net.Standardizer);
    }

    [Fact]
    public void Fit_and_Evaluate_on_raw_data_equal_them_on_data_standardized_by_hand()
    {
        var data = RawIris(120, 5);
        var (train, validation) = data.Split(0.25, 1);
        var standardizer = Standardizer.Fit(train);
        var inside = new IrisNet(7) { Standardizer = standardizer };
        var outside = new IrisNet(7);
        var a = new Trainer<IrisNet>(inside, new Adam(0.01f), 3) { BatchSize = 8 };
        var b = new Trainer<IrisNet>(outside, new Adam(0.01f), 3) { BatchSize = 8 };
        var historyA = a.Fit(train, 15, validation);
        var historyB = b.Fit(standardizer.Transform(train), 15, standardizer.Transform(validation));
        Assert.Equal(Bits(outside.Parameters), Bits(inside.Parameters));
        Assert.Equal(historyB.Epochs.Select(e => e.Validation!.Value.Loss), historyA.Epochs.Select(e => e.Validation!.Value.Loss));
        Assert.Equal(b.Evaluate(standardizer.Transform(validation)).Loss, a.Evaluate(validation).Loss);
        Assert.Equal(Bits(outside.Predict(standardizer.Transform(validation))), Bits(inside.Predict(validation)));
    }

    [Theory]
    [InlineData(CheckpointEncoding.Binary)]
    [InlineData(CheckpointEncoding.Base64Text)]
    public void A_checkpoint_carries_the_standardizer_and_the_class_names(CheckpointEncoding encoding)
    {
        var saved = Standardized(4);
        var stream = new MemoryStream();
        Checkpoint.Save(saved, stream, encoding: encoding);
        var loaded = new IrisNet(9);
        stream.Position = 0;
        Checkpoint.Load(loaded, stream);
        Assert.Equal(Bits(Mean), Bits(loaded.Standardizer!.Mean));
        Assert.Equal(Bits(Scale), Bits(loaded.Standardizer.Scale));
        Assert.Equal(Species, loaded.ClassNames);
        float[] raw = [6.3f, 2.9f, 5.6f, 1.8f];
        var expected = new float[3];
        var actual = new float[3];
        saved.Predict(raw, expected);
        loaded.Predict(raw, actual);
        Assert.Equal(Bits(expected), Bits(actual));

        // A file without preprocessing leaves none behind.
        var plain = new MemoryStream();
        Checkpoint.Save(new IrisNet(2), plain);
        plain.Position = 0;
        Checkpoint.Load(loaded, plain);
        Assert.Null(loaded.Standardizer);
        Assert.Null(loaded.ClassNames);
    }

    private static byte[] Write(float[] mean, float[] scale, string[] names) =>
        CheckpointFormat.Write(new CheckpointFormat.Contents(IrisNet.Architecture, new float[IrisNet.ParameterCount], [], null, mean, scale, names), Checkpoint.Crc32Of);

    [Fact]
    public void Preprocessing_that_does_not_fit_is_refused_and_nothing_changes()
    {
        var net = Standardized(1);
        var before = net.Parameters.ToArray();
        foreach (var (bytes, words) in new[]
                 {
                     (Write([1f, 2f, 3f], [1f, 1f, 1f], []), "InputSize is 4"),
                     (Write(Mean, [1f, 0f, 1f, 1f], []), "scale"),
                     (Write(Mean, [1f, 1f, float.PositiveInfinity, 1f], []), "scale"),
                     (Write([], [], ["a", "b"]), "3 class names"),
                 })
        {
            var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(net, new MemoryStream(bytes)));
            Assert.Contains(words, error.Message);
            Assert.Equal(before, net.Parameters.ToArray());
            Assert.Equal(Bits(Mean), Bits(net.Standardizer!.Mean));
        }
    }

    [Fact]
    public void A_flag_this_version_does_not_define_is_an_unsupported_file_not_a_misread_one()
    {
        byte[] bytes = Write(Mean, Scale, Species);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)) | 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), Crc32.HashToUInt32(bytes.AsSpan(0, 28)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(new IrisNet(1), new MemoryStream(bytes)));
        Assert.Equal(CheckpointProblem.UnsupportedVersion, error.Problem);
        Assert.Contains("flags 0x4", error.Message);
    }

    [Fact]
    public void Preprocessing_makes_a_version_2_file_and_its_flag_means_nothing_in_version_1()
    {
        byte[] with = Write(Mean, Scale, Species), without = Write([], [], []);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(with.AsSpan(8)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(without.AsSpan(8))); // what every earlier reader reads
        BinaryPrimitives.WriteUInt32LittleEndian(with.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(with.AsSpan(28), Crc32.HashToUInt32(with.AsSpan(0, 28)));
        BinaryPrimitives.WriteUInt32LittleEndian(with.AsSpan(with.Length - 4), Crc32.HashToUInt32(with.AsSpan(0, with.Length - 4)));
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(new IrisNet(1), new MemoryStream(with)));
        Assert.Equal(CheckpointProblem.UnsupportedVersion, error.Problem);
    }

    [Fact]
    public void Onnx_runtime_on_raw_inputs_computes_what_Predict_computes()
    {
        var net = Standardized(6);
        var model = OnnxExporter.ToBytes(net);
        var graph = ModelProto.Parser.ParseFrom(model);
        Assert.Equal(["Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"], graph.Graph.Node.Select(n => n.OpType).ToArray());
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", graph.MetadataProps.Single(p => p.Key == OnnxExporter.ClassNamesKey).Value);

        const int rows = 32;
        var random = new Random(8);
        var batch = Enumerable.Range(0, rows).SelectMany(_ => RawRow(random)).ToArray();
        using var session = new InferenceSession(model);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(batch, [rows, 4]))]);
        float[] onnx = results.Single().AsTensor<float>().ToArray();
        var output = new float[3];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(batch.AsSpan(r * 4, 4), output);
            for (int k = 0; k < 3; k++)
                Assert.True(Math.Abs(output[k] - onnx[r * 3 + k]) <= 1e-5f, $"row {r} output {k}: Predict {output[k]}, ONNX Runtime {onnx[r * 3 + k]}");
        }
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", session.ModelMetadata.CustomMetadataMap[OnnxExporter.ClassNamesKey]);
    }

    [Fact]
    public void Onnx_import_restores_the_standardizer_and_names_and_clears_them_when_absent()
    {
        var source = Standardized(6);
        var target = new IrisNet(1);
        OnnxImporter.Import(target, OnnxExporter.ToBytes(source));
        Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));
        Assert.Equal(Bits(Mean), Bits(target.Standardizer!.Mean));
        Assert.Equal(Bits(Scale), Bits(target.Standardizer.Scale));
        Assert.Equal(Species, target.ClassNames);
        OnnxImporter.Import(target, OnnxExporter.ToBytes(new IrisNet(2)));
        Assert.Null(target.Standardizer);
        Assert.Null(target.ClassNames);
    }

    [Fact]
    public void Onnx_preprocessing_of_the_wrong_width_or_names_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(Standardized(6)));
        var names = model.MetadataProps.Single();
        names.Value = "[\"only\",\"two\"]";
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new IrisNet(1), model.ToByteArray()));
        Assert.Contains("3 class names", error.Message);
        names.Value = "not json";
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new IrisNet(1), model.ToByteArray()));
        names.Value = "[\"setosa\",\"versicolor\",\"virginica\"]";
        var mean = model.Graph.Initializer.Single(t => t.Name == OnnxExporter.MeanName);
        mean.Dims[0] = 3;
        mean.RawData = ByteString.CopyFrom(new byte[12]);
        error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new IrisNet(1), model.ToByteArray()));
        Assert.Contains("[3]", error.Message);
    }
}
