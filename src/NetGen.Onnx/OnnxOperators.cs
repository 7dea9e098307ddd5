namespace NetGen.Onnx;

/// <summary>Which ONNX operator stands for each activation, shared by the exporter and the importer.</summary>
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
}
