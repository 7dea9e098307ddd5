using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>Lowers a validated <see cref="NetworkSpec"/> to a <see cref="NetworkPlan"/>.</summary>
internal static class Planner
{
    /// <summary>Whether a layer is unrolled under the network's <see cref="UnrollingKind"/>.</summary>
    public static bool IsUnrolled(UnrollingKind unrolling, int inputs, int units) => unrolling switch
    {
        UnrollingKind.Always => true,
        UnrollingKind.Never => false,
        _ => (long)inputs * units <= CodeShape.AutoUnrollMaxWeights,
    };

    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var layers = new List<LayerPlan>(spec.Layers.Count);
        // Scratch layout: z and a of every layer first (all a forward pass needs), then δ of every layer.
        int forwardScratch = 0;
        foreach (var layer in spec.Layers) forwardScratch += (layer.HasBatchNorm ? 3 : 2) * layer.Units;
        int offset = 0, scratch = 0, deltas = forwardScratch, inputs = spec.Inputs;
        // Training mode's dropout masks and dropped inputs go after the deltas.
        int training = forwardScratch + spec.Layers.Sum(l => l.Units);
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var plan = new LayerPlan
            {
                Number = i + 1,
                Inputs = inputs,
                Units = layer.Units,
                Activation = layer.Activation,
                NegativeSlope = layer.NegativeSlope,
                WeightOffset = offset,
                BiasOffset = offset + inputs * layer.Units,
                GammaOffset = layer.HasBatchNorm ? offset + (inputs + 1) * layer.Units : 0,
                BatchNormEpsilon = layer.BatchNormEpsilon,
                BatchNormMomentum = layer.BatchNormMomentum,
                YOffset = layer.HasBatchNorm ? scratch + 2 * layer.Units : 0,
                SlopeOffset = layer.SlopeCount > 0 ? offset + (inputs + 1) * layer.Units + (layer.HasBatchNorm ? 4 * layer.Units : 0) : -1,
                Residual = layer.Residual,
                InputDropout = layer.InputDropout,
                MaskOffset = layer.InputDropout > 0f ? training : 0,
                DroppedOffset = layer.InputDropout > 0f ? training + inputs : 0,
                IsFirst = i == 0,
                IsOutput = i == spec.Layers.Count - 1,
                Unrolled = IsUnrolled(spec.Unrolling, inputs, layer.Units),
                ZOffset = scratch,
                AOffset = scratch + layer.Units,
                DeltaOffset = deltas,
            };
            layers.Add(plan);
            offset = plan.BiasOffset + layer.Units + layer.ExtraCount;
            scratch += (layer.HasBatchNorm ? 3 : 2) * layer.Units;
            deltas += layer.Units;
            if (layer.InputDropout > 0f) training += 2 * inputs;
            inputs = layer.Units;
        }

        // Straight-line: the whole Backward (forward, ∂L/∂W, ∂L/∂x) in one method, every value in a local.
        long straightLineWork = layers.Sum(l => (long)l.WeightCount + CodeShape.BackwardMultiplyAdds(l.IsFirst, l.Inputs, l.Units));
        long locals = spec.Inputs + layers.Sum(l => 4L * l.Units + (l.HasInputDropout ? 2L * l.Inputs : 0)) + 8;
        bool allUnrolled = layers.All(l => l.Unrolled);
        bool anyBatchNorm = layers.Any(l => l.HasBatchNorm);
        bool straightLine = allUnrolled && !anyBatchNorm && straightLineWork <= CodeShape.MethodMaxMultiplyAdds && locals <= CodeShape.StraightLineMaxLocals;

        string reason;
        if (anyBatchNorm && allUnrolled)
            reason = "layered: batch normalization needs each layer's values for the whole mini-batch in training mode, so each layer gets its own methods.";
        else if (straightLine)
            reason = $"straight-line: every layer is unrolled and Backward needs {straightLineWork} multiply-adds and about {locals} locals " +
                     $"(one method may hold {CodeShape.MethodMaxMultiplyAdds} and {CodeShape.StraightLineMaxLocals} before the JIT stops optimising it).";
        else if (allUnrolled)
            reason = $"layered: every layer is unrolled, but Backward as one method would need {straightLineWork} multiply-adds and about {locals} locals " +
                     $"(limits {CodeShape.MethodMaxMultiplyAdds} and {CodeShape.StraightLineMaxLocals}), so each layer gets its own methods.";
        else if (spec.Unrolling == UnrollingKind.Never)
            reason = "layered (Unrolling = Never): each layer gets its own forward and backward methods, all with SIMD loops.";
        else
            reason = "layered: each layer gets its own forward and backward methods; layers with more than " +
                     $"{CodeShape.AutoUnrollMaxWeights} weights use SIMD loops, smaller ones are unrolled.";
        return new NetworkPlan(spec, layers, offset, straightLine, forwardScratch, deltas, reason, training);
    }
}
