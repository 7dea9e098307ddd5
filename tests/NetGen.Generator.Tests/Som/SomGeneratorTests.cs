using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Helpers;
using NetGen.Generator.Som;

namespace NetGen.Generator.Tests.Som;

/// <summary>
/// The self-organizing-map pipeline: its names, the members it generates, incremental caching, well-formed docs, and
/// declarations broken or hostile in every way, which must give diagnostics and never an exception.
/// </summary>
public class SomGeneratorTests
{
    [Fact]
    public void The_attribute_name_matches_the_runtime_type() =>
        Assert.Equal(SomParser.AttributeName, typeof(SelfOrganizingMapAttribute).FullName);

    [Fact]
    public void The_file_name_is_the_type_name_and_a_fixed_hash_of_it()
    {
        // 64-bit FNV-1a of the UTF-16 code units of "Demo.IrisMap", written out here.
        ulong hash = 0xcbf29ce484222325;
        foreach (char c in "Demo.IrisMap") hash = unchecked((hash ^ c) * 0x100000001b3);
        var run = GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + "namespace Demo; [SelfOrganizingMap(2, 3, Inputs = 1)] public partial class IrisMap { }");
        Assert.Equal($"Demo.IrisMap.{hash:x16}.NetGen.g.cs", Assert.Single(run.Result.GeneratedSources).HintName);
        // Names equal ignoring case get files of their own.
        var twins = GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + "[SelfOrganizingMap(2, 2, Inputs = 1)] public partial class Map { } [SelfOrganizingMap(2, 2, Inputs = 1)] public partial class MAP { }");
        var hints = twins.Result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(2, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_list_of_generated_members_covers_every_member()
    {
        string source = GeneratorHarness.Usings + "[SelfOrganizingMap(5, 3, Inputs = 2)] public partial class Small { }";
        var run = GeneratorHarness.AssertCompilesCleanly(source);
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        var context = new AssemblyLoadContext("MapMembers", isCollectible: true);
        var type = context.LoadFromStream(new MemoryStream(stream.ToArray())).GetType("Small")!;
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is not ConstructorInfo && !m.Name.Contains('.') && !m.Name.StartsWith("get_", StringComparison.Ordinal) && !m.Name.StartsWith('<'))
            .Select(m => m.Name).Distinct().ToList();
        Assert.Contains("BestMatchingUnit", members);
        Assert.Contains("_netGenWeights", members);
        Assert.All(members, m => Assert.True(Array.IndexOf(SomParser.GeneratedMembers, m) >= 0, $"Small.{m} is generated but not in SomParser.GeneratedMembers"));
        // The sizes are constants with the declared values.
        Assert.Equal([5, 3, 15, 2, 30], new[] { "Width", "Height", "Units", "Inputs", "WeightCount" }.Select(n => (int)type.GetField(n)!.GetRawConstantValue()!));
        context.Unload();
    }

    public static TheoryData<string> Clashing => new(SomParser.GeneratedMembers);

    [Theory]
    [MemberData(nameof(Clashing))]
    public void NG0040_a_map_named_like_any_generated_member(string name)
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Usings + $"namespace Demo {{ [SelfOrganizingMap(2, 2, Inputs = 1)] public partial class {name} {{ }} }}");
        Assert.Null(run.Result.Exception);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id.StartsWith("NG", StringComparison.Ordinal));
        Assert.Equal("NG0040", diagnostic.Id);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void The_generated_documentation_is_well_formed()
    {
        var parse = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        const string source = GeneratorHarness.Usings + """
            /// <summary>A map.</summary>
            [SelfOrganizingMap(7, 13, Inputs = 17)]
            public partial class Documented { }
            """;
        var compilation = GeneratorHarness.Compilation(source).RemoveAllSyntaxTrees().AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, parse, path: "Source0.cs"));
        var driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Equal(2, output.SyntaxTrees.Count());
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private const string Maps = GeneratorHarness.Usings + """
        [SelfOrganizingMap(4, 4, Inputs = 2)]
        public partial class First { }

        [SelfOrganizingMap(3, 5, Inputs = 3)]
        public partial class Second { }

        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(1)]
        public partial class Net { }
        """;

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void An_unrelated_edit_leaves_every_map_step_cached_and_editing_one_map_re_emits_only_it()
    {
        var compilation = GeneratorHarness.Compilation(Maps, "public class Unrelated { public int Value => 1; }");
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var unrelated = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("public class Unrelated { public int Value => 2; }", GeneratorHarness.ParseOptions, path: unrelated.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        foreach (var step in new[] { TrackingNames.SomParse, TrackingNames.SomDiagnostics, TrackingNames.SomMaps })
            Assert.All(Reasons(result, step), reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));

        var mapsTree = compilation.SyntaxTrees.First();
        var resized = compilation.ReplaceSyntaxTree(mapsTree,
            CSharpSyntaxTree.ParseText(Maps.Replace("SelfOrganizingMap(3, 5, Inputs = 3)", "SelfOrganizingMap(3, 6, Inputs = 3)"), GeneratorHarness.ParseOptions, path: mapsTree.FilePath));
        result = driver.RunGenerators(resized).GetRunResult().Results.Single();
        var maps = result.TrackedSteps[TrackingNames.SomMaps].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, maps.Count);
        Assert.Single(maps, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("public const int Units = 18;", result.GeneratedSources.Single(s => GeneratorHarness.Readable(s.HintName) == "Second.NetGen.g.cs").SourceText.ToString());
    }

    public static TheoryData<string> BrokenSources => new()
    {
        "[SelfOrganizingMap] public partial class C { }",
        "[SelfOrganizingMap(3)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, 3)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2, Bogus = 1)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = \"two\")] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2.5)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial class C { void M( }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial class",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial struct S { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial interface I { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public enum E { A }",
        "public class M { [SelfOrganizingMap(3, 3, Inputs = 2)] void F() { } }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] [SelfOrganizingMap(4, 4, Inputs = 2)] public partial class C { }",
        "[SelfOrganizingMap(int.MaxValue, 2, Inputs = 2)] public partial class C { }",
        "[SelfOrganizingMap(-2147483648, -2147483648, Inputs = -2147483648)] public partial class C { }",
        "[SelfOrganizingMap(65536, 65536, Inputs = 1)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial class C : C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial class C { public void Update() { } public int Weights; }",
        "namespace ; [SelfOrganizingMap(3, 3, Inputs = 2)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial class C<T> where T : C<T> { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] [Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(4)] [Dropout(0.5)] public partial class C { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] [Lstm(4)] [MaxPool2D(2)] [Flatten] public partial class C { }",
        "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(1)] public partial class A { } [SelfOrganizingMap(3, 3, Inputs = 2)] public partial class C : A { }",
        "[SelfOrganizingMap(3, 3, Inputs = 2)] public partial class A { } [Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(1)] public partial class C : A { }",
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Broken_source_gives_diagnostics_and_no_exception(string source)
    {
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Usings + source);
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.Contains(run.AllDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    private static readonly string[] Names = ["Map", "MAP", "map", "@class", "var", "_", "nameof", "Δίκτυο", "网络", "Width", "Update", "Outer", "Create", "M" + new string('a', 200) + "p"];

    [Fact]
    public void Random_map_declarations_valid_and_hostile_never_break_the_generator()
    {
        // 20 compilations of 4 maps: half valid (case twins in one namespace, odd sizes), half hostile — sizes from
        // negative to int.MaxValue, names from keywords to generated members, stray [Network] and layer attributes,
        // nesting in a generic or non-partial type. Every generated file must parse and compile.
        var random = new Random(20260415);
        string Size() => random.Next(8) switch { 0 => "0", 1 => "-3", 2 => "int.MaxValue", 3 => "5000", _ => random.Next(1, 14).ToString() };
        int accepted = 0;
        for (int compilation = 0; compilation < 20; compilation++)
        {
            var text = new System.Text.StringBuilder(GeneratorHarness.Usings);
            for (int n = 0; n < 4; n++)
            {
                bool sane = n % 2 == 0;
                string name = sane ? (n == 0 ? "Twin" : "TWIN") : Names[random.Next(Names.Length)];
                text.Append(sane ? "namespace S {\n" : $"namespace N{random.Next(3)} {{\n");
                bool nested = !sane && random.Next(3) == 0;
                if (nested) text.Append(random.Next(2) == 0 ? "public partial class Outer<T> {\n" : "public class Holder {\n");
                string arguments = sane
                    ? $"{random.Next(1, 14)}, {random.Next(1, 14)}, Inputs = {random.Next(1, 20)}"
                    : $"{Size()}, {Size()}{(random.Next(4) == 0 ? "" : ", Inputs = " + Size())}";
                text.Append($"[SelfOrganizingMap({arguments})]\n");
                if (!sane && random.Next(4) == 0) text.Append("[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]\n");
                if (!sane && random.Next(4) == 0) text.Append(random.Next(2) == 0 ? "[Dense(4)]\n" : "[Dropout(0.3)]\n");
                text.Append($"public partial class {name} {{ }}\n");
                if (nested) text.Append("}\n");
                text.Append("}\n");
            }
            var run = GeneratorHarness.RunGenerator(text.ToString());
            Assert.Null(run.Result.Exception);
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
            var generated = run.Result.GeneratedSources.Select(g => g.SyntaxTree).ToHashSet();
            foreach (var source in run.Result.GeneratedSources)
                Assert.True(!source.SyntaxTree.GetDiagnostics().Any(), $"{source.HintName} does not parse:\n{text}");
            var inGenerated = run.AllDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
            Assert.True(inGenerated.Count == 0, string.Join("\n", inGenerated.Take(5)) + "\n" + text);
            var hints = run.Result.GeneratedSources.Select(g => g.HintName).ToList();
            Assert.Equal(hints.Count, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            accepted += run.Result.GeneratedSources.Length;
        }
        Assert.True(accepted >= 40, $"only {accepted} of 80 random maps were accepted");
    }
}
