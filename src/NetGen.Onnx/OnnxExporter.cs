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
/// are the model metadata entry <see cref="ClassNamesKey"/> (a JSON array of strings). Recurrent layers become ONNX's own
/// <c>RNN</c>, <c>GRU</c> (with <c>linear_before_reset = 1</c>, PyTorch's form) and <c>LSTM</c>, their gate blocks reordered
/// from PyTorch's order to ONNX's, with Reshape and Transpose nodes between the flat input, ONNX's [T, N, width] and the
/// [N, T, width] of a dense layer applied at every step (MatMul with Wᵀ, then Add); a sequence output is flattened
/// step after step, as <c>Predict</c> writes it.
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
        // A sequence travels as [T, N, width] into and out of ONNX's recurrent operators and as [N, T, width] through
        // element-wise operations and dense layers applied at every step; everything else is [N, size].
        var form = new Layout(LayoutForm.Flat, 1, TNetwork.InputSize);
        if (TNetwork.Operations.Count > 0 && TNetwork.Operations[0].InputShape is [int steps, int width])
            form = new Layout(LayoutForm.Flat, steps, width);
        for (int k = 0; k < operations.Count; k++)
        {
            var op = operations[k];
            int l = op.Layer;
            switch (op.Kind)
            {
                case OperationKind.Dropout:
                    break; // the identity in inference mode
                case OperationKind.Recurrent or OperationKind.Gru or OperationKind.Lstm:
                    (current, form) = Recurrent(graph, op, parameters, current, form);
                    layerInput = current;
                    break;
                case OperationKind.Dense when op.InputShape.Count == 2:
                {
                    // Z = X·Wᵀ + b at every step: MatMul over [N, T, width] with Wᵀ (a Transpose of the block) and Add.
                    var (w, b) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.Bias));
                    graph.Initializer.Add(Tensor(w.Name, parameters.Slice(w.Offset, w.Length), w.Rows, w.Columns));
                    graph.Initializer.Add(Tensor(b.Name, parameters.Slice(b.Offset, b.Length), b.Rows));
                    current = BatchMajor(graph, current, ref form, $"dense{l}");
                    layerInput = current;
                    var transpose = Node("Transpose", $"dense{l}_wt", [w.Name], $"{w.Name}_t");
                    transpose.Attribute.Add(Ints("perm", 1, 0));
                    graph.Node.Add(transpose);
                    graph.Node.Add(Node("MatMul", $"dense{l}", [current, $"{w.Name}_t"], $"zw{l}"));
                    graph.Node.Add(Node("Add", $"dense{l}_bias", [$"zw{l}", b.Name], $"z{l}"));
                    current = $"z{l}";
                    form = form with { Width = w.Rows };
                    break;
                }
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
        // A sequence output is flattened step after step, as Predict writes it: [N, T·width].
        if (form.Form != LayoutForm.Flat)
        {
            current = BatchMajor(graph, current, ref form, "output");
            graph.Initializer.Add(Int64s("output_shape", 0, -1));
            graph.Node.Add(Node("Reshape", "output_flatten", [current, "output_shape"], "output_flat"));
            current = "output_flat";
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

    private enum LayoutForm
    {
        /// <summary>[N, size]: a vector per sample (a sequence not yet split into steps, as the input arrives).</summary>
        Flat,

        /// <summary>[N, T, width]: the steps of each sample.</summary>
        BatchMajor,

        /// <summary>[T, N, width]: ONNX's recurrent operators' layout (layout = 0).</summary>
        TimeMajor,
    }

    /// <summary>How the current value is laid out, and its steps and width per step.</summary>
    private readonly record struct Layout(LayoutForm Form, int Steps, int Width);

    /// <summary>The current value as [N, T, width].</summary>
    private static string BatchMajor(GraphProto graph, string current, ref Layout form, string tag)
    {
        if (form.Form == LayoutForm.BatchMajor) return current;
        if (form.Form == LayoutForm.Flat)
        {
            graph.Initializer.Add(Int64s($"{tag}_steps_shape", 0, form.Steps, form.Width));
            graph.Node.Add(Node("Reshape", $"{tag}_steps", [current, $"{tag}_steps_shape"], $"{tag}_nt"));
            form = form with { Form = LayoutForm.BatchMajor };
            return $"{tag}_nt";
        }
        var transpose = Node("Transpose", $"{tag}_batch_major", [current], $"{tag}_nt");
        transpose.Attribute.Add(Ints("perm", 1, 0, 2));
        graph.Node.Add(transpose);
        form = form with { Form = LayoutForm.BatchMajor };
        return $"{tag}_nt";
    }

    /// <summary>
    /// An Elman, GRU or LSTM layer as ONNX's <c>RNN</c>, <c>GRU</c> or <c>LSTM</c> (one direction, layout = 0): W [1, gates·H, F]
    /// and R [1, gates·H, H] with the gate blocks reordered from PyTorch's order (GRU r, z, n → ONNX z, r, h; LSTM i, f, g, o
    /// → ONNX i, o, f, c), B [1, 2·gates·H] = [b_ih; b_hh] likewise, GRU with <c>linear_before_reset = 1</c> (PyTorch's
    /// r ⊙ (W_hn·h + b_hn)). The layer passes on Y (every state, [T, N, H]) or Y_h (the last, [N, H]).
    /// </summary>
    private static (string Current, Layout Form) Recurrent(GraphProto graph, OperationDescription op, ReadOnlySpan<float> parameters, string current, Layout form)
    {
        int l = op.Layer;
        var (wih, whh, bih, bhh) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.RecurrentWeight), op.Block(ParameterRole.Bias), op.Block(ParameterRole.RecurrentBias));
        int h = whh.Columns, f = wih.Columns;
        int[] order = OnnxOperators.GateOrder(op.Kind);
        float[] Reordered(ReadOnlySpan<float> block, int columns)
        {
            var result = new float[block.Length];
            for (int g = 0; g < order.Length; g++)
                block.Slice(order[g] * h * columns, h * columns).CopyTo(result.AsSpan(g * h * columns));
            return result;
        }
        int rows = order.Length * h;
        graph.Initializer.Add(Tensor($"{wih.Name}_onnx", Reordered(parameters.Slice(wih.Offset, wih.Length), f), 1, rows, f));
        graph.Initializer.Add(Tensor($"{whh.Name}_onnx", Reordered(parameters.Slice(whh.Offset, whh.Length), h), 1, rows, h));
        graph.Initializer.Add(Tensor($"b{l}_onnx", [.. Reordered(parameters.Slice(bih.Offset, bih.Length), 1), .. Reordered(parameters.Slice(bhh.Offset, bhh.Length), 1)], 1, 2 * rows));

        // Into [T, N, F].
        if (form.Form == LayoutForm.Flat)
            current = BatchMajor(graph, current, ref form, $"rnn{l}_in");
        if (form.Form == LayoutForm.BatchMajor)
        {
            var transpose = Node("Transpose", $"rnn{l}_time_major", [current], $"rnn{l}_tn");
            transpose.Attribute.Add(Ints("perm", 1, 0, 2));
            graph.Node.Add(transpose);
            current = $"rnn{l}_tn";
        }
        bool sequences = op.OutputShape.Count == 2;
        string type = OnnxOperators.Recurrent(op.Kind);
        var node = new NodeProto { OpType = type, Name = $"{type.ToLowerInvariant()}{l}" };
        node.Input.AddRange([current, $"{wih.Name}_onnx", $"{whh.Name}_onnx", $"b{l}_onnx"]);
        node.Output.AddRange(sequences ? [$"y{l}"] : ["", $"yh{l}"]);
        node.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = h });
        if (op.Kind == OperationKind.Gru)
            node.Attribute.Add(new AttributeProto { Name = "linear_before_reset", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        if (op.Kind == OperationKind.Recurrent)
        {
            var activations = new AttributeProto { Name = "activations", Type = AttributeProto.Types.AttributeType.Strings };
            activations.Strings.Add(ByteString.CopyFromUtf8(op.Activation == Activation.ReLU ? "Relu" : "Tanh"));
            node.Attribute.Add(activations);
        }
        graph.Node.Add(node);
        if (sequences)
        {
            // Y [T, 1, N, H] → [T, N, H]
            graph.Initializer.Add(Int64s($"y{l}_shape", form.Steps, -1, h));
            graph.Node.Add(Node("Reshape", $"y{l}_squeeze", [$"y{l}", $"y{l}_shape"], $"h{l}"));
            return ($"h{l}", new Layout(LayoutForm.TimeMajor, form.Steps, h));
        }
        // Y_h [1, N, H] → [N, H]
        graph.Initializer.Add(Int64s($"yh{l}_shape", -1, h));
        graph.Node.Add(Node("Reshape", $"yh{l}_squeeze", [$"yh{l}", $"yh{l}_shape"], $"h{l}"));
        return ($"h{l}", new Layout(LayoutForm.Flat, 1, h));
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A constant int64 vector, such as a Reshape's target shape.</summary>
    private static TensorProto Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return tensor;
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
