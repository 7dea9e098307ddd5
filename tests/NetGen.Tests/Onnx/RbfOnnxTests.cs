using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen.Onnx;
using NetGen.Onnx.Protos;
using NetGen.Tests.Rbf;

namespace NetGen.Tests.Onnx;

/// <summary>
/// Radial-basis layers export as a subgraph of standard operators (Unsqueeze, Sub, Mul, ReduceSum, Mul, Neg, Exp) that
/// ONNX Runtime evaluates to what <c>Predict</c> computes; importing it back is refused by name.
/// </summary>
public class RbfOnnxTests
{
    private static float[] RunOnnx(byte[] model, float[] batch, int rows, int width)
    {
        using var session = new InferenceSession(model);
        var name = session.InputMetadata.Keys.Single();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(batch, [rows, width]))]);
        return results.Single().AsTensor<float>().ToArray();
    }

    private static void AssertOnnxRuntimeAgrees<T>(T net, int seed) where T : class, INetwork<T>
    {
        const int rows = 9;
        var random = new Random(seed);
        var batch = Enumerable.Range(0, rows * T.InputSize).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        // Centres near the inputs and precisions of order 1, so that every Gaussian is neither 0 nor 1.
        foreach (var op in T.Operations.Where(o => o.Kind == OperationKind.RadialBasis))
        {
            var c = op.Block(ParameterRole.Center);
            for (int i = 0; i < c.Length; i++) net.Parameters[c.Offset + i] = (float)(random.NextDouble() - 0.5);
            var b = op.Block(ParameterRole.Precision);
            for (int i = 0; i < b.Length; i++) net.Parameters[b.Offset + i] = (float)(0.3 + random.NextDouble());
        }
        float[] onnx = RunOnnx(OnnxExporter.ToBytes(net), batch, rows, T.InputSize);
        Assert.Equal(rows * T.OutputSize, onnx.Length);
        var output = new float[T.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            net.Predict(batch.AsSpan(r * T.InputSize, T.InputSize), output);
            for (int k = 0; k < T.OutputSize; k++)
                Assert.True(Math.Abs(output[k] - onnx[r * T.OutputSize + k]) <= 1e-5f * Math.Max(1f, Math.Abs(output[k])),
                    $"{typeof(T).Name} row {r} output {k}: Predict {output[k]}, ONNX Runtime {onnx[r * T.OutputSize + k]}");
        }
    }

    [Fact]
    public void Onnx_runtime_computes_what_Predict_computes_for_radial_basis_layers()
    {
        AssertOnnxRuntimeAgrees(new TinyRbfClassifier(1), 1);
        AssertOnnxRuntimeAgrees(new WineSizedRbf(2), 2);
        AssertOnnxRuntimeAgrees(new DenseThenRbf(3), 3);
        AssertOnnxRuntimeAgrees(new WideStackedRbf(4), 4);
        var standardized = new LoopedRbfRegression(5) { Standardizer = Standardizer.Create([0.5f, -1, 2], [2, 0.5f, 1]) };
        AssertOnnxRuntimeAgrees(standardized, 5);
    }

    [Fact]
    public void The_subgraph_is_made_of_standard_operators_with_the_centres_and_precisions_as_initializers()
    {
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(new TinyRbfClassifier(1)));
        Assert.Equal(["Unsqueeze", "Sub", "Mul", "ReduceSum", "Mul", "Neg", "Exp", "Gemm", "Sigmoid"], model.Graph.Node.Select(n => n.OpType));
        var centres = model.Graph.Initializer.Single(t => t.Name == "C1");
        Assert.Equal([4L, 2], centres.Dims);
        Assert.Equal([4L], model.Graph.Initializer.Single(t => t.Name == "beta1").Dims);
    }

    [Fact]
    public void Importing_the_subgraph_is_refused_by_name()
    {
        var bytes = OnnxExporter.ToBytes(new TinyRbfClassifier(1));
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(new TinyRbfClassifier(2), bytes));
        Assert.Contains("radial-basis", error.Message);
    }
}
