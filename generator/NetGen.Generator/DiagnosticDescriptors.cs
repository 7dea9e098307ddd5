using Microsoft.CodeAnalysis;

namespace NetGen.Generator;

/// <summary>
/// Every diagnostic the generator reports. Each message says what to change. Ids are stable: once shipped, an id keeps
/// its meaning (see AnalyzerReleases.Shipped.md).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "NG0001", "Network class must be partial",
        "Class '{0}' has [Network] but is not partial; declare it as 'partial class {0}' so NetGen can add the network to it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericNotSupported = new(
        "NG0002", "Generic network classes are not supported",
        "Class '{0}' is generic; a network's sizes are fixed at compile time, so declare [Network] on a non-generic class",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        "NG0003", "Types containing a network class must be partial",
        "Class '{0}' is nested in '{1}', which is not partial; declare '{1}' as partial, or move '{0}' out of it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoLayers = new(
        "NG0004", "Network has no layers",
        "Network '{0}' declares no layers; add at least one [Dense(units, activation)] attribute after [Network]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidInputs = new(
        "NG0005", "Network input size must be at least 1",
        "Network '{0}' has Inputs = {1}; set Inputs to the number of features of one sample (at least 1)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidUnits = new(
        "NG0006", "Layer size must be at least 1",
        "Layer {0} of '{1}' has {2} units; a layer needs at least 1 unit",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = new(
        "NG0007", "Softmax is only allowed on the output layer",
        "Layer {0} of '{1}' is a hidden layer with Activation.Softmax; softmax is for the output layer with Loss.CrossEntropy — use ReLU, Tanh or Sigmoid here",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SoftmaxWithoutCrossEntropy = new(
        "NG0008", "Softmax output requires the cross-entropy loss",
        "The output layer of '{0}' uses Activation.Softmax but the loss is {1}; set Loss = Loss.CrossEntropy (softmax and cross-entropy are fused for stability)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CrossEntropyWithoutSoftmax = new(
        "NG0009", "Cross-entropy requires a softmax output layer",
        "Network '{0}' uses Loss.CrossEntropy but its output layer uses Activation.{1}; make the last [Dense] Activation.Softmax, or use Loss.BinaryCrossEntropy with a Sigmoid output for independent yes/no outputs",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = new(
        "NG0010", "Binary cross-entropy requires a sigmoid output layer",
        "Network '{0}' uses Loss.BinaryCrossEntropy but its output layer uses Activation.{1}; make the last [Dense] Activation.Sigmoid (the loss is computed stably from its logits)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidArgument = new(
        "NG0011", "Attribute argument cannot be used",
        "{0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = new(
        "NG0012", "Layers are declared on more than one partial declaration",
        "The layers of '{0}' are spread over several partial declarations, so their order is undefined; put every [Dense] and [Dropout] on the declaration that has [Network]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedClassKind = new(
        "NG0013", "Network must be a plain, non-static, non-abstract class",
        "'{0}' is {1}; declare the network as a non-static, non-abstract 'partial class'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NegativeSlopeMisuse = new(
        "NG0014", "NegativeSlope applies only to LeakyReLU with a finite value",
        "Layer {0} of '{1}': {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnrollTooLarge = new(
        "NG0015", "Layer is too large to unroll",
        "Layer {0} of '{1}' has {2} multiply-adds in its backward pass, more than the {3} that the JIT optimises in one method; remove Unrolling = Unrolling.Always (Auto unrolls only layers that pay) or make the layer smaller",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkTooLarge = new(
        "NG0016", "Network is too large",
        "Network '{0}' would have {1} parameters; the limit is {2} (one float buffer of at most 1 GiB); make the layers smaller",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingLoss = new(
        "NG0017", "Network has no loss",
        "Network '{0}' does not set a loss; add Loss = Loss.MeanSquaredError (regression), Loss.CrossEntropy (classes, with a Softmax output) or Loss.BinaryCrossEntropy (yes/no outputs, with a Sigmoid output) to [Network]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SoftmaxSingleUnit = new(
        "NG0018", "Softmax over one unit is constant",
        "The output layer of '{0}' applies softmax to 1 unit, which always outputs 1 and never learns; for a yes/no output use [Dense(1, Activation.Sigmoid)] with Loss.BinaryCrossEntropy, or give the softmax one unit per class",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayerWithoutNetwork = new(
        "NG0019", "Layer attribute without [Network]",
        "'{0}' has [Dense] or [Dropout] attributes but no [Network] attribute, so no network is generated; add [Network(Inputs = …, Loss = …)] to it",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PrimaryConstructor = new(
        "NG0020", "Network class cannot have a primary constructor",
        "Class '{0}' has a primary constructor, which the generated constructors (seed 0, or a given seed) cannot chain to; remove the parameter list and declare an ordinary constructor that calls this(seed) if you need one",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DerivesFromNetwork = new(
        "NG0021", "Network class cannot derive from another network class",
        "Class '{0}' derives from the network class '{1}', whose generated members it would hide; make both derive from a common non-network base class instead",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WeightsFileNotFound = new(
        "NG0022", "Weights file not found",
        "'{0}' embeds weights from '{1}', which is not available: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WeightsFileUnreadable = new(
        "NG0023", "Weights file cannot be compiled in",
        "'{0}' embeds weights from '{1}', which cannot be compiled in: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor WeightsOfAnotherNetwork = new(
        "NG0024", "Weights file belongs to another network",
        "'{0}' embeds weights from '{1}', which were saved from another network: the file's architecture is '{2}' but '{0}' is '{3}'; save a checkpoint of this network, or fix the declaration",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ResidualSizeMismatch = new(
        "NG0025", "Residual layer must keep its width",
        "Layer {0} of '{1}' is Residual, so its output a = g(z) + x must have its input's shape, but its input is {2} and its output {3}; give it as many units as its input has values, or remove Residual",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ResidualOnFusedOutput = new(
        "NG0026", "Residual output layer cannot be fused with the loss",
        "The output layer of '{0}' is Residual, but its {1} is fused with {2} (the loss's gradient assumes the output is exactly g(z)); remove Residual from the output layer, or add a final layer after it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidDropoutRate = new(
        "NG0027", "Dropout rate out of range",
        "A [Dropout] on '{0}' has rate {1}; the probability of dropping a value must be in [0, 1) as a float (so not within 3e-8 of 1, nor below 1.4e-45 unless exactly 0), such as 0.2 or 0.5",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MisplacedDropout = new(
        "NG0028", "Dropout in a place where it has no effect",
        "This [Dropout] on '{0}' is misplaced: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MisplacedBatchNorm = new(
        "NG0029", "BatchNorm in a place where it cannot apply",
        "This [BatchNorm] on '{0}' cannot apply: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NameClashesWithGeneratedMember = new(
        "NG0030", "Network class name clashes with a generated member",
        "The network class '{0}' has the name of a member NetGen generates in it (a member cannot have its class's name); rename the class, for example to '{0}Network'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NameHidesNamespace = new(
        "NG0031", "Network class name hides a namespace the generated code uses",
        "A type named '{1}' in the global namespace hides the namespace '{1}', which the code generated for '{0}' refers to as global::{1}; rename that type or put it in a namespace",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidSequenceLength = new(
        "NG0032", "Sequence length out of range",
        "SequenceLength = {1} on '{0}' is not a number of steps; give at least 1 (or leave it out for one vector per sample), with SequenceLength × Inputs at most {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SequenceMismatch = new(
        "NG0033", "Layer and sequence do not fit",
        "Layer {1} of '{0}' does not fit its input: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidInputShape = new(
        "NG0034", "Input shape out of range",
        "InputShape on '{0}' {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ConvolutionMismatch = new(
        "NG0035", "Convolution or pooling layer does not fit",
        "Layer {1} of '{0}' does not fit: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StrideDoesNotTile = new(
        "NG0036", "Stride leaves part of the input unread",
        "Layer {1} of '{0}': {2}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RbfMismatch = new(
        "NG0037", "Radial-basis layer does not fit",
        "Layer {1} of '{0}' does not fit: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    // ── Self-organizing maps ([SelfOrganizingMap], generator/NetGen.Generator/Som) ──

    public static readonly DiagnosticDescriptor SomClassNotSupported = new(
        "NG0040", "Self-organizing map class cannot be generated",
        "'{0}' has [SelfOrganizingMap] but {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidSomSize = new(
        "NG0041", "Self-organizing map size out of range",
        "[SelfOrganizingMap] on '{0}' {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SomWithNetwork = new(
        "NG0042", "A class cannot be both a network and a self-organizing map",
        "'{0}' has both [Network] and [SelfOrganizingMap]; a self-organizing map is not a network (it has no layers and no loss), so remove [Network] and give the input width on the map, as [SelfOrganizingMap({1}, {2}, Inputs = {3})]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayerOnSom = new(
        "NG0043", "Layer attribute on a self-organizing map",
        "'{0}' is a self-organizing map, which has no layers; remove [{1}], or declare the network on a class of its own with [Network]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>All descriptors, for lookup by id and for tests.</summary>
    public static readonly DiagnosticDescriptor[] All =
    {
        NotPartial, GenericNotSupported, ContainingTypeNotPartial, NoLayers, InvalidInputs, InvalidUnits,
        SoftmaxOnHiddenLayer, SoftmaxWithoutCrossEntropy, CrossEntropyWithoutSoftmax, BinaryCrossEntropyWithoutSigmoid,
        InvalidArgument, LayersOnSeveralDeclarations, UnsupportedClassKind, NegativeSlopeMisuse, UnrollTooLarge,
        NetworkTooLarge, MissingLoss, SoftmaxSingleUnit, LayerWithoutNetwork, PrimaryConstructor, DerivesFromNetwork,
        WeightsFileNotFound, WeightsFileUnreadable, WeightsOfAnotherNetwork, ResidualSizeMismatch, ResidualOnFusedOutput,
        InvalidDropoutRate, MisplacedDropout, MisplacedBatchNorm, NameClashesWithGeneratedMember, NameHidesNamespace,
        InvalidSequenceLength, SequenceMismatch, InvalidInputShape, ConvolutionMismatch, StrideDoesNotTile,
        RbfMismatch,
        SomClassNotSupported, InvalidSomSize, SomWithNetwork, LayerOnSom,
    };

    public static DiagnosticDescriptor? ById(string id)
    {
        foreach (var descriptor in All)
            if (descriptor.Id == id) return descriptor;
        return null;
    }
}
