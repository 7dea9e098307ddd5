using System.Collections.Generic;
using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>a = g(z) element-wise, from the catalog; softmax over the vector; PReLU with one learned slope per unit.</summary>
internal sealed class ActivationOp : OpKind
{
    private const string Math = ActivationCatalog.Math;

    public override string RuntimeKind => "Activation";

    /// <summary>a, or g when a residual add follows (a = g + x).</summary>
    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => nextInLayer is ResidualSpec ? "g" : "a";

    public override IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer)
    {
        var a = (ActivationSpec)spec;
        if (a.Activation != ActivationKind.PReLU)
            yield break;
        int l = spec.Layer;
        yield return new BlockPlan($"alpha{l}", $"α{Sup(l)}", Roles.Slope, offset, (int)output.Size, 1, true, InitRule.Constant,
            ActivationCatalog.PReLUInitialSlope, InitReason: Literals.Math(ActivationCatalog.PReLUInitialSlope) + ", PyTorch's initial PReLU slope");
    }

    public override string RuntimeSettings(OpSpec spec) =>
        $"Activation = global::NetGen.Activation.{((ActivationSpec)spec).Activation}, NegativeSlope = {Literals.Float(((ActivationSpec)spec).NegativeSlope)}";

    public override string Title(OpPlan op) => Name(op);

    public override string? SummaryName(NetworkPlan plan, OpPlan op) => null; // shown in its dense layer's row

    public override string ArchitectureTerm(OpSpec spec)
    {
        var a = (ActivationSpec)spec;
        string term = "," + a.Activation.ToString().ToLowerInvariant();
        return a.Activation == ActivationKind.LeakyReLU
            ? term + ":" + a.NegativeSlope.ToString("G9", System.Globalization.CultureInfo.InvariantCulture)
            : term;
    }

    public override int ArchitectureOrder => 1;

    private static ActivationSpec Spec(OpPlan op) => op.As<ActivationSpec>();

    private static string Name(OpPlan op) => ActivationCatalog.Name(Spec(op).Activation, Spec(op).NegativeSlope);

    private static bool HasSlopes(OpPlan op) => Spec(op).Activation == ActivationKind.PReLU;

    // ── Straight-line ──

    public override void ScalarForward(ScalarCode c, OpPlan op)
    {
        var spec = Spec(op);
        int m = op.Output.Size, l = op.Layer;
        string z = c.Math(op.Input), a = op.Output.Math;
        bool lossOnly = c.Pass == Pass.Loss && c.LossAppliedDerivative(op);
        if (HasSlopes(op))
        {
            var alpha = op.Block(Roles.Slope);
            c.W.WriteLine($"// {alpha.Math} = parameters[{alpha.At}..{alpha.At + m}), the learned PReLU slopes");
            c.W.WriteLine($"global::System.ReadOnlySpan<float> alpha{l} = {alpha.Slice("parameters")};");
        }
        if (spec.Activation == ActivationKind.Softmax)
        {
            c.W.WriteLine($"// {ActivationCatalog.ForwardMath(ActivationKind.Softmax, 0f, a, z)}");
            c.W.WriteLine($"float max{l} = {c.Value(op.Input, 0)};");
            for (int i = 1; i < m; i++)
                c.W.WriteLine($"max{l} = {Math}.Max(max{l}, {c.Value(op.Input, i)});");
            for (int i = 0; i < m; i++)
                c.W.WriteLine($"float exp{l}_{i} = {Math}.Exp({c.Value(op.Input, i)} - max{l});");
            c.W.WriteLine($"float sum{l} = " + Text.Wrap(Text.Range(m, i => $"exp{l}_{i}"), " + ", Text.TermsPerLine, "    ") + ";");
            c.Shared["max"] = $"max{l}";
            c.Shared["sum"] = $"sum{l}";
            if (!lossOnly)
                for (int i = 0; i < m; i++)
                    c.W.WriteLine($"float {op.Output.Local(i)} = exp{l}_{i} / sum{l};");
            return;
        }
        if (lossOnly)
            return; // the fused loss reads the logits only
        c.W.WriteLine($"// {ActivationCatalog.ForwardMath(spec.Activation, spec.NegativeSlope, a, z)}");
        for (int i = 0; i < m; i++)
            c.W.WriteLine($"float {op.Output.Local(i)} = {ActivationCatalog.Forward(spec.Activation, spec.NegativeSlope, c.Value(op.Input, i), $"alpha{l}[{i}]")};");
    }

    public override void ScalarBackward(ScalarCode c, OpPlan op)
    {
        var spec = Spec(op);
        int m = op.Output.Size, l = op.Layer;
        string z = c.Math(op.Input), a = op.Output.Math;
        if (HasSlopes(op))
        {
            c.W.WriteLine($"// ∂L/∂α{Sup(l)}ᵢ += ∂L/∂{a}ᵢ·{z}ᵢ where {z}ᵢ ≤ 0 (there {a}ᵢ = αᵢ·{z}ᵢ)");
            c.W.WriteLine($"global::System.Span<float> galpha{l} = {op.Block(Roles.Slope).Slice("gradients")};");
            for (int i = 0; i < m; i++)
                c.W.WriteLine($"galpha{l}[{i}] += {ActivationCatalog.SlopeGradient(c.Gradient(op.Output, i), c.Value(op.Input, i))};");
        }
        string delta = op.Input.Role == "z" ? "δ" + Sup(l) : "∂L/∂" + z;
        c.W.WriteLine($"// {delta} = ∂L/∂{a} ⊙ g'({z}),  {ActivationCatalog.DerivativeMath(spec.Activation, spec.NegativeSlope, a, z)}");
        var da = new string[m];
        for (int i = 0; i < m; i++) da[i] = c.Gradient(op.Output, i);
        var names = c.NewGradient(op.Input);
        for (int i = 0; i < m; i++)
            c.W.WriteLine($"float {names[i]} = {ActivationCatalog.Delta(spec.Activation, spec.NegativeSlope, da[i], c.Value(op.Input, i), op.Output.Local(i), $"alpha{l}[{i}]")};");
    }

    // ── One sample over spans ──

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        var spec = Spec(op);
        int m = op.Output.Size;
        string pre = c.Span(op.Input), a = c.Span(op.Output);
        if (HasSlopes(op))
            c.W.WriteLine($"global::System.ReadOnlySpan<float> alpha = {op.Block(Roles.Slope).Slice("parameters")}; // the learned PReLU slopes");
        if (spec.Activation == ActivationKind.Softmax)
        {
            c.W.WriteLine($"// {ActivationCatalog.ForwardMath(ActivationKind.Softmax, 0f, a, pre)}");
            c.W.WriteLine($"float max = {pre}[0];");
            c.W.WriteLine($"for (int i = 1; i < {m}; i++) max = {Math}.Max(max, {pre}[i]);");
            c.W.WriteLine("float sum = 0f;");
            using (c.W.OpenBlock($"for (int i = 0; i < {m}; i++)"))
            {
                c.W.WriteLine($"{a}[i] = {Math}.Exp({pre}[i] - max);");
                c.W.WriteLine($"sum += {a}[i];");
            }
            c.W.WriteLine($"for (int i = 0; i < {m}; i++) {a}[i] /= sum;");
            return;
        }
        c.W.WriteLine($"// {ActivationCatalog.ForwardMath(spec.Activation, spec.NegativeSlope, a, pre)}");
        c.ForEach(m, i => $"{a}[{i}] = {ActivationCatalog.Forward(spec.Activation, spec.NegativeSlope, $"{pre}[{i}]", $"alpha[{i}]")};");
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        var spec = Spec(op);
        int m = op.Output.Size;
        string pre = c.Span(op.Input), a = c.Span(op.Output), delta = c.Gradient(op.Output);
        if (HasSlopes(op))
        {
            var alpha = op.Block(Roles.Slope);
            c.W.WriteLine($"// ∂L/∂αᵢ += ∂L/∂{a}ᵢ·{pre}ᵢ where {pre}ᵢ ≤ 0 (there {a}ᵢ = αᵢ·{pre}ᵢ)");
            c.W.WriteLine($"global::System.ReadOnlySpan<float> alpha = {alpha.Slice("parameters")};");
            c.W.WriteLine($"global::System.Span<float> galpha = {alpha.Slice("gradients")};");
            c.ForEach(m, i => $"galpha[{i}] += {ActivationCatalog.SlopeGradient($"{delta}[{i}]", $"{pre}[{i}]")};");
        }
        c.W.WriteLine($"// ∂L/∂{pre} = ∂L/∂{a} ⊙ g'({pre}) in place,  {ActivationCatalog.DerivativeMath(spec.Activation, spec.NegativeSlope, a, pre)}");
        c.ForEach(m, i => $"{delta}[{i}] = {ActivationCatalog.Delta(spec.Activation, spec.NegativeSlope, $"{delta}[{i}]", $"{pre}[{i}]", $"{a}[{i}]", $"alpha[{i}]")};");
    }
}
