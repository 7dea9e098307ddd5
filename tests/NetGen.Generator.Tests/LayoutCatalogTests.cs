using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Tests;

/// <summary>
/// The parameter layout has one source, the plan's blocks. For a catalogue of declarations that covers every operation
/// kind and combination (PReLU, batch normalization, residual adds, dropout, every activation, both code shapes), the
/// generated count, layout table, <c>ParameterLayout</c>, <c>ParameterName</c>, initialisation and compiled-in weights
/// are compiled, loaded and checked against each other, and <c>PredictEmbedded</c> and <c>CreateEmbedded().Predict</c>
/// against a network holding the checkpoint's parameters, bit for bit.
/// </summary>
public class LayoutCatalogTests
{
    public static TheoryData<string, string> Catalogue => new()
    {
        { "Plain", "[Network(Inputs = 3, Loss = Loss.MeanSquaredError)] [Dense(4, Activation.Tanh)] [Dense(2)]" },
        { "PReLU", "[Network(Inputs = 3, Loss = Loss.MeanSquaredError)] [Dense(4, Activation.PReLU)] [Dense(2)]" },
        { "PReLULoops", "[Network(Inputs = 20, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)] [Dense(17, Activation.PReLU)] [Dense(3, Activation.PReLU)]" },
        { "BatchNorm", "[Network(Inputs = 5, Loss = Loss.CrossEntropy)] [Dense(6, Activation.ReLU)] [BatchNorm] [Dense(3, Activation.Softmax)]" },
        { "BatchNormEverywhere", "[Network(Inputs = 4, Loss = Loss.MeanSquaredError)] [Dense(6, Activation.PReLU)] [BatchNorm(Momentum = 0.2, Epsilon = 1e-3)] [Dropout(0.3)] [Dense(6, Activation.ELU, Residual = true)] [BatchNorm] [Dense(2)] [BatchNorm]" },
        { "Residual", "[Network(Inputs = 4, Loss = Loss.MeanAbsoluteError)] [Dense(4, Activation.SiLU, Residual = true)] [Dense(4, Activation.Sigmoid, Residual = true)] [Dense(1)]" },
        { "Dropout", "[Network(Inputs = 6, Loss = Loss.BinaryCrossEntropy)] [Dropout(0.1)] [Dense(5, Activation.LeakyReLU, NegativeSlope = 0.2)] [Dropout(0.5)] [Dense(1, Activation.Sigmoid)]" },
        { "Activations", "[Network(Inputs = 3, Loss = Loss.CrossEntropy)] [Dense(3, Activation.Identity)] [Dense(3, Activation.Sigmoid)] [Dense(3, Activation.Tanh)] [Dense(3, Activation.ReLU)] [Dense(3, Activation.LeakyReLU)] [Dense(3, Activation.ELU)] [Dense(3, Activation.Softplus)] [Dense(3, Activation.SiLU)] [Dense(3, Activation.PReLU)] [Dense(3, Activation.Step)] [Dense(4, Activation.Softmax)]" },
        { "Large", "[Network(Inputs = 40, Loss = Loss.CrossEntropy)] [Dense(24, Activation.PReLU, Residual = false)] [BatchNorm] [Dense(24, Activation.Softplus, Residual = true)] [Dense(6, Activation.Softmax)]" },
        { "Elman", "[Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)] [Recurrent(4)] [Dense(1)]" },
        { "StackedRecurrent", "[Network(Inputs = 3, SequenceLength = 4, Loss = Loss.BinaryCrossEntropy)] [Gru(3, ReturnSequences = true)] [Dropout(0.2)] [Lstm(5, ReturnSequences = true)] [Recurrent(2, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]" },
        { "PerStepDense", "[Network(Inputs = 2, SequenceLength = 6, Loss = Loss.MeanAbsoluteError)] [Lstm(3, ReturnSequences = true)] [Dense(4, Activation.PReLU, Residual = false)] [Dense(1)]" },
        { "Convolution", "[Network(InputShape = new[] { 2, 6, 6 }, Loss = Loss.CrossEntropy)] [Dropout(0.2, PerChannel = true)] [Conv2D(3, Kernel = 3, Padding = 1, Activation = Activation.ReLU)] [BatchNorm] [MaxPool2D(2)] [Conv2D(4, Kernel = 2, Bias = false)] [AvgPool2D(2)] [Dense(3, Activation.Softmax)]" },
        { "Convolution1D", "[Network(Inputs = 2, SequenceLength = 7, Loss = Loss.MeanSquaredError)] [Conv1D(3, Kernel = 3, Stride = 2, Padding = 1, Activation = Activation.Tanh)] [Flatten] [Dense(2)]" },
        { "Rbf", "[Network(Inputs = 3, Loss = Loss.CrossEntropy)] [Dropout(0.1)] [Rbf(4)] [Dense(3, Activation.Softmax)]" },
        { "RbfLoops", "[Network(Inputs = 12, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)] [Dense(9, Activation.Tanh)] [Rbf(17)] [Rbf(5)] [Dense(2)]" },
    };

