using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using static NetGen.Generator.Helpers.SymbolText;


namespace NetGen.Generator.Som;

/// <summary>
/// Reads one <c>[SelfOrganizingMap(width, height, Inputs = n)]</c> class into a <see cref="SomSpec"/>, or into
/// diagnostics (NG0040–NG0043, and the network parser's NG0003, NG0011 and NG0031 where their messages fit) when the
/// declaration cannot be generated. Never throws: every input, however broken, becomes a result.
/// </summary>
internal static class SomParser
{
    public const string AttributeName = "NetGen.SelfOrganizingMapAttribute";

    /// <summary>The most weights (units × inputs) a map may have: 2²⁴ floats, 64 MiB, far beyond any grid one can look at.</summary>
    public const long MaxWeights = 1L << 24;

    /// <summary>
    /// Every member the generator declares in a map class: a class with one of these names would not compile (CS0542), so
    /// it is NG0040. A test reflects over a generated map and fails on a member missing here.
    /// </summary>
    public static readonly string[] GeneratedMembers =
    {
        "Width", "Height", "Units", "Inputs", "WeightCount", "Weights", "Create", "Initialize", "InitializeWeights",
        "UnitAt", "PositionOf", "GetUnitWeights", "SetUnitWeights", "BestMatchingUnit", "Locate", "SquaredDistances",
        "Update", "_netGenWeights",
    };

