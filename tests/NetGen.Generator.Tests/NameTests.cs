using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Tests;

/// <summary>Whatever a network class is called, the generator names its file uniquely and its code compiles, or says why not.</summary>
public class NameTests
{
    private const string Layers = "[Network(Inputs = 2, Loss = Loss.MeanSquaredError)] [Dense(3, Activation.Tanh)] [BatchNorm] [Dense(1)]";

    [Theory]
    [InlineData("Net", "NET")]
    [InlineData("net", "Net")]
    [InlineData("A_B", "A\u203FB")]           // '‿' is a connector, replaced by '_' in a file name
    [InlineData("Net\u0301", "Net_")]          // a combining accent, replaced likewise
    public void Names_equal_ignoring_case_or_after_replacement_get_their_own_files(string first, string second)
    {
        string source = GeneratorHarness.Usings + $"{Layers} public partial class {first} {{ }}\n{Layers} public partial class {second} {{ }}";
        var run = GeneratorHarness.AssertCompilesCleanly(source);
        var hints = run.Result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(2, hints.Count);
        Assert.NotEqual(hints[0], hints[1], StringComparer.OrdinalIgnoreCase);
        // Stable across builds: the same declaration gives the same file name.
        Assert.Equal(hints, GeneratorHarness.RunGenerator(source).Result.GeneratedSources.Select(s => s.HintName));
    }

    [Fact]
    public void The_file_name_is_the_type_name_and_a_fixed_hash_of_it()
    {
        // FNV-1a 64 of "Demo.XorNet" (UTF-16 code units), computed independently: the same in every process and build.
        var run = GeneratorHarness.RunGenerator(GeneratorHarness.Usings + $"namespace Demo; {Layers} public partial class XorNet {{ }}");
        Assert.Equal("Demo.XorNet.e8485e72252a8120.NetGen.g.cs", Assert.Single(run.Result.GeneratedSources).HintName);
    }

