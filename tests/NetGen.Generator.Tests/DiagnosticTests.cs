using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// Each diagnostic fires on a minimal bad declaration, at the span of the offending attribute (marked [|…|] in the
/// source), and good declarations raise none.
/// </summary>
public class DiagnosticTests
{
    /// <summary>Runs the generator; asserts exactly one NetGen diagnostic, with the id, at the marked span.</summary>
    private static Diagnostic Expect(string id, string markedSource)
    {
        int start = markedSource.IndexOf("[|", StringComparison.Ordinal);
        int end = markedSource.IndexOf("|]", StringComparison.Ordinal) - 2;
        Assert.True(start >= 0 && end >= start, "The test source must mark the expected span with [| |].");
        string source = GeneratorHarness.Usings + markedSource.Replace("[|", "").Replace("|]", "");
        int offset = GeneratorHarness.Usings.Length;

        var run = GeneratorHarness.RunGenerator(source);
        Assert.Null(run.Result.Exception);
        var ours = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 1, $"Expected one {id}, got: {string.Join("; ", ours)}");
        var diagnostic = ours[0];
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(start + offset, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(end - start, diagnostic.Location.SourceSpan.Length);
        // An invalid declaration generates nothing for that class (a warning still generates).
        if (diagnostic.DefaultSeverity == DiagnosticSeverity.Error)
            Assert.DoesNotContain(run.Result.GeneratedSources, s => GeneratorHarness.Readable(s.HintName) is "C.NetGen.g.cs" or "Holder.B.NetGen.g.cs" or "Outer.C.NetGen.g.cs");
        return diagnostic;
    }

    [Fact]
    public void NG0001_class_not_partial() =>
        Assert.Contains("partial class C", Expect("NG0001", """
            [[|Network(Inputs = 2, Loss = Loss.MeanSquaredError)|]]
            [Dense(1)]
            public class C { }
            """).GetMessage());

    [Fact]
    public void NG0002_generic_class() => Expect("NG0002", """
        [[|Network(Inputs = 2, Loss = Loss.MeanSquaredError)|]]
        [Dense(1)]
        public partial class C<T> { }
        """);

    [Fact]
    public void NG0003_containing_type_not_partial() =>
        Assert.Contains("'Outer'", Expect("NG0003", """
            public class Outer
            {
                [[|Network(Inputs = 2, Loss = Loss.MeanSquaredError)|]]
                [Dense(1)]
                public partial class C { }
            }
            """).GetMessage());

    [Fact]
    public void NG0004_no_layers() => Expect("NG0004", """
        [[|Network(Inputs = 2, Loss = Loss.MeanSquaredError)|]]
        public partial class C { }
        """);

