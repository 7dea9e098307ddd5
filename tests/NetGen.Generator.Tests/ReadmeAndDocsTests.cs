using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every C# block of README.md and docs/*.md compiles with the generator, warnings as errors, so the docs cannot rot.
/// A block that declares a type is compiled as it stands (a program if it has top-level statements, else a library);
/// any other block is a fragment, compiled as a method body in <see cref="Context"/>. XML blocks must be well-formed.
/// The rules are written out in docs/contributing.md.
/// </summary>
public class ReadmeAndDocsTests
{
    /// <summary>The only marker that exempts a block: it must be on the line right before the opening fence.</summary>
    private const string Exemption = "<!-- excerpt of generated code: not compiled -->";

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using NetGen;
        global using NetGen.Onnx;
        """;

    /// <summary>What a fragment may use without declaring it (docs/contributing.md lists the same names).</summary>
    private const string Context = """
        [Network(Inputs = 4, Loss = Loss.CrossEntropy)]
        [Dense(16, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class IrisNet;

        [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class XorNet;

        internal static class DocContext
        {
            internal static IrisNet net = null!;
            internal static Trainer<IrisNet> trainer = null!;
            internal static Adam optimizer = null!;
            internal static Dataset train = null!, validation = null!, test = null!, data = null!;
            internal static float[] input = null!, target = null!, output = null!;

            internal static void Snippet()
            {
        // FRAGMENT
            }
        }
        """;

    internal sealed record Block(string File, int Line, string Language, string Code, bool Exempt)
    {
        public override string ToString() => $"{File}:{Line}";
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
                return dir.FullName;
        throw new InvalidOperationException("The repository root (with NetGen.sln) is not above " + AppContext.BaseDirectory);
    }

    internal static IReadOnlyList<Block> Blocks()
    {
        string root = Root();
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        var blocks = new List<Block>();
        foreach (string file in files)
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var fence = Regex.Match(lines[i], @"^```(\w*)\s*$");
                if (!fence.Success) continue;
                int start = i;
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                Assert.True(i < lines.Length, $"{file}:{start + 1}: the code block is not closed");
                bool exempt = start > 0 && lines[start - 1].Trim() == Exemption;
                blocks.Add(new Block(Path.GetRelativePath(root, file), start + 1, fence.Groups[1].Value, string.Join("\n", code), exempt));
            }
        }
        return blocks;
    }

    public static TheoryData<string> CSharpBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in Blocks().Where(b => b.Language == "csharp" && !b.Exempt)) data.Add(block.ToString());
        return data;
    }

    private static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(NetGen.Onnx.OnnxExporter).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location),
    ];

    /// <summary>The sample's checkpoint, for blocks that compile weights in (<c>Weights = "models/iris.ngw"</c>).</summary>
    private static AdditionalText IrisCheckpoint() =>
        new GeneratorHarness.InMemoryText("/docs/models/iris.ngw", File.ReadAllText(Path.Combine(Root(), "samples", "EmbeddedModel", "models", "iris.ngw")));

    [Fact]
    public void The_docs_have_code_blocks_and_every_one_is_compiled_or_a_marked_excerpt()
    {
        var blocks = Blocks();
        Assert.True(blocks.Count(b => b.Language == "csharp") >= 10, $"only {blocks.Count(b => b.Language == "csharp")} C# blocks found");
        Assert.All(blocks, b => Assert.True(b.Language is "csharp" or "xml" or "sh" or "",
            $"{b}: a ```{b.Language} block; use csharp, xml or sh so that it is checked (or plain ``` for a non-code block)"));
        Assert.True(blocks.Count(b => b.Exempt) <= 1, "more than one block is exempt from compilation");
        Assert.All(blocks.Where(b => b.Exempt), b => Assert.StartsWith("docs/generated-code.md", b.File.Replace('\\', '/')));
        // The first block of the README is the program a new user pastes (CI builds it from the package alone).
        var first = blocks.First(b => b.File == "README.md" && b.Language == "csharp");
        Assert.StartsWith("using NetGen;", first.Code);
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation other than hyphens dropped, spaces as hyphens.</summary>
    private static string Anchor(string heading) =>
        Regex.Replace(Regex.Replace(heading.Trim().ToLowerInvariant(), @"[^\p{L}\p{N} _-]", ""), " ", "-");

    [Fact]
    public void Every_relative_link_names_a_file_and_a_heading_that_exist()
    {
        string root = Root();
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"));
        int links = 0;
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            string withoutCode = Regex.Replace(text, "(?ms)^```.*?^```", "");
            foreach (Match link in Regex.Matches(withoutCode, @"\]\(([^)\s]+)\)"))
            {
                string target = link.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal)) continue;
                links++;
                string[] parts = target.Split('#', 2);
                string path = parts[0].Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, parts[0]));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{Path.GetFileName(file)}: the link ({target}) names no file");
                if (parts.Length == 2)
                {
                    var anchors = Regex.Matches(Regex.Replace(File.ReadAllText(path), "(?ms)^```.*?^```", ""), @"(?m)^#+ (.+)$").Select(h => Anchor(h.Groups[1].Value)).ToList();
                    Assert.True(anchors.Contains(parts[1]), $"{Path.GetFileName(file)}: the link ({target}) names no heading of {Path.GetFileName(path)}; it has {string.Join(", ", anchors)}");
                }
            }
        }
        Assert.True(links >= 20, $"only {links} relative links found");
    }

    [Fact]
    public void Every_xml_block_is_well_formed()
    {
        foreach (var block in Blocks().Where(b => b.Language == "xml"))
        {
            try
            {
                XElement.Parse(block.Code);
            }
            catch (System.Xml.XmlException e)
            {
                Assert.Fail($"{block}: {e.Message}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Every_csharp_block_compiles_with_the_generator(string where)
    {
        var block = Blocks().Single(b => b.ToString() == where);
        var unit = CSharpSyntaxTree.ParseText(block.Code, GeneratorHarness.ParseOptions).GetCompilationUnitRoot();
        bool declaresTypes = unit.Members.Any(m => m is BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax);
        bool program = unit.Members.Any(m => m is GlobalStatementSyntax);
        // A fragment's leading using directives go where a reader puts them: at the top of the file.
        var lines = block.Code.Split('\n');
        int directives = lines.TakeWhile(l => Regex.IsMatch(l, @"^using [\w.]+;\s*$") || l.Trim().Length == 0).Count();
        string body = string.Join("\n", lines.Skip(directives));
        string source = declaresTypes ? block.Code : string.Join("\n", lines.Take(directives)) + "\n" + Context.Replace("// FRAGMENT", body);
        if (!declaresTypes && body.Trim().Length > 0)
        {
            // The fragment must be the body of DocContext.Snippet, not lost beside it.
            var snippet = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot().DescendantNodes()
                .OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Snippet");
            Assert.True(snippet.Body!.Statements.Count > 0, $"{block}: the fragment did not land in the method body");
        }
        var compilation = CSharpCompilation.Create(
            "DocSnippet",
            [CSharpSyntaxTree.ParseText(GlobalUsings, GeneratorHarness.ParseOptions, path: "GlobalUsings.cs"),
             CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: block.File)],
            References,
            new CSharpCompilationOptions(
                declaresTypes && program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                // A console app's implicit usings are not all used by every block.
                // CS1701/CS1702 (assembly version unification) are off in every SDK project too.
                specificDiagnosticOptions: [new("CS8019", ReportDiagnostic.Suppress), new("CS0105", ReportDiagnostic.Suppress),
                    new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        GeneratorHarness.Driver(IrisCheckpoint()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var problems = output.GetDiagnostics().Concat(generatorDiagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0,
            $"{block} ({(declaresTypes ? program ? "a program" : "declarations" : "a fragment in the docs' context")}) does not compile:\n" +
            string.Join("\n", problems.Take(10)) + "\n---\n" + block.Code);
    }
}