    [Theory]
    [InlineData("var", true)]
    [InlineData("_", true)]
    [InlineData("nameof", true)]
    [InlineData("dynamic", true)]
    [InlineData("value", true)]
    [InlineData("@class", true)]
    [InlineData("@event", true)]
    // Names the compiler forbids for types: its own error, and nothing broken from the generator.
    [InlineData("required", false)]
    [InlineData("scoped", false)]
    [InlineData("record", false)]
    [InlineData("file", false)]
    public void Contextual_and_reserved_keywords_as_names(string name, bool allowed)
    {
        // In a namespace named like a keyword too, with a straight-line network and a layered one that uses it.
        string source = GeneratorHarness.Usings + $$"""
            namespace Demo.@{{name.TrimStart('@')}}
            {
                {{Layers}} public partial class {{name}} { }
                [Network(Inputs = 40, Loss = Loss.MeanSquaredError)] [Dropout(0.1)] [Dense(30, Activation.ReLU)] [Dense(2)]
                public partial class Other { public static int Use() { {{name}} n = new {{name}}(3); return n.Parameters.Length; } }
            }
            """;
        if (allowed)
        {
            GeneratorHarness.AssertCompilesCleanly(source);
            return;
        }
        var run = GeneratorHarness.RunGenerator(source);
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        // Every generated file parses, and no error points into one.
        Assert.All(run.Result.GeneratedSources, s => Assert.Empty(s.SyntaxTree.GetDiagnostics()));
        var generated = run.Result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        Assert.DoesNotContain(run.AllDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generated.Contains(tree));
        Assert.Contains(run.AllDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    public static TheoryData<string> Clashing => new(Identifiers.GeneratedMembers.Concat(["ForwardLayer1", "BackwardLayer12"]));

    [Theory]
    [MemberData(nameof(Clashing))]
    public void NG0030_a_class_named_like_a_generated_member_is_reported_at_its_name(string name)
    {
        string source = GeneratorHarness.Usings + $"{Layers}\npublic partial class {name} {{ }}";
        var run = GeneratorHarness.RunGenerator(source);
        Assert.Null(run.Result.Exception);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "NG0030");
        Assert.Equal(name, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains($"'{name}Network'", diagnostic.GetMessage());
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Theory]
    [InlineData("{0}\npublic partial class System { }", "System")]
    [InlineData("public partial class System { {0} public partial class Net { } }", "Net")]
    [InlineData("namespace Demo { {0} public partial class Net { } }\npublic class System { }", "Net")]
    public void NG0031_a_type_named_System_or_NetGen_in_the_global_namespace_is_reported_at_the_network(string template, string network)
    {
        string source = "using NetGen;\n" + template.Replace("{0}", Layers);
        var run = GeneratorHarness.RunGenerator(source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "NG0031");
        Assert.Equal(network, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void A_class_named_System_inside_a_namespace_is_fine()
    {
        // In a namespace of its own the name is fine.
        GeneratorHarness.AssertCompilesCleanly(GeneratorHarness.Usings + $"namespace Demo {{ {Layers} public partial class System {{ }} }}");
    }

    [Fact]
    public void Compiled_in_class_names_keep_every_character()
    {
        // Line breaks (CR, LF, NEL, U+2028/9), quotes, backslashes and tabs would each break a naive string literal.
        string[] names = ["line\nbreak\r", "\"quoted\" \\ back\tslash \u0085\u2028\u2029 ☃"];
        string architecture = "netgen-1 inputs=2 dense(3,tanh) dense(1,sigmoid) loss=bce";
        string weights = CheckpointFormat.ToText(CheckpointFormat.Write(new CheckpointFormat.Contents(architecture, new float[13], [], null,
            null, null, names), Crc32.Compute));
        string source = GeneratorHarness.Usings + """
            [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "w.ngw")] [Dense(3, Activation.Tanh)] [Dense(1, Activation.Sigmoid)] public partial class Named { }
            """;
        var run = GeneratorHarness.RunGenerator([new GeneratorHarness.InMemoryText("/p/w.ngw", weights)], source);
        Assert.DoesNotContain(run.AllDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        var context = new AssemblyLoadContext("Names", isCollectible: true);
        var type = context.LoadFromStream(new MemoryStream(stream.ToArray())).GetType("Named")!;
        var compiled = (IReadOnlyList<string>)type.GetProperty("EmbeddedClassNames")!.GetValue(null)!;
        Assert.Equal(names, compiled);
        context.Unload();
    }

    [Fact]
    public void The_list_of_generated_members_covers_every_member_of_every_shape()
    {
        // A straight-line network, a layered one with dropout and batch normalization on the heap scratch, and one with
        // compiled-in weights, standardizer and class names: every member they declare must be known, or a class with that name would not compile.
        string architecture = "netgen-1 inputs=2 dense(3,tanh) dense(1,identity) loss=mse";
        string weights = CheckpointFormat.ToText(CheckpointFormat.Write(new CheckpointFormat.Contents(architecture, new float[13], [], null,
            [1f, 2f], [3f, 4f], ["no", "yes"]), Crc32.Compute));
        string source = GeneratorHarness.Usings + """
            [Network(Inputs = 2, Loss = Loss.MeanSquaredError, Weights = "w.ngw")] [Dense(3, Activation.Tanh)] [Dense(1)] public partial class Small { }
            [Network(Inputs = 3000, Loss = Loss.CrossEntropy)] [Dropout(0.2)] [Dense(20, Activation.PReLU)] [BatchNorm] [Dense(6, Activation.Tanh, Residual = false)] [Dense(3, Activation.Softmax)] public partial class Large { }
            """;
        var run = GeneratorHarness.RunGenerator([new GeneratorHarness.InMemoryText("/p/w.ngw", weights)], source);
        Assert.DoesNotContain(run.AllDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        var assembly = new AssemblyLoadContext("Members", isCollectible: true).LoadFromStream(new MemoryStream(stream.ToArray()));
        foreach (var type in new[] { assembly.GetType("Small")!, assembly.GetType("Large")! })
        {
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m is not ConstructorInfo && !m.Name.Contains('.') && !m.Name.StartsWith("get_", StringComparison.Ordinal) && !m.Name.StartsWith("set_", StringComparison.Ordinal) && !m.Name.StartsWith('<'))
                .Select(m => m.Name).Distinct().ToList();
            Assert.Contains("TrainingBatch", members);
            if (type.Name == "Small")
                Assert.Contains("EmbeddedClassNames", members); // the shape with every embedded member
            Assert.All(members, m => Assert.True(Identifiers.ClashesWithGeneratedMember(m), $"{type.Name}.{m} is generated but not in Identifiers.GeneratedMembers"));
        }
    }

    [Fact]
    public void A_name_the_compiler_rejects_gets_no_generated_code()
    {
        // An identifier made of a surrogate pair that is not a letter: the compiler reports it; the generator emits nothing.
        string source = GeneratorHarness.Usings + Layers + "\npublic partial class \uD83D\uDE00 { }";
        var run = GeneratorHarness.RunGenerator(source);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Result.GeneratedSources);
        Assert.Contains(run.AllDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
