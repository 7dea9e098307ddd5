using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Tests;

/// <summary>Incremental caching: edits that do not touch a network do not re-run its parsing output or emission.</summary>
public class CachingTests
{
    private const string Networks = GeneratorHarness.Usings + """
        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class First { }

        [Network(Inputs = 3, Loss = Loss.CrossEntropy)]
        [Dense(5, Activation.ReLU)]
        [Dense(2, Activation.Softmax)]
        public partial class Second { }
        """;

    private const string Unrelated = "public class Unrelated { public int Value => 1; }";

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compilation(Networks, Unrelated);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        var (driver, compilation) = FirstRun();
        var oldTree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(oldTree,
            CSharpSyntaxTree.ParseText("public class Unrelated { public int Value => 2; public string Name => \"x\"; }", GeneratorHarness.ParseOptions, path: oldTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.Parse, TrackingNames.Diagnostics, TrackingNames.Networks })
            Assert.All(Reasons(result, step), reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_one_network_re_emits_only_that_network()
    {
        var (driver, compilation) = FirstRun();
        var oldTree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(oldTree,
            CSharpSyntaxTree.ParseText(Networks.Replace("[Dense(5, Activation.ReLU)]", "[Dense(6, Activation.ReLU)]"), GeneratorHarness.ParseOptions, path: oldTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var networks = result.TrackedSteps[TrackingNames.Networks].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, networks.Count);
        Assert.Single(networks, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(networks, o => o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
        Assert.Contains("Dense(6, ReLU)", result.GeneratedSources.Single(s => GeneratorHarness.Readable(s.HintName) == "Second.NetGen.g.cs").SourceText.ToString());
    }
}
