using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen.Onnx;
using NetGen.Onnx.Protos;

namespace NetGen.Tests.Onnx;

// Every stride here tiles its (padded) input, so none of these networks drops a row (no NG0036).

/// <summary>Two convolutions (one bias-free, one strided), max and average pooling, and a softmax classifier on the flattened image.</summary>
/// <remarks>2×8×12 → conv 3×3 pad 1 → 3×8×12 → max 2 → 3×4×6 → conv 2×2 /2 → 4×2×3 → avg 1 → 4×2×3 → flatten 24 → 3.</remarks>
[Network(InputShape = new[] { 2, 8, 12 }, Loss = Loss.CrossEntropy)]
[Conv2D(3, Kernel = 3, Padding = 1, Activation = Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(4, Kernel = 2, Stride = 2, Bias = false, Activation = Activation.Tanh)]
[AvgPool2D(1)]
[Dense(3, Activation.Softmax)]
public partial class OnnxConvPoolClassifier { }

/// <summary>A strided, padded 1-D convolution with SiLU (ONNX's Mul(z, Sigmoid(z))), flattened into one dense layer.</summary>
/// <remarks>[9 steps × 3] → conv1d 3 /2 pad 1 → [5 × 4] → flatten 20 → 2.</remarks>
[Network(Inputs = 3, SequenceLength = 9, Loss = Loss.MeanSquaredError)]
[Conv1D(4, Kernel = 3, Stride = 2, Padding = 1, Activation = Activation.SiLU)]
[Flatten]
[Dense(2, Activation.Tanh)]
public partial class OnnxConv1DFlatten { }

/// <summary>Two stacked 1-D convolutions (LeakyReLU, then a bias-free padded tanh one), then a dense layer at every step.</summary>
/// <remarks>[7 × 2] → conv1d 2 → [6 × 3] → conv1d 3 pad 1 → [6 × 2] → dense at every step → [6 × 2].</remarks>
[Network(Inputs = 2, SequenceLength = 7, Loss = Loss.MeanSquaredError)]
[Conv1D(3, Kernel = 2, Activation = Activation.LeakyReLU)]
[Conv1D(2, Kernel = 3, Padding = 1, Bias = false, Activation = Activation.Tanh)]
[Dense(2)]
public partial class OnnxConv1DPerStep { }

/// <summary>A 1-D convolution feeding an LSTM (the [N, C, T] → [T, N, C] glue), then a dense layer on the last state.</summary>
/// <remarks>[6 × 2] → conv1d 3 → [4 × 3] → LSTM(4), last state → 1.</remarks>
[Network(Inputs = 2, SequenceLength = 6, Loss = Loss.MeanSquaredError)]
[Conv1D(3, Kernel = 3, Activation = Activation.ReLU)]
[Lstm(4)]
[Dense(1)]
public partial class OnnxConv1DLstm { }

/// <summary>
/// ONNX export and import of convolution and pooling: ONNX Runtime computes what <c>Predict</c> computes on the exported
/// model, the graph has PyTorch's operators and layouts (Conv with W [F, C, k, k], MaxPool, AveragePool, Flatten before
/// Gemm; Transpose around a 1-D Conv), import gives back every parameter bit for bit, and a Conv or pool asking for what
/// NetGen does not compute is refused, naming the attribute.
/// </summary>
public class ConvolutionOnnxTests
{
    /// <summary>A network with non-zero biases (so a bias left out anywhere shows).</summary>
    private static T Network<T>(int seed) where T : class, INetwork<T>
    {
        var net = T.Create(seed);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += 0.01f * (i % 7 - 3);
        return net;
    }

    /// <summary>Runs the model on <paramref name="rows"/> samples, shaped as its input declares (e.g. [N, C, H, W]).</summary>
    private static float[] RunOnnx(byte[] model, float[] batch, int rows)
    {
        using var session = new InferenceSession(model);
        var (name, metadata) = session.InputMetadata.Single();
        int[] dims = [rows, .. metadata.Dimensions.Skip(1)];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(batch, dims))]);
        return results.Single().AsTensor<float>().ToArray();
    }

    private static void AssertOnnxRuntimeAgrees<T>(T net, int seed) where T : class, INetwork<T>
    {
        byte[] model = OnnxExporter.ToBytes(net);
        const int rows = 12;
        var random = new Random(seed);
        var batch = Enumerable.Range(0, rows * T.InputSize).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] onnx = RunOnnx(model, batch, rows);
        Assert.Equal(rows * T.OutputSize, onnx.Length);
        var output = new float[T.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(batch.AsSpan(r * T.InputSize, T.InputSize), output);
            for (int k = 0; k < T.OutputSize; k++)
            {
                float expected = output[k], actual = onnx[r * T.OutputSize + k];
                Assert.True(Math.Abs(expected - actual) <= 1e-5f * Math.Max(1f, Math.Abs(expected)),
                    $"{typeof(T).Name} row {r} output {k}: Predict {expected}, ONNX Runtime {actual}");
            }
        }
    }

    private static void AssertRoundTrips<T>(T source) where T : class, INetwork<T>
    {
        var target = T.Create(77);
        OnnxImporter.Import(target, OnnxExporter.ToBytes(source));
        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), target.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    private static ModelProto Model<T>(T net) where T : class, INetwork<T> => ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(net));

    private static long[] Attribute(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name).Ints.ToArray();

    [Fact]
    public void Onnx_runtime_computes_what_Predict_computes_for_convolution_and_pooling()
    {
        AssertOnnxRuntimeAgrees(Network<OnnxConvPoolClassifier>(1), 1);
        AssertOnnxRuntimeAgrees(Network<OnnxConv1DFlatten>(2), 2);
        AssertOnnxRuntimeAgrees(Network<OnnxConv1DPerStep>(3), 3);
        AssertOnnxRuntimeAgrees(Network<OnnxConv1DLstm>(4), 4);
        // The convolution test suite's networks too: overlapping windows, strides with padding, a Conv2D output flattened.
        AssertOnnxRuntimeAgrees(Network<Convolution.StackedConvMaxPoolClassifier>(5), 5);
        AssertOnnxRuntimeAgrees(Network<Convolution.EluConvOverlappingAvgPool>(6), 6);
        AssertOnnxRuntimeAgrees(Network<Convolution.OverlappingMaxPoolBce>(7), 7);
        AssertOnnxRuntimeAgrees(Network<Convolution.ReluConvThenPaddedConv>(8), 8);
        AssertOnnxRuntimeAgrees(Network<Convolution.StackedConv1DPerStep>(9), 9);
    }

    [Fact]
    public void Batch_normalization_per_channel_exports_as_BatchNormalization_on_the_NCHW_tensor()
    {
        // Running statistics away from 0 and 1, so that an export normalizing per value (or with the wrong tensors) would differ.
        var net = Network<Convolution.ChannelNormalized>(10);
        foreach (var block in Convolution.ChannelNormalized.ParameterLayout.Where(b => !b.Trainable))
            for (int i = 0; i < block.Length; i++)
                net.Parameters[block.Offset + i] = block.Role == ParameterRole.RunningVariance ? 0.5f + 0.3f * i : 0.2f * i - 0.1f;
        AssertOnnxRuntimeAgrees(net, 10);
        var node = Model(net).Graph.Node.Single(n => n.OpType == "BatchNormalization");
        Assert.Equal("z1", node.Input[0]); // the Conv's output, [N, 3, 5, 4]: ONNX normalizes over axis 1, the channels
    }

    [Fact]
    public void An_image_network_exports_as_PyTorch_would_with_an_NCHW_input()
    {
        var model = Model(Network<OnnxConvPoolClassifier>(1));
        var graph = model.Graph;
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Tanh", "AveragePool", "Flatten", "Gemm", "Softmax"], graph.Node.Select(n => n.OpType).ToArray());
        var input = graph.Input.Single();
        Assert.Equal("input", input.Name);
        Assert.Equal("N", input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([2L, 8, 12], input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray());
        Assert.Equal([3L], graph.Output.Single().Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue).ToArray());

        // W [F, C, k, k] as PyTorch's Conv2d.weight; the bias-free layer has no B input.
        Assert.Equal([3L, 2, 3, 3], graph.Initializer.Single(t => t.Name == "W1").Dims.ToArray());
        Assert.Equal([3L], graph.Initializer.Single(t => t.Name == "b1").Dims.ToArray());
        Assert.Equal([4L, 3, 2, 2], graph.Initializer.Single(t => t.Name == "W3").Dims.ToArray());
        Assert.Equal([3L, 24], graph.Initializer.Single(t => t.Name == "W5").Dims.ToArray());
        var (conv1, conv3) = (graph.Node[0], graph.Node[3]);
        Assert.Equal(3, conv1.Input.Count);
        Assert.Equal(2, conv3.Input.Count);
        Assert.Equal([3L, 3], Attribute(conv1, "kernel_shape"));
        Assert.Equal([1L, 1, 1, 1], Attribute(conv1, "pads"));
        Assert.Equal([1L, 1], Attribute(conv1, "strides"));
        Assert.Equal([2L, 2], Attribute(conv3, "strides"));
        Assert.Equal([0L, 0, 0, 0], Attribute(conv3, "pads"));
        var (max, average) = (graph.Node[2], graph.Node[5]);
        Assert.Equal([2L, 2], Attribute(max, "kernel_shape"));
        Assert.Equal([2L, 2], Attribute(max, "strides"));
        Assert.Equal([1L, 1], Attribute(average, "kernel_shape"));
        Assert.Equal(0, max.Attribute.Single(a => a.Name == "ceil_mode").I);
        Assert.Equal(1, graph.Node[6].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal("output", graph.Node[^1].Output.Single());
    }

    [Fact]
    public void A_1D_convolution_is_a_Conv_between_Transposes_of_the_time_major_sequence()
    {
        // [N, 27] → Reshape [N, 9, 3] → Transpose [N, 3, 9] → Conv → [N, 4, 5], SiLU, → Transpose [N, 5, 4] → Reshape [N, 20] → Gemm.
        var graph = Model(Network<OnnxConv1DFlatten>(1)).Graph;
        Assert.Equal(["Reshape", "Transpose", "Conv", "Sigmoid", "Mul", "Transpose", "Reshape", "Gemm", "Tanh"], graph.Node.Select(n => n.OpType).ToArray());
        Assert.Equal(27, graph.Input.Single().Type.TensorType.Shape.Dim[1].DimValue);
        var conv = graph.Node.Single(n => n.OpType == "Conv");
        Assert.Equal([3L], Attribute(conv, "kernel_shape"));
        Assert.Equal([2L], Attribute(conv, "strides"));
        Assert.Equal([1L, 1], Attribute(conv, "pads"));
        Assert.Equal([4L, 3, 3], graph.Initializer.Single(t => t.Name == "W1").Dims.ToArray());
        Assert.Equal([0L, 2, 1], Attribute(graph.Node[1], "perm"));
        Assert.Equal([0L, 2, 1], Attribute(graph.Node[5], "perm"));

        // Stacked 1-D convolutions stay in [N, C, T] between them; the dense layer at every step reads [N, T, C].
        graph = Model(Network<OnnxConv1DPerStep>(1)).Graph;
        Assert.Equal(["Reshape", "Transpose", "Conv", "LeakyRelu", "Conv", "Tanh", "Transpose", "Transpose", "MatMul", "Add", "Reshape"],
            graph.Node.Select(n => n.OpType).ToArray());
        Assert.Equal(2, graph.Node.Where(n => n.OpType == "Conv").Last().Input.Count);
        Assert.Equal(0.01f, graph.Node.Single(n => n.OpType == "LeakyRelu").Attribute.Single(a => a.Name == "alpha").F);
    }

    [Fact]
    public void Export_then_import_of_convolution_and_pooling_is_bit_exact()
    {
        AssertRoundTrips(Network<OnnxConvPoolClassifier>(1));
        AssertRoundTrips(Network<OnnxConv1DFlatten>(2));
        AssertRoundTrips(Network<OnnxConv1DPerStep>(3));
        AssertRoundTrips(Network<OnnxConv1DLstm>(4));
        AssertRoundTrips(Network<Convolution.StackedConvMaxPoolClassifier>(5));
        AssertRoundTrips(Network<Convolution.OverlappingMaxPoolBce>(6));
    }

    [Fact]
    public void An_image_standardizer_broadcasts_over_NCHW_and_round_trips()
    {
        var net = Network<OnnxConvPoolClassifier>(3);
        int size = OnnxConvPoolClassifier.InputSize;
        var mean = Enumerable.Range(0, size).Select(i => 0.05f * (i % 11) - 0.2f).ToArray();
        var scale = Enumerable.Range(0, size).Select(i => 0.5f + 0.1f * (i % 5)).ToArray();
        net.Standardizer = Standardizer.Create(mean, scale);
        var graph = Model(net).Graph;
        Assert.Equal([2L, 8, 12], graph.Initializer.Single(t => t.Name == OnnxExporter.MeanName).Dims.ToArray());
        AssertOnnxRuntimeAgrees(net, 3);

        var target = OnnxConvPoolClassifier.Create(8);
        OnnxImporter.Import(target, OnnxExporter.ToBytes(net));
        Assert.Equal(mean, target.Standardizer!.Mean.ToArray());
        Assert.Equal(scale, target.Standardizer.Scale.ToArray());
        Assert.Equal(net.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void A_1D_convolution_flattened_filter_by_filter_as_PyTorch_flattens_it_is_refused()
    {
        // PyTorch's conv(x).flatten(1) flattens [N, F, T'] with each filter's steps together; NetGen's [Flatten] reads step
        // after step. Same weight shape, other order: with the exporter's Transpose back to [N, T', F] the import is exact;
        // with that Transpose made the identity (what such a model computes), it is refused, not scrambled.
        var net = Network<OnnxConv1DFlatten>(1);
        var model = Model(net);
        var back = model.Graph.Node.Where(n => n.OpType == "Transpose").Last();
        back.Attribute.Remove(back.Attribute.Single(a => a.Name == "perm"));
        back.Attribute.Add(Ints("perm", 0, 1, 2));
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(OnnxConv1DFlatten.Create(2), model.ToByteArray()));
        Assert.Contains("filter after filter", error.Message);
        Assert.Contains("x.transpose(1, 2).flatten(1)", error.Message);
        AssertRoundTrips(net);
    }

    /// <summary>The exported model of the image network with one node's attribute set (replaced when present).</summary>
    private static ModelProto Edited(string opType, int occurrence, AttributeProto attribute)
    {
        var model = Model(Network<OnnxConvPoolClassifier>(1));
        var node = model.Graph.Node.Where(n => n.OpType == opType).ElementAt(occurrence);
        if (node.Attribute.FirstOrDefault(a => a.Name == attribute.Name) is { } old) node.Attribute.Remove(old);
        node.Attribute.Add(attribute);
        return model;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static OnnxImportException Refused(ModelProto model)
    {
        var target = OnnxConvPoolClassifier.Create(5);
        var before = target.Parameters.ToArray();
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(target, model.ToByteArray()));
        Assert.Equal(before, target.Parameters.ToArray()); // nothing changed
        return error;
    }

    [Fact]
    public void A_Conv_or_pool_with_attributes_NetGen_does_not_compute_is_refused_naming_the_attribute()
    {
        var error = Refused(Edited("Conv", 0, Ints("dilations", 2, 2)));
        Assert.Equal(1, error.Layer);
        Assert.Contains("expected dilations [1, 1], found dilations [2, 2]", error.Message);
        Assert.Contains("Conv node 'conv1'", error.Message);

        error = Refused(Edited("Conv", 1, Int("group", 2)));
        Assert.Equal(3, error.Layer);
        Assert.Contains("found group = 2", error.Message);

        error = Refused(Edited("Conv", 0, Ints("pads", 1, 1, 0, 0)));
        Assert.Contains("found asymmetric pads [1, 1, 0, 0]", error.Message);

        var autoPad = new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") };
        error = Refused(Edited("Conv", 0, autoPad));
        Assert.Contains("found auto_pad SAME_UPPER", error.Message);

        error = Refused(Edited("Conv", 1, Ints("strides", 1, 1)));
        Assert.Contains("expected strides [2, 2], found strides [1, 1]", error.Message);

        error = Refused(Edited("MaxPool", 0, Int("ceil_mode", 1)));
        Assert.Equal(2, error.Layer);
        Assert.Contains("found ceil_mode = 1", error.Message);

        error = Refused(Edited("MaxPool", 0, Ints("kernel_shape", 3, 3)));
        Assert.Contains("expected kernel_shape [2, 2], found kernel_shape [3, 3]", error.Message);

        error = Refused(Edited("AveragePool", 0, Ints("pads", 1, 1, 1, 1)));
        Assert.Equal(4, error.Layer);
        Assert.Contains("found pads [1, 1, 1, 1]", error.Message);
        Assert.Contains("no padding", error.Message);

        // The layers in another order: a pool where the declaration has a convolution.
        var swapped = Model(Network<OnnxConvPoolClassifier>(1));
        swapped.Graph.Node[0].OpType = "MaxPool";
        error = Refused(swapped);
        Assert.Contains("Layer 1: expected Conv, found MaxPool node 'conv1'", error.Message);

        // A bias where the declaration has none (layer 3 has Bias = false), and weights of another kernel size.
        var bias = Model(Network<OnnxConvPoolClassifier>(1));
        bias.Graph.Initializer.Add(new TensorProto { Name = "b3_extra", DataType = 1, Dims = { 4 }, FloatData = { 0.5f, 0, 0, 0 } });
        bias.Graph.Node[3].Input.Add("b3_extra");
        error = Refused(bias);
        Assert.Contains("Bias = false", error.Message);
        var weights = Model(Network<OnnxConvPoolClassifier>(1));
        var w1 = weights.Graph.Initializer.Single(t => t.Name == "W1");
        w1.Dims.Clear();
        w1.Dims.AddRange([3L, 2, 9]);
        error = Refused(weights);
        Assert.Contains("expected Conv weights [3, 2, 3, 3], found weights [3, 2, 9]", error.Message);

        // An image model into a network that takes another image.
        var other = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Convolution.StackedConvMaxPoolClassifier.Create(1), OnnxExporter.ToBytes(Network<OnnxConvPoolClassifier>(1))));
        Assert.Contains("has shape [N, 2, 8, 12] but StackedConvMaxPoolClassifier takes [N, 126] or [N, 3, 7, 6]", other.Message);
    }

    [Fact]
    public void A_1D_Conv_with_dilations_is_refused_and_a_declared_bias_takes_a_model_without_one_as_zero()
    {
        var model = Model(Network<OnnxConv1DPerStep>(1));
        var conv = model.Graph.Node.First(n => n.OpType == "Conv");
        conv.Attribute.Remove(conv.Attribute.Single(a => a.Name == "dilations"));
        conv.Attribute.Add(Ints("dilations", 2));
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(OnnxConv1DPerStep.Create(2), model.ToByteArray()));
        Assert.Contains("expected dilations [1], found dilations [2]", error.Message);

        // PyTorch's Conv1d(bias=False) into a layer declared with a bias: b = 0, W as given.
        var source = Network<OnnxConv1DPerStep>(3);
        var noBias = Model(source);
        noBias.Graph.Node.First(n => n.OpType == "Conv").Input.RemoveAt(2);
        var target = OnnxConv1DPerStep.Create(4);
        OnnxImporter.Import(target, noBias.ToByteArray());
        var (w, b) = (OnnxConv1DPerStep.Operations[0].Block(ParameterRole.Weight), OnnxConv1DPerStep.Operations[0].Block(ParameterRole.Bias));
        Assert.Equal(source.Parameters.Slice(w.Offset, w.Length).ToArray(), target.Parameters.Slice(w.Offset, w.Length).ToArray());
        Assert.All(target.Parameters.Slice(b.Offset, b.Length).ToArray(), v => Assert.Equal(0f, v));
    }
}
