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
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the exported graphs use.</summary>
    public const int OpsetVersion = 13;

    /// <summary>The ONNX IR version written (the one that goes with opset 13).</summary>
    public const int IrVersion = 7;

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
        var layers = TNetwork.Layers;
        var blocks = TNetwork.ParameterLayout;
        string current = "input";
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var weights = Block(blocks, $"W{l + 1}");
            var bias = Block(blocks, $"b{l + 1}");
            bool last = l == layers.Count - 1;
            string w = $"W{l + 1}", b = $"b{l + 1}";
            graph.Initializer.Add(Tensor(w, parameters.Slice(weights.Offset, weights.Length), layer.Units, layer.Inputs));
            graph.Initializer.Add(Tensor(b, parameters.Slice(bias.Offset, bias.Length), layer.Units));

            // z = x·Wᵀ + b: Gemm with transB = 1 keeps W as [units, inputs].
            string layerInput = current;
            string z = last && layer.Activation == Activation.Identity && !layer.Residual ? "output" : $"z{l + 1}";
            var gemm = Node("Gemm", $"dense{l + 1}", [current, w, b], z);
            gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
            graph.Node.Add(gemm);
            current = z;
            if (layer.BatchNorm)
            {
                // Inference-mode batch normalization with the running statistics: y = γ·(z − mean)/√(var + ε) + β.
                string[] names = [$"gamma{l + 1}", $"beta{l + 1}", $"mean{l + 1}", $"var{l + 1}"];
                foreach (var name in names)
                {
                    var block = Block(blocks, name);
                    graph.Initializer.Add(Tensor(name, parameters.Slice(block.Offset, block.Length), layer.Units));
                }
                string y = last && layer.Activation == Activation.Identity && !layer.Residual ? "output" : $"y{l + 1}";
                if (z == "output") { gemm.Output[0] = $"z{l + 1}"; current = $"z{l + 1}"; }
                var norm = Node("BatchNormalization", $"batchnorm{l + 1}", [current, .. names], y);
                norm.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = layer.BatchNormEpsilon });
                graph.Node.Add(norm);
                current = y;
            }

            string? op = layer.Activation == Activation.SiLU ? "Mul" : OnnxOperators.For(layer.Activation);
            if (op is null && layer.Activation != Activation.Identity)
                throw new NotSupportedException($"Activation {layer.Activation} has no ONNX export in this version of NetGen.Onnx.");
            string a = last ? "output" : $"a{l + 1}";
            string g = layer.Residual ? $"g{l + 1}" : a;
            if (op is not null)
            {
                NodeProto activation;
                if (layer.Activation == Activation.SiLU)
                {
                    // SiLU(z) = z·σ(z): ONNX has no SiLU operator at opset 13.
                    graph.Node.Add(Node("Sigmoid", $"sigmoid{l + 1}", [current], $"s{l + 1}"));
                    activation = Node("Mul", $"silu{l + 1}", [current, $"s{l + 1}"], g);
                }
                else if (layer.Activation == Activation.PReLU)
                {
                    string slopes = $"alpha{l + 1}";
                    var block = Block(blocks, slopes);
                    graph.Initializer.Add(Tensor(slopes, parameters.Slice(block.Offset, block.Length), layer.Units));
                    activation = Node(op, $"prelu{l + 1}", [current, slopes], g);
                }
                else
                {
                    activation = Node(op, $"{op.ToLowerInvariant()}{l + 1}", [current], g);
                }
                if (layer.Activation == Activation.LeakyReLU)
                    activation.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = layer.NegativeSlope });
                if (layer.Activation == Activation.ELU)
                    activation.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
                if (layer.Activation == Activation.Softmax)
                    activation.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                graph.Node.Add(activation);
                current = g;
            }
            if (layer.Residual)
            {
                // a = g(z) + x: the skip connection.
                graph.Node.Add(Node("Add", $"residual{l + 1}", [current, layerInput], a));
                current = a;
            }
        }
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
        return model;
    }

    private static ParameterBlock Block(System.Collections.Generic.IReadOnlyList<ParameterBlock> blocks, string name)
    {
        foreach (var block in blocks)
            if (block.Name == name) return block;
        throw new InvalidOperationException($"The network's ParameterLayout has no block named {name}.");
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
