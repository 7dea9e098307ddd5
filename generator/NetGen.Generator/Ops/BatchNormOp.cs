using System.Collections.Generic;
using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// Batch normalization of z, before the activation as in the paper: y = γ·(z − μ)/√(σ² + ε) + β. Training mode uses the
/// batch's μ and σ² (so it needs the whole batch) and moves the running averages; inference mode uses the running
/// averages. γ and β are trained; the running mean and variance are non-trainable state blocks. After a convolution the
/// units are the image's channels, each normalized over the batch and its H·W values (PyTorch's <c>BatchNorm2d</c>).
/// </summary>
internal sealed class BatchNormOp : OpKind
{
    public override string RuntimeKind => "BatchNorm";

    public override bool NeedsWholeBatch => true;

    public override bool HasScalarForm => false;

    public override string NoScalarFormReason =>
        "batch normalization has no straight-line form (it needs each layer's values for the whole mini-batch in training mode)";

    public override bool BatchWide => true;

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "y";

    public override IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer)
    {
        int l = spec.Layer, m = StatisticsUnits(output);
        yield return new BlockPlan($"gamma{l}", $"γ{Sup(l)}", Roles.Scale, offset, m, 1, true, InitRule.Constant, 1f, InitReason: "1");
        yield return new BlockPlan($"beta{l}", $"β{Sup(l)}", Roles.Shift, offset + m, m, 1, true, InitRule.Constant, 0f, InitReason: "0");
        yield return new BlockPlan($"mean{l}", $"μ{Sup(l)}", Roles.RunningMean, offset + 2L * m, m, 1, false, InitRule.Constant, 0f, InitReason: "0, the running mean");
        yield return new BlockPlan($"var{l}", $"σ²{Sup(l)}", Roles.RunningVariance, offset + 3L * m, m, 1, false, InitRule.Constant, 1f, InitReason: "1, the running variance");
    }

    /// <summary>A vector's values, or an image's channels.</summary>
    public override int StatisticsUnits(Shape output) => Units(output);

    private static int Units(Shape output) => output.IsImage ? output.Channels : (int)output.Size;

    /// <summary>Values per unit: 1, or an image's H·W.</summary>
    private static int Spatial(OpPlan op) => op.Output.Shape.IsImage ? op.Output.Shape.Height * op.Output.Shape.Columns : 1;

    /// <summary>The kernels' trailing <c>spatial:</c> argument, only for an image (a vector's calls stay as they were).</summary>
    private static string SpatialArgument(OpPlan op) => Spatial(op) > 1 ? $", spatial: {Spatial(op)}" : "";


    public override string RuntimeSettings(OpSpec spec) =>
        $"Epsilon = {Literals.Float(((BatchNormSpec)spec).Epsilon)}, Momentum = {Literals.Float(((BatchNormSpec)spec).Momentum)}";

    public override string Title(OpPlan op) => op.Output.Shape.IsImage ? "batch-normalized per channel" : "batch-normalized";

    public override string? SummaryName(NetworkPlan plan, OpPlan op) => $"  BatchNorm {op.Layer}";

    public override string ArchitectureTerm(OpSpec spec) =>
        ",batchnorm:" + ((BatchNormSpec)spec).Epsilon.ToString("G9", System.Globalization.CultureInfo.InvariantCulture);

    public override int ArchitectureOrder => 3;

    private static BatchNormSpec Spec(OpPlan op) => op.As<BatchNormSpec>();

    private static string Slice(OpPlan op, string role, string buffer) => op.Block(role).Slice(buffer);

    public override void ScalarForward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("Batch normalization has no straight-line form; the planner chooses the layered shape.");

    public override void ScalarBackward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("Batch normalization has no straight-line form; the planner chooses the layered shape.");

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        float eps = Spec(op).Epsilon;
        c.W.WriteLine(op.Output.Shape.IsImage
            ? $"// Batch normalization per channel, inference mode: y[c, ·] = γ_c·(z[c, ·] − μ_c)/√(σ²_c + ε) + β_c with the running mean μ and variance σ², ε = {Literals.Math(eps)}"
            : $"// Batch normalization, inference mode: yᵢ = γᵢ·(zᵢ − μᵢ)/√(σ²ᵢ + ε) + βᵢ with the running mean μ and variance σ², ε = {Literals.Math(eps)}");
        c.W.WriteLine($"global::NetGen.BatchNormKernels.Forward({c.Span(op.Input)}, {c.Span(op.Output)}, {Slice(op, Roles.Scale, "parameters")}, {Slice(op, Roles.Shift, "parameters")}, " +
                      $"{Slice(op, Roles.RunningMean, "parameters")}, {Slice(op, Roles.RunningVariance, "parameters")}, {Literals.Float(eps)}{SpatialArgument(op)});");
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        c.W.WriteLine("// Batch normalization, inference mode, backward in place: ∂L/∂z = ∂L/∂y·γ/√(σ² + ε); adds ∂L/∂γ, ∂L/∂β, ∂L/∂μ and ∂L/∂σ²");
        c.W.WriteLine($"global::NetGen.BatchNormKernels.Backward({c.Gradient(op.Output)}, {c.Span(op.Input)}, {Slice(op, Roles.Scale, "parameters")}, " +
                      $"{Slice(op, Roles.RunningMean, "parameters")}, {Slice(op, Roles.RunningVariance, "parameters")}, {Literals.Float(Spec(op).Epsilon)},");
        c.W.WriteLine($"    {Slice(op, Roles.Scale, "gradients")}, {Slice(op, Roles.Shift, "gradients")}, {Slice(op, Roles.RunningMean, "gradients")}, {Slice(op, Roles.RunningVariance, "gradients")}{SpatialArgument(op)});");
    }

    public override void BatchForward(BatchCode c, OpPlan op)
    {
        var spec = Spec(op);
        int m = StatisticsUnits(op.Output.Shape);
        c.W.WriteLine(op.Output.Shape.IsImage
            ? $"// Batch normalization of each of the {m} channels with the batch's μ and σ² over its {Spatial(op)} values in every sample; the running averages move by momentum {Literals.Math(spec.Momentum)}"
            : $"// Batch normalization with the batch's μ and σ²; the running averages move by momentum {Literals.Math(spec.Momentum)}");
        c.W.WriteLine($"global::NetGen.BatchNormKernels.TrainingForward(batch, {Layout.Stride}, count, {Layout.Value(op.Input)}, {Layout.Value(op.Output)}, {m}, " +
                      $"{Slice(op, Roles.Scale, "parameters")}, {Slice(op, Roles.Shift, "parameters")},");
        c.W.WriteLine($"    {Slice(op, Roles.RunningMean, "parameters")}, {Slice(op, Roles.RunningVariance, "parameters")}, {Literals.Float(spec.Momentum)}, {Literals.Float(spec.Epsilon)}, " +
                      $"{StatisticsSlices(op)}{SpatialArgument(op)});");
    }

    public override void BatchBackward(BatchCode c, OpPlan op)
    {
        int m = StatisticsUnits(op.Output.Shape);
        c.W.WriteLine("// ∂L/∂z through the batch statistics; adds ∂L/∂γ and ∂L/∂β");
        c.W.WriteLine($"global::NetGen.BatchNormKernels.TrainingBackward(batch, {Layout.Stride}, count, {Layout.Value(op.Input)}, {Layout.Gradient(op.Output)}, {m}, {Slice(op, Roles.Scale, "parameters")},");
        c.W.WriteLine($"    {StatisticsSlices(op)}, {Slice(op, Roles.Scale, "gradients")}, {Slice(op, Roles.Shift, "gradients")}{SpatialArgument(op)});");
    }

    /// <summary>The batch's μ and 1/√(σ² + ε) for this layer, in the statistics after the samples' blocks.</summary>
    private static string StatisticsSlices(OpPlan op) =>
        $"stats.Slice({Layout.Class}.BatchMean{op.Layer}, {Units(op.Output.Shape)}), stats.Slice({Layout.Class}.BatchInverseStd{op.Layer}, {Units(op.Output.Shape)})";
}