    /// <summary>True when <paramref name="symbol"/> is a class with [SelfOrganizingMap]: the network pipelines leave it to this one.</summary>
    public static bool IsMap(ISymbol? symbol) =>
        symbol is INamedTypeSymbol type && type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AttributeName);

    public static SomParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            return ParseCore(context, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            // A bug in the generator must not take the user's build down with an opaque AD0001 crash.
            return Failed(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, LocationInfo.From(context.TargetNode),
                "NetGen could not read this self-organizing map (" + exception.GetType().Name + ": " + exception.Message +
                "); please report it with the declaration"));
        }
    }

    private static SomParseResult Failed(params DiagnosticInfo[] diagnostics) => new(null, new EquatableArray<DiagnosticInfo>(diagnostics));

    private static SomParseResult ParseCore(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
            return Failed();
        var attribute = context.Attributes.FirstOrDefault();
        if (attribute is null)
            return Failed();
        var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken))
            ?? LocationInfo.From(declaration.Identifier.GetLocation());
        string name = type.Name;
        // A name C# cannot spell has been reported by the compiler; without a usable name there is nothing to generate.
        if (!Identifiers.IsUsable(name) || type.ContainingType is { } c && !AllUsable(c) || !NamespaceUsable(type.ContainingNamespace))
            return Failed();

        var diagnostics = new List<DiagnosticInfo>();
        void NotSupported(string problem) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SomClassNotSupported, location, name, problem));

        // ── The class itself (the network parser's rules, with the map's wording) ──
        foreach (string root in Identifiers.ReferencedRootNamespaces)
            if (context.SemanticModel.Compilation.GlobalNamespace.GetTypeMembers(root).Length > 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameHidesNamespace, LocationInfo.From(declaration.Identifier.GetLocation()), name, root));
        if (Array.IndexOf(GeneratedMembers, name) >= 0)
            NotSupported($"is named like a member NetGen generates in it ({name}), and a member cannot have its class's name; rename the class, for example to '{name}Map'");
        if (type.IsRecord || type.TypeKind != TypeKind.Class)
            NotSupported($"is {(type.IsRecord ? "a record" : "not a class")}; declare the map as a plain 'partial class {name}'");
        else if (type.IsStatic || type.IsAbstract || type.IsFileLocal)
            NotSupported($"is {(type.IsStatic ? "static" : type.IsAbstract ? "abstract" : "file-local")}; declare the map as a plain, non-static, non-abstract 'partial class {name}'");
        if (type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null }))
            NotSupported("has a primary constructor, which the generated constructors (seed 0, or a given seed) cannot chain to; remove the parameter list and declare an ordinary constructor if you need one");
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() is AttributeName or NetworkGenerator.NetworkAttributeName))
            {
                NotSupported($"derives from '{baseType.Name}', a map or network class whose generated members it would hide; derive both from a common base class instead");
                break;
            }
        }
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            NotSupported($"is not partial; declare it as 'partial class {name}' so NetGen can add the map to it");
        if (type.TypeParameters.Length > 0)
            NotSupported("is generic; a map's sizes are fixed at compile time, so declare [SelfOrganizingMap] on a non-generic class");

        var containing = new List<ContainingTypeSpec>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            bool partial = outer.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, name, outer.Name));
            containing.Insert(0, new ContainingTypeSpec(Keyword(outer), NameWithTypeParameters(outer), outer.MetadataName));
        }

        // ── [SelfOrganizingMap(width, height, Inputs = n)] ──
        // With [Network(Inputs = n)] on the class too, NG0042 says to move the n onto the map; a missing Inputs is not reported twice.
        var network = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkGenerator.NetworkAttributeName);
        int networkInputs = network?.NamedArguments.FirstOrDefault(a => a.Key == "Inputs").Value.Value is int n ? n : 0;
        int width = 0, height = 0, inputs = 0;
        bool readable = IsReadable(attribute) && attribute.ConstructorArguments.Length == 2
            && attribute.ConstructorArguments[0].Value is int && attribute.ConstructorArguments[1].Value is int;
        if (!readable)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                $"The [SelfOrganizingMap] attribute on '{name}' has an argument of the wrong kind; write it as [SelfOrganizingMap(width, height, Inputs = n)], e.g. [SelfOrganizingMap(10, 10, Inputs = 4)]"));
        else
        {
            width = (int)attribute.ConstructorArguments[0].Value!;
            height = (int)attribute.ConstructorArguments[1].Value!;
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "Inputs" && argument.Value.Value is int value)
                    inputs = value;
            long weights = Saturating.Multiply(Saturating.Multiply(Math.Max(width, 0), Math.Max(height, 0)), Math.Max(inputs, 0));
            string? problem = width < 1 ? $"has width {Number(width)}; give the grid at least 1 column, such as [SelfOrganizingMap(10, 10, Inputs = {Math.Max(inputs, 1)})]"
                : height < 1 ? $"has height {Number(height)}; give the grid at least 1 row, such as [SelfOrganizingMap({width}, 10, Inputs = {Math.Max(inputs, 1)})]"
                : inputs < 1 && networkInputs >= 1 ? null
                : inputs < 1 ? $"has Inputs = {Number(inputs)}{(attribute.NamedArguments.Any(a => a.Key == "Inputs") ? "" : " (it is not set)")}; set Inputs to the number of values of one sample, at least 1, as [SelfOrganizingMap({width}, {height}, Inputs = 4)]"
                : weights > MaxWeights ? $"would hold {Number(width)} × {Number(height)} units × {Number(inputs)} inputs = {(weights == long.MaxValue ? "more than 2⁶³" : Number(weights))} weights, more than {Number(MaxWeights)}; make the grid or the input smaller"
                : null;
            if (problem is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSomSize, location, name, problem));
        }

        // ── Network attributes: a map is not a network ──
        foreach (var other in type.GetAttributes())
        {
            var attributeClass = other.AttributeClass;
            if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != "NetGen" || attributeClass.ContainingAssembly?.Name != "NetGen")
                continue;
            string full = attributeClass.ToDisplayString();
            if (full == AttributeName)
                continue;
            var otherLocation = LocationInfo.From(other.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? location;
            string shortName = attributeClass.Name.EndsWith("Attribute", StringComparison.Ordinal)
                ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length)
                : attributeClass.Name;
            if (full == NetworkGenerator.NetworkAttributeName)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SomWithNetwork, otherLocation, name,
                    Number(Math.Max(width, 1)), Number(Math.Max(height, 1)), Number(inputs >= 1 ? inputs : Math.Max(networkInputs, 1))));
            }
            else
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerOnSom, otherLocation, name, shortName));
        }

        if (diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error))
            return new SomParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));

        var (parameterless, seeded) = DeclaredConstructors(type);
        var spec = new SomSpec(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? NamespaceName(ns) : null,
            new EquatableArray<ContainingTypeSpec>(containing),
            Identifiers.Escape(type.Name),
            width, height, inputs,
            parameterless, seeded);
        return new SomParseResult(spec, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
