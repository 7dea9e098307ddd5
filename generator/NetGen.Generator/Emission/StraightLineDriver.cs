using System.Linq;
using NetGen.Generator.Helpers;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>
/// The straight-line shape: each public kernel is one method body with one statement per scalar of the derivation,
/// every value in a local (z1_3 is z¹₃). Chosen only when the whole Backward fits the JIT's budget. Walks the
/// operations forward, layer by layer in regions, then the loss, then the operations in reverse.
/// </summary>
internal static class StraightLineDriver
{
    public static void WriteKernelBody(SourceWriter w, NetworkPlan plan, Pass pass, bool training)
    {
        var c = new ScalarCode(w, plan, pass, training);
        w.WriteLine("// x = input");
        w.WriteLine("float " + Text.Wrap(Text.Range(plan.InputSize, j => $"x{j} = input[{j}]"), ", ", 8, "      ") + ";");
        w.WriteLine();
        foreach (int layer in plan.LayerNumbers)
        {
            w.WriteLine("#region " + KernelText.LayerTitle(plan, layer));
            foreach (var op in plan.OpsOf(layer))
                op.Kind.ScalarForward(c, op);
            w.WriteLine("#endregion");
            w.WriteLine();
        }
        if (pass == Pass.Predict)
        {
            w.WriteLine($"// The network's output is {c.Math(plan.Output)}.");
            w.WriteLine(string.Join("\n", Enumerable.Range(0, plan.OutputSize).Select(i => $"output[{i}] = {c.Value(plan.Output, i)};")));
            return;
        }
        LossEmitter.WriteScalar(c, train: pass == Pass.Train);
        if (pass == Pass.Train)
        {
            foreach (int layer in plan.LayerNumbers.Reverse())
            {
                w.WriteLine($"#region Layer {layer} backward");
                foreach (var op in plan.OpsOf(layer).Reverse())
                    if (!c.LossAppliedDerivative(op))
                        op.Kind.ScalarBackward(c, op);
                w.WriteLine("#endregion");
                w.WriteLine();
            }
        }
        w.WriteLine("return loss;");
    }
}
