using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Helpers;

/// <summary>
/// How the parsers of both pipelines (networks and maps) read a class's symbols into source text, and which classes they
/// can generate into: one set of rules, so a network and a map declared alike are treated alike.
/// </summary>
internal static class SymbolText
{
    /// <summary>False when the compiler could not bind the attribute's arguments (wrong kinds, missing values).</summary>
    public static bool IsReadable(AttributeData attribute)
    {
        if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.AttributeConstructor is null)
            return false;
        foreach (var argument in attribute.ConstructorArguments)
            if (argument.Kind == TypedConstantKind.Error) return false;
        foreach (var argument in attribute.NamedArguments)
            if (argument.Value.Kind == TypedConstantKind.Error) return false;
        return true;
    }

    /// <summary>The keyword a partial declaration of <paramref name="type"/> repeats: class, struct, record, record struct, interface.</summary>
    public static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    /// <summary>
    /// The type's name with its type parameters, each escaped. No variance to write: a class cannot be nested in an
    /// interface with in or out type parameters (CS8427).
    /// </summary>
    public static string NameWithTypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0
            ? Identifiers.Escape(type.Name)
            : Identifiers.Escape(type.Name) + "<" + string.Join(", ", type.TypeParameters.Select(p => Identifiers.Escape(p.Name))) + ">";

    /// <summary>The namespace as C# source, each part escaped: <c>Demo.@class</c>.</summary>
    public static string NamespaceName(INamespaceSymbol ns)
    {
        var parts = new List<string>();
        for (var n = ns; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace) parts.Insert(0, Identifiers.Escape(n.Name));
        return string.Join(".", parts);
    }

    /// <summary>False when a part of the namespace cannot be written in generated source (<see cref="Identifiers.IsUsable"/>).</summary>
    public static bool NamespaceUsable(INamespaceSymbol? ns)
    {
        for (var n = ns; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
            if (!Identifiers.IsUsable(n.Name)) return false;
        return true;
    }

    /// <summary>False when the type, a containing type or one of their type parameters has a name generated source cannot write.</summary>
    public static bool AllUsable(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
            if (!Identifiers.IsUsable(t.Name) || t.TypeParameters.Any(p => !Identifiers.IsUsable(p.Name))) return false;
        return true;
    }

    /// <summary>
    /// The generated file's name: the metadata name with every character a file name cannot hold replaced, then a hash of
    /// the exact name. Roslyn compares file names ignoring case, and replacing characters can make two names equal
    /// (<c>Net</c> and <c>NET</c>, <c>A_B</c> and <c>A‿B</c>); the hash (64-bit FNV-1a of the metadata name's UTF-16 code
    /// units, stable across builds) keeps every class's file its own. A class is a network or a map, never both.
    /// </summary>
    public static string HintName(string metadataFullName)
    {
        var name = new System.Text.StringBuilder(metadataFullName);
        for (int i = 0; i < name.Length; i++)
            if (!(name[i] is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9') && name[i] is not ('.' or '_' or '`')) name[i] = '_';
        ulong hash = 14695981039346656037;
        foreach (char c in metadataFullName) hash = (hash ^ c) * 1099511628211;
        return name + "." + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + ".NetGen.g.cs";
    }

    /// <summary>Which constructors the class declares itself: a parameterless one, and one taking an <c>int</c> seed (the generated ones step aside).</summary>
    public static (bool Parameterless, bool Seeded) DeclaredConstructors(INamedTypeSymbol type)
    {
        bool parameterless = false, seeded = false;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.IsImplicitlyDeclared) continue;
            if (constructor.Parameters.Length == 0) parameterless = true;
            if (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32) seeded = true;
        }
        return (parameterless, seeded);
    }

    /// <summary>The type's metadata name from the global namespace, e.g. <c>Samples.Outer`1.XorNet</c>: unique per type.</summary>
    public static string MetadataFullName(string? ns, IEnumerable<Model.ContainingTypeSpec> containing, string typeName)
    {
        var name = ns is null ? "" : ns.Replace("@", "") + ".";
        foreach (var outer in containing) name += outer.MetadataName + ".";
        return name + typeName.TrimStart('@');
    }

    /// <summary>The type's name as written in C# from the global namespace, e.g. <c>Samples.Outer.XorNet</c>.</summary>
    public static string FullName(string? ns, IEnumerable<Model.ContainingTypeSpec> containing, string typeName)
    {
        var name = ns is null ? "" : ns + ".";
        foreach (var outer in containing) name += outer.Name + ".";
        return name + typeName;
    }

    /// <summary>Opens the namespace and the containing types' partial declarations; returns how many blocks to close.</summary>
    public static int OpenContainers(SourceWriter w, string? ns, IEnumerable<Model.ContainingTypeSpec> containing)
    {
        int blocks = 0;
        if (ns is not null)
        {
            w.WriteLine("namespace " + ns);
            w.WriteLine("{");
            w.Indent();
            blocks++;
        }
        foreach (var outer in containing)
        {
            w.WriteLine("partial " + outer.Keyword + " " + outer.Name);
            w.WriteLine("{");
            w.Indent();
            blocks++;
        }
        return blocks;
    }

    /// <summary>Closes what <see cref="OpenContainers"/> opened.</summary>
    public static void CloseContainers(SourceWriter w, int blocks)
    {
        for (; blocks > 0; blocks--)
        {
            w.Unindent();
            w.WriteLine("}");
        }
    }
}
