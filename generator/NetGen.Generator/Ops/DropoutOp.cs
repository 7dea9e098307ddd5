using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// Inverted dropout in training mode: dⱼ = mⱼ·xⱼ with mⱼ = 1/(1 − p) with probability 1 − p, else 0 (one draw per
/// value from <c>random</c>, in index order). In inference mode the output is the input: no code at all.
/// </summary>
internal sealed class DropoutOp : OpKind
{
    public override string RuntimeKind => "Dropout";

    public override bool TrainingOnly => true;

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "d";

    public override string RuntimeSettings(OpSpec spec) =>
        $"Rate = {Literals.Float(((DropoutSpec)spec).Rate)}" + (((DropoutSpec)spec).PerChannel ? ", PerChannel = true" : "");

    /// <summary>Dropout of whole channels needs channels: an image.</summary>
    public override bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        output = input;
        bool ok = !((DropoutSpec)spec).PerChannel || input.IsImage;
        problem = ok ? "" : $"PerChannel = true drops whole channels of an image, but the values it acts on are {input}; remove PerChannel, or put it before a layer that reads an image";
        return ok;
    }

    public override string Title(OpPlan op) => $"dropout {Literals.Math(Rate(op))}{(PerChannel(op) ? " of whole channels" : "")} on its input in training";

    public override string? SummaryName(NetworkPlan plan, OpPlan op) => $"Dropout({Literals.Math(Rate(op))}{(PerChannel(op) ? ", per channel" : "")}), training only";

    private static bool PerChannel(OpPlan op) => op.As<DropoutSpec>().PerChannel;

    private static float Rate(OpPlan op) => op.As<DropoutSpec>().Rate;

    public override void ScalarForward(ScalarCode c, OpPlan op)
    {
        if (!c.Training)
        {
            c.Alias(op.Output, op.Input);
            return;
        }
        int n = op.Output.Size, l = op.Layer;
        float p = Rate(op), keep = 1f / (1f - p);
        string x = c.Math(op.Input), d = op.Output.Math;
        if (PerChannel(op))
        {
            // One draw per channel, in channel order; every value of the channel shares it.
            int channels = op.Input.Shape.Channels, spatial = n / channels;
            c.W.WriteLine($"// Dropout of whole channels (training mode), p = {Literals.Math(p)}: keep each channel with probability 1 − p and scale it by 1/(1 − p):");
            c.W.WriteLine($"// m{Sup(l)} of channel c = {Literals.Math(keep)} if u ≥ p (one u uniform in [0, 1) from random per channel), else 0; {d}ⱼ = m{Sup(l)}ⱼ·{x}ⱼ");
            for (int ch = 0; ch < channels; ch++)
                c.W.WriteLine($"float mc{l}_{ch} = random.NextSingle() >= {Literals.Float(p)} ? {Literals.Float(keep)} : 0f;");
            for (int j = 0; j < n; j++)
                c.W.WriteLine($"float m{l}_{j} = mc{l}_{j / spatial}, {op.Output.Local(j)} = {c.Value(op.Input, j)} * m{l}_{j};");
            return;
        }
        c.W.WriteLine($"// Dropout (training mode), p = {Literals.Math(p)}: keep each value with probability 1 − p and scale it by 1/(1 − p), so its");
        c.W.WriteLine($"// expectation is unchanged: m{Sup(l)}ⱼ = {Literals.Math(keep)} if u ≥ p (u uniform in [0, 1) from random), else 0; {d}ⱼ = m{Sup(l)}ⱼ·{x}ⱼ");
        for (int j = 0; j < n; j++)
            c.W.WriteLine($"float m{l}_{j} = random.NextSingle() >= {Literals.Float(p)} ? {Literals.Float(keep)} : 0f, {op.Output.Local(j)} = {c.Value(op.Input, j)} * m{l}_{j};");
    }

    public override void ScalarBackward(ScalarCode c, OpPlan op)
    {
        if (!c.Training || !c.WantsGradient(op.Input))
            return;
        int n = op.Output.Size, l = op.Layer;
        c.W.WriteLine($"// ∂L/∂{c.Math(op.Input)} = ∂L/∂{op.Output.Math} ⊙ m{Sup(l)}, the dropout mask");
        var dd = new string[n];
        for (int j = 0; j < n; j++) dd[j] = c.Gradient(op.Output, j);
        var names = c.NewGradient(op.Input);
        for (int j = 0; j < n; j++)
            c.W.WriteLine($"float {names[j]} = {dd[j]} * m{l}_{j};");
    }

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        float p = Rate(op);
        if (PerChannel(op))
        {
            c.W.WriteLine($"// Dropout of whole channels (training mode) on {c.Span(op.Input)}, p = {Literals.Math(p)}: one draw per channel, m = 1/(1 − p) with probability 1 − p, else 0, for all its values; dⱼ = mⱼ·xⱼ");
            c.W.WriteLine($"global::NetGen.DropoutKernels.ForwardChannels({c.Span(op.Input)}, {c.Span(op.Output)}, {c.Mask(op)}, {Literals.Float(p)}, channels: {op.Input.Shape.Channels}, ref random);");
            return;
        }
        c.W.WriteLine($"// Dropout (training mode) on {c.Span(op.Input)}, p = {Literals.Math(p)}: mⱼ = 1/(1 − p) with probability 1 − p, else 0; dⱼ = mⱼ·xⱼ");
        c.W.WriteLine($"global::NetGen.DropoutKernels.Forward({c.Span(op.Input)}, {c.Span(op.Output)}, {c.Mask(op)}, {Literals.Float(p)}, ref random);");
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        if (!op.Input.HasGradient)
            return;
        c.W.WriteLine($"global::NetGen.DropoutKernels.Backward({c.Gradient(op.Input)}, {c.Mask(op)}); // ∂L/∂x = ∂L/∂d ⊙ m");
    }
}
