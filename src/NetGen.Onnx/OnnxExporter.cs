using System;
using System.IO;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NetGen.Onnx.Protos;

namespace NetGen.Onnx;

/// <summary>
/// Writes a NetGen network as a standard ONNX model (opset 13, IR version 7) for inference elsewhere (ONNX Runtime,
/// Netron, other frameworks). Each dense layer becomes <c>Gemm(x, Wl, bl, transB = 1)</c> — W stays [units, inputs],
/// exactly as PyTorch exports <c>nn.Linear</c> — followed by its activation (<c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>,
/// <c>LeakyRelu(alpha)</c>, <c>PRelu</c> with the learned slopes, <c>Elu</c>, <c>Softplus</c>, SiLU as
/// <c>Mul(z, Sigmoid(z))</c>, <c>Softmax(axis = 1)</c>; none for identity) and, for a residual layer, <c>Add(a, x)</c>. The input is <c>input</c> [N, InputSize] and the
/// output <c>output</c> [N, OutputSize], with a symbolic batch dimension N. The loss is not part of an inference model.
/// A network's <see cref="INetwork.Standardizer"/> becomes the graph's first two nodes, <c>Sub(input, input_mean)</c> and
/// <c>Div(·, input_scale)</c>, so the model takes raw features as the network does; its <see cref="INetwork.ClassNames"/>
/// are the model metadata entry <see cref="ClassNamesKey"/> (a JSON array of strings).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the exported graphs use.</summary>
    public const int OpsetVersion = 13;

    /// <summary>The ONNX IR version written (the one that goes with opset 13).</summary>
    public const int IrVersion = 7;

    /// <summary>The model metadata key under which the class names are written, as a JSON array of strings in output order.</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>The initializers of the standardisation nodes: x′ = (input − input_mean) / input_scale.</summary>
    public const string MeanName = "input_mean", ScaleName = "input_scale";

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> as an .onnx file, atomically (as checkpoints are:
    /// a flushed temporary file renamed over the target).</summary>
    public static void Export<TNetwork>(TNetwork network, string path)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Checkpoint.WriteAtomically(path, ToBytes(network), typeof(TNetwork).Name + ".onnx");
    }

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/> as an ONNX model.</summary>
    public static void Export<TNetwork>(TNetwork network, Stream stream)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(network));
    }

    /// <summary>The ONNX model of <paramref name="network"/> as bytes.</summary>
    public static byte[] ToBytes<TNetwork>(TNetwork network)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        return BuildModel(network).ToByteArray();
    }

    internal static ModelProto BuildModel<TNetwork>(TNetwork network)
        where TNetwork : class, INetwork<TNetwork>
    {
        ReadOnlySpan<float> parameters = network.Parameters;
        var graph = new GraphProto { Name = typeof(TNetwork).Name, DocString = TNetwork.Architecture };
        graph.Input.Add(Value("input", TNetwork.InputSize));
        // Walk the operations the generator planned; every initializer is one of an operation's parameter blocks, named
        // as in ParameterLayout and looked up by its role, never by a name built here.
        var operations = TNetwork.Operations;
        string current = "input", layerInput = "input";
        if (network.Standardizer is { } standardizer)
        {
            // x′ = (x − μ) / σ, broadcast over the batch: the network's own first step.
            graph.Initializer.Add(Tensor(MeanName, standardizer.Mean, TNetwork.InputSize));
            graph.Initializer.Add(Tensor(ScaleName, standardizer.Scale, TNetwork.InputSize));
            graph.Node.Add(Node("Sub", "standardize_center", ["input", MeanName], "x_centered"));
            graph.Node.Add(Node("Div", "standardize_scale", ["x_centered", ScaleName], "x_standardized"));
            current = layerInput = "x_standardized";
        }
        for (int k = 0; k < operations.Count; k++)
        {
            var op = operations[k];
            int l = op.Layer;
            switch (op.Kind)
            {
                case OperationKind.Dropout:
                    break; // the identity in inference mode
                case OperationKind.Dense:
                {
                    // z = x·Wᵀ + b: Gemm with transB = 1 keeps W as [units, inputs].
                    var (w, b) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.Bias));
                    graph.Initializer.Add(Tensor(w.Name, parameters.Slice(w.Offset, w.Length), w.Rows, w.Columns));
                    graph.Initializer.Add(Tensor(b.Name, parameters.Slice(b.Offset, b.Length), b.Rows));
                    layerInput = current;
                    var gemm = Node("Gemm", $"dense{l}", [current, w.Name, b.Name], $"z{l}");
                    gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    graph.Node.Add(gemm);
                    current = $"z{l}";
                    break;
                }
                case OperationKind.BatchNorm:
                {
                    // Inference-mode batch normalization with the running statistics: y = γ·(z − mean)/√(var + ε) + β.
                    ParameterRole[] roles = [ParameterRole.Scale, ParameterRole.Shift, ParameterRole.RunningMean, ParameterRole.RunningVariance];
                    var names = new string[roles.Length];
                    for (int r = 0; r < roles.Length; r++)
                    {
                        var block = op.Block(roles[r]);
                        graph.Initializer.Add(Tensor(block.Name, parameters.Slice(block.Offset, block.Length), block.Rows));
                        names[r] = block.Name;
                    }
                    var norm = Node("BatchNormalization", $"batchnorm{l}", [current, .. names], $"y{l}");
                    norm.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = op.Epsilon });
                    graph.Node.Add(norm);
                    current = $"y{l}";
                    break;
                }
                case OperationKind.Activation:
                {
                    bool residualNext = k + 1 < operations.Count && operations[k + 1].Kind == OperationKind.ResidualAdd && operations[k + 1].Layer == l;
                    string g = residualNext ? $"g{l}" : $"a{l}";
                    if (op.Activation == Activation.Identity)
                        break;
                    string? type = op.Activation == Activation.SiLU ? "Mul" : OnnxOperators.For(op.Activation)
                        ?? throw new NotSupportedException($"Activation {op.Activation} has no ONNX export in this version of NetGen.Onnx.");
                    NodeProto activation;
                    if (op.Activation == Activation.SiLU)
                    {
                        // SiLU(z) = z·σ(z): ONNX has no SiLU operator at opset 13.
                        graph.Node.Add(Node("Sigmoid", $"sigmoid{l}", [current], $"s{l}"));
                        activation = Node("Mul", $"silu{l}", [current, $"s{l}"], g);
                    }
                    else if (op.Activation == Activation.PReLU)
                    {
                        var slopes = op.Block(ParameterRole.Slope);
                        graph.Initializer.Add(Tensor(slopes.Name, parameters.Slice(slopes.Offset, slopes.Length), slopes.Rows));
                        activation = Node(type, $"prelu{l}", [current, slopes.Name], g);
                    }
                    else
                    {
                        activation = Node(type, $"{type.ToLowerInvariant()}{l}", [current], g);
                    }
                    if (op.Activation == Activation.LeakyReLU)
                        activation.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = op.NegativeSlope });
                    if (op.Activation == Activation.ELU)
                        activation.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
                    if (op.Activation == Activation.Softmax)
                        activation.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    graph.Node.Add(activation);
                    current = g;
                    break;
                }
                case OperationKind.ResidualAdd:
                    // a = g(z) + x: the skip connection from the layer's input.
                    graph.Node.Add(Node("Add", $"residual{l}", [current, layerInput], $"a{l}"));
                    current = $"a{l}";
                    break;
                default:
                    throw new NotSupportedException($"{typeof(TNetwork).Name} has a {op.Kind} operation (layer {op.Layer}), which has no ONNX export in this version of NetGen.Onnx; "
                        + "save a checkpoint (Checkpoint.Save), or compile the weights in, to use it elsewhere.");
            }
        }
        // The last value computed is the graph's output.
        foreach (var node in graph.Node)
            if (node.Output[0] == current) node.Output[0] = "output";
        graph.Output.Add(Value("output", TNetwork.OutputSize));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "NetGen",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
            Graph = graph,
            DocString = $"{typeof(TNetwork).FullName}: {TNetwork.Architecture}",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        if (network.ClassNames is { } classNames)
            model.MetadataProps.Add(new StringStringEntryProto { Key = ClassNamesKey, Value = ClassNamesJson(classNames) });
        return model;
    }

    /// <summary>The class names as a JSON array of strings (written with the framework's JSON writer: AOT-safe, escaped).</summary>
    private static string ClassNamesJson(System.Collections.Generic.IReadOnlyList<string> names)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (string name in names) json.WriteStringValue(name);
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>A float tensor stored as little-endian raw bytes, as PyTorch writes initializers.</summary>
    private static TensorProto Tensor(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        byte[] raw = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < raw.Length; i += 4) Array.Reverse(raw, i, 4);
        tensor.RawData = ByteString.CopyFrom(raw);
        return tensor;
    }

    /// <summary>A float tensor value [N, width] with a symbolic batch dimension.</summary>
    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
