using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Tests;

/// <summary>[Network(Weights = "…")]: compiled-in checkpoints, their diagnostics and their caching.</summary>
public class EmbeddedWeightsTests
{
    private const string Architecture = "netgen-1 inputs=2 dense(3,tanh) dense(1,sigmoid) loss=mse";
    private const int ParameterCount = 2 * 3 + 3 + 3 * 1 + 1;

    private static string Declaration(string weights = "models/small.ngw", int hidden = 3) => GeneratorHarness.Usings + $$"""
        namespace Demo;
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError, Weights = "{{weights}}")]
        [Dense({{hidden}}, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Small { }
        """;

    /// <summary>Values with awkward digits, a negative zero and a subnormal, all of which must survive exactly.</summary>
    private static float[] Values() => Enumerable.Range(0, ParameterCount)
        .Select(i => i == 1 ? -0f : i == 2 ? 1e-40f : (i - 6) * 0.1234567f + 1e-7f * i).ToArray();

    private static byte[] CheckpointBytes(string architecture = Architecture, float[]? values = null) =>
        CheckpointFormat.Write(new CheckpointFormat.Contents(architecture, values ?? Values(), [], null), Crc32.Compute);

    private static string CheckpointText(string architecture = Architecture) => CheckpointFormat.ToText(CheckpointBytes(architecture));

    private static GeneratorHarness.InMemoryText File(string text, string path = "/project/models/small.ngw") => new(path, text);

    [Fact]
    public void A_valid_checkpoint_is_compiled_in_exactly_and_the_code_builds_cleanly()
    {
        var run = RunClean(File(CheckpointText()));
        string source = run.GeneratedSource("Small.NetGen.g.cs");
        Assert.Contains("public static global::System.ReadOnlySpan<float> EmbeddedParameters => new float[]", source);
        Assert.Contains("PredictEmbedded(", source);
        Assert.Contains("// W1 [3×2], row-major, offset 0", source);
        // Every value is written so that it parses back to the same float.
        var literals = System.Text.RegularExpressions.Regex.Matches(source, @"(-?\d[\d.E+-]*)f,")
            .Select(m => float.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Values().Select(BitConverter.SingleToInt32Bits), literals.Select(BitConverter.SingleToInt32Bits));
    }

    private static GeneratorHarness.Run RunClean(params AdditionalText[] texts)
    {
        var run = GeneratorHarness.RunGenerator(texts, Declaration());
        Assert.Null(run.Result.Exception);
        var problems = run.AllDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return run;
    }

    private static Diagnostic SingleError(AdditionalText[] texts, string id, string weights = "models/small.ngw", int hidden = 3)
    {
        string source = Declaration(weights, hidden);
        var run = GeneratorHarness.RunGenerator(texts, source);
        Assert.Null(run.Result.Exception);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id.StartsWith("NG", StringComparison.Ordinal));
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        // The diagnostic points at the Weights value.
        Assert.Equal($"\"{weights}\"", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        return diagnostic;
    }

    [Fact]
    public void NG0022_a_missing_file_says_how_to_add_it()
    {
        var d = SingleError([File(CheckpointText(), "/project/other.ngw")], "NG0022");
        Assert.Contains("<AdditionalFiles Include=\"models/small.ngw\" />", d.GetMessage());
    }

    [Fact]
    public void NG0023_a_binary_checkpoint_says_to_save_the_text_form()
    {
        string binary = new string(CheckpointBytes().Select(b => (char)b).ToArray());
        var d = SingleError([File(binary)], "NG0023");
        Assert.Contains("CheckpointEncoding.Base64Text", d.GetMessage());
    }

    [Theory]
    [InlineData("not a checkpoint", "not a NetGen checkpoint")]
    [InlineData("truncated", "truncated")]
    [InlineData("flipped", "checksum")]
    [InlineData("bad base64", "base64")]
    public void NG0023_a_damaged_file_names_the_damage(string damage, string expected)
    {
        byte[] bytes = CheckpointBytes();
        string text = damage switch
        {
            "not a checkpoint" => "hello, world",
            "truncated" => CheckpointFormat.ToText(bytes[..40]),
            "flipped" => CheckpointFormat.ToText(bytes.Select((b, i) => i == 50 ? (byte)(b ^ 1) : b).ToArray()),
            _ => CheckpointText().Replace('A', '#'),
        };
        var d = SingleError([File(text)], "NG0023");
        Assert.Contains(expected, d.GetMessage());
    }

    [Fact]
    public void NG0024_another_networks_checkpoint_names_both_architectures()
    {
        var d = SingleError([File(CheckpointText())], "NG0024", hidden: 4);
        Assert.Contains("dense(3,tanh)", d.GetMessage());
        Assert.Contains("dense(4,tanh)", d.GetMessage());
    }

    [Fact]
    public void NG0022_a_path_that_matches_several_files_asks_for_a_longer_one()
    {
        var d = SingleError([File(CheckpointText(), "/a/models/small.ngw"), File(CheckpointText(), "/b/models/small.ngw")], "NG0022");
        Assert.Contains("matches 2 AdditionalFiles items", d.GetMessage());
    }

    [Theory]
    [InlineData("count")]
    [InlineData("nan")]
    public void NG0023_a_file_with_the_wrong_count_or_non_finite_values(string damage)
    {
        float[] values = damage == "count" ? new float[3] : Values().Select((v, i) => i == 4 ? float.NaN : v).ToArray();
        var d = SingleError([File(CheckpointFormat.ToText(CheckpointBytes(values: values)))], "NG0023");
        Assert.Contains(damage == "count" ? "holds 3 parameters" : "NaN", d.GetMessage());
    }

    [Fact]
    public void NG0022_an_empty_weights_path()
    {
        SingleError([], "NG0022", weights: " ");
    }

    [Fact]
    public void An_unrelated_edit_neither_re_reads_nor_re_emits_the_weights()
    {
        var texts = new AdditionalText[] { File(CheckpointText()) };
        var compilation = GeneratorHarness.Compilation(Declaration(), "public class Unrelated { }");
        var driver = GeneratorHarness.Driver(texts).RunGenerators(compilation);
        var oldTree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(oldTree,
            CSharpSyntaxTree.ParseText("public class Unrelated { public int X => 1; }", GeneratorHarness.ParseOptions, path: oldTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.WeightsFiles, TrackingNames.Emission, TrackingNames.WeightsDiagnostics })
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        // Changing the file does re-read it and re-emit the network.
        var changed = driver.ReplaceAdditionalText(texts[0], File(CheckpointFormat.ToText(CheckpointBytes(values: Values().Select(v => v + 1).ToArray()))))
            .RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains(changed.TrackedSteps[TrackingNames.WeightsFiles].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(changed.TrackedSteps[TrackingNames.Emission].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }
}
