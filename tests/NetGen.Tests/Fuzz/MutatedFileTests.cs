using System.Diagnostics;
using Google.Protobuf;
using NetGen.Onnx;
using NetGen.Onnx.Protos;
using NetGen.Tests.Networks;
using NetGen.Tests.Training;

namespace NetGen.Tests.Fuzz;

/// <summary>
/// Seeded random mutations of files a user may be handed: every load of a damaged ONNX model or checkpoint ends in the
/// documented exception (or, for a mutation that leaves the file meaningful, a successful load), and a refused load
/// leaves the network's parameters untouched. Fixed counts and seeds, so a failure reproduces; each takes under a second
/// on the CI machine (the time bounds below only catch a pathological slowdown).
/// </summary>
public class MutatedFileTests
{
    private const int OnnxCases = 21_000;
    private const int CheckpointCases = 20_000;

    private static byte[] Mutate(byte[] good, Random random)
    {
        var bytes = (byte[])good.Clone();
        switch (random.Next(5))
        {
            case 0: // truncate
                return bytes[..random.Next(bytes.Length)];
            case 1: // flip bits
                for (int k = random.Next(1, 9); k > 0; k--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 2: // overwrite a run with random bytes
            {
                int at = random.Next(bytes.Length), length = Math.Min(random.Next(1, 17), bytes.Length - at);
                random.NextBytes(bytes.AsSpan(at, length));
                return bytes;
            }
            case 3: // delete a run
            {
                int at = random.Next(bytes.Length), length = Math.Min(random.Next(1, 33), bytes.Length - at);
                return [.. bytes[..at], .. bytes[(at + length)..]];
            }
            default: // duplicate a run
            {
                int at = random.Next(bytes.Length), length = Math.Min(random.Next(1, 33), bytes.Length - at);
                return [.. bytes[..(at + length)], .. bytes[at..]];
            }
        }
    }

    /// <summary>Structural damage: nodes, inputs, outputs, initializers or attributes removed, emptied or rewired.</summary>
    private static byte[] Rewire(ModelProto good, Random random)
    {
        var model = good.Clone();
        var graph = model.Graph;
        for (int k = random.Next(1, 4); k > 0; k--)
        {
            var node = graph.Node.Count > 0 ? graph.Node[random.Next(graph.Node.Count)] : null;
            switch (random.Next(9))
            {
                case 0 when node is not null: node.Output.Clear(); break;
                case 1 when node is not null && node.Input.Count > 0: node.Input.RemoveAt(random.Next(node.Input.Count)); break;
                case 2 when node is not null: node.Input.Clear(); break;
                case 3 when graph.Initializer.Count > 0: graph.Initializer.RemoveAt(random.Next(graph.Initializer.Count)); break;
                case 4 when node is not null: node.OpType = new[] { "Add", "Identity", "Dropout", "Relu", "Gemm", "MatMul", "PRelu", "" }[random.Next(8)]; break;
                case 5 when node is not null && node.Input.Count > 0: node.Input[random.Next(node.Input.Count)] = graph.Node[random.Next(graph.Node.Count)].Output.FirstOrDefault() ?? ""; break;
                case 6 when graph.Initializer.Count > 0: graph.Initializer[random.Next(graph.Initializer.Count)].Dims.Clear(); break;
                case 7 when graph.Node.Count > 0: graph.Node.RemoveAt(random.Next(graph.Node.Count)); break;
                case 8 when node is not null: node.Attribute.Clear(); node.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Float, F = 2f }); break;
            }
        }
        return model.ToByteArray();
    }

    [Fact]
    public void Mutated_onnx_models_give_only_OnnxImportException_and_leave_the_parameters_alone()
    {
        var random = new Random(20261202);
        var clock = Stopwatch.StartNew();
        int refused = 0;
        refused += Run<XorNet>(random, OnnxCases / 3);
        refused += Run<IrisNet>(random, OnnxCases / 3);
        refused += Run<LoopedLeakyMseIdentity>(random, OnnxCases / 3); // LeakyReLU alpha, identity output, loop shape
        refused += Run<Recurrent.StackedLstmClassifier>(random, OnnxCases / 6); // LSTM → LSTM: Reshape/Transpose glue, gate reordering
        refused += Run<Recurrent.GruManyToMany>(random, OnnxCases / 6);         // GRU, a dense layer at every step (MatMul of a Transpose)
        refused += Run<Onnx.OnnxConvPoolClassifier>(random, OnnxCases / 12);   // Conv, MaxPool, AveragePool, Flatten: window attributes, an NCHW input
        refused += Run<Onnx.OnnxConv1DFlatten>(random, OnnxCases / 12);        // a 1-D Conv between Transposes, SiLU as Sigmoid and Mul
        const int cases = OnnxCases + OnnxCases / 6;
        Assert.True(refused > cases / 2, $"only {refused} of {cases} mutations were refused: the mutations are too mild to test anything");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{cases} imports took {clock.Elapsed}");

        static int Run<T>(Random random, int cases) where T : class, INetwork<T>
        {
            var source = T.Create(1);
            byte[] good = OnnxExporter.ToBytes(source);
            var model = ModelProto.Parser.ParseFrom(good);
            int refused = 0;
            for (int n = 0; n < cases; n++)
            {
                byte[] bad = n % 2 == 0 ? Mutate(good, random) : Rewire(model, random);
                var target = T.Create(2);
                var before = target.Parameters.ToArray();
                try
                {
                    OnnxImporter.Import(target, bad);
                }
                catch (OnnxImportException e)
                {
                    refused++;
                    Assert.Equal(before, target.Parameters.ToArray());
                    // Refused by a check that says what is wrong, not by the safety net under the checks.
                    Assert.True(e.InnerException is null, $"{typeof(T).Name} case {n} reached the safety net: {e.Message}");
                }
                catch (Exception e)
                {
                    Assert.Fail($"{typeof(T).Name} case {n}: {e.GetType().Name} ({e.Message}); only OnnxImportException is documented");
                }
            }
            return refused;
        }
    }

    [Fact]
    public void Mutated_checkpoints_give_only_CheckpointException_and_leave_the_network_alone()
    {
        var random = new Random(2026_12_02);
        var clock = Stopwatch.StartNew();
        var source = new IrisNet(1);
        var optimizer = new Adam(1e-3f);
        optimizer.Step(source.Parameters, Enumerable.Repeat(0.1f, IrisNet.TrainableParameterCount).ToArray());
        var binary = new MemoryStream();
        Checkpoint.Save(source, binary, optimizer);
        var text = new MemoryStream();
        Checkpoint.Save(source, text, encoding: CheckpointEncoding.Base64Text);
        byte[][] goods = [binary.ToArray(), text.ToArray()];
        var problems = new HashSet<CheckpointProblem>();
        for (int n = 0; n < CheckpointCases; n++)
        {
            byte[] bad = Mutate(goods[n % 2], random);
            var target = new IrisNet(2);
            var resumed = new Adam(1e-3f);
            var before = target.Parameters.ToArray();
            try
            {
                Checkpoint.Load(target, new MemoryStream(bad), n % 2 == 0 ? resumed : null);
            }
            catch (CheckpointException e)
            {
                problems.Add(e.Problem);
                Assert.Equal(before, target.Parameters.ToArray());
                Assert.Equal(0, resumed.StepCount);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {n}: {e.GetType().Name} ({e.Message}); only CheckpointException is documented");
            }
        }
        // The mutations reach the documented kinds of damage.
        Assert.Contains(CheckpointProblem.Truncated, problems);
        Assert.Contains(CheckpointProblem.Corrupted, problems);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{CheckpointCases} loads took {clock.Elapsed}");
    }
}
