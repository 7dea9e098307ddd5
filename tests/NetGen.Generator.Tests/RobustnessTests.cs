using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>The generator never throws: broken source yields diagnostics, random valid declarations compile cleanly.</summary>
public class RobustnessTests
{
    public static TheoryData<string> BrokenSources => new()
    {
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4, Activation.Nope)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.Nope)] [Dense(4)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError, Bogus = 3)] [Dense(4)] public partial class C { }",
        "[Network(2)] [Dense(4)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4, Activation.Tanh, 7)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class C { void M( }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial struct S { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial interface I { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public enum E { A }",
        "public class M { [Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] void F() { } }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Network(Inputs = 3, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class C { }",
        "[Network(Inputs = int.MaxValue, Loss = Loss.MeanSquaredError)] [Dense(int.MaxValue)] public partial class C { }",
        "[Network(Inputs = int.MaxValue, Loss = Loss.MeanSquaredError)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] public partial class C { }",
        "[Network(Inputs = int.MaxValue, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)] [Dense(int.MaxValue, Activation.PReLU)] [BatchNorm] [Dense(2)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4, Activation.LeakyReLU, NegativeSlope = double.PositiveInfinity)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class C : C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class C { public void Predict() { } public int Parameters; }",
        "namespace ; [Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] public partial class C<T> where T : C<T> { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dropout] [Dense(4)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dropout(\"x\")] [Dense(4)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dropout(double.NaN)] [Dense(4)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4, Residual = 3)] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4, Activation.PReLU, Residual = true, NegativeSlope = 0.1)] public partial class C { }",
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Broken_source_gives_diagnostics_and_no_exception(string source)
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Usings + source);
        Assert.Null(run.Result.Exception);
        // CS8784/CS8785: the compiler's report that a generator failed to initialise or threw.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.Contains(run.AllDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("[Dense(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)]")]
    [InlineData("[Dense(int.MaxValue)] [Dense(2)]")]
    [InlineData("[Dense(65536, Activation.PReLU)] [BatchNorm] [Dense(65536)]")]
    public void Absurd_sizes_are_NG0016_network_too_large(string layers)
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Usings + $"[Network(Inputs = int.MaxValue, Loss = Loss.MeanSquaredError)] {layers} public partial class C {{ }}");
        Assert.Null(run.Result.Exception);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "NG0016");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "NG0011");
        Assert.Empty(run.Result.GeneratedSources);
    }

    /// <summary>Names a user may give a network class: case variants, keywords, generated members, Unicode, long names.</summary>
    private static readonly string[] NameFamilies =
    [
        "Net", "NET", "net", "nEt", "A_B", "A\u203FB", "Net\u0301", "Net_", "@class", "@event", "var", "_", "value", "nameof",
        "dynamic", "async", "await", "Predict", "Initialize", "Summary", "ForwardLayer1", "Layers", "Operations", "Δίκτυο", "Сеть",
        "网络", "N" + new string('e', 200) + "t", "Outer", "Create",
    ];

    private static readonly string[][] CaseTwins = [["Net", "NET"], ["net", "Net"], ["A_B", "A\u203FB"], ["Net\u0301", "Net_"], ["nEt", "NeT"]];

    [Fact]
    public void Random_declarations_valid_and_broken_never_break_the_generator()
    {
        // 30 compilations of 4 networks each: names from the families above (duplicates and case twins within one
        // compilation), sizes from degenerate to huge, attributes in random places, with random arguments.
        var random = new Random(20261202);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int accepted = 0;
        for (int compilation = 0; compilation < 30; compilation++)
        {
            var text = new System.Text.StringBuilder(GeneratorHarness.Usings);
            for (int n = 0; n < 4; n++)
            {
                bool sane = n % 2 == 0; // half the networks are valid but for their names, half hostile throughout
                // The valid ones are case twins in one namespace (Net and NET, net and Net, …): their files must not collide.
                string name = sane ? CaseTwins[compilation % CaseTwins.Length][n / 2] : NameFamilies[random.Next(NameFamilies.Length)];
                string ns = sane ? "S" : random.Next(3) == 0 ? "N" + random.Next(3) : NameFamilies[random.Next(NameFamilies.Length)].TrimStart('@');
                text.Append($"namespace {(ns.All(c => char.IsLetterOrDigit(c) || c == '_') && ns.Length > 0 && !char.IsDigit(ns[0]) ? "@" + ns : "N")} {{\n");
                int inputs = sane ? random.Next(1, 40) : random.Next(10) switch { 0 => 0, 1 => -1, 2 => int.MaxValue, 3 => 3000, _ => random.Next(1, 40) };
                string loss = sane ? "MeanSquaredError" : random.Next(6) switch { 0 => "MeanSquaredError", 1 => "MeanAbsoluteError", 2 => "BinaryCrossEntropy", 3 => "CrossEntropy", 4 => "(Loss)9", _ => "MeanSquaredError" };
                // A quarter of the hostile networks are sequences (steps from degenerate to huge), with recurrent layers among
                // theirs; a quarter are images (shapes from degenerate to huge), with convolution and pooling layers.
                bool sequence = !sane && random.Next(4) == 0;
                bool image = !sane && !sequence && random.Next(3) == 0;
                string Size() => random.Next(7) switch { 0 => "0", 1 => "-3", 2 => "int.MaxValue", 3 => "100000", _ => random.Next(1, 12).ToString() };
                string steps = sequence ? random.Next(5) switch { 0 => "0", 1 => "-2", 2 => "int.MaxValue", 3 => "100000", _ => random.Next(1, 8).ToString() } : "";
                string shape = image ? $", InputShape = new[] {{ {string.Join(", ", Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(3) == 0 ? Size() : random.Next(1, 9).ToString()))} }}" : "";
                text.Append($"[Network(Inputs = {inputs}, Loss = Loss.{loss.TrimStart('(')}".Replace("Loss.Loss)9", "(Loss)9") + (sequence ? $", SequenceLength = {steps}" : "") + shape + ")]\n");
                int layers = sane ? random.Next(1, 5) : random.Next(0, 5);
                int width = inputs;
                for (int l = 0; l < layers; l++)
                {
                    if (random.Next(5) == 0) text.Append($"[Dropout({(!sane && random.Next(4) == 0 ? "1.5" : "0.25")})]\n");
                    int units = sane ? random.Next(1, 30) : random.Next(8) switch { 0 => 0, 1 => int.MaxValue, 2 => 100_000, _ => random.Next(1, 30) };
                    string activation = Activations[random.Next(Activations.Length)];
                    if (!sane && random.Next(6) == 0) activation = "Softmax";
                    bool residual = random.Next(5) == 0 && (!sane || l < layers - 1);
                    if (sane && residual) units = width;
                    string extra = residual ? ", Residual = true" : !sane && random.Next(8) == 0 ? ", NegativeSlope = 0.5" : "";
                    if ((image || sequence) && random.Next(2) == 0)
                    {
                        // Convolution, pooling and flatten with arguments from sane to absurd, on images and sequences alike.
                        if (random.Next(4) == 0) text.Append("[Flatten]\n");
                        string arguments = string.Concat(new[] { "Kernel", "Stride", "Padding" }.Where(_ => random.Next(2) == 0).Select(a => $", {a} = {Size()}"));
                        text.Append(random.Next(5) switch
                        {
                            0 => $"[Conv2D({Size()}{arguments}, Activation = Activation.{activation})]\n",
                            1 => $"[Conv1D({Size()}{arguments}{(random.Next(3) == 0 ? ", Bias = false" : "")})]\n",
                            2 => $"[MaxPool2D({Size()}{(random.Next(2) == 0 ? $", Stride = {Size()}" : "")})]\n",
                            3 => $"[AvgPool2D({Size()})]\n",
                            _ => $"[Dropout(0.3, PerChannel = true)]\n[Conv2D({units}, Kernel = {random.Next(1, 4)})]\n",
                        });
                    }
                    else if (sequence && random.Next(2) == 0)
                        text.Append(random.Next(3) switch
                        {
                            0 => $"[Recurrent({units}, Activation.{activation}{(random.Next(2) == 0 ? ", ReturnSequences = true" : "")})]\n",
                            1 => $"[Gru({units}{(random.Next(2) == 0 ? ", ReturnSequences = true" : "")})]\n",
                            _ => $"[Lstm({units}{(random.Next(2) == 0 ? ", ReturnSequences = true" : "")})]\n",
                        });
                    else if (random.Next(6) == 0)
                    {
                        // A radial-basis layer (on an image or a sequence NG0037 refuses it); no [BatchNorm] after it in a sane network.
                        text.Append($"[Rbf({units})]\n");
                        if (!sane && random.Next(4) == 0) text.Append("[BatchNorm]\n");
                        width = units;
                        continue;
                    }
                    else
                        text.Append($"[Dense({units}, Activation.{activation}{extra})]\n");
                    if (random.Next(5) == 0) text.Append(!sane && random.Next(4) == 0 ? "[BatchNorm(Momentum = 2)]\n" : "[BatchNorm]\n");
                    width = units;
                }
                text.Append($"public partial class {name} {{ }}\n}}\n");
            }
            var run = GeneratorHarness.RunGenerator(text.ToString());
            Assert.Null(run.Result.Exception);
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
            // Every generated file parses and compiles: no error points into generated code.
            var generated = run.Result.GeneratedSources.Select(g => g.SyntaxTree).ToHashSet();
            foreach (var source in run.Result.GeneratedSources)
                Assert.True(!source.SyntaxTree.GetDiagnostics().Any(), $"{source.HintName} does not parse:\n{text}");
            var inGenerated = run.AllDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
            Assert.True(inGenerated.Count == 0, string.Join("\n", inGenerated.Take(5)) + "\n" + text);
            // File names are unique the way Roslyn compares them.
            var hints = run.Result.GeneratedSources.Select(g => g.HintName).ToList();
            Assert.Equal(hints.Count, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            accepted += run.Result.GeneratedSources.Length;
        }
        Assert.True(accepted >= 30, $"only {accepted} of 120 random networks were accepted: the generator of declarations is too hostile to test code generation");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
    }

    private static readonly string[] Activations = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softplus", "SiLU", "Step"];

    [Fact]
    public void Random_valid_networks_generate_code_that_compiles_without_warnings()
    {
        var random = new Random(20261123);
        var sources = new List<string>();
        for (int n = 0; n < 40; n++)
        {
            int layers = random.Next(1, 5);
            string loss = random.Next(4) switch { 0 => "MeanSquaredError", 1 => "MeanAbsoluteError", 2 => "BinaryCrossEntropy", _ => "CrossEntropy" };
            string unrolling = random.Next(3) switch { 0 => "Auto", 1 => "Never", _ => "Auto" };
            var text = new System.Text.StringBuilder();
            // Sizes span both sides of the unroll threshold and the straight-line budget.
            int inputs = random.Next(1, 70);
            text.Append($"[Network(Inputs = {inputs}, Loss = Loss.{loss}, Unrolling = Unrolling.{unrolling})]\n");
            int width = inputs;
            for (int l = 0; l < layers; l++)
            {
                bool output = l == layers - 1;
                int units = output ? random.Next(1, 12) : random.Next(1, 70);
                // Dropout before some layers (the input too), and residual layers that keep their width.
                if (random.Next(4) == 0) text.Append($"[Dropout(0.{random.Next(1, 9)})]\n");
                bool residual = !output && random.Next(3) == 0;
                if (residual) units = width;
                string activation = Activations[random.Next(Activations.Length)];
                if (output && loss == "CrossEntropy") { activation = "Softmax"; units = Math.Max(2, units); }
                if (output && loss == "BinaryCrossEntropy") activation = "Sigmoid";
                string slope = activation == "LeakyReLU" && random.Next(2) == 0 ? ", NegativeSlope = 0.3" : "";
                text.Append($"[Dense({units}, Activation.{activation}{slope}{(residual ? ", Residual = true" : "")})]\n");
                // Batch normalization after some layers (the output one too).
                if (random.Next(5) == 0) text.Append("[BatchNorm]\n");
                width = units;
            }
            text.Append($"public partial class Net{n} {{ }}\n");
            sources.Add(text.ToString());
        }
        var run = GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + string.Join("\n", sources));
        Assert.Equal(40, run.Result.GeneratedSources.Length);
    }

    [Fact]
    public void Random_valid_convolution_networks_generate_code_that_compiles_without_warnings()
    {
        // Images of random channels and sizes through random convolutions (strides, padding, no bias, batch normalization,
        // per-channel dropout) and pools that tile what they read, then dense layers; and 1-D convolutions on sequences.
        var random = new Random(20261203);
        var sources = new List<string>();
        string[] elementWise = ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softplus", "SiLU"];
        for (int n = 0; n < 24; n++)
        {
            var text = new System.Text.StringBuilder();
            bool oneDimensional = n % 4 == 3;
            int channels = random.Next(1, 4), height = oneDimensional ? 1 : random.Next(4, 17), width = random.Next(4, 17);
            text.Append(oneDimensional
                ? $"[Network(Inputs = {channels}, SequenceLength = {width}, Loss = Loss.MeanSquaredError)]\n"
                : $"[Network(InputShape = new[] {{ {channels}, {height}, {width} }}, Loss = Loss.CrossEntropy)]\n");
            for (int l = 0, layers = random.Next(1, 4); l < layers; l++)
            {
                int kernel = random.Next(1, Math.Min(5, Math.Min(height, width)) + 1), padding = random.Next(kernel);
                if (oneDimensional) kernel = random.Next(1, Math.Min(5, width) + 1);
                // Stride 2 only where it reads every row and column: a kernel of 2 or more, (size + 2p − k) even on both axes.
                bool two = kernel >= 2 && (height + 2 * padding - kernel) % 2 == 0 && (width + 2 * padding - kernel) % 2 == 0 && random.Next(2) == 0;
                int stride = two ? 2 : 1, filters = random.Next(1, 6);
                if (!oneDimensional && random.Next(4) == 0) text.Append("[Dropout(0.2, PerChannel = true)]\n");
                text.Append($"[{(oneDimensional ? "Conv1D" : "Conv2D")}({filters}, Kernel = {kernel}, Stride = {stride}, Padding = {padding}{(random.Next(4) == 0 ? ", Bias = false" : "")}, Activation = Activation.{elementWise[random.Next(elementWise.Length)]})]\n");
                if (!oneDimensional && random.Next(3) == 0) text.Append("[BatchNorm]\n");
                height = oneDimensional ? 1 : (height + 2 * padding - kernel) / stride + 1;
                width = (width + 2 * padding - kernel) / stride + 1;
                channels = filters;
                if (!oneDimensional && height % 2 == 0 && width % 2 == 0 && random.Next(2) == 0)
                {
                    text.Append(random.Next(2) == 0 ? "[MaxPool2D(2)]\n" : "[AvgPool2D(2)]\n");
                    (height, width) = (height / 2, width / 2);
                }
            }
            if (oneDimensional && random.Next(2) == 0) text.Append("[Flatten]\n");
            if (random.Next(2) == 0) text.Append($"[Dense({random.Next(2, 20)}, Activation.ReLU)]\n");
            text.Append(oneDimensional ? "[Dense(1)]\n" : $"[Dense({random.Next(2, 6)}, Activation.Softmax)]\n");
            text.Append($"public partial class Conv{n} {{ }}\n");
            sources.Add(text.ToString());
        }
        var run = GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + string.Join("\n", sources));
        Assert.Equal(24, run.Result.GeneratedSources.Length);
    }
}
