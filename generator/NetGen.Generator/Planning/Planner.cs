using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Planning;

/// <summary>
/// Lowers a validated <see cref="NetworkSpec"/> to a <see cref="NetworkPlan"/>: per operation its values, parameter
/// blocks (the one layout), FLOPs and code shape; one allocator for every buffer. Works in long arithmetic and never
/// throws for large sizes, so the parser can ask it for the parameter count of any declaration.
/// </summary>
internal static class Planner
{
    /// <summary>Whether a dense layer is unrolled under the network's <see cref="UnrollingKind"/>.</summary>
    public static bool IsUnrolled(UnrollingKind unrolling, int inputs, int units) => unrolling switch
    {
        UnrollingKind.Always => true,
        UnrollingKind.Never => false,
        _ => (long)inputs * units <= CodeShape.AutoUnrollMaxWeights,
    };

    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var input = new ValuePlan("x", 0, spec.Input);
        var ops = new List<OpPlan>(spec.Ops.Count);
        var blocks = new List<BlockPlan>();
        long offset = 0;
        var value = input;
        var layerInput = new Dictionary<int, ValuePlan>();
        // A layer's code shape is its weight operation's: element-wise operations follow it.
        var layerUnrolled = new Dictionary<int, bool>();
        for (int i = 0; i < spec.Ops.Count; i++)
            if (OpKinds.Of(spec.Ops[i]).Unroll(spec.Ops[i], spec.Shapes[i], spec.Shapes[i + 1], spec.Unrolling) is bool u)
                layerUnrolled[spec.Ops[i].Layer] = u;
        for (int i = 0; i < spec.Ops.Count; i++)
        {
            var op = spec.Ops[i];
            var kind = OpKinds.Of(op);
            var next = i + 1 < spec.Ops.Count && spec.Ops[i + 1].Layer == op.Layer ? spec.Ops[i + 1] : null;
            var shape = spec.Shapes[i + 1];
            var output = new ValuePlan(kind.OutputRole(op, next), op.Layer, shape);
            var own = kind.Blocks(op, value.Shape, shape, 0, Facts(spec, op.Layer)).ToList();
            if (op is DenseSpec) layerInput[op.Layer] = value;
            ops.Add(new OpPlan(op, kind, value, output, own)
            {
                SkipSource = op is ResidualSpec && layerInput.TryGetValue(op.Layer, out var skip) ? skip : null,
                Unrolled = layerUnrolled.TryGetValue(op.Layer, out var unrolled) && unrolled,
            });
            value = output;
        }

        // The parameter buffer: every trainable block in operation order, then every state block (running statistics) in
        // operation order, so that the trainable parameters are one prefix an optimizer can own and the state one suffix.
        var placed = new Dictionary<BlockPlan, BlockPlan>();
        foreach (bool trainable in new[] { true, false })
            foreach (var op in ops)
                foreach (var block in op.Blocks.Where(b => b.Trainable == trainable))
                {
                    placed[block] = block with { Offset = offset };
                    offset = Saturating.Add(offset, block.Length);
                }
        long trainableCount = Saturating.Sum(ops.SelectMany(o => o.Blocks).Where(b => b.Trainable).Select(b => b.Length));
        foreach (var op in ops)
            op.Blocks = op.Blocks.Select(b => placed[b]).ToList();
        blocks.AddRange(placed.Values.OrderBy(b => b.Offset));