    [Theory]
    [InlineData("Inputs = 0, ")]
    [InlineData("Inputs = -3, ")]
    [InlineData("")]
    public void NG0005_inputs_below_one(string inputs) => Expect("NG0005", $$"""
        [[|Network({{inputs}}Loss = Loss.MeanSquaredError)|]]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0006_units_below_one() =>
        Assert.Contains("Layer 2", Expect("NG0006", """
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [Dense(3, Activation.Tanh)]
            [[|Dense(0, Activation.Tanh)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0007_softmax_on_a_hidden_layer() => Expect("NG0007", """
        [Network(Inputs = 2, Loss = Loss.CrossEntropy)]
        [[|Dense(3, Activation.Softmax)|]]
        [Dense(2, Activation.Softmax)]
        public partial class C { }
        """);

    [Fact]
    public void NG0008_softmax_without_cross_entropy() => Expect("NG0008", """
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(3, Activation.Tanh)]
        [[|Dense(2, Activation.Softmax)|]]
        public partial class C { }
        """);

    [Fact]
    public void NG0009_cross_entropy_without_softmax() =>
        Assert.Contains("Sigmoid", Expect("NG0009", """
            [[|Network(Inputs = 2, Loss = Loss.CrossEntropy)|]]
            [Dense(3, Activation.Tanh)]
            [Dense(2, Activation.Sigmoid)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0010_binary_cross_entropy_without_sigmoid() => Expect("NG0010", """
        [[|Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)|]]
        [Dense(2, Activation.Tanh)]
        public partial class C { }
        """);

    [Theory]
    [InlineData("[[|Dense(4, (Activation)42)|]]")]
    [InlineData("[[|Dense(\"four\", Activation.Tanh)|]]")]
    [InlineData("[[|Dense(4, 3)|]]")]
    [InlineData("[[|Dense(4.5)|]]")]
    public void NG0011_layer_argument_of_the_wrong_kind(string layer) => Expect("NG0011", $$"""
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        {{layer}}
        public partial class C { }
        """);

    [Theory]
    [InlineData("Inputs = 2, Loss = (Loss)9")]
    [InlineData("Inputs = \"2\", Loss = Loss.MeanSquaredError")]
    [InlineData("Inputs = 2, Loss = Loss.MeanSquaredError, Unrolling = (Unrolling)7")]
    public void NG0011_network_argument_of_the_wrong_kind(string arguments) => Expect("NG0011", $$"""
        [[|Network({{arguments}})|]]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0012_layers_on_two_partial_declarations() => Expect("NG0012", """
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(3, Activation.Tanh)]
        public partial class C { }

        [[|Dense(1)|]]
        public partial class C { }
        """);

    [Fact]
    public void NG0012_dropout_on_another_partial_declaration() => Expect("NG0012", """
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(3, Activation.Tanh)]
        [Dense(1)]
        public partial class C { }

        [[|Dropout(0.5)|]]
        public partial class C { }
        """);

    [Theory]
    [InlineData("public static partial class C { }", "static")]
    [InlineData("public abstract partial class C { }", "abstract")]
    [InlineData("public partial record C { }", "a record")]
    [InlineData("file partial class C { }", "file-local")]
    public void NG0013_unsupported_class_kinds(string declaration, string kind) =>
        Assert.Contains(kind, Expect("NG0013", $$"""
            [[|Network(Inputs = 2, Loss = Loss.MeanSquaredError)|]]
            [Dense(1)]
            {{declaration}}
            """).GetMessage());

    [Theory]
    [InlineData("Dense(3, Activation.Tanh, NegativeSlope = 0.2)")]
    [InlineData("Dense(3, Activation.LeakyReLU, NegativeSlope = double.NaN)")]
    public void NG0014_negative_slope_misuse(string layer) => Expect("NG0014", $$"""
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [[|{{layer}}|]]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0015_forced_unrolling_of_a_layer_too_large_for_the_jit() =>
        Assert.Contains("2048", Expect("NG0015", """
            [Network(Inputs = 16, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
            [Dense(32, Activation.Tanh)]
            [[|Dense(32, Activation.Tanh)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0025_residual_layer_that_changes_width() =>
        Assert.Contains("its input is [4] and its output [8]", Expect("NG0025", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.Tanh, Residual = true)]
            [[|Dense(8, Activation.ReLU, Residual = true)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0026_residual_output_fused_with_its_loss() =>
        Assert.Contains("Loss.CrossEntropy", Expect("NG0026", """
            [Network(Inputs = 3, Loss = Loss.CrossEntropy)]
            [Dense(3, Activation.Tanh)]
            [[|Dense(3, Activation.Softmax, Residual = true)|]]
            public partial class C { }
            """).GetMessage());

    [Theory]
    [InlineData("1.0")]
    [InlineData("-0.1")]
    [InlineData("0.99999999")]
    [InlineData("1e-50")]
    public void NG0027_dropout_rate_outside_zero_to_one(string rate) =>
        Assert.Contains("[0, 1)", Expect("NG0027", $$"""
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.ReLU)]
            [[|Dropout({{rate}})|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0028_dropout_after_the_last_layer() =>
        Assert.Contains("after the last layer", Expect("NG0028", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.ReLU)]
            [Dense(1)]
            [[|Dropout(0.5)|]]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0028_two_dropouts_on_the_same_values() =>
        Assert.Contains("combine them", Expect("NG0028", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.ReLU)]
            [Dropout(0.2)]
            [[|Dropout(0.3)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0032_negative_sequence_length() =>
        Assert.Contains("SequenceLength = -3", Expect("NG0032", """
            [Network(Inputs = 2, SequenceLength = [|-3|], Loss = Loss.MeanSquaredError)]
            [Recurrent(4)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0032_sequence_too_long() =>
        Assert.Contains("at most", Expect("NG0032", """
            [Network(Inputs = 1000, SequenceLength = [|int.MaxValue|], Loss = Loss.MeanSquaredError)]
            [Lstm(4)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0015_unrolling_always_after_a_recurrent_layer_checks_the_dense_layers_on_its_last_state() =>
        Expect("NG0015", """
            [Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
            [Lstm(4)]
            [[|Dense(400)|]]
            [Dense(1)]
            public partial class C { }
            """);

    [Fact]
    public void NG0033_recurrent_layer_without_a_sequence() =>
        Assert.Contains("set SequenceLength", Expect("NG0033", """
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [[|Gru(4)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0033_recurrent_layer_after_the_last_state() =>
        Assert.Contains("ReturnSequences = true", Expect("NG0033", """
            [Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
            [Lstm(4)]
            [[|Lstm(3)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0033_softmax_over_a_sequence() =>
        Assert.Contains("softmax over a sequence [5×3]", Expect("NG0033", """
            [Network(Inputs = 2, SequenceLength = 5, Loss = Loss.CrossEntropy)]
            [Recurrent(4, ReturnSequences = true)]
            [[|Dense(3, Activation.Softmax)|]]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0033_batchnorm_of_a_sequence() =>
        Assert.Contains("batch normalization of a sequence", Expect("NG0033", """
            [Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
            [Recurrent(4, ReturnSequences = true)]
            [[|Dense(3, Activation.ReLU)|]]
            [BatchNorm]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0034_input_shape_that_is_not_channels_height_width() =>
        Assert.Contains("give channels, height and width", Expect("NG0034", """
            [Network(InputShape = [|new[] { 28, 28 }|], Loss = Loss.MeanSquaredError)]
            [Conv2D(4)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0034_input_shape_that_disagrees_with_inputs() =>
        Assert.Contains("remove Inputs or make it 784", Expect("NG0034", """
            [Network(Inputs = 780, InputShape = [|new[] { 1, 28, 28 }|], Loss = Loss.MeanSquaredError)]
            [Conv2D(4)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0035_conv2d_on_a_vector_names_input_shape() =>
        Assert.Contains("set InputShape = new[] { channels, height, width }", Expect("NG0035", """
            [Network(Inputs = 784, Loss = Loss.MeanSquaredError)]
            [[|Conv2D(4)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0035_kernel_larger_than_its_input_names_both_and_the_fix() =>
        Assert.Contains("its kernel of 5 is larger than its input [8×3×3] (3×3, 3×3 with Padding = 0); use Kernel = 3 or less", Expect("NG0035", """
            [Network(InputShape = new[] { 1, 5, 5 }, Loss = Loss.MeanSquaredError)]
            [Conv2D(8, Kernel = 3, Activation = Activation.ReLU)]
            [[|Conv2D(4, Kernel = 5)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0035_pool_window_larger_than_its_input() =>
        Assert.Contains("its 4×4 window is larger than its input [2×3×3]", Expect("NG0035", """
            [Network(InputShape = new[] { 1, 5, 5 }, Loss = Loss.MeanSquaredError)]
            [Conv2D(2, Kernel = 3)]
            [[|MaxPool2D(4)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Theory]
    [InlineData("Conv2D(0)", "it has 0 filters")]
    [InlineData("Conv2D(4, Kernel = 0)", "Kernel = 0")]
    [InlineData("Conv2D(4, Stride = -1)", "Stride = -1")]
    [InlineData("Conv2D(4, Kernel = 3, Padding = 3)", "use Padding = 1")]
    [InlineData("AvgPool2D(-2)", "its window is -2")]
    [InlineData("MaxPool2D(2, Stride = -1)", "Stride = -1")]
    public void NG0035_non_positive_sizes(string layer, string expected) =>
        Assert.Contains(expected, Expect("NG0035", $$"""
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [[|{{layer}}|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0011_flatten_before_a_layer_that_is_not_dense() =>
        Assert.Contains("is not a [Dense]", Expect("NG0011", """
            [Network(Inputs = 2, SequenceLength = 6, Loss = Loss.MeanSquaredError)]
            [[|Flatten|]]
            [Conv1D(4)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0035_conv1d_on_an_image() =>
        Assert.Contains("Conv1D reads a sequence", Expect("NG0035", """
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [[|Conv1D(4)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0037_rbf_on_an_image_says_to_read_a_vector() =>
        Assert.Contains("an [Rbf] layer measures the distance from a vector to its centres, but its input is [1×8×8]", Expect("NG0037", """
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [[|Rbf(4)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0037_rbf_on_a_sequence_says_to_read_a_vector() =>
        Assert.Contains("after a [Dense] that reads the sequence or image as one vector", Expect("NG0037", """
            [Network(Inputs = 3, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
            [Recurrent(4, ReturnSequences = true)]
            [[|Rbf(4)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0006_rbf_without_units() =>
        Assert.Contains("has 0 units; a layer needs at least 1 unit", Expect("NG0006", """
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [[|Rbf(0)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Theory]
    [InlineData("CrossEntropy", "add [Dense(classes, Activation.Softmax)] after it")]
    [InlineData("BinaryCrossEntropy", "add [Dense(outputs, Activation.Sigmoid)] after it")]
    public void NG0037_rbf_output_layer_with_a_probability_loss_says_to_add_the_output_layer(string loss, string expected) =>
        Assert.Contains(expected, Expect("NG0037", $$"""
            [Network(Inputs = 2, Loss = Loss.{{loss}})]
            [[|Rbf(4)|]]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0015_rbf_too_large_to_unroll() =>
        Assert.Contains("has 1200 multiply-adds", Expect("NG0015", """
            [Network(Inputs = 20, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
            [[|Rbf(20)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_after_an_rbf_layer() =>
        Assert.Contains("a radial-basis layer, whose outputs are Gaussians", Expect("NG0029", """
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [[|Rbf(4)|]]
            [BatchNorm]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0036_a_stride_larger_than_the_window_skips_rows_between_windows() =>
        Assert.Contains("never reads the 1 row and column between two windows", Expect("NG0036", """
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [[|MaxPool2D(2, Stride = 3)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0035_a_kernel_too_large_for_one_buffer() =>
        Assert.Contains("more than the 268435456 one buffer holds", Expect("NG0035", """
            [Network(InputShape = new[] { 1024, 1, 1 }, Loss = Loss.MeanSquaredError)]
            [[|Conv2D(1, Kernel = 2000, Padding = 1000)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0034_an_input_shape_whose_product_overflows() =>
        Assert.Contains("at most 268435456 fit one buffer", Expect("NG0034", """
            [Network(InputShape = [|new[] { int.MaxValue, int.MaxValue, 4 }|], Loss = Loss.MeanSquaredError)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0036_a_stride_that_leaves_the_last_row_unread_is_a_warning() =>
        Assert.Contains("never reads the last row (the output is [4×3×3]", Expect("NG0036", """
            [Network(InputShape = new[] { 1, 7, 7 }, Loss = Loss.MeanSquaredError)]
            [Conv2D(4, Kernel = 3, Padding = 1)]
            [[|MaxPool2D(2)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_after_a_pool() =>
        Assert.Contains("a pooling layer, which has no pre-activation", Expect("NG0029", """
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [Conv2D(4)]
            [[|MaxPool2D(2)|]]
            [BatchNorm]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_after_a_conv1d() =>
        Assert.Contains("a Conv1D, whose output is a sequence", Expect("NG0029", """
            [Network(Inputs = 2, SequenceLength = 8, Loss = Loss.MeanSquaredError)]
            [[|Conv1D(4)|]]
            [BatchNorm]
            [Flatten]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0028_per_channel_dropout_on_a_vector() =>
        Assert.Contains("PerChannel = true drops whole channels of an image, but the values it acts on are [16]", Expect("NG0028", """
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [Conv2D(4, Kernel = 3)]
            [MaxPool2D(3)]
            [Dense(16)]
            [[|Dropout(0.3, PerChannel = true)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0011_softmax_on_a_convolution() =>
        Assert.Contains("softmax belongs on the last [Dense]", Expect("NG0011", """
            [Network(InputShape = new[] { 1, 8, 8 }, Loss = Loss.MeanSquaredError)]
            [[|Conv2D(4, Activation = Activation.Softmax)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_on_a_recurrent_layer() =>
        Assert.Contains("is recurrent", Expect("NG0029", """
            [Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
            [[|Gru(4)|]]
            [BatchNorm]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0011_elman_with_an_activation_it_does_not_take() =>
        Assert.Contains("Activation.Tanh (the default) or Activation.ReLU", Expect("NG0011", """
            [Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
            [[|Recurrent(4, Activation.Sigmoid)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0011_lstm_forget_bias_that_is_not_finite() =>
        Assert.Contains("must be a finite number", Expect("NG0011", """
            [Network(Inputs = 2, SequenceLength = 5, Loss = Loss.MeanSquaredError)]
            [[|Lstm(4, ForgetBias = double.PositiveInfinity)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_before_the_first_layer() =>
        Assert.Contains("before the first layer", Expect("NG0029", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [[|BatchNorm|]]
            [Dense(4, Activation.ReLU)]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_two_batchnorms_on_one_layer() =>
        Assert.Contains("already has a [BatchNorm]", Expect("NG0029", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.ReLU)]
            [BatchNorm]
            [[|BatchNorm|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_epsilon_beyond_float() =>
        Assert.Contains("Epsilon = 1E+39", Expect("NG0029", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.ReLU)]
            [[|BatchNorm(Epsilon = 1e39)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0029_batchnorm_momentum_out_of_range() =>
        Assert.Contains("Momentum = 1.5", Expect("NG0029", """
            [Network(Inputs = 4, Loss = Loss.MeanSquaredError)]
            [Dense(4, Activation.ReLU)]
            [[|BatchNorm(Momentum = 1.5)|]]
            [Dense(1)]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0016_network_too_large() => Expect("NG0016", """
        [[|Network(Inputs = 100000, Loss = Loss.MeanSquaredError)|]]
        [Dense(100000, Activation.ReLU)]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0017_missing_loss() => Expect("NG0017", """
        [[|Network(Inputs = 2)|]]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0018_softmax_over_one_unit_is_a_warning()
    {
        var diagnostic = Expect("NG0018", """
            [Network(Inputs = 2, Loss = Loss.CrossEntropy)]
            [[|Dense(1, Activation.Softmax)|]]
            public partial class C { }
            """);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.DefaultSeverity);
    }

    [Fact]
    public void NG0019_layers_without_a_network() => Expect("NG0019", """
        [[|Dense(3, Activation.Tanh)|]]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0019_dropout_without_a_network() => Expect("NG0019", """
        [[|Dropout(0.5)|]]
        public partial class C { }
        """);

    [Fact]
    public void NG0019_is_reported_once_for_dense_and_dropout_without_a_network() => Expect("NG0019", """
        [[|Dense(3, Activation.Tanh)|]]
        [Dropout(0.5)]
        [Dense(1)]
        public partial class C { }
        """);

    [Fact]
    public void NG0020_primary_constructor() => Expect("NG0020", """
        [[|Network(Inputs = 2, Loss = Loss.MeanSquaredError)|]]
        [Dense(1)]
        public partial class C(string name) { public string Name => name; }
        """);

    [Fact]
    public void NG0021_network_deriving_from_a_network() =>
        Assert.Contains("'A'", Expect("NG0021", """
            public partial class Holder
            {
                [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
                [Dense(1)]
                public partial class A { }

                [[|Network(Inputs = 3, Loss = Loss.MeanSquaredError)|]]
                [Dense(1)]
                public partial class B : A { }
            }
            """).GetMessage());

    // ── Self-organizing maps ──

    [Theory]
    [InlineData("public class C { }", "is not partial; declare it as 'partial class C'")]
    [InlineData("public partial class C<T> { }", "is generic")]
    [InlineData("public static partial class C { }", "is static")]
    [InlineData("public abstract partial class C { }", "is abstract")]
    [InlineData("public partial record C { }", "is a record")]
    [InlineData("public partial class C(int size) { public int Size => size; }", "has a primary constructor")]
    public void NG0040_a_class_that_cannot_be_a_map(string declaration, string message) =>
        Assert.Contains(message, Expect("NG0040", $$"""
            [[|SelfOrganizingMap(3, 4, Inputs = 2)|]]
            {{declaration}}
            """).GetMessage());

    [Fact]
    public void NG0040_a_map_deriving_from_a_map() =>
        Assert.Contains("derives from 'A'", Expect("NG0040", """
            public partial class Holder
            {
                [SelfOrganizingMap(2, 2, Inputs = 2)]
                public partial class A { }

                [[|SelfOrganizingMap(3, 3, Inputs = 2)|]]
                public partial class B : A { }
            }
            """).GetMessage());

    [Fact]
    public void NG0040_a_map_named_like_a_generated_member() =>
        Assert.Contains("rename the class, for example to 'WeightsMap'", Expect("NG0040", """
            namespace Demo
            {
                [[|SelfOrganizingMap(3, 3, Inputs = 2)|]]
                public partial class Weights { }
            }
            """).GetMessage());

    [Fact]
    public void NG0003_a_map_in_a_type_that_is_not_partial() =>
        Assert.Contains("'Outer'", Expect("NG0003", """
            public class Outer
            {
                [[|SelfOrganizingMap(3, 3, Inputs = 2)|]]
                public partial class C { }
            }
            """).GetMessage());

    [Theory]
    [InlineData("0, 5, Inputs = 2", "has width 0; give the grid at least 1 column")]
    [InlineData("5, -1, Inputs = 2", "has height -1; give the grid at least 1 row")]
    [InlineData("5, 5", "has Inputs = 0 (it is not set); set Inputs to the number of values of one sample")]
    [InlineData("5, 5, Inputs = -4", "has Inputs = -4; set Inputs")]
    [InlineData("4096, 4096, Inputs = 2", "4096 × 4096 units × 2 inputs = 33554432 weights, more than 16777216")]
    [InlineData("int.MaxValue, int.MaxValue, Inputs = int.MaxValue", "weights, more than 16777216; make the grid or the input smaller")]
    public void NG0041_map_size_out_of_range(string arguments, string message) =>
        Assert.Contains(message, Expect("NG0041", $$"""
            [[|SelfOrganizingMap({{arguments}})|]]
            public partial class C { }
            """).GetMessage());

    [Fact]
    public void NG0041_the_largest_map_is_accepted() =>
        Assert.Empty(GeneratorHarness.RunGenerator(GeneratorHarness.Usings + "[SelfOrganizingMap(4096, 4096, Inputs = 1)] public partial class C { }")
            .GeneratorDiagnostics.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal)));

    [Fact]
    public void NG0042_network_and_map_on_one_class() =>
        Assert.Contains("remove [Network] and give the input width on the map, as [SelfOrganizingMap(6, 4, Inputs = 3)]", Expect("NG0042", """
            [[|Network(Inputs = 3, Loss = Loss.MeanSquaredError)|]]
            [SelfOrganizingMap(6, 4)]
            public partial class C { }
            """).GetMessage());

    [Theory]
    [InlineData("Dense(4)")]
    [InlineData("Dropout(0.2)")]
    [InlineData("Conv2D(4)")]
    [InlineData("BatchNorm")]
    [InlineData("Rbf(4)")]
    public void NG0043_a_layer_on_a_map(string layer) =>
        Assert.Contains($"remove [{layer.Split('(')[0]}]", Expect("NG0043", $$"""
            [SelfOrganizingMap(3, 3, Inputs = 2)]
            [[|{{layer}}|]]
            public partial class C { }
            """).GetMessage());

    [Theory]
    [InlineData("[[|SelfOrganizingMap(\"3\", 3, Inputs = 2)|]]")]
    [InlineData("[[|SelfOrganizingMap(3, 3.5, Inputs = 2)|]]")]
    public void NG0011_a_map_argument_of_the_wrong_kind(string attribute) =>
        Assert.Contains("[SelfOrganizingMap(10, 10, Inputs = 4)]", Expect("NG0011", attribute + "\npublic partial class C { }").GetMessage());

    [Theory]
    [InlineData("""
        namespace Maps;
        [SelfOrganizingMap(10, 10, Inputs = 4)]
        public sealed partial class IrisMap { }
        """)]
    [InlineData("""
        public partial class Outer<T>
        {
            [SelfOrganizingMap(1, 1, Inputs = 1)]
            internal partial class Good { }
        }
        """)]
    [InlineData("""
        [SelfOrganizingMap(3, 2, Inputs = 17)]
        public partial class @class
        {
            public @class() : this(5) { }
            public @class(int seed) { Initialize(seed); }
            public int _weights;
        }
        """)]
    [InlineData("""
        [SelfOrganizingMap(2, 2, Inputs = 2)] public partial class Map { }
        [SelfOrganizingMap(2, 2, Inputs = 2)] public partial class MAP { }
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(1)] public partial class Net { }
        """)]
    public void Good_maps_raise_nothing(string source) => GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + source);

    [Fact]
    public void Every_descriptor_is_tested_and_says_what_to_change()
    {
        var tested = typeof(DiagnosticTests).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Select(m => m.Name).Where(n => n.StartsWith("NG", StringComparison.Ordinal)).Select(n => n[..6]).ToHashSet();
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Contains(descriptor.Id, tested);
            Assert.Equal("NetGen", descriptor.Category);
            Assert.Matches("^NG[0-9]{4}$", descriptor.Id);
        }
        Assert.Equal(DiagnosticDescriptors.All.Length, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void The_release_tracking_file_lists_every_descriptor()
    {
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../generator/NetGen.Generator"));
        string unshipped = File.ReadAllText(Path.Combine(root, "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
            Assert.Contains($"{descriptor.Id} | NetGen | {descriptor.DefaultSeverity}", unshipped);
    }

    [Theory]
    [InlineData("""
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(4, Activation.LeakyReLU, NegativeSlope = 0.2)]
        [Dense(1)]
        public partial class Good { }
        """)]
    [InlineData("""
        [Network(Inputs = 2, Loss = Loss.CrossEntropy)]
        [Dense(3, Activation.Softmax)]
        public partial class Good { }
        """)]
    [InlineData("""
        public partial class Outer<T>
        {
            [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
            [Dense(3, Activation.ReLU)]
            [Dense(2, Activation.Sigmoid)]
            internal partial class Good { }
        }
        """)]
    [InlineData("""
        [Network(Inputs = 2, Loss = Loss.MeanAbsoluteError)]
        [Dense(3, Activation.ReLU)]
        [Dense(1)]
        public sealed partial class Good
        {
            public Good() : this(5) { }
            public Good(int seed) { InitializeParameters(Parameters, seed); }
        }
        """)]
    [InlineData("""
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(2)]
        public partial class @class { public int _parameters; public int t_scratch; }
        """)]
    [InlineData("""
        public partial class @struct<@int>
        {
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [Dense(2)]
            public partial class Net { }
        }
        """)]
    [InlineData("""
        namespace Outer_T_
        {
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [Dense(2)]
            public partial class Net { }
        }
        public partial class Outer<T>
        {
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
            [Dense(2)]
            public partial class Net { }
        }
        """)]
    public void Good_declarations_raise_nothing(string source) => GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + source);
}
