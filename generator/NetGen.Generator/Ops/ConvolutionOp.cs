using System.Collections.Generic;
using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// A convolution — weight sharing: every output position of a filter uses the same kernel. 2-D over an image
/// [C × H × W] (NCHW) or 1-D along a sequence [T × C] (time-major), with W [F, C, k(, k)] row-major (PyTorch's
/// <c>Conv2d.weight</c> / <c>Conv1d.weight</c>) and an optional bias per filter. The code calls
/// <c>NetGen.ConvolutionKernels</c> with every size a literal; the kernels lower the layer to the register-tiled dense
/// products (im2col), keeping the patches in the layer's cache for the backward pass.
/// </summary>
internal sealed class ConvolutionOp : OpKind
{
    private const string Span = "global::System.Span<float>";

    public ConvolutionOp(string runtimeKind) => RuntimeKind = runtimeKind;

    public override string RuntimeKind { get; }

    public override bool GradientInPlace => false;

    public override bool HasScalarForm => false;

    public override string CacheContents => "the patches under the kernel; for a sequence also a bias slot";

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "z";

    /// <summary>The attribute's name, for messages: Conv2D or Conv1D.</summary>
    public static string Name(ConvolutionSpec c) => c.OneDimensional ? "Conv1D" : "Conv2D";

