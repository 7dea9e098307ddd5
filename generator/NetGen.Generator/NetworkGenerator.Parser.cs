using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using static NetGen.Generator.Helpers.SymbolText;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    internal const string NetworkAttributeName = "NetGen.NetworkAttribute";
    internal const string DenseAttributeName = "NetGen.DenseAttribute";
    internal const string DropoutAttributeName = "NetGen.DropoutAttribute";
    internal const string BatchNormAttributeName = "NetGen.BatchNormAttribute";
    internal const string RecurrentAttributeName = "NetGen.RecurrentAttribute";
    internal const string GruAttributeName = "NetGen.GruAttribute";
    internal const string LstmAttributeName = "NetGen.LstmAttribute";
    internal const string Conv2DAttributeName = "NetGen.Conv2DAttribute";
    internal const string Conv1DAttributeName = "NetGen.Conv1DAttribute";
    internal const string MaxPool2DAttributeName = "NetGen.MaxPool2DAttribute";
    internal const string AvgPool2DAttributeName = "NetGen.AvgPool2DAttribute";
    internal const string FlattenAttributeName = "NetGen.FlattenAttribute";
    internal const string RbfAttributeName = "NetGen.RbfAttribute";

    /// <summary>The attributes that declare a layer, in the order they are written: dense, recurrent, convolution and pooling ones.</summary>
    private static readonly string[] LayerAttributeNames =
    {
        DenseAttributeName, RecurrentAttributeName, GruAttributeName, LstmAttributeName,
        Conv2DAttributeName, Conv1DAttributeName, MaxPool2DAttributeName, AvgPool2DAttributeName, RbfAttributeName,
    };

    private static readonly string[] SpatialAttributeNames = { Conv2DAttributeName, Conv1DAttributeName, MaxPool2DAttributeName, AvgPool2DAttributeName };

    /// <summary>
    /// Reads the attributes of one [Network] class into a <see cref="NetworkSpec"/>, or into diagnostics when the
    /// declaration is invalid. Never throws: every input, however broken, becomes a result.
    /// </summary>
    internal static class Parser
    {
        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
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
                var location = LocationInfo.From(context.TargetNode);
                return Failed(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                    "NetGen could not read this declaration (" + exception.GetType().Name + ": " + exception.Message +
                    "); please report it with the declaration"));
            }
        }

        private static ParseResult Failed(params DiagnosticInfo[] diagnostics) =>
            new(null, new EquatableArray<DiagnosticInfo>(diagnostics));

        private static ParseResult ParseCore(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
                return Failed();
            var networkAttribute = context.Attributes.FirstOrDefault();
            if (networkAttribute is null)
                return Failed();
            var networkLocation = LocationInfo.From(networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken))
                ?? LocationInfo.From(declaration.Identifier.GetLocation());
            string name = type.Name;
            // A name C# cannot spell has been reported by the compiler; without a usable name there is nothing to generate.
            if (!Identifiers.IsUsable(name) || type.ContainingType is { } c && !AllUsable(c) || !NamespaceUsable(type.ContainingNamespace))
                return Failed();
            // A type named System or NetGen in the global namespace (this class, its outermost container or any other type of
            // the compilation) hides the namespace the generated code names as global::System / global::NetGen.
            foreach (string root in Identifiers.ReferencedRootNamespaces)
                if (context.SemanticModel.Compilation.GlobalNamespace.GetTypeMembers(root).Length > 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameHidesNamespace,
                        LocationInfo.From(declaration.Identifier.GetLocation()), name, root));
            if (Identifiers.ClashesWithGeneratedMember(name))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClashesWithGeneratedMember,
                    LocationInfo.From(declaration.Identifier.GetLocation()), name));

            // ── The class itself ──
            if (type.IsRecord || type.TypeKind != TypeKind.Class)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassKind, networkLocation, name, type.IsRecord ? "a record" : "not a class"));
            else if (type.IsStatic)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassKind, networkLocation, name, "static"));
            else if (type.IsAbstract)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassKind, networkLocation, name, "abstract"));
            else if (type.IsFileLocal)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClassKind, networkLocation, name, "file-local"));
            if (type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null }))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PrimaryConstructor, networkLocation, name));
            for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (baseType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivesFromNetwork, networkLocation, name, baseType.Name));
                    break;
                }
            }
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, networkLocation, name));
            if (type.TypeParameters.Length > 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNotSupported, networkLocation, name));

            var containing = new List<ContainingTypeSpec>();
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                bool partial = outer.DeclaringSyntaxReferences.Any(r =>
                    r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!partial)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, networkLocation, name, outer.Name));
                containing.Insert(0, new ContainingTypeSpec(Keyword(outer), NameWithTypeParameters(outer), outer.MetadataName));
            }

            // ── [Network(Inputs = …, Loss = …, Unrolling = …)] ──
            int inputs = 0;
            int steps = 0;
            int[]? image = null;
            LocationInfo? imageLocation = null;
            bool imageInvalid = false;
            int loss = 0;
            int unrolling = 0;
            string? weights = null;
            LocationInfo? weightsLocation = null;
            bool networkReadable = IsReadable(networkAttribute);
            if (!networkReadable)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, networkLocation,
                    $"The [Network] attribute on '{name}' has an argument of the wrong kind; write it as [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]"));
            else
            {
                foreach (var argument in networkAttribute.NamedArguments)
                {
                    switch (argument.Key)
                    {
                        case "Inputs" when argument.Value.Value is int value:
                            inputs = value;
                            break;
                        case "SequenceLength" when argument.Value.Value is int value:
                            steps = value;
                            break;
                        case "InputShape" when argument.Value.Kind == TypedConstantKind.Array:
                            image = argument.Value.IsNull ? null : argument.Value.Values.Select(v => v.Value is int d ? d : 0).ToArray();
                            imageLocation = NamedArgumentLocation(networkAttribute, "InputShape", cancellationToken) ?? networkLocation;
                            break;
                        case "Loss" when argument.Value.Value is int value:
                            loss = value;
                            break;
                        case "Unrolling" when argument.Value.Value is int value:
                            unrolling = value;
                            break;
                        case "Weights":
                            weights = argument.Value.Value as string;
                            weightsLocation = NamedArgumentLocation(networkAttribute, "Weights", cancellationToken) ?? networkLocation;
                            if (string.IsNullOrWhiteSpace(weights))
                                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileNotFound, weightsLocation, name, weights ?? "null",
                                    "Weights must name a checkpoint file, such as \"models/model.ngw\""));
                            break;
                    }
                }
                if (image is not null)
                {
                    // InputShape = { channels, height, width }: Inputs follows from it, or must agree with it.
                    long product = image.Aggregate(1L, (p, d) => Saturating.Multiply(p, Math.Max(d, 0)));
                    string written = "{ " + string.Join(", ", image) + " }";
                    string? problem = image.Length != 3 || image.Any(d => d < 1)
                        ? $"is {written}; give channels, height and width, each at least 1, such as new[] {{ 1, 28, 28 }}"
                        : product > CodeShape.MaxParameterCount ? $"is {written}, {product} values per sample; at most {CodeShape.MaxParameterCount} fit one buffer"
                        : steps != 0 ? $"is {written}, but SequenceLength = {steps} is set too; an input is an image or a sequence, so remove one of them"
                        : inputs != 0 && inputs != product ? $"is {written} ({product} values), but Inputs = {inputs}; remove Inputs or make it {product}"
                        : null;
                    if (problem is not null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, imageLocation, name, problem));
                        image = null;
                        imageInvalid = true; // no layer is checked against a shape that is not the one meant
                        inputs = Math.Max(inputs, 1);
                    }
                    else inputs = (int)product;
                }
                if (inputs < 1)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputs, networkLocation, name, inputs.ToString()));
                if (steps < 0 || (long)steps * Math.Max(inputs, 1) > CodeShape.MaxParameterCount)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSequenceLength,
                        NamedArgumentLocation(networkAttribute, "SequenceLength", cancellationToken) ?? networkLocation, name,
                        steps.ToString(System.Globalization.CultureInfo.InvariantCulture), CodeShape.MaxParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (loss == 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingLoss, networkLocation, name));
                else if (!Enum.IsDefined(typeof(LossKind), loss))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, networkLocation,
                        $"Loss = {loss} is not a NetGen.Loss value; use one of the named members such as Loss.MeanSquaredError"));
                if (!Enum.IsDefined(typeof(UnrollingKind), unrolling))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, networkLocation,
                        $"Unrolling = {unrolling} is not a NetGen.Unrolling value; use Unrolling.Auto, Unrolling.Always or Unrolling.Never"));
            }

            // ── [Dense], [Recurrent], [Gru] and [Lstm] layers, in the order they are written ──
            var denseAttributes = new List<(AttributeData Data, SyntaxNode? Syntax)>();
            foreach (var attribute in type.GetAttributes())
            {
                if (Array.IndexOf(LayerAttributeNames, attribute.AttributeClass?.ToDisplayString()) < 0)
                    continue;
                denseAttributes.Add((attribute, attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)));
            }
            var ownDeclaration = denseAttributes.Where(a => a.Syntax is not null && a.Syntax.Ancestors().Contains(declaration)).ToList();
            if (ownDeclaration.Count != denseAttributes.Count)
            {
                var stray = denseAttributes.First(a => !ownDeclaration.Contains(a));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnSeveralDeclarations,
                    LocationInfo.From(stray.Syntax) ?? networkLocation, name));
            }
            ownDeclaration.Sort((a, b) => a.Syntax!.SpanStart.CompareTo(b.Syntax!.SpanStart));

            if (ownDeclaration.Count == 0 && denseAttributes.Count == 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, networkLocation, name));

            // ── [Dropout(rate)]: each applies to the values entering the next [Dense] written after it ──
            var dropoutBefore = new float[ownDeclaration.Count];
            var dropoutPerChannel = new bool[ownDeclaration.Count];
            var dropoutLocations = new LocationInfo?[ownDeclaration.Count];
            foreach (var (attribute, syntax, location) in OwnAttributes(type, DropoutAttributeName, declaration, networkLocation, name, diagnostics, cancellationToken))
            {
                if (!IsReadable(attribute) || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not double rate)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                        $"A [Dropout] on '{name}' has an argument of the wrong kind; write it as [Dropout(0.2)]"));
                    continue;
                }
                // The kernels compute in float: check the rate as it will be used (0.999999999 rounds to 1, 1e-50 to 0).
                float p = (float)rate;
                if (double.IsNaN(rate) || !(p > 0f && p < 1f) && rate != 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropoutRate, location, name, rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                    continue;
                }
                if (rate == 0)
                    continue; // Dropout(0) is allowed and does nothing
                int next = ownDeclaration.FindIndex(d => d.Syntax!.SpanStart > syntax.SpanStart);
                if (next < 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedDropout, location, name,
                        "it comes after the last layer, whose outputs are the network's predictions; move it between two [Dense] layers, or remove it"));
                else if (dropoutBefore[next] > 0f)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedDropout, location, name,
                        $"another [Dropout] already acts on the same values (before layer {next + 1}); combine them into one rate"));
                else
                {
                    dropoutBefore[next] = p;
                    dropoutPerChannel[next] = attribute.NamedArguments.Any(a => a.Key == "PerChannel" && a.Value.Value is true);
                    dropoutLocations[next] = location;
                }
            }

            // ── [Flatten]: the next layer, a [Dense], reads its input as one vector ──
            var flattenBefore = new bool[ownDeclaration.Count];
            foreach (var (attribute, syntax, location) in OwnAttributes(type, FlattenAttributeName, declaration, networkLocation, name, diagnostics, cancellationToken))
            {
                int next = ownDeclaration.FindIndex(d => d.Syntax!.SpanStart > syntax.SpanStart);
                string? problem = next < 0 ? "it comes after the last layer; put it right before the [Dense] that should read every value as one vector, or remove it"
                    : ownDeclaration[next].Data.AttributeClass?.ToDisplayString() != DenseAttributeName
                        ? $"the layer after it (layer {next + 1}) is not a [Dense]; a [Flatten] only changes how a dense layer reads a sequence (an image is flattened by any [Dense])"
                    : flattenBefore[next] ? $"layer {next + 1} already has a [Flatten]; keep one"
                    : null;
                if (problem is not null)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location, $"A [Flatten] on '{name}' cannot be used: {problem}"));
                else
                    flattenBefore[next] = true;
            }

            // ── [BatchNorm]: each normalizes the pre-activation of the [Dense] written just before it ──
            var batchNorm = new (float Momentum, float Epsilon)[ownDeclaration.Count];
            foreach (var (attribute, syntax, location) in OwnAttributes(type, BatchNormAttributeName, declaration, networkLocation, name, diagnostics, cancellationToken))
            {
                double momentum = 0.1, epsilon = 1e-5;
                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == "Momentum" && argument.Value.Value is double mo) momentum = mo;
                    if (argument.Key == "Epsilon" && argument.Value.Value is double ep) epsilon = ep;
                }
                int owner = ownDeclaration.FindLastIndex(d => d.Syntax!.SpanStart < syntax.SpanStart);
                if (owner < 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedBatchNorm, location, name,
                        "it comes before the first layer; write it right after the [Dense] whose pre-activation it normalizes (standardise inputs with Standardizer instead)"));
                else if (batchNorm[owner].Epsilon > 0f)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedBatchNorm, location, name,
                        $"layer {owner + 1} already has a [BatchNorm]; keep one"));
                else if (!((float)momentum > 0f && momentum <= 1) || !((float)epsilon > 0f) || !IsFiniteFloat((float)epsilon))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedBatchNorm, location, name,
                        $"Momentum = {momentum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} and Epsilon = {epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} must be in (0, 1] and positive, such as 0.1 and 1e-5"));
                else
                    batchNorm[owner] = ((float)momentum, (float)epsilon);
            }

            var layers = new List<DeclaredLayer>();
            var layerLocations = new List<LocationInfo?>();
            for (int i = 0; i < ownDeclaration.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (data, syntax) = ownDeclaration[i];
                var location = LocationInfo.From(syntax) ?? networkLocation;
                int number = i + 1;
                string attributeName = data.AttributeClass?.ToDisplayString() ?? "";
                if (Array.IndexOf(SpatialAttributeNames, attributeName) >= 0)
                {
                    if (SpatialLayer(data, attributeName, number, name, location, diagnostics) is { } spatial)
                    {
                        // [BatchNorm] after a [Conv2D] normalizes each channel over the batch and the image (BatchNorm2d).
                        bool normalizes = batchNorm[i].Epsilon > 0f && attributeName == Conv2DAttributeName;
                        layers.Add(spatial with { InputDropout = dropoutBefore[i], BatchNormMomentum = normalizes ? batchNorm[i].Momentum : 0f, BatchNormEpsilon = normalizes ? batchNorm[i].Epsilon : 0f });
                        layerLocations.Add(location);
                        if (batchNorm[i].Epsilon > 0f && !normalizes)
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedBatchNorm, location, name,
                                attributeName == Conv1DAttributeName
                                    ? $"layer {number} is a Conv1D, whose output is a sequence; batch normalization applies after a [Conv2D] (per channel) or a [Dense]"
                                    : $"layer {number} is a pooling layer, which has no pre-activation to normalize; put [BatchNorm] right after the [Conv2D] or [Dense] before it"));
                    }
                    continue;
                }
                if (attributeName == RbfAttributeName)
                {
                    if (!IsReadable(data) || data.ConstructorArguments.Length != 1 || data.ConstructorArguments[0].Value is not int centres)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                            $"Layer {number} of '{name}' has an argument of the wrong kind; write it as [Rbf(units)], e.g. [Rbf(20)]"));
                        continue;
                    }
                    if (centres < 1)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUnits, location, number.ToString(), name, centres.ToString()));
                    if (batchNorm[i].Epsilon > 0f)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedBatchNorm, location, name,
                            $"layer {number} is a radial-basis layer, whose outputs are Gaussians in (0, 1] with no pre-activation to normalize; put [BatchNorm] after a [Dense] or [Conv2D], or remove it"));
                    layers.Add(new DeclaredLayer(centres, ActivationKind.Identity, 0f, false, dropoutBefore[i], 0f, 0f, null, false) { Spatial = new RbfSpec(number, centres) });
                    layerLocations.Add(location);
                    continue;
                }
                if (attributeName != DenseAttributeName)
                {
                    if (RecurrentLayer(data, attributeName, number, name, location, diagnostics) is { } recurrent)
                    {
                        layers.Add(recurrent with { InputDropout = dropoutBefore[i], BatchNormMomentum = batchNorm[i].Momentum, BatchNormEpsilon = batchNorm[i].Epsilon });
                        layerLocations.Add(location);
                        if (batchNorm[i].Epsilon > 0f)
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedBatchNorm, location, name,
                                $"layer {number} is recurrent; batch normalization applies to a dense layer's pre-activation"));
                    }
                    continue;
                }
                if (!IsReadable(data) || data.ConstructorArguments.Length < 1 || data.ConstructorArguments[0].Value is not int units)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                        $"Layer {number} of '{name}' has an argument of the wrong kind; write it as [Dense(units, Activation.X)], e.g. [Dense(16, Activation.ReLU)]"));
                    continue;
                }
                int activation = data.ConstructorArguments.Length > 1 && data.ConstructorArguments[1].Value is int a ? a : 0;
                if (!Enum.IsDefined(typeof(ActivationKind), activation))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                        $"Layer {number} of '{name}' has activation {activation}, which is not a NetGen.Activation value; use a named member such as Activation.ReLU"));
                    continue;
                }
                if (units < 1)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUnits, location, number.ToString(), name, units.ToString()));

                var kind = (ActivationKind)activation;
                float slope = 0.01f;
                bool residual = false;
                foreach (var argument in data.NamedArguments)
                {
                    if (argument.Key == "Residual" && argument.Value.Value is bool isResidual)
                        residual = isResidual;
                    if (argument.Key != "NegativeSlope" || argument.Value.Value is not double value)
                        continue;
                    if (kind != ActivationKind.LeakyReLU)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NegativeSlopeMisuse, location, number.ToString(), name,
                            $"NegativeSlope is set but the activation is {kind}; remove it, or use Activation.LeakyReLU"));
                    else if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > 1e6)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NegativeSlopeMisuse, location, number.ToString(), name,
                            $"NegativeSlope = {value} is not a usable slope; give a finite number such as 0.01 or 0.2"));
                    slope = (float)value;
                }
                layers.Add(new DeclaredLayer(units, kind, kind == ActivationKind.LeakyReLU ? slope : 0f, residual, dropoutBefore[i], batchNorm[i].Momentum, batchNorm[i].Epsilon, null, false)
                    { FlattenInput = flattenBefore[i] });
                layerLocations.Add(location);
            }

            // ── Rules that relate layers and loss ──
            if (layers.Count > 0 && layers.Count == ownDeclaration.Count && networkReadable)
            {
                for (int i = 0; i < layers.Count - 1; i++)
                    if (layers[i].Activation == ActivationKind.Softmax && layers[i].Cell is null)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxOnHiddenLayer, layerLocations[i], (i + 1).ToString(), name));

                var output = layers[layers.Count - 1];
                var outputLocation = layerLocations[layers.Count - 1];
                var lossKind = (LossKind)loss;
                if (output.Spatial is RbfSpec && (loss == (int)LossKind.CrossEntropy || loss == (int)LossKind.BinaryCrossEntropy))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RbfMismatch, outputLocation, name, layers.Count.ToString(),
                        $"it is the output layer, but its Gaussians are not the probabilities Loss.{(LossKind)loss} needs; add " +
                        (loss == (int)LossKind.CrossEntropy ? "[Dense(classes, Activation.Softmax)]" : "[Dense(outputs, Activation.Sigmoid)]") + " after it, as an RBF network's linear output layer"));
                else if (Enum.IsDefined(typeof(LossKind), loss))
                {
                    if (output.Activation == ActivationKind.Softmax && lossKind != LossKind.CrossEntropy)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxWithoutCrossEntropy, outputLocation, name, "Loss." + lossKind));
                    if (lossKind == LossKind.CrossEntropy && output.Activation != ActivationKind.Softmax)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CrossEntropyWithoutSoftmax, networkLocation, name, output.Activation.ToString()));
                    if (lossKind == LossKind.BinaryCrossEntropy && output.Activation != ActivationKind.Sigmoid)
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid, networkLocation, name, output.Activation.ToString()));
                }
                bool fusedOutput = (output.Activation == ActivationKind.Softmax && lossKind == LossKind.CrossEntropy)
                    || (output.Activation == ActivationKind.Sigmoid && lossKind == LossKind.BinaryCrossEntropy);
                if (output.Residual && fusedOutput)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResidualOnFusedOutput, outputLocation, name,
                        ActivationCatalogName(output.Activation), "Loss." + lossKind));
                if (output.Activation == ActivationKind.Softmax && output.Units == 1)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxSingleUnit, outputLocation, name));

            }

            // ── Operations and their shapes, inferred once: a mismatch names both shapes at the layer's attribute ──
            var ops = new List<OpSpec>();
            var opLocations = new List<LocationInfo?>();
            bool stepsValid = steps >= 0 && (long)steps * Math.Max(inputs, 1) <= CodeShape.MaxParameterCount;
            if (inputs >= 1 && stepsValid && !imageInvalid && layers.Count == ownDeclaration.Count && layers.All(l => l.Units >= 1))
            {
                for (int i = 0; i < layers.Count; i++)
                {
                    var layer = layers[i];
                    int number = i + 1;
                    if (layer.InputDropout > 0f)
                    {
                        ops.Add(new DropoutSpec(number, layer.InputDropout, dropoutPerChannel[i]));
                        opLocations.Add(dropoutLocations[i] ?? layerLocations[i]);
                    }
                    if (layer.Spatial is { } spatial)
                    {
                        ops.Add(spatial);
                        if (layer.BatchNormEpsilon > 0f) ops.Add(new BatchNormSpec(number, layer.BatchNormMomentum, layer.BatchNormEpsilon));
                        if (spatial is ConvolutionSpec && layer.Activation != ActivationKind.Identity)
                            ops.Add(new ActivationSpec(number, layer.Activation, layer.NegativeSlope));
                        while (opLocations.Count < ops.Count) opLocations.Add(layerLocations[i]);
                        continue;
                    }
                    if (layer.Cell is { } cell)
                    {
                        ops.Add(new RecurrentSpec(number, cell, layer.Units, layer.ReturnSequences, layer.ForgetBias));
                        while (opLocations.Count < ops.Count) opLocations.Add(layerLocations[i]);
                        continue;
                    }
                    ops.Add(new DenseSpec(number, layer.Units, layer.FlattenInput));
                    if (layer.BatchNormEpsilon > 0f) ops.Add(new BatchNormSpec(number, layer.BatchNormMomentum, layer.BatchNormEpsilon));
                    ops.Add(new ActivationSpec(number, layer.Activation, layer.NegativeSlope));
                    if (layer.Residual) ops.Add(new ResidualSpec(number));
                    while (opLocations.Count < ops.Count) opLocations.Add(layerLocations[i]);
                }
            }
            var input = image is not null ? Shape.Image(image[0], image[1], image[2]) : steps > 0 ? Shape.Sequence(steps, inputs) : Shape.Features(inputs);
            var shapes = InferShapes(input, ops, opLocations, name, diagnostics);
            // A [Flatten] before a dense layer that reads a vector or an image changes nothing: it is not part of the
            // network (nor of its checkpoint key), so the same network with or without it is one network.
            if (shapes is not null)
                for (int i = 0; i < ops.Count; i++)
                    if (ops[i] is DenseSpec { Flatten: true } flat && !shapes[i].IsSequence)
                        ops[i] = flat with { Flatten = false };
            if (shapes is not null && (steps > 0 || ops.Any(o => o is ConvolutionSpec or PoolSpec)))
            {
                // A sequence multiplies every value (and a recurrent layer's cache) by its steps, and a convolution keeps its
                // patches: keep one sample's working memory within what one buffer holds, as the parameter count is.
                long working = 0;
                var known = shapes;
                for (int i = 0; i < ops.Count && working <= CodeShape.MaxParameterCount; i++)
                {
                    long cache = ops[i] switch // the planner's own formulas
                    {
                        RecurrentSpec r => Ops.RecurrentOp.CacheLength(r.Cell, known[i].Steps, r.Units),
                        ConvolutionSpec conv => Ops.ConvolutionOp.CacheLength(conv, known[i], known[i + 1]),
                        _ => Ops.OpKinds.Of(ops[i]).CacheLength(ops[i], known[i], known[i + 1]),
                    };
                    working = Saturating.Add(working, Saturating.Add(Saturating.Multiply(3, known[i + 1].Size), cache));
                    if (working > CodeShape.MaxParameterCount)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(steps > 0 ? DiagnosticDescriptors.SequenceMismatch : DiagnosticDescriptors.ConvolutionMismatch, opLocations[i], name, ops[i].Layer.ToString(),
                            (steps > 0 ? $"with {steps} steps one sample" : "one sample") +
                            $" would need more than {CodeShape.MaxParameterCount} floats of values, states and caches; make the input or the layers smaller"));
                        shapes = null;
                    }
                }
            }
            if (shapes is not null)
            {
                // A convolution or pool whose stride does not tile its padded input never reads the last rows or columns
                // (PyTorch floors the same way): allowed, but said.
                for (int i = 0; i < ops.Count; i++)
                {
                    var (size, padding, stride) = ops[i] switch
                    {
                        ConvolutionSpec conv => (conv.Kernel, conv.Padding, conv.Stride),
                        PoolSpec p => (p.Size, 0, p.Stride),
                        _ => (0, 0, 0),
                    };
                    if (stride <= 1) continue;
                    var x = shapes[i];
                    if (stride > size)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StrideDoesNotTile, opLocations[i], name, ops[i].Layer.ToString(),
                            $"a window of {size} every {stride} never reads the {stride - size} row{(stride - size == 1 ? "" : "s")} and column{(stride - size == 1 ? "" : "s")} between two windows; " +
                            $"use a stride of at most {size} (the window's size tiles the input), or add NG0036 to <NoWarn> if skipping them is intended"));
                        continue;
                    }
                    var extents = x.IsImage ? new[] { ("rows", x.Height), ("columns", x.Columns) } : new[] { ("steps", x.Steps) };
                    foreach (var (axis, extent) in extents)
                    {
                        // The last window starts at stride·(outputs − 1) − padding: real rows after its end are never read
                        // (padding rows left over are harmless, as in the usual 3×3, stride 2, padding 1 on an even size).
                        int outputs = (extent + 2 * padding - size) / stride + 1;
                        int left = extent + padding - stride * (outputs - 1) - size;
                        if (left <= 0) continue;
                        string unread = left == 1 ? $"the last {axis.TrimEnd('s')}" : $"the last {left} {axis}";
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StrideDoesNotTile, opLocations[i], name, ops[i].Layer.ToString(),
                            $"a window of {size} every {stride} over {extent} {axis}{(padding > 0 ? $" padded by {padding}" : "")} never reads {unread} " +
                            $"(the output is {shapes[i + 1]}: PyTorch floors the same way); to read every {axis.TrimEnd('s')}, choose Kernel, Stride and Padding so that " +
                            $"{axis} + 2·padding − window ({extent} + {2 * padding} − {size} = {extent + 2 * padding - size}) is a multiple of the stride, or add NG0036 to <NoWarn> if dropping {(left == 1 ? "it" : "them")} is intended"));
                        break;
                    }
                }

                // Unrolling = Always: a dense layer that reads a vector is unrolled; its backward pass must fit one method.
                if (unrolling == (int)UnrollingKind.Always)
                    for (int i = 0; i < ops.Count; i++)
                    {
                        if (ops[i] is RbfSpec rbf && Ops.RbfOp.UnrolledMultiplyAdds(shapes[i].Size, rbf.Units) is var rbfWork && rbfWork > CodeShape.MethodMaxMultiplyAdds)
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnrollTooLarge, opLocations[i],
                                rbf.Layer.ToString(), name, rbfWork.ToString(), CodeShape.MethodMaxMultiplyAdds.ToString()));
                        if (ops[i] is not DenseSpec d || Ops.DenseOp.PerStep(d, shapes[i])) continue;
                        long work = CodeShape.BackwardMultiplyAdds(d.Layer == 1, (int)shapes[i].Size, d.Units);
                        if (work > CodeShape.MethodMaxMultiplyAdds)
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnrollTooLarge, opLocations[i],
                                d.Layer.ToString(), name, work.ToString(), CodeShape.MethodMaxMultiplyAdds.ToString()));
                    }
            }

            bool failed = diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error)
                || layers.Count != ownDeclaration.Count || layers.Count == 0 || shapes is null;
            if (failed)
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));

            var (parameterless, seeded) = DeclaredConstructors(type);

            var spec = new NetworkSpec(
                type.ContainingNamespace is { IsGlobalNamespace: false } ns ? NamespaceName(ns) : null,
                new EquatableArray<ContainingTypeSpec>(containing),
                Identifier(type.Name),
                Accessibility(type),
                input,
                (LossKind)loss,
                (UnrollingKind)unrolling,
                new EquatableArray<OpSpec>(ops),
                new EquatableArray<Shape>(shapes!),
                parameterless,
                seeded,
                weights);

            // The parameter count comes from the planner's blocks, the one layout: nothing here recounts it.
            long parameters = Planner.Plan(spec).ParameterCount;
            if (parameters > CodeShape.MaxParameterCount)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, networkLocation, name,
                    parameters.ToString(), CodeShape.MaxParameterCount.ToString()));
                return new ParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
            }
            return new ParseResult(spec, new EquatableArray<DiagnosticInfo>(diagnostics), weights is null ? null : weightsLocation);
        }

        private static string ActivationCatalogName(ActivationKind kind) => "Activation." + kind;

        /// <summary>
        /// One layer as declared — a [Dense], or a recurrent layer (<paramref name="Cell"/> set; its activation is the cell's
        /// output nonlinearity) — with the [Dropout] before it and the [BatchNorm] after it folded in.
        /// </summary>
        private sealed record DeclaredLayer(int Units, ActivationKind Activation, float NegativeSlope, bool Residual, float InputDropout,
            float BatchNormMomentum, float BatchNormEpsilon, CellKind? Cell, bool ReturnSequences, float? ForgetBias = null)
        {
            /// <summary>A convolution or pooling layer's operation (its activation follows from <see cref="Activation"/>).</summary>
            public OpSpec? Spatial { get; init; }

            /// <summary>A [Flatten] came before this [Dense].</summary>
            public bool FlattenInput { get; init; }
        }

        /// <summary>A [Recurrent], [Gru] or [Lstm] attribute as a layer, or null (with a diagnostic) when it cannot be read.</summary>
        private static DeclaredLayer? RecurrentLayer(AttributeData data, string attributeName, int number, string name, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        {
            string shortName = attributeName == RecurrentAttributeName ? "Recurrent" : attributeName == GruAttributeName ? "Gru" : "Lstm";
            if (!IsReadable(data) || data.ConstructorArguments.Length < 1 || data.ConstructorArguments[0].Value is not int units)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                    $"Layer {number} of '{name}' has an argument of the wrong kind; write it as [{shortName}(units)], e.g. [{shortName}(32)]"));
                return null;
            }
            if (units < 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUnits, location, number.ToString(), name, units.ToString()));
            bool sequences = data.NamedArguments.Any(a => a.Key == "ReturnSequences" && a.Value.Value is true);
            if (attributeName == GruAttributeName)
                return new DeclaredLayer(units, ActivationKind.Tanh, 0f, false, 0f, 0f, 0f, CellKind.Gru, sequences);
            if (attributeName == LstmAttributeName)
            {
                float? forgetBias = null;
                if (data.NamedArguments.FirstOrDefault(a => a.Key == "ForgetBias").Value.Value is double bias && !double.IsNaN(bias))
                {
                    if (float.IsInfinity((float)bias))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                            $"Layer {number} of '{name}' has ForgetBias = {bias.ToString(System.Globalization.CultureInfo.InvariantCulture)}; " +
                            "the forget gate's initial bias must be a finite number, typically 1 (Keras' unit_forget_bias) to 3; remove it for PyTorch's initialisation"));
                        return null;
                    }
                    forgetBias = (float)bias;
                }
                return new DeclaredLayer(units, ActivationKind.Tanh, 0f, false, 0f, 0f, 0f, CellKind.Lstm, sequences, forgetBias);
            }
            int activation = data.ConstructorArguments.Length > 1 && data.ConstructorArguments[1].Value is int a ? a : (int)ActivationKind.Tanh;
            if (activation != (int)ActivationKind.Tanh && activation != (int)ActivationKind.ReLU)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                    $"Layer {number} of '{name}' is an Elman layer with activation {(Enum.IsDefined(typeof(ActivationKind), activation) ? "Activation." + (ActivationKind)activation : activation.ToString())}; " +
                    "its cell takes Activation.Tanh (the default) or Activation.ReLU, as PyTorch's nn.RNN; put other activations on a [Dense] after it"));
                return null;
            }
            var kind = (ActivationKind)activation;
            return new DeclaredLayer(units, kind, 0f, false, 0f, 0f, 0f, kind == ActivationKind.ReLU ? CellKind.ElmanReLU : CellKind.ElmanTanh, sequences);
        }

        /// <summary>A [Conv2D], [Conv1D], [MaxPool2D] or [AvgPool2D] attribute as a layer, or null (with a diagnostic) when it cannot be read.</summary>
        private static DeclaredLayer? SpatialLayer(AttributeData data, string attributeName, int number, string name, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        {
            bool convolution = attributeName is Conv2DAttributeName or Conv1DAttributeName;
            string shortName = attributeName.Substring("NetGen.".Length, attributeName.Length - "NetGen.".Length - "Attribute".Length);
            if (!IsReadable(data) || data.ConstructorArguments.Length != 1 || data.ConstructorArguments[0].Value is not int first)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                    $"Layer {number} of '{name}' has an argument of the wrong kind; write it as " +
                    (convolution ? $"[{shortName}(filters, Kernel = 3)], e.g. [{shortName}(16, Kernel = 3, Activation = Activation.ReLU)]" : $"[{shortName}(size)], e.g. [{shortName}(2)]")));
                return null;
            }
            int Named(string key, int fallback) => data.NamedArguments.FirstOrDefault(a => a.Key == key).Value.Value is int v ? v : fallback;
            int kernel = convolution ? Named("Kernel", 3) : first, stride = Named("Stride", convolution ? 1 : 0), padding = convolution ? Named("Padding", 0) : 0;
            if (!convolution && stride == 0) stride = first; // a pool's stride defaults to its size
            bool bias = data.NamedArguments.FirstOrDefault(a => a.Key == "Bias").Value.Value is not false;
            int activation = Named("Activation", 0);
            string? problem = first < 1 ? (convolution ? $"it has {first} filters; give at least 1" : $"its window is {first}; give a size of at least 1")
                : kernel < 1 ? $"Kernel = {kernel}; give a kernel of at least 1 (3 or 5 are usual)"
                : stride < 1 ? $"Stride = {stride}; give a stride of at least 1{(convolution ? "" : " (or leave it out for the window's size)")}"
                : padding < 0 ? $"Padding = {padding}; give 0 or more zeros per side"
                : padding >= kernel ? $"Padding = {padding} is not less than Kernel = {kernel}, so some outputs would see only zeros; use Padding = {kernel / 2} for a 'same'-sized output"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConvolutionMismatch, location, name, number.ToString(), problem));
                return null;
            }
            if (!Enum.IsDefined(typeof(ActivationKind), activation) || activation == (int)ActivationKind.Softmax || activation == (int)ActivationKind.PReLU)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, location,
                    $"Layer {number} of '{name}' is a {shortName} with activation {(Enum.IsDefined(typeof(ActivationKind), activation) ? "Activation." + (ActivationKind)activation : activation.ToString())}; " +
                    "a convolution takes an element-wise activation such as Activation.ReLU (softmax belongs on the last [Dense], and PReLU's slopes per channel are not supported yet)"));
                return null;
            }
            OpSpec spatial = convolution
                ? new ConvolutionSpec(number, first, kernel, stride, padding, bias, attributeName == Conv1DAttributeName)
                : new PoolSpec(number, attributeName == MaxPool2DAttributeName, first, stride);
            var kind = (ActivationKind)activation;
            return new DeclaredLayer(convolution ? first : 1, kind, kind == ActivationKind.LeakyReLU ? 0.01f : 0f, false, 0f, 0f, 0f, null, false) { Spatial = spatial };
        }

        /// <summary>
        /// Every value's shape: the input's, then each operation's output, from its kind's shape rule. A residual add must
        /// give back its layer's input shape (NG0025, naming both). Null when some operation cannot take its input.
        /// </summary>
        private static List<Shape>? InferShapes(Shape input, List<OpSpec> ops, List<LocationInfo?> locations, string name, List<DiagnosticInfo> diagnostics)
        {
            var shapes = new List<Shape> { input };
            var layerInput = new Dictionary<int, Shape>();
            bool ok = true;
            for (int i = 0; i < ops.Count; i++)
            {
                var op = ops[i];
                var current = shapes[shapes.Count - 1];
                if (op is DenseSpec) layerInput[op.Layer] = current;
                if (!Ops.OpKinds.Of(op).TryInferShape(op, current, out var output, out var problem))
                {
                    diagnostics.Add(op switch
                    {
                        RecurrentSpec => DiagnosticInfo.Create(DiagnosticDescriptors.SequenceMismatch, locations[i], name, op.Layer.ToString(), problem),
                        ConvolutionSpec or PoolSpec => DiagnosticInfo.Create(DiagnosticDescriptors.ConvolutionMismatch, locations[i], name, op.Layer.ToString(), problem),
                        RbfSpec => DiagnosticInfo.Create(DiagnosticDescriptors.RbfMismatch, locations[i], name, op.Layer.ToString(), problem),
                        DropoutSpec => DiagnosticInfo.Create(DiagnosticDescriptors.MisplacedDropout, locations[i], name, problem),
                        _ => DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, locations[i], problem),
                    });
                    ok = false;
                    output = current;
                }
                // Operations that act across a whole vector do not apply step by step yet.
                string? stepwise = current.IsSequence
                    ? op switch
                    {
                        ActivationSpec { Activation: ActivationKind.Softmax } =>
                            $"softmax over a sequence {current} is not supported; end the network with ReturnSequences = false (one output per sequence), or use sigmoid outputs with binary cross-entropy per step",
                        BatchNormSpec => $"batch normalization of a sequence {current} is not supported; remove the [BatchNorm], or normalize after the last recurrent layer (ReturnSequences = false)",
                        _ => null,
                    }
                    : null;
                if (stepwise is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SequenceMismatch, locations[i], name, op.Layer.ToString(), stepwise));
                    ok = false;
                }
                if (op is ResidualSpec && layerInput.TryGetValue(op.Layer, out var skip) && !skip.Equals(output))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ResidualSizeMismatch, locations[i], op.Layer.ToString(), name,
                        skip.ToString(), output.ToString()));
                    ok = false;
                }
                shapes.Add(output);
            }
            return ok ? shapes : null;
        }

        /// <summary>
        /// The applications of attribute <paramref name="attributeName"/> written on <paramref name="declaration"/>, with their
        /// syntax and location; one on another partial declaration of the class is NG0012 (their order would be undefined).
        /// </summary>
        private static List<(AttributeData Attribute, SyntaxNode Syntax, LocationInfo? Location)> OwnAttributes(
            INamedTypeSymbol type, string attributeName, TypeDeclarationSyntax declaration, LocationInfo? fallback, string name,
            List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var found = new List<(AttributeData, SyntaxNode, LocationInfo?)>();
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != attributeName)
                    continue;
                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
                if (syntax is null)
                    continue;
                var location = LocationInfo.From(syntax) ?? fallback;
                if (syntax.Ancestors().Contains(declaration))
                    found.Add((attribute, syntax, location));
                else
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnSeveralDeclarations, location, name));
            }
            return found;
        }

        /// <summary>float.IsFinite, which netstandard2.0 lacks.</summary>
        private static bool IsFiniteFloat(float value) => !float.IsNaN(value) && !float.IsInfinity(value);

        /// <summary>The location of the value of a named argument such as <c>Weights = "…"</c>, or null.</summary>
        private static LocationInfo? NamedArgumentLocation(AttributeData attribute, string name, CancellationToken cancellationToken)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } list })
                return null;
            foreach (var argument in list.Arguments)
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                    return LocationInfo.From(argument.Expression);
            return null;
        }

        /// <summary>A name as C# source (see <see cref="Identifiers.Escape"/>).</summary>
        private static string Identifier(string name) => Identifiers.Escape(name);

        private static string Accessibility(INamedTypeSymbol type) => type.DeclaredAccessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Private => "private",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "internal",
        };

        /// <summary>For a class with [Dense] but no [Network]: a warning, since nothing would be generated.</summary>
        public static EquatableArray<DiagnosticInfo> ParseOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            ParseOrphans(context, dropout: false, cancellationToken);

        /// <summary>[Dropout] without [Network]; reported here only when the class has no [Dense] (which reports it already).</summary>
        public static EquatableArray<DiagnosticInfo> ParseOrphanDropouts(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            ParseOrphans(context, dropout: true, cancellationToken);

        private static EquatableArray<DiagnosticInfo> ParseOrphans(GeneratorAttributeSyntaxContext context, bool dropout, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type)
                return EquatableArray<DiagnosticInfo>.Empty;
            foreach (var attribute in type.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (name == NetworkAttributeName || (dropout && name == DenseAttributeName))
                    return EquatableArray<DiagnosticInfo>.Empty;
            }
            // Report once per class, at the first [Dense] of this declaration.
            var first = context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
            return new EquatableArray<DiagnosticInfo>(new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.LayerWithoutNetwork, LocationInfo.From(first), type.Name),
            });
        }
    }
}
