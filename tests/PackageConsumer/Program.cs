using NetGen;
using NetGen.Onnx;

// A new user's app with NetGen.Onnx: train XOR, predict, export to ONNX (CI also builds the README's first program alone).
var net = new Xor(seed: 1);
var data = Dataset.Create<Xor>([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0]);
var trainer = new Trainer<Xor>(net, new Adam(learningRate: 0.05f)) { BatchSize = 4 };
var history = trainer.Fit(data, epochs: 1000);

Span<float> output = stackalloc float[Xor.OutputSize];
int right = 0;
for (int i = 0; i < 4; i++)
{
    net.Predict(data.Input(i), output);
    Console.WriteLine($"xor({data.Input(i)[0]}, {data.Input(i)[1]}) = {output[0]:F3}");
    if (MathF.Round(output[0]) == data.Target(i)[0]) right++;
}
byte[] onnx = OnnxExporter.ToBytes(net);
Console.WriteLine($"final loss {history.Epochs[^1].Loss:F4}, {right}/4 right, ONNX model {onnx.Length} bytes");
return right == 4 && onnx.Length > 0 ? 0 : 1;

[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class Xor { }