        // One allocator. Scratch of one sample: every value except training-only ones, then the gradient slots (one per
        // value that cannot take its gradient in place), then each training-only value and its mask.
        int scratch = 0;
        foreach (var op in ops)
            if (!op.Kind.TrainingOnly) { op.Output.Offset = scratch; scratch += op.Output.Size; }
        // Caches that a forward pass fills for the backward pass (a recurrent layer's states and gates), after the values.
        foreach (var op in ops)
        {
            op.CacheLength = op.Kind.CacheLength(op.Spec, op.Input.Shape, op.Output.Shape);
            if (op.CacheLength > 0) { op.CacheOffset = scratch; scratch = (int)Saturating.Add(scratch, op.CacheLength); }
        }
        int forward = scratch;
        foreach (var op in ops)
        {
            if (op.Kind.GradientInPlace)
            {
                op.Output.GradientOffset = op.Input.GradientOffset;
                op.Output.GradientLayer = op.Input.GradientLayer;
            }
            else
            {
                op.Output.GradientOffset = scratch;
                op.Output.GradientLayer = op.Layer;
                scratch += op.Output.Size;
            }
        }
        int backward = scratch;
        int statistics = 0;
        foreach (var op in ops)
        {
            if (op.Kind.TrainingOnly)
            {
                op.Output.Offset = scratch;
                op.MaskOffset = scratch + op.Output.Size;
                scratch += 2 * op.Output.Size;
            }
            if (op.Kind.NeedsWholeBatch)
            {
                op.StatisticsOffset = statistics;
                statistics += 2 * op.Kind.StatisticsUnits(op.Output.Shape);
            }
            // FLOPs, now that every value knows whether it needs a gradient.
            op.ForwardFlops = op.Kind.ForwardFlops(op);
            op.BackwardFlops = op.Kind.BackwardFlops(op);
        }
        var final = ops;

        // Straight-line: the whole Backward (forward, ∂L/∂W, ∂L/∂x) in one method, every value in a local.
        // Every value and its gradient is a local (z, a, ∂L/∂a, δ …); dropout adds its mask.
        long work = Saturating.Sum(final.Select(o => o.Kind.UnrolledMultiplyAdds(o)));
        long locals = Saturating.Add(spec.Input.Size + 8, Saturating.Sum(final.Select(o => o.Kind.StraightLineLocals(o))));
        bool allUnrolled = final.All(o => o.Unrolled);
        bool scalarForms = final.All(o => o.Kind.HasScalarForm);
        bool straightLine = allUnrolled && scalarForms && work <= CodeShape.MethodMaxMultiplyAdds && locals <= CodeShape.StraightLineMaxLocals;

        string reason;
        if (!scalarForms && allUnrolled)
            reason = "layered: " + string.Join("; ", final.Where(o => !o.Kind.HasScalarForm).Select(o => o.Kind.NoScalarFormReason).Distinct()) +
                     ", so each layer gets its own methods.";
        else if (straightLine)
            reason = $"straight-line: every layer is unrolled and Backward needs {work} multiply-adds and about {locals} locals " +
                     $"(one method may hold {CodeShape.MethodMaxMultiplyAdds} and {CodeShape.StraightLineMaxLocals} before the JIT stops optimising it).";
        else if (allUnrolled)
            reason = $"layered: every layer is unrolled, but Backward as one method would need {work} multiply-adds and about {locals} locals " +
                     $"(limits {CodeShape.MethodMaxMultiplyAdds} and {CodeShape.StraightLineMaxLocals}), so each layer gets its own methods.";
        else if (spec.Unrolling == UnrollingKind.Never)
            reason = "layered (Unrolling = Never): each layer gets its own forward and backward methods, all with SIMD loops.";
        else
            reason = "layered: each layer gets its own forward and backward methods; layers with more than " +
                     $"{CodeShape.AutoUnrollMaxWeights} weights use SIMD loops, smaller ones are unrolled.";

        return new NetworkPlan(spec, input, final, blocks, offset)
        {
            TrainableParameterCount = trainableCount,
            StraightLine = straightLine,
            ShapeReason = reason,
            ForwardScratchLength = forward,
            ScratchLength = backward,
            TrainingScratchLength = scratch,
            BatchStatisticsLength = statistics,
        };
    }

    /// <summary>The activation a layer's weights are initialised for (the first activation of the layer; identity if none).</summary>
    private static LayerFacts Facts(NetworkSpec spec, int layer)
    {
        foreach (var op in spec.Ops)
            if (op.Layer == layer && op is ActivationSpec a)
                return new LayerFacts(a.Activation, a.NegativeSlope);
        return new LayerFacts(ActivationKind.Identity, 0f);
    }
}
