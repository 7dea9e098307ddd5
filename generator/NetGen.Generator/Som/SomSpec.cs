using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Som;

// The cache boundary of the self-organizing-map pipeline, as NetworkSpec is of the network one: values only — strings,
// numbers, records and EquatableArray — never an ISymbol, SyntaxNode, Location or Compilation (a test walks this graph).

/// <summary>A validated <c>[SelfOrganizingMap]</c> declaration: everything the emitter needs.</summary>
/// <param name="Namespace">The containing namespace as C# source, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="TypeName">The class name as written in C#.</param>
/// <param name="Width">Columns of the grid, ≥ 1.</param>
/// <param name="Height">Rows of the grid, ≥ 1.</param>
/// <param name="Inputs">Values of one sample (and of each weight vector), ≥ 1.</param>
/// <param name="DeclaresParameterlessConstructor">Whether the user wrote <c>C()</c> (then it is not generated).</param>
/// <param name="DeclaresSeedConstructor">Whether the user wrote <c>C(int)</c> (then it is not generated).</param>
internal sealed record SomSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    int Width,
    int Height,
    int Inputs,
    bool DeclaresParameterlessConstructor,
    bool DeclaresSeedConstructor)
{
    /// <summary>Width · Height; the parser has checked that it fits, with Units · Inputs ≤ <see cref="SomParser.MaxWeights"/>.</summary>
    public int Units => Width * Height;

    /// <summary>Units · Inputs, the length of the weight buffer.</summary>
    public int WeightCount => Units * Inputs;

    /// <summary>The type's metadata name from the global namespace, e.g. <c>Samples.Outer`1.IrisMap</c>: unique per type.</summary>
    public string MetadataFullName => Helpers.SymbolText.MetadataFullName(Namespace, ContainingTypes, TypeName);

    /// <summary>The type's name as written in C# from the global namespace, e.g. <c>Samples.Outer.IrisMap</c>.</summary>
    public string FullName => Helpers.SymbolText.FullName(Namespace, ContainingTypes, TypeName);
}

/// <summary>What parsing one <c>[SelfOrganizingMap]</c> class produced: a spec when it is valid, and any diagnostics.</summary>
internal sealed record SomParseResult(SomSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
