namespace NetGen.Generator.Tests;

/// <summary>The generated source of representative networks, compared with approved files (see <see cref="Snapshot"/>).</summary>
public class SnapshotTests
{
    private static void Check(string name, string source, string hintSuffix)
    {
        var run = GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + source);
        Snapshot.Match(name, run.GeneratedSource(hintSuffix));
    }

    [Fact]
    public void Tiny_network_is_one_straight_line_derivation() => Check("XorNet", """
        namespace Samples;

        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class XorNet { }
        """, "Samples.XorNet.NetGen.g.cs");

    [Fact]
    public void Self_organizing_map_calls_its_kernels_with_every_size_a_literal() => Check("IrisMap", """
        namespace Samples;

        [SelfOrganizingMap(10, 10, Inputs = 4)]
        public partial class IrisMap { }
        """, "Samples.IrisMap.NetGen.g.cs");

    [Fact]
    public void Elman_network_runs_forward_and_back_through_time() => Check("NextHour", """
        namespace Samples.Forecast;

        [Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
        [Recurrent(8)]
        [Dense(1)]
        public partial class NextHour { }
        """, "Samples.Forecast.NextHour.NetGen.g.cs");

    [Fact]
    public void Small_elman_network_is_unrolled_a_region_per_time_step() => Check("TinyElman", """
        [Network(Inputs = 2, SequenceLength = 4, Loss = Loss.MeanSquaredError)]
        [Recurrent(3, ReturnSequences = true)]
        [Recurrent(2, Activation.ReLU)]
        [Dense(1)]
        public partial class TinyElman { }
        """, "TinyElman.NetGen.g.cs");

    [Fact]
    public void Small_convolutional_network_with_both_poolings() => Check("TinyCnn", """
        [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.CrossEntropy)]
        [Conv2D(4, Kernel = 3, Padding = 1, Activation = Activation.ReLU)]
        [MaxPool2D(2)]
        [Conv2D(8, Kernel = 3, Stride = 2, Padding = 1, Bias = false, Activation = Activation.Tanh)]
        [AvgPool2D(2)]
        [Dense(3, Activation.Softmax)]
        public partial class TinyCnn { }
        """, "TinyCnn.NetGen.g.cs");

    [Fact]
    public void One_dimensional_convolution_then_flatten() => Check("SequenceConv", """
        [Network(Inputs = 2, SequenceLength = 8, Loss = Loss.MeanSquaredError)]
        [Conv1D(4, Kernel = 3, Padding = 1, Activation = Activation.ReLU)]
        [Flatten]
        [Dense(1)]
        public partial class SequenceConv { }
        """, "SequenceConv.NetGen.g.cs");

    [Fact]
    public void Small_rbf_network_is_one_straight_line_derivation() => Check("TinyRbf", """
        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
        [Rbf(3)]
        [Dense(1, Activation.Sigmoid)]
        public partial class TinyRbf { }
        """, "TinyRbf.NetGen.g.cs");

    [Fact]
    public void Rbf_layer_after_a_dense_layer_in_loops() => Check("LoopedRbf", """
        [Network(Inputs = 4, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Never)]
        [Dense(3, Activation.Tanh)]
        [Rbf(5)]
        [Dense(2)]
        public partial class LoopedRbf { }
        """, "LoopedRbf.NetGen.g.cs");

    [Fact]
    public void Stacked_lstm_with_a_dense_layer_at_every_step() => Check("SequenceTagger", """
        namespace Samples.Forecast;

        [Network(Inputs = 3, SequenceLength = 10, Loss = Loss.BinaryCrossEntropy)]
        [Lstm(16, ReturnSequences = true, ForgetBias = 1)]
        [Dropout(0.2)]
        [Gru(8, ReturnSequences = true)]
        [Dense(1, Activation.Sigmoid)]
        public partial class SequenceTagger { }
        """, "Samples.Forecast.SequenceTagger.NetGen.g.cs");

    [Fact]
    public void Mixed_network_has_loop_and_unrolled_layers_in_their_own_methods() => Check("MixedNet", """
        namespace Samples.Mixed;

        [Network(Inputs = 40, Loss = Loss.CrossEntropy)]
        [Dense(24, Activation.ReLU)]
        [Dense(6, Activation.LeakyReLU, NegativeSlope = 0.1)]
        [Dense(3, Activation.Softmax)]
        internal partial class MixedNet { }
        """, "Samples.Mixed.MixedNet.NetGen.g.cs");

    [Fact]
    public void Residual_blocks_with_learnable_and_smooth_activations_in_both_shapes() => Check("ResidualNet", """
        namespace Samples.Residual;

        [Network(Inputs = 20, Loss = Loss.CrossEntropy)]
        [Dense(20, Activation.SiLU, Residual = true)]
        [Dropout(0.2)]
        [Dense(8, Activation.PReLU)]
        [Dense(8, Activation.Tanh, Residual = true)]
        [Dense(3, Activation.Softmax)]
        public partial class ResidualNet { }
        """, "Samples.Residual.ResidualNet.NetGen.g.cs");

    [Fact]
    public void Small_residual_network_is_straight_line_with_prelu_slopes() => Check("SmallResidualNet", """
        namespace Samples.Residual;

        [Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
        [Dense(3, Activation.PReLU, Residual = true)]
        [Dropout(0.5)]
        [Dense(3, Activation.ELU, Residual = true)]
        [Dense(2, Activation.Softplus)]
        public partial class SmallResidualNet { }
        """, "Samples.Residual.SmallResidualNet.NetGen.g.cs");

    [Fact]
    public void Batch_normalized_network_trains_over_the_whole_batch() => Check("BatchNormNet", """
        namespace Samples.Normalized;

        [Network(Inputs = 6, Loss = Loss.CrossEntropy)]
        [Dense(8, Activation.ReLU)]
        [BatchNorm]
        [Dropout(0.25)]
        [Dense(8, Activation.Tanh, Residual = true)]
        [BatchNorm(Momentum = 0.05, Epsilon = 1e-3)]
        [Dense(3, Activation.Softmax)]
        public partial class BatchNormNet { }
        """, "Samples.Normalized.BatchNormNet.NetGen.g.cs");

    [Fact]
    public void Large_network_takes_the_loop_path() => Check("FashionNet", """
        [Network(Inputs = 784, Loss = Loss.CrossEntropy)]
        [Dense(128, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class FashionNet { }
        """, "FashionNet.NetGen.g.cs");

    [Fact]
    public void Nested_network_with_binary_cross_entropy_is_unrolled_inside_its_containers() => Check("Outer.Detector", """
        namespace Samples.Nested
        {
            public static partial class Outer
            {
                [Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
                [Dense(3, Activation.Identity)]
                [Dense(2, Activation.Sigmoid)]
                public partial class Detector { }
            }
        }
        """, "Samples.Nested.Outer.Detector.NetGen.g.cs");
}

/// <summary>Generated public members carry XML documentation, so users who build docs with warnings as errors are not broken.</summary>
public class DocumentationTests
{
    [Fact]
    public void Generated_files_have_no_missing_or_malformed_doc_comments()
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(Microsoft.CodeAnalysis.DocumentationMode.Diagnose);
        const string source = GeneratorHarness.Usings + """
            /// <summary>Straight-line.</summary>
            [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
            [Dense(3, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Small { }

            /// <summary>Layered, with loops.</summary>
            [Network(Inputs = 300, Loss = Loss.CrossEntropy)]
            [Dense(20, Activation.Tanh)]
            [Dense(3, Activation.Softmax)]
            public partial class Large { }
            """;
        var compilation = GeneratorHarness.Compilation(source).WithOptions(GeneratorHarness.Compilation(source).Options)
            .RemoveAllSyntaxTrees().AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, parse, path: "Source0.cs"));
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create([Microsoft.CodeAnalysis.GeneratorExtensions.AsSourceGenerator(new NetworkGenerator())], parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Equal(3, output.SyntaxTrees.Count());
        var problems = output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
