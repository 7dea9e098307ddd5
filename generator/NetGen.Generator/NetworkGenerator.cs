using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator;

/// <summary>
/// Turns each <c>[Network]</c> partial class into a compiled feed-forward network: sizes, a flat parameter buffer,
/// forward and fused backward passes, initialisation and a summary. docs/attributes.md is the attribute reference.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // [Network] classes → (spec?, diagnostics): the cache boundary. Everything after it sees only equatable data.
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                // A class with [SelfOrganizingMap] as well is the map pipeline's (NG0042), not a network.
                transform: static (context, cancellationToken) => Som.SomParser.IsMap(context.TargetSymbol)
                    ? new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty)
                    : Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, list) => Report(output, list));

        // Checkpoints among the AdditionalFiles (*.ngw), each decoded once and cached until the file changes.
        var weightFiles = context.AdditionalTextsProvider
            .Where(static text => Weights.IsCheckpoint(text))
            .Select(static (text, cancellationToken) => Weights.Read(text, cancellationToken))
            .WithTrackingName(TrackingNames.WeightsFiles)
            .Collect();

        var weightsDiagnostics = parsed
            .Where(static result => result.Spec?.Weights is not null)
            .Combine(weightFiles)
            .Select(static (pair, _) => Weights.Check(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.WeightsDiagnostics);
        context.RegisterSourceOutput(weightsDiagnostics, static (output, list) => Report(output, list));

        var networks = parsed
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.Networks);
        var emission = networks
            .Combine(weightFiles)
            .Select(static (pair, _) => Weights.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Emission);
        context.RegisterSourceOutput(emission, static (output, input) => Emitter.Emit(output, input));

        // [Dense] on a class without [Network]: warn, since the user clearly meant a network.
        var orphans = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DenseAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                // On a map, layer attributes are the map pipeline's NG0043.
                transform: static (context, cancellationToken) => Som.SomParser.IsMap(context.TargetSymbol)
                    ? EquatableArray<DiagnosticInfo>.Empty
                    : Parser.ParseOrphanLayers(context, cancellationToken))
            .WithTrackingName(TrackingNames.OrphanLayers);
        context.RegisterSourceOutput(orphans, static (output, list) => Report(output, list));

        var orphanDropouts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DropoutAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => Som.SomParser.IsMap(context.TargetSymbol)
                    ? EquatableArray<DiagnosticInfo>.Empty
                    : Parser.ParseOrphanDropouts(context, cancellationToken))
            .WithTrackingName(TrackingNames.OrphanDropouts);
        context.RegisterSourceOutput(orphanDropouts, static (output, list) => Report(output, list));

        // [SelfOrganizingMap] classes: a second kind of generated class (no layers, no loss, no backward pass), with its
        // own parser, equatable spec and emitter under Som/.
        var maps = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Som.SomParser.AttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => Som.SomParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.SomParse);
        var mapDiagnostics = maps
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.SomDiagnostics);
        context.RegisterSourceOutput(mapDiagnostics, static (output, list) => Report(output, list));
        var mapSpecs = maps
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.SomMaps);
        context.RegisterSourceOutput(mapSpecs, static (output, spec) => Som.SomEmitter.Emit(output, spec));
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
    }
}
