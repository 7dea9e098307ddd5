using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen.Onnx;
using NetGen.Onnx.Protos;
using NetGen.Tests.Networks;
using NetGen.Tests.Training;

namespace NetGen.Tests.Onnx;

public class OnnxTests
{
    /// <summary>Runs an ONNX model in ONNX Runtime on a batch of rows.</summary>
    private static float[] RunOnnx(byte[] model, float[] batch, int rows, int inputWidth)
    {
        using var session = new InferenceSession(model);
        var input = new DenseTensor<float>(batch, [rows, inputWidth]);
        string inputName = session.InputMetadata.Keys.Single();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
        return results.Single().AsTensor<float>().ToArray();
    }

    private static void AssertOnnxRuntimeAgrees<T>(int seed) where T : class, INetwork<T>
    {
        var net = T.Create(seed);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] += 0.01f * (i % 7 - 3); // non-zero biases
        byte[] model = OnnxExporter.ToBytes(net);
        const int rows = 16;
        var random = new Random(seed);
        var batch = Enumerable.Range(0, rows * T.InputSize).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] onnx = RunOnnx(model, batch, rows, T.InputSize);
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

    [Fact]
    public void Onnx_runtime_computes_what_Predict_computes_for_every_activation()
    {
        AssertOnnxRuntimeAgrees<XorNet>(1);                  // tanh, sigmoid
        AssertOnnxRuntimeAgrees<IrisNet>(2);                 // ReLU, softmax
        AssertOnnxRuntimeAgrees<LoopedLeakyMseIdentity>(3);  // LeakyReLU(0.2), identity output
        AssertOnnxRuntimeAgrees<MixedDeep>(4);               // four layers, mixed code shapes
        AssertOnnxRuntimeAgrees<LoopedTanhBce>(5);           // sigmoid output for binary cross-entropy
        AssertOnnxRuntimeAgrees<Mnist>(6);                   // 784-128-10
        AssertOnnxRuntimeAgrees<SmallResidual>(7);           // residual tanh, ELU, PReLU blocks
        AssertOnnxRuntimeAgrees<LoopedResidual>(8);          // ReLU, residual PReLU and tanh, softmax
        AssertOnnxRuntimeAgrees<MixedResidual>(9);           // residual SiLU, residual sigmoid
        AssertOnnxRuntimeAgrees<LoopedSoftplusMseIdentity>(10);
        AssertOnnxRuntimeAgrees<SmallBatchNorm>(11);              // batch normalization (inference mode) before ReLU, residual tanh, softmax
        AssertOnnxRuntimeAgrees<LoopedBatchNorm>(12);             // … before PReLU and a residual SiLU
    }

    [Fact]
    public void PReLU_ELU_and_softplus_round_trip_through_onnx()
    {
        foreach (var (source, target) in new (INetwork, INetwork)[]
                 { (new LoopedPreluCe(1), new LoopedPreluCe(2)), (new SmallEluMaeTanh(1), new SmallEluMaeTanh(2)), (new SmallSoftplusBce(1), new SmallSoftplusBce(2)) })
        {
            for (int i = 0; i < source.Parameters.Length; i++) source.Parameters[i] += 0.001f * i;
            var method = typeof(OnnxTests).GetMethod(nameof(RoundTrip), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(source.GetType());
            method.Invoke(null, [source, target]);
            Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        }
    }

    private static void RoundTrip<T>(T source, T target) where T : class, INetwork<T> =>
        OnnxImporter.Import(target, OnnxExporter.ToBytes(source));

    [Fact]
    public void Export_then_import_round_trips_bit_for_bit()
    {
        var source = new MixedDeep(9);
        var stream = new MemoryStream();
        OnnxExporter.Export(source, stream);
        var target = new MixedDeep(10);
        stream.Position = 0;
        OnnxImporter.Import(target, stream);
        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), target.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void The_exported_graph_is_gemm_and_activations_with_pytorch_weight_layout()
    {
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new IrisNet(1)));
        Assert.Equal(["Gemm", "Relu", "Gemm", "Softmax"], model.Graph.Node.Select(n => n.OpType).ToArray());
        Assert.Equal([16L, 4L], model.Graph.Initializer.Single(t => t.Name == "W1").Dims.ToArray());
        Assert.Equal(13, model.OpsetImport.Single().Version);
        Assert.Equal("output", model.Graph.Output.Single().Name);
    }

    // ---- import from models built here with the protobuf types, not by the exporter ----

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = op.ToLowerInvariant() + "_" + output };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        return n;
    }

    private static ValueInfoProto Value(string name, long width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    /// <summary>
    /// XorNet (2 → 4 tanh → 1 sigmoid) written the Keras/tf2onnx way: MatMul with W as [inputs, units], then Add, with
    /// an Identity and a Dropout in between — and the second layer as Gemm with transB = 0, alpha = 2, beta = 0.5.
    /// </summary>
    private static (ModelProto Model, float[] W1, float[] B1, float[] W2, float[] B2) KerasStyleXor()
    {
        float[] w1 = [0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f, 0.7f, -0.8f]; // [2, 4]: w1[j*4 + i] is input j → unit i
        float[] b1 = [0.01f, 0.02f, 0.03f, 0.04f];
        float[] w2 = [1.5f, -1.25f, 0.75f, -0.5f];                         // [4, 1]
        float[] b2 = [0.2f];
        var graph = new GraphProto { Name = "keras_xor" };
        graph.Input.Add(Value("x", 2));
        graph.Initializer.Add(Floats("dense/kernel", w1, 2, 4));
        graph.Initializer.Add(Floats("dense/bias", b1, 4));
        graph.Initializer.Add(Floats("dense_1/kernel", w2, 4, 1));
        graph.Initializer.Add(Floats("dense_1/bias", b2, 1));
        graph.Node.Add(Node("MatMul", ["x", "dense/kernel"], "m1"));
        graph.Node.Add(Node("Add", ["m1", "dense/bias"], "z1"));
        graph.Node.Add(Node("Tanh", ["z1"], "a1"));
        graph.Node.Add(Node("Identity", ["a1"], "a1_copy"));
        graph.Node.Add(Node("Dropout", ["a1_copy"], "a1_kept"));
        graph.Node.Add(Node("Gemm", ["a1_kept", "dense_1/kernel", "dense_1/bias"], "z2",
            new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 2f },
            new AttributeProto { Name = "beta", Type = AttributeProto.Types.AttributeType.Float, F = 0.5f }));
        graph.Node.Add(Node("Sigmoid", ["z2"], "y"));
        graph.Output.Add(Value("y", 1));
        var model = new ModelProto { IrVersion = 7, ProducerName = "test", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        return (model, w1, b1, w2, b2);
    }

    [Fact]
    public void A_model_built_independently_imports_with_layouts_and_gemm_factors_folded_in()
    {
        var (model, w1, b1, w2, b2) = KerasStyleXor();
        var net = new XorNet(1);
        OnnxImporter.Import(net, model.ToByteArray());
        var p = net.Parameters;
        // W1 in NetGen is [units, inputs]: W1[i, j] = kernel[j, i].
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++)
                Assert.Equal(w1[j * 4 + i], p[i * 2 + j]);
        Assert.Equal(b1, p.Slice(8, 4).ToArray());
        for (int j = 0; j < 4; j++) Assert.Equal(2f * w2[j], p[12 + j]);
        Assert.Equal(0.5f * b2[0], p[16]);

        // And the imported network computes what ONNX Runtime computes on that model.
        float[] batch = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] expected = RunOnnx(model.ToByteArray(), batch, 4, 2);
        var output = new float[1];
        for (int r = 0; r < 4; r++)
        {
            net.Predict(batch.AsSpan(2 * r, 2), output);
            Assert.Equal(expected[r], output[0], 1e-6f);
        }
    }

    [Fact]
    public void Mismatches_name_the_layer_the_expected_and_the_found_shape()
    {
        var (model, _, _, _, _) = KerasStyleXor();
        var wrongSize = model.Clone();
        wrongSize.Graph.Initializer[0] = Floats("dense/kernel", new float[10], 2, 5);
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new XorNet(), wrongSize.ToByteArray()));
        Assert.Equal(1, error.Layer);
        Assert.Contains("expected weights [2, 4]", error.Message);
        Assert.Contains("found weights [2, 5]", error.Message);

        var wrongActivation = model.Clone();
        wrongActivation.Graph.Node[2].OpType = "Relu";
        error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new XorNet(), wrongActivation.ToByteArray()));
        Assert.Equal(1, error.Layer);
        Assert.Contains("expected Tanh activation", error.Message);
        Assert.Contains("found Relu", error.Message);

        // A model with one more layer than the declaration.
        var longer = model.Clone();
        longer.Graph.Node.Add(Node("Neg", ["y"], "y2"));
        longer.Graph.Output[0] = Value("y2", 1);
        error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new XorNet(), longer.ToByteArray()));
        Assert.Equal(3, error.Layer);
        Assert.Contains("found Neg node", error.Message);

        // A classifier that outputs logits where the declaration has softmax.
        var logits = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new IrisNet(1)));
        logits.Graph.Node.RemoveAt(3);
        logits.Graph.Node[2].Output[0] = "output";
        error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new IrisNet(), logits.ToByteArray()));
        Assert.Equal(2, error.Layer);
        Assert.Contains("logits", error.Message);

        var target = new XorNet(3);
        var before = target.Parameters.ToArray();
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(target, [1, 2, 3, 4, 5]));
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(target, wrongSize.ToByteArray()));
        Assert.Equal(before, target.Parameters.ToArray());
    }
}
