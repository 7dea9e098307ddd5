using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// a = g + x: the layer's input x (the dense operation's input) added to its activation g. Backward, the skip path
/// carries ∂L/∂a to ∂L/∂x unchanged, and ∂L/∂g = ∂L/∂a.
/// </summary>
internal sealed class ResidualOp : OpKind
{
    public override string RuntimeKind => "ResidualAdd";

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "a";

    public override string Title(OpPlan op) => "residual (a = g + x)";

    public override string? SummaryName(NetworkPlan plan, OpPlan op) => null; // shown in its dense layer's row

    public override string ArchitectureTerm(OpSpec spec) => ",residual";

    public override int ArchitectureOrder => 2;

    public override void ScalarForward(ScalarCode c, OpPlan op)
    {
        c.W.WriteLine($"// {op.Output.Math} = {op.Input.Math} + {c.Math(op.SkipSource!)}: residual, the layer's input added back");
        for (int i = 0; i < op.Output.Size; i++)
            c.W.WriteLine($"float {op.Output.Local(i)} = {c.Value(op.Input, i)} + {c.Value(op.SkipSource!, i)};");
    }

    public override void ScalarBackward(ScalarCode c, OpPlan op)
    {
        var da = new string[op.Output.Size];
        for (int i = 0; i < da.Length; i++) da[i] = c.Gradient(op.Output, i);
        c.BindGradient(op.Input, da); // ∂L/∂g = ∂L/∂a
        if (c.WantsGradient(op.SkipSource!))
            c.AddPending(op.SkipSource!, da); // and the skip path adds ∂L/∂a into ∂L/∂x
    }

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        string a = c.Span(op.Output), g = c.Span(op.Input), x = c.Span(op.SkipSource!);
        c.W.WriteLine($"// {a} = {g} + {x}: residual, the layer's input added back");
        c.ForEach(op.Output.Size, i => $"{a}[{i}] = {g}[{i}] + {x}[{i}];");
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        // ∂L/∂g = ∂L/∂a: the same slot. The skip path starts ∂L/∂x with ∂L/∂a; the dense operation then adds Wᵀ·δ.
        if (!op.SkipSource!.HasGradient)
            return;
        c.W.WriteLine($"{c.Gradient(op.Output)}.CopyTo({c.Gradient(op.SkipSource!)}); // residual: ∂L/∂x starts as ∂L/∂a (the skip path)");
        c.Accumulate(op.SkipSource!);
    }
}
