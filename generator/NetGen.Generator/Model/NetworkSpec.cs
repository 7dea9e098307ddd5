using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

// The cache boundary of the generator. Everything here must be equatable by value — strings, numbers, enums, records
// and EquatableArray — and must never hold an ISymbol, SyntaxNode, Location or Compilation: one such member makes every
// pipeline step look changed on every keystroke (or keeps whole compilations alive). A test walks this graph.

/// <summary>A validated network declaration: everything the planner and emitter need.</summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="TypeName">The class name as written in C#.</param>
/// <param name="Accessibility">The class's accessibility keyword(s).</param>
/// <param name="Input">The shape of one input sample.</param>
/// <param name="Ops">The operations in execution order (see <see cref="OpSpec"/>).</param>
/// <param name="Shapes">The shape of every value, inferred once by the parser: the input's, then each operation's output.</param>
/// <param name="Loss">The loss.</param>
/// <param name="Unrolling">The code shape forced by the declaration, or Auto.</param>
/// <param name="DeclaresParameterlessConstructor">Whether the user wrote <c>C()</c> (then it is not generated).</param>
/// <param name="DeclaresSeedConstructor">Whether the user wrote <c>C(int)</c> (then it is not generated).</param>
/// <param name="Weights">The checkpoint to compile in, or null.</param>
internal sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    string Accessibility,
    Shape Input,
    LossKind Loss,
    UnrollingKind Unrolling,
    EquatableArray<OpSpec> Ops,
    EquatableArray<Shape> Shapes,
    bool DeclaresParameterlessConstructor,
    bool DeclaresSeedConstructor,
    string? Weights)
{
    /// <summary>The type's metadata name from the global namespace, e.g. <c>Samples.Outer`1.XorNet</c>: unique per type.</summary>
    public string MetadataFullName => Helpers.SymbolText.MetadataFullName(Namespace, ContainingTypes, TypeName);

    /// <summary>The type's name as written in C# from the global namespace, e.g. <c>Samples.Outer.XorNet</c>.</summary>
    public string FullName => Helpers.SymbolText.FullName(Namespace, ContainingTypes, TypeName);
}

/// <summary>A type that contains the network class, to be reopened as <c>partial</c> around it.</summary>
/// <param name="Keyword">The declaration keyword(s), e.g. <c>class</c>, <c>struct</c>, <c>record class</c>.</param>
/// <param name="Name">The name with its type parameter list as written in C#, e.g. <c>Outer&lt;T&gt;</c>.</param>
/// <param name="MetadataName">The metadata name, e.g. <c>Outer`1</c>: unique per type, used for the file name.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name, string MetadataName);

/// <summary>What parsing one <c>[Network]</c> class produced: a spec when it is valid, any diagnostics, and — when the
/// spec names a weights file — where the <c>Weights</c> argument is, for diagnostics about the file.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsLocation = null);

/// <summary>A checkpoint file among the AdditionalFiles, decoded: its architecture and parameters, or what is wrong with it.</summary>
internal sealed record WeightsFile(string Path, string? Architecture, EquatableArray<float> Parameters, string? Problem)
{
    /// <summary>The input standardizer's means the checkpoint carries (empty: none).</summary>
    public EquatableArray<float> Mean { get; init; } = EquatableArray<float>.Empty;

    /// <summary>The input standardizer's scales (as many as <see cref="Mean"/>).</summary>
    public EquatableArray<float> Scale { get; init; } = EquatableArray<float>.Empty;

    /// <summary>The class names the checkpoint carries (empty: none).</summary>
    public EquatableArray<string> ClassNames { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>What the emitter needs for one network: its spec and, when it embeds a valid checkpoint, the parameters.</summary>
internal sealed record EmissionInput(NetworkSpec Spec, WeightsFile? Weights);