    public override bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        var c = (ConvolutionSpec)spec;
        output = input;
        if (c.OneDimensional ? !input.IsSequence : !input.IsImage)
        {
            problem = c.OneDimensional
                ? $"Conv1D reads a sequence [steps × channels], but its input is {input}; set SequenceLength (steps) and Inputs (channels) on [Network], or use [Conv2D] for an image"
                : $"Conv2D reads an image [channels × height × width], but its input is {input}; set InputShape = new[] {{ channels, height, width }} on [Network] (e.g. new[] {{ 1, 28, 28 }}), or use [Conv1D] for a sequence";
            return false;
        }
        var (channels, height, width) = c.OneDimensional ? (input.Width, 1, input.Steps) : (input.Channels, input.Height, input.Columns);
        long paddedLong = width + 2L * c.Padding, paddedHeightLong = c.OneDimensional ? 1 : height + 2L * c.Padding;
        if (paddedLong > int.MaxValue || paddedHeightLong > int.MaxValue)
        {
            problem = $"Padding = {c.Padding} makes the input larger than one buffer holds; use a padding below the kernel";
            return false;
        }
        int padded = (int)paddedLong, paddedHeight = (int)paddedHeightLong;
        if (c.Kernel > padded || !c.OneDimensional && c.Kernel > paddedHeight)
        {
            string extent = c.OneDimensional ? $"{width} steps" : $"{height}×{width}";
            string paddedExtent = c.OneDimensional ? $"{padded}" : $"{paddedHeight}×{padded}";
            int largest = System.Math.Min(padded, c.OneDimensional ? padded : paddedHeight);
            problem = $"its kernel of {c.Kernel} is larger than its input {input} ({extent}, {paddedExtent} with Padding = {c.Padding}); " +
                      $"use Kernel = {largest} or less, or more padding";
            return false;
        }
        long patch = (long)channels * c.Kernel * (c.OneDimensional ? 1 : c.Kernel);
        if (patch * c.Filters > CodeShape.MaxParameterCount)
        {
            problem = $"its {c.Filters} filters of {channels} channels × {c.Kernel}{(c.OneDimensional ? "" : "×" + c.Kernel)} would need {patch * c.Filters} weights, more than the {CodeShape.MaxParameterCount} one buffer holds; use fewer filters or a smaller kernel";
            return false;
        }
        problem = "";
        int outWidth = (padded - c.Kernel) / c.Stride + 1;
        output = c.OneDimensional ? Shape.Sequence(outWidth, c.Filters) : Shape.Image(c.Filters, (paddedHeight - c.Kernel) / c.Stride + 1, outWidth);
        return true;
    }

    /// <summary>The literal geometry a kernel call takes.</summary>
    public static string Geometry(OpPlan op)
    {
        var c = op.As<ConvolutionSpec>();
        var x = op.Input.Shape;
        return c.OneDimensional
            ? $"global::NetGen.ConvolutionGeometry.Sequence(steps: {x.Steps}, channels: {x.Width}, filters: {c.Filters}, kernel: {c.Kernel}, stride: {c.Stride}, padding: {c.Padding})"
            : $"global::NetGen.ConvolutionGeometry.Image(channels: {x.Channels}, height: {x.Height}, width: {x.Columns}, filters: {c.Filters}, kernel: {c.Kernel}, stride: {c.Stride}, padding: {c.Padding})";
    }

    /// <summary>Input channels, output positions P and the patch length K = C·k(·k) of one sample.</summary>
    private static (int Channels, long Positions, int Patch) Sizes(ConvolutionSpec c, Shape input, Shape output)
    {
        int channels = c.OneDimensional ? input.Width : input.Channels;
        long positions = c.OneDimensional ? output.Steps : (long)output.Height * output.Columns;
        int patch = channels * c.Kernel * (c.OneDimensional ? 1 : c.Kernel);
        return (channels, positions, patch);
    }

    /// <summary>
    /// Floats of cache per sample: the patches P·K, and for a sequence
    /// F floats for a missing bias — the formula of <c>ConvolutionKernels.CacheLength</c> (a test compares them).
    /// </summary>
    public static long CacheLength(ConvolutionSpec c, Shape input, Shape output)
    {
        var (_, positions, patch) = Sizes(c, input, output);
        long patches = Saturating.Multiply(positions, patch);
        return c.OneDimensional ? Saturating.Add(patches, c.Filters) : patches;
    }

    public override int CacheLength(OpSpec spec, Shape input, Shape output) =>
        (int)System.Math.Min(CacheLength((ConvolutionSpec)spec, input, output), int.MaxValue); // the parser refuses larger (NG0033)

    public override IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer)
    {
        var c = (ConvolutionSpec)spec;
        int l = spec.Layer, patch = Sizes(c, input, output).Patch, fanOut = c.Filters * c.Kernel * (c.OneDimensional ? 1 : c.Kernel);
        string name = ActivationCatalog.Name(layer.Activation, layer.NegativeSlope);
        var weights = ActivationCatalog.UsesHeInitialization(layer.Activation)
            ? new BlockPlan($"W{l}", $"W{Sup(l)}", Roles.Weight, offset, c.Filters, patch, true, InitRule.HeUniform, FanIn: patch,
                InitSlope: ActivationCatalog.InitializationSlope(layer.Activation, layer.NegativeSlope), InitReason: $"He uniform for {name}, fan-in {patch} (channels × kernel)")
            : new BlockPlan($"W{l}", $"W{Sup(l)}", Roles.Weight, offset, c.Filters, patch, true, InitRule.GlorotUniform, FanIn: patch, FanOut: fanOut,
                InitReason: $"Glorot uniform for {name}, fan-in {patch} (channels × kernel), fan-out {fanOut} (filters × kernel)");
        yield return weights;
        if (c.Bias)
            yield return new BlockPlan($"b{l}", $"b{Sup(l)}", Roles.Bias, offset + weights.Length, c.Filters, 1, true, InitRule.Constant, 0f, InitReason: "0");
    }

    /// <summary>P·F dot products of length K (2 FLOPs per multiply-add) and the bias.</summary>
    public override long ForwardFlops(OpPlan op)
    {
        var c = op.As<ConvolutionSpec>();
        var (_, positions, patch) = Sizes(c, op.Input.Shape, op.Output.Shape);
        long outputs = Saturating.Multiply(positions, c.Filters);
        return Saturating.Add(Saturating.Multiply(2L * patch, outputs), c.Bias ? outputs : 0);
    }

    /// <summary>∂L/∂W (2 per weight and position), ∂L/∂b, and ∂L/∂x = the patches' gradients scattered back, unless the input needs none.</summary>
    public override long BackwardFlops(OpPlan op)
    {
        var c = op.As<ConvolutionSpec>();
        var (_, positions, patch) = Sizes(c, op.Input.Shape, op.Output.Shape);
        long products = Saturating.Multiply(2L * patch, Saturating.Multiply(positions, c.Filters));
        return Saturating.Add(Saturating.Add(products, c.Bias ? Saturating.Multiply(positions, c.Filters) : 0), op.Input.HasGradient ? products : 0);
    }

    public override bool? Unroll(OpSpec spec, Shape input, Shape output, UnrollingKind unrolling) => false;

    public override string NoScalarFormReason =>
        "a convolution runs as im2col and register-tiled products in methods of its own (NetGen.ConvolutionKernels)";

    public override string Title(OpPlan op)
    {
        var c = op.As<ConvolutionSpec>();
        string kernel = c.OneDimensional ? $"{c.Kernel}" : $"{c.Kernel}×{c.Kernel}";
        return $"{Name(c)} {op.Input.Shape} → {op.Output.Shape} ({kernel} kernel, stride {c.Stride}, padding {c.Padding}{(c.Bias ? "" : ", no bias")})";
    }

    public override string? SummaryName(NetworkPlan plan, OpPlan op)
    {
        var c = op.As<ConvolutionSpec>();
        var activation = ActivationOf(plan, op.Layer);
        string kernel = c.OneDimensional ? $"{c.Kernel}" : $"{c.Kernel}×{c.Kernel}";
        return $"{Name(c)} {op.Layer} ({kernel}, {activation})";
    }

    public override string HeaderLabel(NetworkPlan plan, OpPlan op)
    {
        var c = op.As<ConvolutionSpec>();
        string kernel = c.OneDimensional ? $"{c.Kernel}" : $"{c.Kernel}×{c.Kernel}";
        string stride = c.Stride == 1 ? "" : $", stride {c.Stride}";
        string padding = c.Padding == 0 ? "" : $", padding {c.Padding}";
        return $"{Name(c)}({c.Filters}, {kernel}{stride}{padding}, {ActivationOf(plan, op.Layer)})";
    }

    private static string ActivationOf(NetworkPlan plan, int layer)
    {
        foreach (var o in plan.OpsOf(layer))
            if (o.Spec is ActivationSpec a) return ActivationCatalog.Name(a.Activation, a.NegativeSlope);
        return ActivationCatalog.Name(ActivationKind.Identity, 0f);
    }

    public override string ArchitectureTerm(OpSpec spec)
    {
        var c = (ConvolutionSpec)spec;
        string I(int v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{(c.OneDimensional ? "conv1d" : "conv2d")}({I(c.Filters)},k{I(c.Kernel)},s{I(c.Stride)},p{I(c.Padding)}{(c.Bias ? "" : ",nobias")}";
    }

    public override string RuntimeSettings(OpSpec spec)
    {
        var c = (ConvolutionSpec)spec;
        return $"Kernel = {c.Kernel}, Stride = {c.Stride}, Padding = {c.Padding}";
    }

    // ── Code ──

    public override void ScalarForward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("A convolution has no straight-line form (HasScalarForm is false).");

    public override void ScalarBackward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("A convolution has no straight-line form (HasScalarForm is false).");

    private static string BiasSlice(OpPlan op, string buffer) =>
        op.As<ConvolutionSpec>().Bias ? op.Block(Roles.Bias).Slice(buffer) : $"{Span}.Empty";

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        var conv = op.As<ConvolutionSpec>();
        var w = op.Block(Roles.Weight);
        string s = Sup(op.Layer), x = c.Span(op.Input), z = c.Span(op.Output), b = conv.Bias ? $" + b{s}[f]" : "";
        // The input index under kernel offset u at output position i: s·i + u − p, written without the ones and zeros.
        string At(string i, string u) => (conv.Stride == 1 ? i : $"{conv.Stride}·{i}") + $" + {u}" + (conv.Padding == 0 ? "" : $" − {conv.Padding}");
        string outside = conv.Padding == 0 ? "" : "zero outside the " + (conv.OneDimensional ? "sequence" : "image") + "; ";
        if (conv.OneDimensional)
            c.W.WriteLine($"// {op.Output.Math}[t, f] = Σ_c Σ_u W{s}[f, c, u] · {x}[{At("t", "u")}, c]{b}   ({outside}W{s} = parameters[{w.At}..{w.At + w.Count}) as {conv.Filters}×{w.Columns / conv.Kernel}×{conv.Kernel})");
        else
            c.W.WriteLine($"// {op.Output.Math}[f, i, j] = Σ_c Σ_u Σ_v W{s}[f, c, u, v] · {x}[c, {At("i", "u")}, {At("j", "v")}]{b}   ({outside}W{s} = parameters[{w.At}..{w.At + w.Count}) as {conv.Filters}×{op.Input.Shape.Channels}×{conv.Kernel}×{conv.Kernel})");
        int positions = op.Output.Size / conv.Filters;
        c.W.WriteLine(conv.OneDimensional
            ? $"// The same kernel at every step (weight sharing): the {positions} patches under it become the rows of one {positions}×{w.Columns} matrix in the cache (im2col), times W{s}ᵀ in register tiles"
            : $"// The same kernel at every position (weight sharing): the {positions} patches under it become the columns of one {w.Columns}×{positions} matrix in the cache (im2col), and {op.Output.Math} = W{s}·patches + b{s} in register tiles");
        c.W.WriteLine($"global::NetGen.ConvolutionKernels.Forward({w.Slice("parameters")}, {BiasSlice(op, "parameters")}, {x}, {z}, {c.Cache(op)},");
        c.W.WriteLine($"    {Geometry(op)});");
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        var conv = op.As<ConvolutionSpec>();
        var w = op.Block(Roles.Weight);
        string s = Sup(op.Layer), delta = c.Gradient(op.Output);
        c.W.WriteLine($"// ∂L/∂W{s}[f, ·] += Σ over positions δ[f, position] · (the patch at that position){(conv.Bias ? $",  ∂L/∂b{s}[f] += Σ over positions δ[f, position]" : "")}");
        if (op.Input.HasGradient)
            c.W.WriteLine($"// ∂L/∂{c.Span(op.Input)}: each patch's gradient δ·W{s} added back onto the input elements it was read from (col2im)");
        c.W.WriteLine($"global::NetGen.ConvolutionKernels.Backward({w.Slice("parameters")}, {delta}, {c.Cache(op)}, {w.Slice("gradients")}, {BiasSlice(op, "gradients")},");
        c.W.WriteLine($"    {(op.Input.HasGradient ? c.Gradient(op.Input) : $"{Span}.Empty")}, {Geometry(op)});");
    }
}
