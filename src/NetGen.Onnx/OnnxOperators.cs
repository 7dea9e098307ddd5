namespace NetGen.Onnx;

/// <summary>Which ONNX operator stands for each activation and recurrent layer, shared by the exporter and the importer.</summary>
internal static class OnnxOperators
{
    /// <summary>
    /// The single ONNX operator computing <paramref name="activation"/>; null for identity (no node) and for activations
    /// ONNX has no operator for at opset 13 (SiLU, written as Mul(z, Sigmoid(z))) or that this version does not know.
    /// </summary>
    public static string? For(Activation activation) => activation switch
    {
        Activation.Sigmoid => "Sigmoid",
        Activation.Tanh => "Tanh",
        Activation.ReLU => "Relu",
        Activation.LeakyReLU => "LeakyRelu",
        Activation.PReLU => "PRelu",
        Activation.ELU => "Elu",
        Activation.Softplus => "Softplus",
        Activation.Softmax => "Softmax",
        _ => null,
    };

    /// <summary>ONNX's operator for a recurrent layer: <c>RNN</c>, <c>GRU</c> or <c>LSTM</c>.</summary>
    public static string Recurrent(OperationKind kind) => kind switch { OperationKind.Gru => "GRU", OperationKind.Lstm => "LSTM", _ => "RNN" };

    /// <summary>
    /// For each gate block in ONNX's order, the PyTorch (and NetGen) block it is: GRU ONNX z, r, h = PyTorch blocks 1, 0, 2
    /// (r, z, n); LSTM ONNX i, o, f, c = PyTorch blocks 0, 3, 1, 2 (i, f, g, o). The exporter reads PyTorch block
    /// <c>order[g]</c> into ONNX block g; the importer writes ONNX block g back to PyTorch block <c>order[g]</c>.
    /// </summary>
    public static int[] GateOrder(OperationKind kind) => kind switch { OperationKind.Gru => [1, 0, 2], OperationKind.Lstm => [0, 3, 1, 2], _ => [0] };
}
