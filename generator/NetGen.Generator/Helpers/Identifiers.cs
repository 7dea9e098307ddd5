using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Helpers;

/// <summary>
/// The one place the generator turns a user's names into C# source and checks them against what it generates: every
/// type, namespace and type-parameter name goes through <see cref="Escape"/>, and a class name that would collide with
/// a generated member is found by <see cref="ClashesWithGeneratedMember"/>.
/// </summary>
internal static class Identifiers
{
    /// <summary>
    /// A name as C# source: reserved and contextual keywords get an '@' (<c>@class</c>, <c>@var</c>, <c>@required</c>), so
    /// the generated declaration and every use of the name parse whatever the user called the type.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>False for a name C# cannot spell (the compiler has reported it already); such a declaration gets no code.</summary>
    public static bool IsUsable(string name) => SyntaxFacts.IsValidIdentifier(name);

    /// <summary>
    /// Every member the generator declares in a network class. A class with one of these names would not compile
    /// (CS0542: a member cannot have its enclosing type's name). A test reflects over generated classes of every shape and
    /// fails on a member missing here.
    /// </summary>
    public static readonly string[] GeneratedMembers =
    {
        "InputSize", "OutputSize", "ParameterCount", "TrainableParameterCount", "Summary", "Parameters", "Create",
        "Initialize", "Predict", "Forward", "Backward", "ComputeLoss", "TrainingForward", "TrainingBackward", "TrainingBatch",
        "InitializeParameters", "ParameterName", "ParameterLayout", "Architecture", "Layers", "Operations",
        "EmbeddedParameters", "PredictEmbedded", "CreateEmbedded", "SampleLoss", "NetGenScratch",
        "Standardizer", "ClassNames", "EmbeddedInputMean", "EmbeddedInputScale", "EmbeddedClassNames",
        "_netGenParameters", "_netGenStandardizer", "_netGenClassNames", "t_netGenScratch", "t_netGenBatch",
    };

    /// <summary>Generated members numbered by layer: ForwardLayer1, BackwardLayer12.</summary>
    private static readonly Regex NumberedMembers = new("^(Forward|Backward)Layer[0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>The root namespaces generated code names as <c>global::X</c>: a type of that name in the global namespace hides them.</summary>
    public static readonly string[] ReferencedRootNamespaces = { "System", "NetGen" };

    public static bool ClashesWithGeneratedMember(string name) =>
        System.Array.IndexOf(GeneratedMembers, name) >= 0 || NumberedMembers.IsMatch(name);
}
