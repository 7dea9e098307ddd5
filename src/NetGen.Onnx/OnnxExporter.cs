using System;
using System.IO;
using System.Linq;
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
/// <para>
/// Convolution and pooling export as a PyTorch model of the same layers would: a network whose input is an image
/// (<see cref="NetworkAttribute.InputShape"/> = { C, H, W }) takes <c>input</c> as [N, C, H, W] — the NCHW tensor, holding
/// the values <c>Predict</c> reads in the same order — and its standardizer's tensors are [C, H, W]. <c>[Conv2D]</c> is
/// <c>Conv</c> with W [F, C, k, k] (PyTorch's <c>Conv2d.weight</c>, the parameter block as it is), B [F] when the layer
/// has a bias, <c>kernel_shape</c>, <c>strides</c> and symmetric <c>pads</c>, followed by its activation node;
/// <c>[MaxPool2D]</c> and <c>[AvgPool2D]</c> are <c>MaxPool</c> and <c>AveragePool</c> (<c>kernel_shape</c>,
/// <c>strides</c>, no padding, <c>ceil_mode = 0</c>: PyTorch's floor). A dense layer after an image reads it through
/// <c>Flatten(axis = 1)</c>, in C, H, W order, and an image output is flattened the same way. <c>[Conv1D]</c> reads the
/// sequence input [N, T·C] (as recurrent networks take it) reshaped to [N, T, C], then transposed to ONNX's [N, C, T]
/// for a 1-D <c>Conv</c> with W [F, C, k] (PyTorch's <c>Conv1d.weight</c>); its output [N, F, T′] is transposed back to
/// [N, T′, F] where a dense layer at every step, a recurrent layer or the output needs the steps (stacked 1-D
/// convolutions and their activations stay in [N, C, T]). A dense layer after <c>[Flatten]</c> reads the whole sequence,
/// step after step, through a Reshape to [N, T′·F]. Softmax, over the whole vector in <c>Predict</c>, reads a flattened
/// value too.
/// </para>
/// <para>
/// A radial-basis layer (<c>[Rbf]</c>) has no ONNX operator of its own; it exports as the subgraph of standard operators
/// that computes aᵢ = exp(−βᵢ·‖x − cᵢ‖²): <c>Unsqueeze</c> (x to [N, 1, n]), <c>Sub</c> the centres C [m, n], <c>Mul</c>
/// (the square), <c>ReduceSum</c> over the inputs (r [N, m]), <c>Mul</c> by β [m], <c>Neg</c>, <c>Exp</c>. Importing
/// that subgraph back is not supported.
/// </para>
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
        // An image is [N, C, H, W], as a PyTorch model takes it; any other input [N, InputSize] (a sequence is split into
        // its steps inside the graph).
        bool image = TNetwork.Operations.Count > 0 && TNetwork.Operations[0].InputShape.Count == 3;
        long[] sample = image ? [.. TNetwork.Operations[0].InputShape.Select(d => (long)d)] : [TNetwork.InputSize];
        graph.Input.Add(Value("input", sample));
        // Walk the operations the generator planned; every initializer is one of an operation's parameter blocks, named
        // as in ParameterLayout and looked up by its role, never by a name built here.
        var operations = TNetwork.Operations;
        string current = "input", layerInput = "input";
        if (network.Standardizer is { } standardizer)
        {
            // x′ = (x − μ) / σ, broadcast over the batch: the network's own first step.
            // [InputSize], or [C, H, W] to broadcast over an image batch [N, C, H, W] (the same values in the same order).
            graph.Initializer.Add(Tensor(MeanName, standardizer.Mean, sample));
            graph.Initializer.Add(Tensor(ScaleName, standardizer.Scale, sample));
            graph.Node.Add(Node("Sub", "standardize_center", ["input", MeanName], "x_centered"));
            graph.Node.Add(Node("Div", "standardize_scale", ["x_centered", ScaleName], "x_standardized"));
            current = layerInput = "x_standardized";
        }
        // A sequence travels as [T, N, width] into and out of ONNX's recurrent operators, as [N, width, T] into and out of
        // a 1-D Conv, and as [N, T, width] through element-wise operations and dense layers applied at every step; an image
        // is [N, C, H, W]; everything else is [N, size].
        var form = new Layout(image ? LayoutForm.Image : LayoutForm.Flat, 1, TNetwork.InputSize);
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
                case OperationKind.Convolution2D or OperationKind.Convolution1D:
                    (current, form) = Convolution(graph, op, parameters, current, form);
                    layerInput = current;
                    break;
                case OperationKind.MaxPool2D or OperationKind.AvgPool2D:
                {
                    // Windows of Kernel × Kernel every Stride pixels, no padding, floor (ceil_mode = 0) as PyTorch does.
                    if (form.Form != LayoutForm.Image)
                        throw new InvalidOperationException($"Layer {l} pools a value laid out as {form.Form}, not an image; the operations are inconsistent.");
                    bool max = op.Kind == OperationKind.MaxPool2D;
                    var pool = Node(max ? "MaxPool" : "AveragePool", $"{(max ? "maxpool" : "avgpool")}{l}", [current], $"p{l}");
                    pool.Attribute.Add(Ints("kernel_shape", op.Kernel, op.Kernel));
                    pool.Attribute.Add(Ints("strides", op.Stride, op.Stride)); // ONNX's default stride is 1, not the window
                    pool.Attribute.Add(Ints("pads", 0, 0, 0, 0));
                    pool.Attribute.Add(new AttributeProto { Name = "ceil_mode", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
                    graph.Node.Add(pool);
                    current = layerInput = $"p{l}";
                    break;
                }
                case OperationKind.Dense when op.OutputShape.Count == 2:
                {
                    // Z = X·Wᵀ + b at every step: MatMul over [N, T, width] with Wᵀ (a Transpose of the block) and Add. (A
                    // dense layer after [Flatten] reads the same sequence as one vector: its output is a vector, its W
                    // [units, T·width], and it takes the Gemm below.)
                    var (w, b) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.Bias));
                    if (w.Columns != op.InputShape[^1])
                        throw new InvalidOperationException($"Layer {l} is a dense layer at every step of [{string.Join(", ", op.InputShape)}] but its W has {w.Columns} columns; the operations are inconsistent.");
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
                    // z = x·Wᵀ + b: Gemm with transB = 1 keeps W as [units, inputs]. It reads one vector per sample: an
                    // image is flattened in C, H, W order, a sequence (after [Flatten]) step after step.
                    var (w, b) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.Bias));
                    graph.Initializer.Add(Tensor(w.Name, parameters.Slice(w.Offset, w.Length), w.Rows, w.Columns));
                    graph.Initializer.Add(Tensor(b.Name, parameters.Slice(b.Offset, b.Length), b.Rows));
                    current = Flat(graph, current, ref form, $"dense{l}");
                    layerInput = current;
                    var gemm = Node("Gemm", $"dense{l}", [current, w.Name, b.Name], $"z{l}");
                    gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    graph.Node.Add(gemm);
                    current = $"z{l}";
                    form = new Layout(LayoutForm.Flat, 1, w.Rows);
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
                    // Softmax normalizes the whole vector in Predict: over a sequence's steps too, so it reads [N, size].
                    if (op.Activation == Activation.Softmax)
                        current = Flat(graph, current, ref form, $"softmax{l}");
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
                case OperationKind.RadialBasis:
                {
                    // aᵢ = exp(−βᵢ·‖x − cᵢ‖²) from standard operators: Unsqueeze x to [N, 1, n], subtract C [m, n] (broadcast to
                    // [N, m, n]), square, ReduceSum over the inputs to r [N, m], multiply by β [m], negate, Exp.
                    var (c, beta) = (op.Block(ParameterRole.Center), op.Block(ParameterRole.Precision));
                    graph.Initializer.Add(Tensor(c.Name, parameters.Slice(c.Offset, c.Length), c.Rows, c.Columns));
                    graph.Initializer.Add(Tensor(beta.Name, parameters.Slice(beta.Offset, beta.Length), beta.Rows));
                    current = Flat(graph, current, ref form, $"rbf{l}");
                    layerInput = current;
                    graph.Initializer.Add(Int64s($"rbf{l}_axis1", 1));
                    graph.Initializer.Add(Int64s($"rbf{l}_axis2", 2));
                    graph.Node.Add(Node("Unsqueeze", $"rbf{l}_unsqueeze", [current, $"rbf{l}_axis1"], $"rbf{l}_x"));
                    graph.Node.Add(Node("Sub", $"rbf{l}_difference", [$"rbf{l}_x", c.Name], $"rbf{l}_e"));
                    graph.Node.Add(Node("Mul", $"rbf{l}_square", [$"rbf{l}_e", $"rbf{l}_e"], $"rbf{l}_e2"));
                    var sum = Node("ReduceSum", $"rbf{l}_distance", [$"rbf{l}_e2", $"rbf{l}_axis2"], $"r{l}");
                    sum.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
                    graph.Node.Add(sum);
                    graph.Node.Add(Node("Mul", $"rbf{l}_scale", [$"r{l}", beta.Name], $"rbf{l}_br"));
                    graph.Node.Add(Node("Neg", $"rbf{l}_negate", [$"rbf{l}_br"], $"rbf{l}_exponent"));
                    graph.Node.Add(Node("Exp", $"rbf{l}", [$"rbf{l}_exponent"], $"a{l}"));
                    current = $"a{l}";
                    form = new Layout(LayoutForm.Flat, 1, c.Rows);
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
        // A sequence output is flattened step after step, an image channel after channel, as Predict writes them: [N, size].
        current = Flat(graph, current, ref form, "output");
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

        /// <summary>[N, width, T]: a sequence as ONNX's 1-D <c>Conv</c> reads and writes it (channels before steps).</summary>
        ChannelsFirst,

        /// <summary>[N, C, H, W]: an image (the width per step and the steps do not apply).</summary>
        Image,
    }

    /// <summary>How the current value is laid out, and its steps and width per step.</summary>
    private readonly record struct Layout(LayoutForm Form, int Steps, int Width);

    /// <summary>The current value as [N, T, width].</summary>
    private static string BatchMajor(GraphProto graph, string current, ref Layout form, string tag)
    {
        if (form.Form == LayoutForm.BatchMajor) return current;
        if (form.Form == LayoutForm.Image)
            throw new InvalidOperationException("An image cannot be read as a sequence; the operations are inconsistent.");
        if (form.Form == LayoutForm.Flat)
        {
            graph.Initializer.Add(Int64s($"{tag}_steps_shape", 0, form.Steps, form.Width));
            graph.Node.Add(Node("Reshape", $"{tag}_steps", [current, $"{tag}_steps_shape"], $"{tag}_nt"));
            form = form with { Form = LayoutForm.BatchMajor };
            return $"{tag}_nt";
        }
        // [T, N, width] → [N, T, width], or [N, width, T] → [N, T, width].
        var transpose = Node("Transpose", $"{tag}_batch_major", [current], $"{tag}_nt");
        transpose.Attribute.Add(form.Form == LayoutForm.ChannelsFirst ? Ints("perm", 0, 2, 1) : Ints("perm", 1, 0, 2));
        graph.Node.Add(transpose);
        form = form with { Form = LayoutForm.BatchMajor };
        return $"{tag}_nt";
    }

    /// <summary>The current value as [N, width, T], the layout of a 1-D <c>Conv</c>.</summary>
    private static string ChannelsFirst(GraphProto graph, string current, ref Layout form, string tag)
    {
        if (form.Form == LayoutForm.ChannelsFirst) return current;
        if (form.Form == LayoutForm.Flat)
            current = BatchMajor(graph, current, ref form, tag);
        // [N, T, width] → [N, width, T], or [T, N, width] → [N, width, T].
        var transpose = Node("Transpose", $"{tag}_channels_first", [current], $"{tag}_nct");
        transpose.Attribute.Add(form.Form == LayoutForm.TimeMajor ? Ints("perm", 1, 2, 0) : Ints("perm", 0, 2, 1));
        graph.Node.Add(transpose);
        form = form with { Form = LayoutForm.ChannelsFirst };
        return $"{tag}_nct";
    }

    /// <summary>
    /// The current value as [N, size] in <c>Predict</c>'s order: an image through <c>Flatten(axis = 1)</c> (C, H, W), a
    /// sequence step after step through a Reshape of its [N, T, width] form.
    /// </summary>
    private static string Flat(GraphProto graph, string current, ref Layout form, string tag)
    {
        if (form.Form == LayoutForm.Flat) return current;
        if (form.Form == LayoutForm.Image)
        {
            var flatten = Node("Flatten", $"{tag}_flatten", [current], $"{tag}_flat");
            flatten.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            graph.Node.Add(flatten);
        }
        else
        {
            current = BatchMajor(graph, current, ref form, tag);
            graph.Initializer.Add(Int64s($"{tag}_shape", 0, -1));
            graph.Node.Add(Node("Reshape", $"{tag}_flatten", [current, $"{tag}_shape"], $"{tag}_flat"));
        }
        form = form with { Form = LayoutForm.Flat };
        return $"{tag}_flat";
    }

    /// <summary>
    /// A 2-D convolution of the image [N, C, H, W], or a 1-D one of the sequence as [N, C, T]: ONNX's <c>Conv</c> with
    /// W [F, C, k, k] or [F, C, k] (the parameter block as it is: PyTorch's layout), B [F] when the layer has a bias,
    /// <c>kernel_shape</c>, <c>strides</c>, symmetric <c>pads</c>, unit <c>dilations</c> and one <c>group</c>.
    /// </summary>
    private static (string Current, Layout Form) Convolution(GraphProto graph, OperationDescription op, ReadOnlySpan<float> parameters, string current, Layout form)
    {
        int l = op.Layer;
        bool oneDimensional = op.Kind == OperationKind.Convolution1D;
        var w = op.Block(ParameterRole.Weight);
        // A sequence's channels are its width per step ([T, C]); an image's its first axis ([C, H, W]).
        int channels = oneDimensional ? op.InputShape[1] : op.InputShape[0];
        long[] dims = oneDimensional ? [w.Rows, channels, op.Kernel] : [w.Rows, channels, op.Kernel, op.Kernel];
        graph.Initializer.Add(Tensor(w.Name, parameters.Slice(w.Offset, w.Length), dims));
        if (oneDimensional)
            current = ChannelsFirst(graph, current, ref form, $"conv{l}");
        else if (form.Form != LayoutForm.Image)
            throw new InvalidOperationException($"Layer {l} convolves a value laid out as {form.Form}, not an image; the operations are inconsistent.");
        var node = Node("Conv", $"conv{l}", [current, w.Name], $"z{l}");
        foreach (var block in op.Blocks)
            if (block.Role == ParameterRole.Bias)
            {
                graph.Initializer.Add(Tensor(block.Name, parameters.Slice(block.Offset, block.Length), block.Rows));
                node.Input.Add(block.Name);
            }
        int axes = oneDimensional ? 1 : 2;
        node.Attribute.Add(Ints("kernel_shape", [.. Enumerable.Repeat((long)op.Kernel, axes)]));
        node.Attribute.Add(Ints("strides", [.. Enumerable.Repeat((long)op.Stride, axes)]));
        node.Attribute.Add(Ints("pads", [.. Enumerable.Repeat((long)op.Padding, 2 * axes)])); // begin and end of each axis
        node.Attribute.Add(Ints("dilations", [.. Enumerable.Repeat(1L, axes)]));
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(node);
        return ($"z{l}", oneDimensional ? new Layout(LayoutForm.ChannelsFirst, op.OutputShape[0], op.OutputShape[1]) : new Layout(LayoutForm.Image, 1, op.OutputSize));
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
        if (form.Form is LayoutForm.Flat or LayoutForm.ChannelsFirst)
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
    private static ValueInfoProto Value(string name, int width) => Value(name, [width]);

    /// <summary>A float tensor value [N, ..<paramref name="sample"/>] with a symbolic batch dimension.</summary>
    private static ValueInfoProto Value(string name, long[] sample)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (long dimension in sample)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
