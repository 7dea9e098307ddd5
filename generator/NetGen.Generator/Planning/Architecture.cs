using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>The declaration in canonical form, and the runtime's per-layer descriptions, both read off the operations.</summary>
internal static class Architecture
{
    /// <summary>
    /// The checkpoint compatibility key, e.g. <c>netgen-1 inputs=2 dense(4,tanh) dense(1,sigmoid) loss=mse</c>: each
    /// layer's operations contribute their terms in the fixed netgen-1 order (dense, activation, residual, batch norm), so
    /// checkpoints saved before the operation model load unchanged; a network with state (running statistics) adds
    /// <c>state=…</c>, the state blocks in buffer order. Dropout and code shape change no parameter and are not part of it.
    /// </summary>
    public static string Of(NetworkPlan plan)
    {
        var text = new StringBuilder("netgen-1 inputs=").Append(plan.Input.Shape.Width.ToString(CultureInfo.InvariantCulture));
        if (plan.Input.Shape.IsSequence)
            text.Append(" steps=").Append(plan.Input.Shape.Steps.ToString(CultureInfo.InvariantCulture));
        if (plan.Input.Shape.IsImage)
            text.Append(" image=").Append(string.Join("x", plan.Input.Shape.Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))));
        foreach (int layer in plan.LayerNumbers)
        {
            var terms = plan.OpsOf(layer)
                .Select(o => (o.Kind.ArchitectureOrder, Term: o.Kind.ArchitectureTerm(o.Spec)))
                .Where(t => t.Term is not null)
                .OrderBy(t => t.ArchitectureOrder)
                .Select(t => t.Term)
                .ToList();
            if (terms.Count > 0)
                text.Append(' ').Append(string.Concat(terms)).Append(')');
        }
        // State blocks live after every trainable block (since the operation model); the key names them so that a
        // checkpoint saved with state in another place is refused rather than loaded into the wrong positions.
        var state = plan.Blocks.Where(b => !b.Trainable).Select(b => b.Name).ToList();
        if (state.Count > 0)
            text.Append(" state=").Append(string.Join(",", state));
        text.Append(" loss=").Append(plan.Spec.Loss switch
        {
            LossKind.MeanSquaredError => "mse",
            LossKind.MeanAbsoluteError => "mae",
            LossKind.BinaryCrossEntropy => "bce",
            _ => "cross-entropy",
        });
        return text.ToString();
    }

    /// <summary>One dense layer as the runtime's <c>LayerDescription</c> sees it.</summary>
    internal sealed record DenseLayer(int Layer, int Inputs, int Units, ActivationKind Activation, float NegativeSlope, bool Residual, float BatchNormEpsilon);

    /// <summary>The dense layers, each with its activation, residual add and batch normalization.</summary>
    public static IEnumerable<DenseLayer> Layers(NetworkPlan plan)
    {
        foreach (int layer in plan.LayerNumbers)
        {
            var ops = plan.OpsOf(layer).ToList();
            var dense = ops.FirstOrDefault(o => o.Spec is DenseSpec);
            if (dense is null) continue;
            var activation = ops.Select(o => o.Spec).OfType<ActivationSpec>().FirstOrDefault();
            var norm = ops.Select(o => o.Spec).OfType<BatchNormSpec>().FirstOrDefault();
            yield return new DenseLayer(layer, Ops.DenseOp.PerStep(dense) ? dense.Input.Shape.Width : dense.Input.Size, dense.Output.Shape.Width, activation?.Activation ?? ActivationKind.Identity,
                activation?.NegativeSlope ?? 0f, ops.Any(o => o.Spec is ResidualSpec), norm?.Epsilon ?? 0f);
        }
    }
}
