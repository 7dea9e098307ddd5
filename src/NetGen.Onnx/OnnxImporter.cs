using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Onnx.Protos;

namespace NetGen.Onnx;

/// <summary>
/// Loads the weights of an ONNX model whose graph is a plain MLP matching a NetGen declaration — as exported by PyTorch
/// (<c>Gemm</c> with transB = 1), Keras/tf2onnx (<c>MatMul</c> + <c>Add</c>) or <see cref="OnnxExporter"/> — into a
/// network. The graph is walked from its single input: for each declared layer a linear op whose weight and bias are
/// initializers of the declared shapes, then the declared activation (<c>Relu</c>, <c>Sigmoid</c>, <c>Tanh</c>,
/// <c>LeakyRelu</c> with the declared alpha, <c>Softmax</c> over the last axis; none for identity). <c>Identity</c> and
/// <c>Dropout</c> nodes (no-ops at inference) are stepped over. Gemm's alpha, beta and transB are folded into W and b.
/// A leading <c>Sub(input, mean)</c>, <c>Div(·, scale)</c> pair with constant [InputSize] tensors (as the exporter writes a
/// standardizer) becomes the network's <see cref="INetwork.Standardizer"/>, and the metadata entry
/// <see cref="OnnxExporter.ClassNamesKey"/> its <see cref="INetwork.ClassNames"/>; a model without them clears them.
/// A network with recurrent, convolution or pooling layers, or a sequence or image input, is matched operation by
/// operation to the graph's RNN, GRU, LSTM, Conv, MaxPool, AveragePool, Gemm / MatMul and activation nodes (see
/// <c>ReadOrderedParameters</c>); an image input may be [N, C, H, W] (as <see cref="OnnxExporter"/> and PyTorch write it)
/// or [N, InputSize]. A Conv or pooling node whose attributes ask for what NetGen does not compute (dilations, groups,
/// asymmetric or automatic padding, ceil mode) is refused, naming the attribute. Anything else is an
/// <see cref="OnnxImportException"/> naming the first mismatch; nothing is changed then.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Imports the model at <paramref name="path"/> into <paramref name="network"/>.</summary>
    public static void Import<TNetwork>(TNetwork network, string path)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The ONNX model '{Path.GetFullPath(path)}' does not exist.", path);
        Import(network, File.ReadAllBytes(path));
    }

    /// <summary>Imports the model in the rest of <paramref name="stream"/> into <paramref name="network"/>.</summary>
    public static void Import<TNetwork>(TNetwork network, Stream stream)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Import(network, buffer.ToArray());
    }

    /// <summary>Imports the model in <paramref name="bytes"/> into <paramref name="network"/>.</summary>
    public static void Import<TNetwork>(TNetwork network, byte[] bytes)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException($"This is not a valid ONNX model ({e.Message}).");
        }
        float[] values;
        Standardizer? standardizer;
        IReadOnlyList<string>? classNames;
        try
        {
            (values, standardizer) = ReadParameters<TNetwork>(model);
            classNames = ReadClassNames<TNetwork>(model);
        }
        catch (Exception e) when (e is not OnnxImportException)
        {
            // A safety net under the checks: a graph malformed in a way they do not foresee is still only a refusal.
            throw new OnnxImportException($"The ONNX model is malformed and cannot be imported ({e.GetType().Name}: {e.Message}).", inner: e);
        }
        values.AsSpan().CopyTo(network.Parameters);
        network.Standardizer = standardizer;
        network.ClassNames = classNames;
    }

    /// <summary>The class names in the model metadata, checked against the network's outputs; null when there are none.</summary>
    private static IReadOnlyList<string>? ReadClassNames<TNetwork>(ModelProto model)
        where TNetwork : class, INetwork<TNetwork>
    {
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxExporter.ClassNamesKey);
        if (entry is null) return null;
        var names = new List<string>();
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(entry.Value);
            if (json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                throw new OnnxImportException($"The metadata entry '{OnnxExporter.ClassNamesKey}' is not a JSON array of strings.");
            foreach (var item in json.RootElement.EnumerateArray())
                names.Add(item.ValueKind == System.Text.Json.JsonValueKind.String ? item.GetString()!
                    : throw new OnnxImportException($"The metadata entry '{OnnxExporter.ClassNamesKey}' holds a {item.ValueKind}; it must be a JSON array of strings."));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new OnnxImportException($"The metadata entry '{OnnxExporter.ClassNamesKey}' is not valid JSON ({e.Message}).");
        }
        try
        {
            return ThrowHelper.CheckClassNames(names, TNetwork.OutputSize, typeof(TNetwork).Name);
        }
        catch (ArgumentException e)
        {
            throw new OnnxImportException($"The metadata entry '{OnnxExporter.ClassNamesKey}' does not fit {typeof(TNetwork).Name}: {e.Message}");
        }
    }

    /// <summary>
    /// The standardizer in front of the first layer — <c>Sub(x, mean)</c> then <c>Div(·, scale)</c> with constant
    /// [InputSize] (or [1, InputSize]) tensors — or null when the first node is not a Sub; the value after it in <paramref name="current"/>.
    /// </summary>
    private static Standardizer? ReadStandardizer<TNetwork>(GraphWalker walker, ref string current)
        where TNetwork : class, INetwork<TNetwork>
    {
        if (walker.SingleConsumer(current, 1) is not { OpType: "Sub" } sub)
            return null;
        int width = TNetwork.InputSize;
        // [InputSize], or one sample's shape ([C, H, W] for an image) to broadcast over the batch.
        long[] sample = TNetwork.Operations.Count > 0 ? TNetwork.Operations[0].InputShape.Select(d => (long)d).ToArray() : [width];
        string expected = $"Sub(input, mean [{width}]) then Div(·, scale [{width}])";
        if (sub.Input.Count != 2 || sub.Input[0] != current || !walker.IsInitializer(sub.Input[1]))
            throw Mismatch(1, expected, $"Sub node '{sub.Name}' with inputs ({string.Join(", ", sub.Input)})", "a standardizer subtracts a constant mean from the input");
        var (mean, meanDims) = walker.Initializer(sub, 1, 1);
        string centered = Output(sub, 1);
        var div = walker.SingleConsumer(centered, 1);
        if (div is not { OpType: "Div" } || div.Input.Count != 2 || div.Input[0] != centered || !walker.IsInitializer(div.Input[1]))
            throw Mismatch(1, expected, div is null ? "the end of the graph" : $"{div.OpType} node '{div.Name}'", "a standardizer divides the centred input by a constant scale");
        var (scale, scaleDims) = walker.Initializer(div, 1, 1);
        foreach (var dims in new[] { meanDims, scaleDims })
            if (!(dims.SequenceEqual(new long[] { width }) || dims.SequenceEqual(new long[] { 1, width }) || dims.SequenceEqual(sample) || dims.SequenceEqual([1, .. sample])))
                throw Mismatch(1, expected, $"a tensor of shape {Shape(dims)}", $"nodes '{sub.Name}' and '{div.Name}'");
        current = Output(div, 1);
        try
        {
            return Standardizer.Create(mean, scale);
        }
        catch (ArgumentException e)
        {
            throw new OnnxImportException($"The standardisation nodes '{sub.Name}' and '{div.Name}' hold unusable constants: {e.Message}");
        }
    }

    private static (float[] Values, Standardizer? Standardizer) ReadParameters<TNetwork>(ModelProto model)
        where TNetwork : class, INetwork<TNetwork>
    {
        var graph = model.Graph ?? throw new OnnxImportException("The ONNX model has no graph.");
        if (graph.Node.Count == 0 && graph.Initializer.Count == 0)
            throw new OnnxImportException("The ONNX model's graph is empty; is this an ONNX model?");
        string name = typeof(TNetwork).Name;
        if (TNetwork.Operations.FirstOrDefault(o => o.Kind == OperationKind.RadialBasis) is { } rbf)
            throw new OnnxImportException(
                $"Layer {rbf.Layer} of {name} is a radial-basis layer, which ONNX has no operator for (NetGen exports it as Unsqueeze, Sub, Mul, ReduceSum, Mul, Neg, Exp); " +
                "importing that subgraph is not supported in this version of NetGen.Onnx. Move the weights with a checkpoint (Checkpoint.Save and Checkpoint.Load) instead.",
                rbf.Layer, "a layer ONNX has an operator for", "a radial-basis layer in the declaration");
        var walker = new GraphWalker(graph);
        var layers = TNetwork.Layers;
        var values = new float[TNetwork.ParameterCount];

        var inputs = graph.Input.Where(i => !walker.IsInitializer(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new OnnxImportException($"The graph has {inputs.Count} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); {name} takes one, of width {TNetwork.InputSize}.");
        CheckInput<TNetwork>(inputs[0]);
        string current = walker.SkipPassThrough(inputs[0].Name);
        var standardizer = ReadStandardizer<TNetwork>(walker, ref current);
        // Anything but vectors all the way (a sequence or an image somewhere, a recurrent, convolution or pooling layer)
        // is matched operation by operation; a plain MLP is walked node by node.
        if (TNetwork.Operations.Any(o => o.InputShape.Count > 1 || o.OutputShape.Count > 1
                || o.Kind is OperationKind.Recurrent or OperationKind.Gru or OperationKind.Lstm or OperationKind.Convolution2D
                    or OperationKind.Convolution1D or OperationKind.MaxPool2D or OperationKind.AvgPool2D))
        {
            ReadOrderedParameters<TNetwork>(graph, walker, values);
            return (values, standardizer);
        }

        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int number = l + 1;
            // The blocks come from the planned operations, by role: no name is rebuilt here.
            var operations = TNetwork.Operations.Where(o => o.Layer == number).ToList();
            var denseOperation = operations.First(o => o.Kind == OperationKind.Dense);
            var weights = denseOperation.Block(ParameterRole.Weight);
            var bias = denseOperation.Block(ParameterRole.Bias);
            if (layer.BatchNorm)
                throw new OnnxImportException($"Layer {number} is batch-normalized; importing BatchNormalization from ONNX is not supported in this version of NetGen.Onnx.",
                    number, "a plain layer", "batch normalization in the declaration");
            if (layer.Residual)
                throw new OnnxImportException($"Layer {number} is residual; importing residual connections from ONNX is not supported in this version of NetGen.Onnx.",
                    number, "a plain layer", "a residual layer in the declaration");
            if (layer.Activation == Activation.SiLU)
                throw new OnnxImportException($"Layer {number} uses SiLU, which ONNX writes as Mul(z, Sigmoid(z)); importing it is not supported in this version of NetGen.Onnx.",
                    number, "an activation operator", "SiLU in the declaration");
            string dense = $"Dense({layer.Units}) with weights [{layer.Units}, {layer.Inputs}] (PyTorch layout; [{layer.Inputs}, {layer.Units}] for MatMul)";

            current = walker.SkipPassThrough(current);
            var node = walker.SingleConsumer(current, number);
            if (node is null)
                throw Mismatch(number, dense, "the end of the graph", $"the model ends after {l} layer(s)");
            if (node.OpType == "Gemm")
            {
                if (Int(node, "transA", 0) != 0)
                    throw Mismatch(number, "Gemm with transA = 0", "Gemm with transA = 1", $"node '{node.Name}'");
                bool transB = Int(node, "transB", 0) != 0;
                float alpha = Float(node, "alpha", 1f), beta = Float(node, "beta", 1f);
                var (wValues, wDims) = walker.Initializer(node, 1, number);
                long[] expected = transB ? [layer.Units, layer.Inputs] : [layer.Inputs, layer.Units];
                if (!wDims.SequenceEqual(expected))
                    throw Mismatch(number, $"weights [{string.Join(", ", expected)}]", $"weights {Shape(wDims)}", $"Gemm node '{node.Name}' (transB = {(transB ? 1 : 0)})");
                CopyWeights(wValues, transB, layer, values.AsSpan(weights.Offset, weights.Length), alpha);
                if (node.Input.Count > 2 && node.Input[2].Length > 0)
                {
                    var (bValues, bDims) = walker.Initializer(node, 2, number);
                    CheckBias(bDims, layer.Units, number, node);
                    for (int i = 0; i < layer.Units; i++) values[bias.Offset + i] = beta * bValues[i];
                }
                current = Output(node, number);
            }
            else if (node.OpType == "MatMul")
            {
                var (wValues, wDims) = walker.Initializer(node, 1, number);
                if (!wDims.SequenceEqual(new long[] { layer.Inputs, layer.Units }))
                    throw Mismatch(number, $"weights [{layer.Inputs}, {layer.Units}]", $"weights {Shape(wDims)}", $"MatMul node '{node.Name}'");
                CopyWeights(wValues, unitsMajor: false, layer, values.AsSpan(weights.Offset, weights.Length), 1f);
                current = Output(node, number);
                var add = walker.SingleConsumer(current, number);
                if (add is { OpType: "Add" })
                {
                    if (add.Input.Count != 2)
                        throw Mismatch(number, "Add with two inputs (the product and the bias)", $"Add with {add.Input.Count} input(s)", $"node '{add.Name}'");
                    int biasInput = walker.IsInitializer(add.Input[1]) ? 1 : 0;
                    var (bValues, bDims) = walker.Initializer(add, biasInput, number);
                    CheckBias(bDims, layer.Units, number, add);
                    for (int i = 0; i < layer.Units; i++) values[bias.Offset + i] = bValues[i];
                    current = Output(add, number);
                }
            }
            else
            {
                throw Mismatch(number, dense, $"{node.OpType} node '{node.Name}'", "expected the layer's linear op (Gemm, or MatMul + Add)");
            }

            current = walker.SkipPassThrough(current);
            string? op = ExpectedOp(layer.Activation);
            var next = walker.SingleConsumer(current, number);
            if (op is null)
            {
                if (next is not null && IsActivation(next.OpType))
                    throw Mismatch(number, "no activation (identity)", $"{next.OpType} node '{next.Name}'", "the declaration has no activation on this layer");
                continue;
            }
            if (next is null || next.OpType != op)
                throw Mismatch(number, $"{op} activation", next is null ? "the end of the graph" : $"{next.OpType} node '{next.Name}'",
                    layer.Activation == Activation.Softmax && next is null
                        ? "the model outputs logits; declare the output layer without softmax, or add Softmax to the model"
                        : $"the declaration's activation is {layer.Activation}");
            if (layer.Activation == Activation.PReLU)
            {
                var (slopeValues, slopeDims) = walker.Initializer(next, 1, number);
                if (!(slopeDims.SequenceEqual(new long[] { layer.Units }) || slopeDims.SequenceEqual(new long[] { 1, layer.Units })))
                    throw Mismatch(number, $"PRelu slopes [{layer.Units}]", $"PRelu slopes {Shape(slopeDims)}", $"node '{next.Name}'");
                var slopes = operations.First(o => o.Kind == OperationKind.Activation).Block(ParameterRole.Slope);
                slopeValues.AsSpan(0, layer.Units).CopyTo(values.AsSpan(slopes.Offset, slopes.Length));
            }
            if (layer.Activation == Activation.ELU && MathF.Abs(Float(next, "alpha", 1f) - 1f) > 1e-6f)
                throw Mismatch(number, "Elu alpha = 1", $"Elu alpha = {Float(next, "alpha", 1f)}", $"node '{next.Name}'");
            if (layer.Activation == Activation.LeakyReLU)
            {
                float alpha = Float(next, "alpha", 0.01f);
                if (MathF.Abs(alpha - layer.NegativeSlope) > 1e-6f * MathF.Max(1f, MathF.Abs(layer.NegativeSlope)))
                    throw Mismatch(number, $"LeakyRelu alpha = {layer.NegativeSlope}", $"LeakyRelu alpha = {alpha}", $"node '{next.Name}'");
            }
            if (layer.Activation == Activation.Softmax)
            {
                long axis = Int(next, "axis", -1);
                if (axis != -1 && axis != 1)
                    throw Mismatch(number, "Softmax over the last axis", $"Softmax axis = {axis}", $"node '{next.Name}'");
            }
            current = Output(next, number);
        }

        current = walker.SkipPassThrough(current);
        var extra = walker.SingleConsumer(current, layers.Count + 1);
        if (extra is not null)
            throw Mismatch(layers.Count + 1, "the graph output", $"{extra.OpType} node '{extra.Name}'", $"{name} declares {layers.Count} layer(s) and the model goes on");
        if (!graph.Output.Any(o => o.Name == current))
            throw new OnnxImportException($"After the last layer the value '{current}' is not a graph output; the model does not end where {name} does.");
        return (values, standardizer);
    }

    /// <summary>
    /// A network with recurrent, convolution or pooling layers, or whose input is a sequence or an image: its operations
    /// in order are matched one to one to the graph's computing nodes in graph order (which ONNX keeps topological: for a
    /// chain, the order they run in), the Reshape, Transpose, Flatten, Squeeze and Unsqueeze nodes between them being
    /// layout only. Recurrent layers are ONNX <c>RNN</c>, <c>GRU</c>, <c>LSTM</c> (one direction, forward; GRU with
    /// <c>linear_before_reset = 1</c>, PyTorch's form; no peepholes, no initial state), their gate blocks reordered from
    /// ONNX's order to PyTorch's; dense layers <c>Gemm</c> or <c>MatMul</c> (+ <c>Add</c>); convolutions <c>Conv</c> (see
    /// <c>ReadConvolution</c>) and pooling <c>MaxPool</c> / <c>AveragePool</c> (see <c>CheckPool</c>); each declared
    /// activation its operator, with the declared attributes (SiLU as <c>Mul(z, Sigmoid(z))</c>, PReLU's slopes copied).
    /// </summary>
    /// <summary>
    /// A dense layer after <c>[Flatten]</c> of a 1-D convolution's output reads it step after step (t·F + f). ONNX's Conv
    /// computes [N, F, T′] (filters first), so a model that flattens that tensor as it is — PyTorch's
    /// <c>conv(x).flatten(1)</c> — orders its Linear weights filter by filter, and copying them would scramble every column.
    /// The weights are taken only when a Transpose with perm [0, 2, 1] brings the steps back first between the Conv and the
    /// dense node (as NetGen's exporter writes it); otherwise the import is refused.
    /// </summary>
    private static void CheckFlattenOrder(GraphProto graph, List<OperationDescription> declared, int k, NodeProto node)
    {
        var dense = declared[k];
        var weight = dense.Block(ParameterRole.Weight);
        bool flattenedSequence = dense.InputShape.Count == 2 && weight.Columns == dense.InputSize && dense.InputSize != dense.InputShape[^1];
        if (!flattenedSequence) return;
        // The value's producer (the operation before the dense layer, through its activation) must be a Conv1D for the order to matter.
        int producer = k - 1;
        while (producer >= 0 && declared[producer].Kind == OperationKind.Activation) producer--;
        if (producer < 0 || declared[producer].Kind != OperationKind.Convolution1D) return;
        int at = graph.Node.IndexOf(node), conv = -1;
        for (int i = at - 1; i >= 0; i--)
            if (graph.Node[i].OpType == "Conv") { conv = i; break; }
        for (int i = conv + 1; i < at; i++)
            if (graph.Node[i].OpType == "Transpose" && graph.Node[i].Attribute.FirstOrDefault(a => a.Name == "perm") is { } perm
                && perm.Ints.SequenceEqual(new long[] { 0, 2, 1 }))
                return;
        throw new OnnxImportException(
            $"Layer {dense.Layer} reads the flattened output of a 1-D convolution step after step (t·filters + f), but the model flattens ONNX's [N, filters, steps] " +
            "as it is (filter after filter, as PyTorch's conv(x).flatten(1) does), so its weights are in another order; transpose to [N, steps, filters] before flattening in the model " +
            "(x.transpose(1, 2).flatten(1)), or import into a declaration without [Flatten].", dense.Layer, "Transpose [0, 2, 1] before the flatten", "a flatten of [N, filters, steps]");
    }

    private static void ReadOrderedParameters<TNetwork>(GraphProto graph, GraphWalker walker, float[] values)
        where TNetwork : class, INetwork<TNetwork>
    {
        string name = typeof(TNetwork).Name;
        if (TNetwork.Operations.FirstOrDefault(o => o.Kind == OperationKind.BatchNorm) is { } norm)
            throw new OnnxImportException($"Layer {norm.Layer} is batch-normalized; importing BatchNormalization from ONNX is not supported in this version of NetGen.Onnx.",
                norm.Layer, "a plain layer", "batch normalization in the declaration");
        // What the declaration computes, in order, and the graph's nodes that compute (layout and no-op nodes left out).
        var declared = TNetwork.Operations.Where(o => o.Kind is not (OperationKind.Dropout or OperationKind.ResidualAdd)
            && !(o.Kind == OperationKind.Activation && o.Activation == Activation.Identity)).ToList();
        var computing = graph.Node.Where(n => IsComputing(n.OpType)).ToList();
        int layers = TNetwork.Operations.Count == 0 ? 0 : TNetwork.Operations.Max(o => o.Layer);
        if (computing.Count > declared.Count)
        {
            var extra = computing[declared.Count];
            throw Mismatch(layers + 1, "the graph output", $"{extra.OpType} node '{extra.Name}'", $"{name} declares {layers} layer(s) and the model goes on");
        }
        for (int k = 0; k < declared.Count; k++)
        {
            var op = declared[k];
            int layer = op.Layer;
            string kind = ExpectedNode(op);
            if (k >= computing.Count)
                throw Mismatch(layer, kind, "the end of the graph",
                    op.Kind == OperationKind.Activation && op.Activation == Activation.Softmax && k == declared.Count - 1
                        ? "the model outputs logits; declare the output layer without softmax, or add Softmax to the model"
                        : $"the model ends before layer {layer}'s {op.Kind}");
            var node = computing[k];
            bool fits = op.Kind switch
            {
                OperationKind.Dense => node.OpType is "Gemm" or "MatMul",
                OperationKind.Activation => node.OpType == (op.Activation == Activation.SiLU ? "Sigmoid" : OnnxOperators.For(op.Activation)),
                _ => node.OpType == kind,
            };
            if (!fits)
                throw Mismatch(layer, kind, $"{node.OpType} node '{node.Name}'", op.Kind == OperationKind.Activation
                    ? $"the declaration's activation is {op.Activation}"
                    : $"layer {layer} is declared as {op.Kind}");
            switch (op.Kind)
            {
                case OperationKind.Activation:
                    ReadActivation(op, node, walker, values);
                    continue;
                case OperationKind.Convolution2D or OperationKind.Convolution1D:
                    ReadConvolution(op, node, walker, values);
                    continue;
                case OperationKind.MaxPool2D or OperationKind.AvgPool2D:
                    CheckPool(op, node);
                    continue;
            }
            if (op.Kind == OperationKind.Dense)
            {
                var (w, b) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.Bias));
                var weights = values.AsSpan(w.Offset, w.Length);
                CheckFlattenOrder(graph, declared, k, node);
                if (node.OpType == "Gemm")
                {
                    bool transB = Int(node, "transB", 0) != 0;
                    float alpha = Float(node, "alpha", 1f), beta = Float(node, "beta", 1f);
                    var (wValues, wDims) = walker.Initializer(node, 1, layer);
                    long[] expected = transB ? [w.Rows, w.Columns] : [w.Columns, w.Rows];
                    if (!wDims.SequenceEqual(expected) || Int(node, "transA", 0) != 0)
                        throw Mismatch(layer, $"Gemm weights {Shape(expected)}", $"weights {Shape(wDims)}", $"node '{node.Name}'");
                    for (int i = 0; i < w.Rows; i++)
                        for (int j = 0; j < w.Columns; j++)
                            weights[i * w.Columns + j] = alpha * (transB ? wValues[i * w.Columns + j] : wValues[j * w.Rows + i]);
                    if (node.Input.Count > 2 && node.Input[2].Length > 0)
                    {
                        var (bValues, bDims) = walker.Initializer(node, 2, layer);
                        CheckBias(bDims, w.Rows, layer, node);
                        for (int i = 0; i < w.Rows; i++) values[b.Offset + i] = beta * bValues[i];
                    }
                    continue;
                }
                // MatMul(x, Wᵀ): Wᵀ is an initializer [inputs, units], or a Transpose of one [units, inputs].
                if (node.Input.Count != 2)
                    throw Mismatch(layer, "MatMul with two inputs", $"MatMul with {node.Input.Count} input(s)", $"node '{node.Name}'");
                if (walker.Producer(node.Input[1]) is { OpType: "Transpose" } tr && (tr.Input.Count != 1 || Ints(tr, "perm") is { Length: > 0 } perm && !perm.SequenceEqual(new long[] { 1, 0 })))
                    throw Mismatch(layer, "a Transpose of the weights with perm [1, 0]", $"Transpose node '{tr.Name}'", "the weights of a dense layer at every step");
                bool transposed = !walker.IsInitializer(node.Input[1]) && walker.Producer(node.Input[1]) is { OpType: "Transpose" } t && walker.IsInitializer(t.Input[0]);
                var (mValues, mDims) = transposed ? walker.Initializer(walker.Producer(node.Input[1])!, 0, layer) : walker.Initializer(node, 1, layer);
                long[] want = transposed ? [w.Rows, w.Columns] : [w.Columns, w.Rows];
                if (!mDims.SequenceEqual(want))
                    throw Mismatch(layer, $"MatMul weights {Shape(want)}", $"weights {Shape(mDims)}", $"node '{node.Name}'");
                for (int i = 0; i < w.Rows; i++)
                    for (int j = 0; j < w.Columns; j++)
                        weights[i * w.Columns + j] = transposed ? mValues[i * w.Columns + j] : mValues[j * w.Rows + i];
                if (walker.SingleConsumer(Output(node, layer), layer) is { OpType: "Add" } add)
                {
                    if (add.Input.Count != 2)
                        throw Mismatch(layer, "Add with two inputs (the product and the bias)", $"Add with {add.Input.Count} input(s)", $"node '{add.Name}'");
                    int biasInput = walker.IsInitializer(add.Input[1]) ? 1 : 0;
                    var (bValues, bDims) = walker.Initializer(add, biasInput, layer);
                    CheckBias(bDims, w.Rows, layer, add);
                    bValues.AsSpan(0, w.Rows).CopyTo(values.AsSpan(b.Offset, b.Length));
                }
                continue;
            }
            string type = OnnxOperators.Recurrent(op.Kind);
            if (node.OpType != type)
                throw Mismatch(layer, type, $"{node.OpType} node '{node.Name}'", $"layer {layer} is declared as {op.Kind}");
            var (wih, whh, bih, bhh) = (op.Block(ParameterRole.Weight), op.Block(ParameterRole.RecurrentWeight), op.Block(ParameterRole.Bias), op.Block(ParameterRole.RecurrentBias));
            int h = whh.Columns, f = wih.Columns, rows = wih.Rows;
            if (node.Input.Count < 3)
                throw Mismatch(layer, $"{type} with inputs X, W, R (and B)", $"{type} with {node.Input.Count} input(s)", $"node '{node.Name}'");
            if (Int(node, "hidden_size", -1) != h)
                throw Mismatch(layer, $"hidden_size {h}", $"hidden_size {Int(node, "hidden_size", -1)}", $"node '{node.Name}'");
            string direction = node.Attribute.FirstOrDefault(a => a.Name == "direction") is { } d ? d.S.ToStringUtf8() : "forward";
            if (direction != "forward")
                throw Mismatch(layer, "direction forward", $"direction {direction}", $"node '{node.Name}' (bidirectional layers are not supported)");
            if (op.Kind == OperationKind.Gru && Int(node, "linear_before_reset", 0) != 1)
                throw Mismatch(layer, "linear_before_reset = 1 (PyTorch's GRU)", "linear_before_reset = 0", $"node '{node.Name}'");
            // Anything that changes what the cell computes is refused: clipping, LSTM's coupled input/forget gates, gate
            // activations other than the defaults, and per-sample sequence lengths.
            if (node.Attribute.Any(a => a.Name == "clip"))
                throw Mismatch(layer, $"{type} without clip", $"{type} with clip", $"node '{node.Name}'");
            if (Int(node, "input_forget", 0) != 0)
                throw Mismatch(layer, "LSTM with input_forget = 0", "input_forget = 1", $"node '{node.Name}'");
            if (op.Kind != OperationKind.Recurrent && node.Attribute.FirstOrDefault(a => a.Name == "activations") is { Strings.Count: > 0 } gateActivations)
            {
                string[] defaults = op.Kind == OperationKind.Gru ? ["Sigmoid", "Tanh"] : ["Sigmoid", "Tanh", "Tanh"];
                string[] given = gateActivations.Strings.Select(a => a.ToStringUtf8()).ToArray();
                if (!given.SequenceEqual(defaults, StringComparer.OrdinalIgnoreCase))
                    throw Mismatch(layer, $"{type} activations [{string.Join(", ", defaults)}]", $"activations [{string.Join(", ", given)}]", $"node '{node.Name}'");
            }
            if (node.Input.Count > 4 && node.Input[4].Length > 0)
                throw Mismatch(layer, $"{type} without sequence_lens (every sample has all its steps)", $"sequence_lens '{node.Input[4]}'", $"node '{node.Name}'");
            if (op.Kind == OperationKind.Recurrent)
            {
                string activation = node.Attribute.FirstOrDefault(a => a.Name == "activations") is { Strings.Count: > 0 } list ? list.Strings[0].ToStringUtf8() : "Tanh";
                string wanted = op.Activation == Activation.ReLU ? "Relu" : "Tanh";
                if (activation != wanted)
                    throw Mismatch(layer, $"RNN activation {wanted}", $"RNN activation {activation}", $"node '{node.Name}'");
            }
            for (int i = 4; i < node.Input.Count; i++)
                if (node.Input[i].Length > 0 && !(walker.IsInitializer(node.Input[i]) && walker.Initializer(node, i, layer).Values.All(v => v == 0)))
                    throw Mismatch(layer, "no initial state and no peepholes", $"input {i} ('{node.Input[i]}')", $"node '{node.Name}'");
            int[] order = OnnxOperators.GateOrder(op.Kind);
            void Copy(float[] source, int columns, int offset, int sourceOffset)
            {
                // ONNX block g is PyTorch block order[g].
                for (int g = 0; g < order.Length; g++)
                    source.AsSpan(sourceOffset + g * h * columns, h * columns).CopyTo(values.AsSpan(offset + order[g] * h * columns));
            }
            var (wv, wd) = walker.Initializer(node, 1, layer);
            var (rv, rd) = walker.Initializer(node, 2, layer);
            if (!wd.SequenceEqual(new long[] { 1, rows, f }) || !rd.SequenceEqual(new long[] { 1, rows, h }))
                throw Mismatch(layer, $"W [1, {rows}, {f}] and R [1, {rows}, {h}]", $"W {Shape(wd)} and R {Shape(rd)}", $"node '{node.Name}'");
            Copy(wv, f, wih.Offset, 0);
            Copy(rv, h, whh.Offset, 0);
            if (node.Input.Count > 3 && node.Input[3].Length > 0)
            {
                var (bv, bd) = walker.Initializer(node, 3, layer);
                if (!bd.SequenceEqual(new long[] { 1, 2 * rows }))
                    throw Mismatch(layer, $"B [1, {2 * rows}]", $"B {Shape(bd)}", $"node '{node.Name}'");
                Copy(bv, 1, bih.Offset, 0);
                Copy(bv, 1, bhh.Offset, rows);
            }
        }
    }

    /// <summary>The ONNX operator an operation is matched to, for messages and the kind check.</summary>
    private static string ExpectedNode(OperationDescription op) => op.Kind switch
    {
        OperationKind.Dense => "Gemm or MatMul",
        OperationKind.Recurrent or OperationKind.Gru or OperationKind.Lstm => OnnxOperators.Recurrent(op.Kind),
        OperationKind.Convolution2D or OperationKind.Convolution1D => "Conv",
        OperationKind.MaxPool2D => "MaxPool",
        OperationKind.AvgPool2D => "AveragePool",
        OperationKind.Activation when op.Activation == Activation.SiLU => "Sigmoid then Mul (SiLU)",
        OperationKind.Activation => $"{OnnxOperators.For(op.Activation) ?? op.Activation.ToString()} activation",
        _ => op.Kind.ToString(),
    };

    /// <summary>Nodes that compute something the declaration must account for; the rest (Reshape, Transpose, Flatten, Squeeze,
    /// Identity, the standardizer's Sub and Div, a bias Add, SiLU's Mul) move, copy or finish values.</summary>
    private static bool IsComputing(string op) =>
        op is "RNN" or "GRU" or "LSTM" or "Gemm" or "MatMul" or "Conv" or "ConvTranspose" or "MaxPool" or "AveragePool"
            or "GlobalMaxPool" or "GlobalAveragePool" or "LpPool" or "BatchNormalization" || IsActivation(op);

    /// <summary>
    /// A declared activation's node (its kind already matched): LeakyRelu's alpha and Elu's must be the declared ones,
    /// Softmax over the vector (axis 1 or −1 of the [N, size] it reads), SiLU's Sigmoid must feed Mul(z, σ(z)), and
    /// PRelu's slopes are copied into the layer's α block.
    /// </summary>
    private static void ReadActivation(OperationDescription op, NodeProto node, GraphWalker walker, float[] values)
    {
        int layer = op.Layer;
        switch (op.Activation)
        {
            case Activation.LeakyReLU:
            {
                float alpha = Float(node, "alpha", 0.01f);
                if (MathF.Abs(alpha - op.NegativeSlope) > 1e-6f * MathF.Max(1f, MathF.Abs(op.NegativeSlope)))
                    throw Mismatch(layer, $"LeakyRelu alpha = {op.NegativeSlope}", $"LeakyRelu alpha = {alpha}", $"node '{node.Name}'");
                break;
            }
            case Activation.ELU when MathF.Abs(Float(node, "alpha", 1f) - 1f) > 1e-6f:
                throw Mismatch(layer, "Elu alpha = 1", $"Elu alpha = {Float(node, "alpha", 1f)}", $"node '{node.Name}'");
            case Activation.Softmax when Int(node, "axis", -1) is not (-1 or 1):
                throw Mismatch(layer, "Softmax over the last axis", $"Softmax axis = {Int(node, "axis", -1)}", $"node '{node.Name}'");
            case Activation.SiLU:
            {
                // z·σ(z): the Sigmoid's one reader multiplies its input by it.
                string z = node.Input.Count == 1 ? node.Input[0] : "";
                var mul = walker.SingleConsumer(Output(node, layer), layer);
                if (mul is not { OpType: "Mul" } || mul.Input.Count != 2 || !mul.Input.Contains(z) || !mul.Input.Contains(Output(node, layer)))
                    throw Mismatch(layer, "SiLU as Mul(z, Sigmoid(z))", mul is null ? $"Sigmoid node '{node.Name}' alone" : $"{mul.OpType} node '{mul.Name}' after Sigmoid node '{node.Name}'",
                        "the declaration's activation is SiLU");
                break;
            }
            case Activation.PReLU:
            {
                var slopes = op.Block(ParameterRole.Slope);
                var (slopeValues, slopeDims) = walker.Initializer(node, 1, layer);
                if (slopeValues.Length != slopes.Length || !(slopeDims.SequenceEqual(new long[] { slopes.Rows }) || slopeDims.SequenceEqual(new long[] { 1, slopes.Rows })))
                    throw Mismatch(layer, $"PRelu slopes [{slopes.Rows}]", $"PRelu slopes {Shape(slopeDims)}", $"node '{node.Name}'");
                slopeValues.AsSpan().CopyTo(values.AsSpan(slopes.Offset, slopes.Length));
                break;
            }
        }
    }

    /// <summary>
    /// A <c>[Conv2D]</c> or <c>[Conv1D]</c> from a <c>Conv</c> node: W [F, C, k, k] or [F, C, k] (PyTorch's layout, copied as
    /// it is) and B [F] (a layer declared without a bias takes a model's bias only if it is all zeros). Only what NetGen
    /// computes is taken: the declared <c>kernel_shape</c> and <c>strides</c>, the declared padding on both ends of every
    /// axis (<c>pads</c>; <c>auto_pad</c> NOTSET, or VALID with no padding), <c>dilations</c> of 1 and <c>group</c> 1;
    /// anything else is refused, naming the attribute.
    /// </summary>
    private static void ReadConvolution(OperationDescription op, NodeProto node, GraphWalker walker, float[] values)
    {
        int layer = op.Layer;
        bool oneDimensional = op.Kind == OperationKind.Convolution1D;
        int axes = oneDimensional ? 1 : 2;
        var w = op.Block(ParameterRole.Weight);
        int channels = oneDimensional ? op.InputShape[1] : op.InputShape[0];
        string where = $"Conv node '{node.Name}'";
        if (node.Input.Count is < 2 or > 3)
            throw Mismatch(layer, "Conv with inputs X, W (and B)", $"Conv with {node.Input.Count} input(s)", where);
        CheckWindow(node, layer, "Conv", axes, op.Kernel, op.Stride, op.Padding);
        long group = Int(node, "group", 1);
        if (group != 1)
            throw Mismatch(layer, "group = 1", $"group = {group}", $"{where} (grouped and depthwise convolutions are not supported)");

        var (wValues, wDims) = walker.Initializer(node, 1, layer);
        long[] expected = oneDimensional ? [w.Rows, channels, op.Kernel] : [w.Rows, channels, op.Kernel, op.Kernel];
        if (!wDims.SequenceEqual(expected))
            throw Mismatch(layer, $"Conv weights {Shape(expected)}", $"weights {Shape(wDims)}", where);
        wValues.AsSpan(0, w.Length).CopyTo(values.AsSpan(w.Offset, w.Length));

        if (node.Input.Count < 3 || node.Input[2].Length == 0)
            return; // no bias in the model: b stays 0
        var (bValues, bDims) = walker.Initializer(node, 2, layer);
        CheckBias(bDims, w.Rows, layer, node);
        var bias = op.Blocks.Where(b => b.Role == ParameterRole.Bias).ToList();
        if (bias.Count == 0)
        {
            if (bValues.Any(v => v != 0))
                throw Mismatch(layer, "Conv without a bias (the layer is declared with Bias = false)", $"bias '{node.Input[2]}'", where);
            return;
        }
        bValues.AsSpan(0, w.Rows).CopyTo(values.AsSpan(bias[0].Offset, bias[0].Length));
    }

    /// <summary>
    /// A <c>[MaxPool2D]</c> or <c>[AvgPool2D]</c> from a <c>MaxPool</c> or <c>AveragePool</c> node (no parameters): the
    /// declared window and stride, no padding, unit dilations, and <c>ceil_mode = 0</c> (PyTorch's floor, as NetGen
    /// pools); anything else is refused, naming the attribute.
    /// </summary>
    private static void CheckPool(OperationDescription op, NodeProto node)
    {
        int layer = op.Layer;
        CheckWindow(node, layer, node.OpType, 2, op.Kernel, op.Stride, 0);
        long ceil = Int(node, "ceil_mode", 0);
        if (ceil != 0)
            throw Mismatch(layer, "ceil_mode = 0 (windows that fit inside the image, as NetGen pools)", $"ceil_mode = {ceil}", $"{node.OpType} node '{node.Name}'");
        if (node.OpType == "MaxPool" && node.Output.Count > 1 && node.Output[1].Length > 0)
            throw Mismatch(layer, "MaxPool with one output", $"MaxPool with its Indices output '{node.Output[1]}'", $"node '{node.Name}'");
    }

    /// <summary>
    /// The window attributes a Conv or pool node shares: <c>kernel_shape</c> (required for a pool; a Conv's may be left to
    /// its weights), <c>strides</c> (ONNX's default 1), symmetric <c>pads</c> of <paramref name="padding"/> (default 0),
    /// <c>auto_pad</c> NOTSET (or VALID when there is no padding) and <c>dilations</c> of 1.
    /// </summary>
    private static void CheckWindow(NodeProto node, int layer, string type, int axes, int kernel, int stride, int padding)
    {
        string where = $"{type} node '{node.Name}'";
        long[] Repeat(long value, int count) => Enumerable.Repeat(value, count).ToArray();
        string autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad") is { } pad ? pad.S.ToStringUtf8() : "NOTSET";
        if (!(autoPad is "NOTSET" or "" || autoPad == "VALID" && padding == 0))
            throw Mismatch(layer, padding == 0 ? "auto_pad NOTSET or VALID" : $"auto_pad NOTSET with pads of {padding}", $"auto_pad {autoPad}", $"{where} (NetGen pads explicitly, the same on both ends)");
        long[] kernelShape = Ints(node, "kernel_shape");
        if (kernelShape.Length == 0 && type != "Conv")
            throw Mismatch(layer, $"kernel_shape {Shape(Repeat(kernel, axes))}", "no kernel_shape", where);
        if (kernelShape.Length > 0 && !kernelShape.SequenceEqual(Repeat(kernel, axes)))
            throw Mismatch(layer, $"kernel_shape {Shape(Repeat(kernel, axes))}", $"kernel_shape {Shape(kernelShape)}", where);
        long[] strides = Ints(node, "strides") is { Length: > 0 } given ? given : Repeat(1, axes);
        if (!strides.SequenceEqual(Repeat(stride, axes)))
            throw Mismatch(layer, $"strides {Shape(Repeat(stride, axes))}", $"strides {Shape(strides)}", where);
        long[] pads = Ints(node, "pads") is { Length: > 0 } written ? written : Repeat(0, 2 * axes);
        if (!pads.SequenceEqual(Repeat(padding, 2 * axes)))
        {
            // ONNX's pads are every axis' begin, then every axis' end.
            bool symmetric = pads.Length == 2 * axes && pads.Take(axes).SequenceEqual(pads.Skip(axes));
            throw Mismatch(layer, $"pads {Shape(Repeat(padding, 2 * axes))}", $"{(symmetric ? "" : "asymmetric ")}pads {Shape(pads)}",
                padding == 0 && type != "Conv" ? $"{where} (NetGen's pooling has no padding)" : where);
        }
        long[] dilations = Ints(node, "dilations");
        if (dilations.Any(d => d != 1))
            throw Mismatch(layer, $"dilations {Shape(Repeat(1, axes))}", $"dilations {Shape(dilations)}", $"{where} (dilated windows are not supported)");
    }

    private static void CopyWeights(float[] source, bool unitsMajor, LayerDescription layer, Span<float> target, float scale)
    {
        // NetGen's W is [units, inputs]; a [inputs, units] tensor is transposed on the way in.
        for (int i = 0; i < layer.Units; i++)
            for (int j = 0; j < layer.Inputs; j++)
                target[i * layer.Inputs + j] = scale * (unitsMajor ? source[i * layer.Inputs + j] : source[j * layer.Units + i]);
    }

    private static void CheckBias(long[] dims, int units, int layer, NodeProto node)
    {
        bool ok = dims.SequenceEqual(new long[] { units }) || dims.SequenceEqual(new long[] { 1, units });
        if (!ok)
            throw Mismatch(layer, $"bias [{units}]", $"bias {Shape(dims)}", $"{node.OpType} node '{node.Name}'");
    }

    /// <summary>The value <paramref name="node"/> writes: its first output, which a node with none lacks.</summary>
    private static string Output(NodeProto node, int layer) =>
        node.Output.Count > 0 && node.Output[0].Length > 0
            ? node.Output[0]
            : throw Mismatch(layer, "a node with an output", $"{node.OpType} node '{node.Name}' with no output", "the graph is malformed");

    private static OnnxImportException Mismatch(int layer, string expected, string found, string detail) =>
        new($"Layer {layer}: expected {expected}, found {found} ({detail}).", layer, expected, found);

    private static string Shape(long[] dims) => "[" + string.Join(", ", dims) + "]";

    private static string? ExpectedOp(Activation activation) =>
        activation == Activation.Identity ? null
        : OnnxOperators.For(activation) ?? throw new OnnxImportException($"Activation {activation} cannot be imported from ONNX in this version of NetGen.Onnx.");

    private static bool IsActivation(string op) => op is "Relu" or "Sigmoid" or "Tanh" or "LeakyRelu" or "Softmax" or "Elu" or "Selu" or "Softplus" or "PRelu" or "HardSigmoid";

    private static long[] Ints(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : [];

    private static long Int(NodeProto node, string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static float Float(NodeProto node, string name, float fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>
    /// The graph input's shape, where the model states it: [N, InputSize] for any network (the width checked), or
    /// [N, ..shape] with the shape of one sample as the network reads it — [N, C, H, W] for an image, [N, T, C] for a
    /// sequence. Symbolic dimensions match anything.
    /// </summary>
    private static void CheckInput<TNetwork>(ValueInfoProto input)
        where TNetwork : class, INetwork<TNetwork>
    {
        string name = typeof(TNetwork).Name;
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count <= 2)
        {
            long? width = LastDimension(input);
            if (width is { } w && w != TNetwork.InputSize)
                throw new OnnxImportException($"The graph input '{input.Name}' has width {w} but {name}.InputSize is {TNetwork.InputSize}.",
                    0, $"input [N, {TNetwork.InputSize}]", $"input [N, {w}]");
            return;
        }
        IReadOnlyList<int> sample = TNetwork.Operations.Count > 0 ? TNetwork.Operations[0].InputShape : [TNetwork.InputSize];
        bool fits = dims.Count - 1 == sample.Count;
        for (int i = 1; fits && i < dims.Count; i++)
            fits = dims[i].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[i].DimValue == sample[i - 1];
        if (fits) return;
        string found = "[" + string.Join(", ", dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString() : d.DimParam is { Length: > 0 } p ? p : "?")) + "]";
        string takes = sample.Count > 1 ? $"[N, {TNetwork.InputSize}] or [N, {string.Join(", ", sample)}]" : $"[N, {TNetwork.InputSize}]";
        throw new OnnxImportException($"The graph input '{input.Name}' has shape {found} but {name} takes {takes}.", 0, $"input {takes}", $"input {found}");
    }

    private static long? LastDimension(ValueInfoProto value)
    {
        var dims = value.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count == 0) return null;
        var last = dims[^1];
        return last.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? last.DimValue : null;
    }

    /// <summary>Lookups over a graph: initializers by name, and the nodes that read each value.</summary>
    private sealed class GraphWalker
    {
        private readonly Dictionary<string, TensorProto> _initializers = new();
        private readonly Dictionary<string, List<NodeProto>> _consumers = new();
        private readonly Dictionary<string, NodeProto> _producers = new();

        public GraphWalker(GraphProto graph)
        {
            foreach (var tensor in graph.Initializer) _initializers[tensor.Name] = tensor;
            foreach (var node in graph.Node)
                foreach (string output in node.Output)
                    if (output.Length > 0) _producers[output] = node;
            foreach (var node in graph.Node)
                foreach (string input in node.Input)
                {
                    if (input.Length == 0 || _initializers.ContainsKey(input)) continue;
                    if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = new List<NodeProto>();
                    list.Add(node);
                }
        }

        public bool IsInitializer(string name) => _initializers.ContainsKey(name);

        /// <summary>The node that writes <paramref name="value"/>, or null (an input or an initializer).</summary>
        public NodeProto? Producer(string value) => _producers.TryGetValue(value, out var node) ? node : null;

        /// <summary>The one node reading <paramref name="value"/>, null if none; a fork is not a plain MLP.</summary>
        public NodeProto? SingleConsumer(string value, int layer)
        {
            if (!_consumers.TryGetValue(value, out var list) || list.Count == 0) return null;
            if (list.Count > 1)
                throw Mismatch(layer, "a chain of layers", $"'{value}' read by {list.Count} nodes ({string.Join(", ", list.Select(n => n.OpType))})", "the graph branches; only plain MLPs can be imported");
            return list[0];
        }

        /// <summary>Steps over Identity and Dropout nodes (no-ops at inference).</summary>
        public string SkipPassThrough(string value)
        {
            for (int guard = 0; guard < 1000; guard++)
            {
                if (!_consumers.TryGetValue(value, out var list) || list.Count != 1 || list[0].OpType is not ("Identity" or "Dropout"))
                    return value;
                value = Output(list[0], 0);
            }
            return value;
        }

        /// <summary>The float values and shape of the initializer at input <paramref name="index"/> of <paramref name="node"/>.</summary>
        public (float[] Values, long[] Dims) Initializer(NodeProto node, int index, int layer)
        {
            if (node.Input.Count <= index || !_initializers.TryGetValue(node.Input[index], out var tensor))
                throw Mismatch(layer, "a constant weight tensor (initializer)", node.Input.Count <= index ? "no such input" : $"the computed value '{node.Input[index]}'", $"{node.OpType} node '{node.Name}'");
            long[] dims = tensor.Dims.ToArray();
            long count = 1;
            foreach (long d in dims)
            {
                if (d < 0 || d > int.MaxValue || (count *= Math.Max(d, 1)) > Array.MaxLength)
                    throw new OnnxImportException($"Tensor '{tensor.Name}' declares shape {Shape(dims)}, which no weight tensor can have; the model is corrupt.");
                if (d == 0) count = 0;
            }
            if (tensor.DataLocation == 1)
                throw new OnnxImportException($"Tensor '{tensor.Name}' is stored in an external data file; save the model with its weights inside the .onnx file.");
            float[] values = (TensorProto.Types.DataType)tensor.DataType switch
            {
                TensorProto.Types.DataType.Float when tensor.RawData.Length > 0 => RawFloats(tensor, count),
                TensorProto.Types.DataType.Float => tensor.FloatData.ToArray(),
                TensorProto.Types.DataType.Double when tensor.RawData.Length > 0 => RawDoubles(tensor, count),
                TensorProto.Types.DataType.Double => tensor.DoubleData.Select(d => (float)d).ToArray(),
                _ => throw new OnnxImportException($"Tensor '{tensor.Name}' has ONNX data type {tensor.DataType}; only float (1) and double (11) weights can be imported."),
            };
            if (values.Length != count)
                throw new OnnxImportException($"Tensor '{tensor.Name}' declares shape {Shape(dims)} ({count} values) but holds {values.Length}; the model is corrupt.");
            return (values, dims);
        }

        private static float[] RawFloats(TensorProto tensor, long count)
        {
            var bytes = tensor.RawData.Span;
            if (bytes.Length != count * 4)
                throw new OnnxImportException($"Tensor '{tensor.Name}' has {bytes.Length} raw bytes for {count} floats; the model is corrupt.");
            var values = new float[count];
            for (int i = 0; i < values.Length; i++) values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
            return values;
        }

        private static float[] RawDoubles(TensorProto tensor, long count)
        {
            var bytes = tensor.RawData.Span;
            if (bytes.Length != count * 8)
                throw new OnnxImportException($"Tensor '{tensor.Name}' has {bytes.Length} raw bytes for {count} doubles; the model is corrupt.");
            var values = new float[count];
            for (int i = 0; i < values.Length; i++) values[i] = (float)System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(8 * i));
            return values;
        }
    }
}
