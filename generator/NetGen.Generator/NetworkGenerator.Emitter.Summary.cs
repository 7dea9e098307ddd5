using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Catalog;
using NetGen.Generator.Helpers;
using NetGen.Generator.Planning;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>The Keras-style summary table, one string per line.</summary>
        private static List<string> SummaryLines(NetworkPlan plan)
        {
            var lines = new List<string>
            {
                $"Network: {plan.Spec.TypeName} (NetGen)",
                $"{"Layer",-30} {"Output",8} {"Params",12} {"FLOPs",14}  Code",
                $"{"Input",-30} {plan.InputSize,8} {0,12} {0,14}",
            };
            foreach (var layer in plan.Layers)
            {
                if (layer.HasInputDropout)
                    lines.Add($"{$"Dropout({Literals.Math(layer.InputDropout)}), training only",-30} {layer.Inputs,8} {0,12} {0,14}");
                string title = $"Dense {layer.Number} ({ActivationCatalog.Name(layer.Activation, layer.NegativeSlope)}{(layer.Residual ? ", residual" : "")}{(layer.HasBatchNorm ? ", BN" : "")})";
                string code = layer.Unrolled ? "unrolled" : "SIMD loops";
                lines.Add($"{title,-30} {layer.Units,8} {Literals.Grouped((long)layer.WeightCount + layer.Units + (layer.HasSlopes ? layer.Units : 0) + (layer.HasBatchNorm ? 4 * layer.Units : 0)),12} {Literals.Grouped(layer.ForwardFlops),14}  {code}");
            }
            long forward = plan.Layers.Sum(l => l.ForwardFlops);
            long training = forward + plan.Layers.Sum(l => l.BackwardFlops);
            lines.Add($"{"Total",-30} {"",8} {Literals.Grouped(plan.ParameterCount),12} {Literals.Grouped(forward),14}");
            lines.Add($"Loss: {LossCatalog.Name(plan.Spec.Loss)}. FLOPs per sample (a multiply-add counts 2): forward {Literals.Grouped(forward)}, training (forward + backward) {Literals.Grouped(training)}.");
            return lines;
        }

        private static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? "" : "s");

        /// <summary>The comment block at the top of the file: the network in words, the notation and the code shape.</summary>
        private static void WriteHeader(SourceWriter w, NetworkPlan plan)
        {
            var spec = plan.Spec;
            w.WriteLine("//");
            w.WriteLine($"// NetGen generated this file from the attributes on {spec.FullName}. Do not edit it: change the attributes.");
            w.WriteLine("//");
            string chain = string.Join(" → ", plan.Layers.Select(l => $"Dense({l.Units}, {ActivationCatalog.Name(l.Activation, l.NegativeSlope)})"));
            w.WriteLine($"// {spec.TypeName}: {Plural(plan.InputSize, "input")} → {chain} → {Plural(plan.OutputSize, "output")}.");
            w.WriteLine($"// Loss: {LossCatalog.Math(spec.Loss, plan.OutputSize)}.");
            w.WriteLine("//");
            w.WriteLine("// Notation (the locals are named after it):");
            w.WriteLine("//   x          the input, also written a⁰");
            w.WriteLine("//   zˡ = Wˡ·aˡ⁻¹ + bˡ   the pre-activation of layer l; the local z2_3 is z²₃");
            w.WriteLine("//   aˡ = g(zˡ)  the activation of layer l");
            w.WriteLine("//   y          the target; L the loss of the sample");
            w.WriteLine("//   daˡ        ∂L/∂aˡ, the gradient flowing back into layer l's output");
            w.WriteLine("//   deltaˡ     δˡ = ∂L/∂zˡ = ∂L/∂aˡ ⊙ g'(zˡ)   (chain rule through the activation)");
            w.WriteLine("//   then       ∂L/∂Wˡᵢⱼ = δˡᵢ·aˡ⁻¹ⱼ,  ∂L/∂bˡᵢ = δˡᵢ,  ∂L/∂aˡ⁻¹ⱼ = Σᵢ Wˡᵢⱼ·δˡᵢ   (chain rule through z = W·a + b)");
            w.WriteLine("//");
            w.WriteLine("// Code shape: " + plan.ShapeReason);
            foreach (var layer in plan.Layers)
                w.WriteLine($"//   layer {layer.Number}: {layer.Units}×{layer.Inputs} = {Literals.Grouped(layer.WeightCount)} weights, " +
                            (layer.Unrolled ? "unrolled into straight-line code" : "fixed-trip-count SIMD loops (NetGen.DenseKernels)"));
        }
    }
}
