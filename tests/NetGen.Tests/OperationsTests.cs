using System.Globalization;
using NetGen.Onnx;
using NetGen.Tests.Networks;

namespace NetGen.Tests;

/// <summary>
/// Every consumer of a network's structure reads the one plan: the operation list, its blocks, the layout, the summary,
/// checkpoints and the ONNX initializers must agree, for every test network (every layer kind and combination).
/// </summary>
public class OperationsTests
{
    public static TheoryData<string> Networks => NetworkCatalog.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Operations_blocks_layout_summary_checkpoint_and_onnx_agree(string network) =>
        NetworkCatalog.Invoke(typeof(OperationsTests), nameof(Agree), network);

    private static void Agree<T>() where T : class, INetwork<T>
    {
        var ops = T.Operations;
        // The operations' blocks are the layout: the trainable ones in operation order, then the state ones in operation
        // order; the layout covers the buffer contiguously and the trainable blocks are the prefix [0, TrainableParameterCount).
        var owned = ops.SelectMany(o => o.Blocks).ToList();
        Assert.Equal(T.ParameterLayout, owned.Where(b => b.Trainable).Concat(owned.Where(b => !b.Trainable)).ToList());
        Assert.Equal(T.TrainableParameterCount, T.ParameterLayout.Where(b => b.Trainable).Sum(b => b.Length));
        Assert.All(T.ParameterLayout.Where(b => !b.Trainable), b => Assert.True(b.Offset >= T.TrainableParameterCount, $"{b.Name} is state inside the trainable prefix"));
        int offset = 0;
        foreach (var block in T.ParameterLayout)
        {
            Assert.Equal(offset, block.Offset);
            offset += block.Length;
        }
        Assert.Equal(T.ParameterCount, offset);

        // Shapes chain from the input to the output; element-wise operations keep their shape.
        Assert.Equal(T.InputSize, ops[0].InputSize);
        Assert.Equal(T.OutputSize, ops[^1].OutputSize);
        for (int i = 1; i < ops.Count; i++)
            Assert.Equal(ops[i - 1].OutputShape, ops[i].InputShape);
        foreach (var op in ops.Where(o => o.Kind != OperationKind.Dense))
            Assert.Equal(op.InputShape, op.OutputShape);

        // Each kind owns the blocks of its role, sized by its shapes.
        foreach (var op in ops)
        {
            var roles = op.Blocks.Select(b => b.Role).ToArray();
            switch (op.Kind)
            {
                case OperationKind.Dense:
                    Assert.Equal([ParameterRole.Weight, ParameterRole.Bias], roles);
                    Assert.Equal((op.OutputSize, op.InputSize), (op.Blocks[0].Rows, op.Blocks[0].Columns));
                    // z = W·x + b: 2 FLOPs per weight and one per bias; backward adds ∂L/∂x except for the first layer.
                    Assert.Equal(2L * op.InputSize * op.OutputSize + op.OutputSize, op.ForwardFlops);
                    Assert.Equal(op.ForwardFlops + (op == ops.First(o => o.Kind == OperationKind.Dense) ? 0 : 2L * op.InputSize * op.OutputSize), op.BackwardFlops);
                    break;
                case OperationKind.BatchNorm:
                    Assert.Equal([ParameterRole.Scale, ParameterRole.Shift, ParameterRole.RunningMean, ParameterRole.RunningVariance], roles);
                    Assert.Equal([true, true, false, false], op.Blocks.Select(b => b.Trainable));
                    break;
                case OperationKind.Activation:
                    Assert.Equal(op.Activation == Activation.PReLU ? [ParameterRole.Slope] : [], roles);
                    break;
                default:
                    Assert.Empty(roles);
                    break;
            }
        }

        // The per-layer view agrees with the operations.
        Assert.Equal(ops.Count(o => o.Kind == OperationKind.Dense), T.Layers.Count);

        // The summary's totals are the operations' FLOPs.
        long forward = ops.Sum(o => o.ForwardFlops), training = forward + ops.Sum(o => o.BackwardFlops);
        Assert.Contains($"forward {forward.ToString("N0", CultureInfo.InvariantCulture)}, training (forward + backward) {training.ToString("N0", CultureInfo.InvariantCulture)}", T.Summary);

        // A checkpoint carries every block, state included, and loads back bit for bit.
        var net = T.Create(5);
        var random = new Random(1);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] = (float)random.NextDouble() + 0.1f;
        using var stream = new MemoryStream();
        Checkpoint.Save(net, stream);
        stream.Position = 0;
        var loaded = T.Create(6);
        Checkpoint.Load(loaded, stream);
        Assert.Equal(net.Parameters.ToArray(), loaded.Parameters.ToArray());

        // ONNX: one initializer per block, named as in the layout, holding exactly that block's values.
        var model = OnnxExporter.BuildModel(net);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        Assert.Equal(T.ParameterLayout.Select(b => b.Name).Order(), initializers.Keys.Order());
        foreach (var block in T.ParameterLayout)
        {
            var raw = initializers[block.Name].RawData.ToByteArray();
            var values = new float[raw.Length / 4];
            Buffer.BlockCopy(raw, 0, values, 0, raw.Length);
            Assert.Equal(net.Parameters.Slice(block.Offset, block.Length).ToArray(), values);
        }
    }
}
