using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests;

/// <summary>Runs the generator over source text in memory, against the .NET 10 reference assemblies and NetGen.dll.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location)];

    public const string Usings = "using NetGen;\n";

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                // The strictest setting a user can choose: every warning is an error.
                generalDiagnosticOption: ReportDiagnostic.Error));

    public static GeneratorDriver Driver(params AdditionalText[] additionalTexts) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>An AdditionalFiles item held in memory.</summary>
    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) =>
            Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }

    public static Run RunGenerator(AdditionalText[] additionalTexts, params string[] sources)
    {
        var compilation = Compilation(sources);
        var driver = Driver(additionalTexts).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        return new Run(driver, result, output, diagnostics);
    }

    /// <summary>The result of one generator run.</summary>
    internal sealed record Run(GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        /// <summary>Every diagnostic of the compilation after generation, generator diagnostics included.</summary>
        public ImmutableArray<Diagnostic> AllDiagnostics => [.. Output.GetDiagnostics(), .. GeneratorDiagnostics];

        public string GeneratedSource(string hintSuffix) =>
            Result.GeneratedSources.Single(s => Readable(s.HintName).EndsWith(hintSuffix, StringComparison.Ordinal)).SourceText.ToString();
    }

    /// <summary>A generated file name without the hash that keeps it unique (<c>Demo.Small.0123456789abcdef.NetGen.g.cs</c> → <c>Demo.Small.NetGen.g.cs</c>).</summary>
    public static string Readable(string hintName) =>
        System.Text.RegularExpressions.Regex.Replace(hintName, @"\.[0-9a-f]{16}(?=\.NetGen\.g\.cs$)", "");


    public static Run RunGenerator(params string[] sources)
    {
        var compilation = Compilation(sources);
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        return new Run(driver, result, output, diagnostics);
    }

    /// <summary>Asserts that the generator did not throw and that the generated code compiles with no diagnostic at all.</summary>
    public static Run AssertCompilesCleanly(params string[] sources)
    {
        var run = RunGenerator(sources);
        Assert.Null(run.Result.Exception);
        var problems = run.AllDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "Expected a clean build but got:\n" + string.Join("\n", problems.Take(20)));
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Take(20)));
        return run;
    }
}