    private delegate void PredictFunction(ReadOnlySpan<float> input, Span<float> output);

    private delegate ReadOnlySpan<float> SpanGetter();

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void Count_table_names_and_blocks_agree(string name, string attributes)
    {
        var (type, source) = Compile(name, attributes, weights: null);
        int count = (int)type.GetField("ParameterCount")!.GetValue(null)!;
        var blocks = ((IEnumerable<ParameterBlock>)type.GetProperty("ParameterLayout")!.GetValue(null)!).ToList();

        // Blocks are contiguous from 0 and cover the buffer exactly: ParameterCount = Σ block lengths.
        long offset = 0;
        foreach (var block in blocks)
        {
            Assert.Equal(offset, block.Offset);
            Assert.True(block.Length > 0, $"{block.Name} is empty");
            offset += block.Length;
        }
        Assert.Equal(count, offset);
        Assert.Equal(blocks.Count, blocks.Select(b => b.Name).Distinct().Count());

        // The documented table lists the same blocks, in order, with the same offsets and lengths.
        int start = source.IndexOf("/// name   shape", StringComparison.Ordinal);
        string tableText = source.Substring(start, source.IndexOf("/// </code>", start, StringComparison.Ordinal) - start);
        var table = Regex.Matches(tableText, @"^\s*/// (\w+)\s+(\d+(?:×\d+)?)\s+(\d+)\s+(\d+)", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(blocks.Select(b => (b.Name, b.Offset, b.Length)), table);

        // ParameterName names every index by its block, row and column.
        var nameOf = type.GetMethod("ParameterName")!;
        foreach (var block in blocks)
            for (int k = 0; k < block.Length; k += Math.Max(1, block.Length / 7))
            {
                string expected = block.Role is ParameterRole.Weight or ParameterRole.RecurrentWeight or ParameterRole.Center
                    ? $"{block.Name}[{k / block.Columns},{k % block.Columns}]"
                    : $"{block.Name}[{k}]";
                Assert.Equal(expected, nameOf.Invoke(null, [block.Offset + k]));
            }

        // Only the running statistics are state; initialisation gives them PyTorch's initial values, and every block is
        // initialised (weights random, the rest their constants).
        var network = (INetwork)Activator.CreateInstance(type, 3)!;
        var values = network.Parameters.ToArray();
        // A recurrent layer's four blocks, biases included, are uniform on ±1/√H (PyTorch); H is W_hh's column count.
        var operations = (IReadOnlyList<OperationDescription>)type.GetProperty("Operations")!.GetValue(null)!;
        var recurrent = operations.Where(o => o.Kind is OperationKind.Recurrent or OperationKind.Gru or OperationKind.Lstm)
            .SelectMany(o => o.Blocks.Select(b => (b.Name, Units: o.Blocks.Single(w => w.Role == ParameterRole.RecurrentWeight).Columns)))
            .ToDictionary(p => p.Name, p => p.Units);
        foreach (var block in blocks)
        {
            var slice = values.AsSpan(block.Offset, block.Length).ToArray();
            Assert.Equal(block.Role is not (ParameterRole.RunningMean or ParameterRole.RunningVariance), block.Trainable);
            if (recurrent.TryGetValue(block.Name, out int units))
            {
                float limit = 1f / MathF.Sqrt(units);
                Assert.All(slice, v => Assert.InRange(v, -limit, limit));
                Assert.True(slice.Distinct().Count() > 1, $"{block.Name} is not random");
                continue;
            }
            switch (block.Role)
            {
                case ParameterRole.Weight: Assert.True(slice.Distinct().Count() > 1, $"{block.Name} is not random"); break;
                case ParameterRole.Bias or ParameterRole.Shift or ParameterRole.RunningMean: Assert.All(slice, v => Assert.Equal(0f, v)); break;
                case ParameterRole.Scale or ParameterRole.RunningVariance: Assert.All(slice, v => Assert.Equal(1f, v)); break;
                case ParameterRole.Slope: Assert.All(slice, v => Assert.Equal(0.25f, v)); break;
                case ParameterRole.Center:
                    Assert.All(slice, v => Assert.InRange(v, -1f, 1f));
                    Assert.True(slice.Distinct().Count() > 1, $"{block.Name} is not random");
                    break;
                case ParameterRole.Precision:
                {
                    // β = 1/n, n the layer's inputs: the columns of the centres beside it.
                    int inputs = operations.Single(o => o.Blocks.Any(b => b.Name == block.Name)).Block(ParameterRole.Center).Columns;
                    Assert.All(slice, v => Assert.Equal(1f / inputs, v));
                    break;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void Compiled_in_weights_predict_as_the_network_they_were_saved_from_bit_for_bit(string name, string attributes)
    {
        // The architecture and count the checkpoint must carry, read off the generated code of the plain declaration.
        var (plain, _) = Compile(name, attributes, weights: null);
        string architecture = (string)plain.GetField("Architecture")!.GetValue(null)!;
        int count = (int)plain.GetField("ParameterCount")!.GetValue(null)!;
        // "Trained" parameters: every block, state included, holds values no initialisation would give.
        var random = new Random(name.Length);
        var values = Enumerable.Range(0, count).Select(i => (float)(random.NextDouble() * 1.6 - 0.8)).ToArray();
        foreach (var block in ((IEnumerable<ParameterBlock>)plain.GetProperty("ParameterLayout")!.GetValue(null)!).Where(b => b.Role == ParameterRole.RunningVariance))
            for (int k = 0; k < block.Length; k++) values[block.Offset + k] = 0.5f + k * 0.25f; // a variance must be positive

        string text = CheckpointFormat.ToText(CheckpointFormat.Write(new CheckpointFormat.Contents(architecture, values, [], null), Crc32.Compute));
        var (embedded, _) = Compile(name, attributes, weights: text);

        var trained = (INetwork)Activator.CreateInstance(embedded, 0)!;
        values.CopyTo(trained.Parameters);
        var parameters = embedded.GetProperty("EmbeddedParameters")!.GetMethod!.CreateDelegate<SpanGetter>();
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), parameters().ToArray().Select(BitConverter.SingleToInt32Bits));

        var predictEmbedded = embedded.GetMethod("PredictEmbedded")!.CreateDelegate<PredictFunction>();
        var copy = (INetwork)embedded.GetMethod("CreateEmbedded")!.Invoke(null, null)!;
        int inputs = (int)embedded.GetField("InputSize")!.GetValue(null)!, outputs = (int)embedded.GetField("OutputSize")!.GetValue(null)!;
        for (int sample = 0; sample < 5; sample++)
        {
            var x = Enumerable.Range(0, inputs).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            float[] expected = new float[outputs], fromStatic = new float[outputs], fromCopy = new float[outputs];
            trained.Predict(x, expected);
            predictEmbedded(x, fromStatic);
            copy.Predict(x, fromCopy);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), fromStatic.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), fromCopy.Select(BitConverter.SingleToInt32Bits));
        }
    }

    /// <summary>Generates, compiles (every warning an error) and loads one declaration; returns its type and generated source.</summary>
    private static (Type Type, string Source) Compile(string name, string attributes, string? weights)
    {
        string declaration = GeneratorHarness.Usings +
            (weights is null ? attributes : attributes.Replace("[Network(", "[Network(Weights = \"w.ngw\", ")) +
            $" public partial class {name} {{ }}";
        var texts = weights is null ? Array.Empty<AdditionalText>() : [new GeneratorHarness.InMemoryText("/p/w.ngw", weights)];
        var run = GeneratorHarness.RunGenerator(texts, declaration);
        Assert.Null(run.Result.Exception);
        var problems = run.AllDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Take(10)));
        var assembly = new AssemblyLoadContext(name + (weights is null ? "" : "Embedded"), isCollectible: true).LoadFromStream(new MemoryStream(stream.ToArray()));
        return (assembly.GetType(name)!, run.GeneratedSource(name + ".NetGen.g.cs"));
    }
}
