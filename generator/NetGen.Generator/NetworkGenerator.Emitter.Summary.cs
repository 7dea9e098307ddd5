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
        /// <summary>The Keras-style summary table, one string per line: one row per operation, all read off the plan.</summary>
        private static List<string> SummaryLines(NetworkPlan plan)
        {
            var lines = new List<string>
            {
                $"Network: {plan.Spec.TypeName.TrimStart('@')} (NetGen)",
                $"{"Operation",-30} {"Output",10} {"Params",12} {"FLOPs",14}  Code",
                $"{"Input",-30} {plan.Input.Shape,10} {0,12} {0,14}",
            };
            foreach (var op in plan.Ops)
            {
                if (op.Kind.SummaryName(plan, op) is not { } title) continue;
                // An activation or residual add has no row of its own: its parameters (PReLU's α) count in its layer's row.
                bool layerRow = op.Spec is Model.DenseSpec or Model.ConvolutionSpec;
                long parameters = plan.Ops.Where(o => o == op || layerRow && o.Layer == op.Layer && o.Kind.SummaryName(plan, o) is null).Sum(o => o.Blocks.Sum(b => b.Length));
                var shape = plan.OpsOf(op.Layer).Last().Output.Shape;
                string code = op.Kind.CodeLabel(plan, op);
                lines.Add($"{title,-30} {(layerRow ? shape : op.Output.Shape),10} {Literals.Grouped(parameters),12} {Literals.Grouped(op.ForwardFlops),14}  {code}".TrimEnd());
            }
            long forward = plan.Ops.Sum(o => o.ForwardFlops);
            long training = forward + plan.Ops.Sum(o => o.BackwardFlops);
            long state = plan.Blocks.Where(b => !b.Trainable).Sum(b => b.Length);
            lines.Add($"{"Total",-30} {"",10} {Literals.Grouped(plan.ParameterCount),12} {Literals.Grouped(forward),14}");
            if (state > 0)
                lines.Add($"Of the parameters, {Literals.Grouped(state)} are state (running statistics), not trained by gradient.");
            lines.Add($"Loss: {LossCatalog.Name(plan.Spec.Loss)}. FLOPs per sample (a multiply-add counts 2; element-wise operations are not counted): forward {Literals.Grouped(forward)}, training (forward + backward) {Literals.Grouped(training)}.");
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
            var dense = Architecture.Layers(plan).ToDictionary(l => l.Layer);
            string chain = string.Join(" → ", plan.LayerNumbers.Select(n =>
                dense.TryGetValue(n, out var l)
                    ? $"Dense({l.Units}, {ActivationCatalog.Name(l.Activation, l.NegativeSlope)}{(Ops.DenseOp.PerStep(plan.OpsOf(n).First(o => o.Spec is Model.DenseSpec)) ? ", at every step" : "")})"
                    : plan.OpsOf(n).Where(o => o.Spec is Model.RecurrentSpec).Select(o => $"{Ops.RecurrentOp.Name(o.As<Model.RecurrentSpec>().Cell)}({o.As<Model.RecurrentSpec>().Units}{(o.As<Model.RecurrentSpec>().ReturnSequences ? ", every step" : ", last step")})").FirstOrDefault()
                      ?? plan.OpsOf(n).Where(o => !o.Kind.TrainingOnly).Select(o => o.Kind.HeaderLabel(plan, o)).First()));
            string inputs = plan.Input.Shape.IsSequence
                ? $"{plan.Input.Shape.Steps} steps of {Plural(plan.Input.Shape.Width, "input")}"
                : plan.Input.Shape.IsImage ? $"a {plan.Input.Shape} image ({Plural(plan.InputSize, "input")})"
                : Plural(plan.InputSize, "input");
            w.WriteLine($"// {spec.TypeName}: {inputs} → {chain} → {Plural(plan.OutputSize, "output")}.");
            w.WriteLine($"// Loss: {LossCatalog.Math(spec.Loss, plan.OutputSize)}.");
            w.WriteLine("//");
            w.WriteLine("// Notation (the locals are named after it):");
            w.WriteLine("//   x          the input, also written a⁰");
            w.WriteLine("//   zˡ = Wˡ·aˡ⁻¹ + bˡ   the pre-activation of layer l; the local z2_3 is z²₃");
            w.WriteLine("//   aˡ = g(zˡ)  the activation of layer l" + (plan.Ops.Any(o => o.Spec is Model.ResidualSpec) ? " (gˡ = g(zˡ) and aˡ = gˡ + aˡ⁻¹ in a residual layer)" : ""));
            if (plan.Ops.Any(o => o.Spec is Model.BatchNormSpec))
                w.WriteLine("//   yˡ = BN(zˡ)  the batch-normalized pre-activation, which the activation then reads");
            if (plan.Ops.Any(o => o.Spec is Model.DropoutSpec))
                w.WriteLine("//   dˡ = mˡ ⊙ aˡ⁻¹   layer l's input after dropout (training mode), m the mask");
            if (plan.Ops.Any(o => o.Spec is Model.RecurrentSpec))
            {
                w.WriteLine("//   hˡₜ        the state of recurrent layer l after step t (hˡ₀ = 0), xₜ its input at step t; W_ih, W_hh, b_ih, b_hh");
                w.WriteLine("//              its parameters in PyTorch's layout and gate order. Its forward pass keeps every state (and gate) in");
                w.WriteLine("//              cacheˡ, from which its backward pass runs back through time (BPTT), t = T…1.");
            }
            w.WriteLine("//   y          the target; L the loss of the sample");
            w.WriteLine("//   daˡ        ∂L/∂aˡ, the gradient flowing back into layer l's output");
            w.WriteLine("//   deltaˡ     δˡ = ∂L/∂zˡ = ∂L/∂aˡ ⊙ g'(zˡ)   (chain rule through the activation)");
            if (plan.Ops.Any(o => o.Spec is Model.BatchNormSpec))
                w.WriteLine("//              (through batch normalization: the activation's derivative gives ∂L/∂yˡ, the normalization's backward δˡ)");
            w.WriteLine("//   then       ∂L/∂Wˡᵢⱼ = δˡᵢ·aˡ⁻¹ⱼ,  ∂L/∂bˡᵢ = δˡᵢ,  ∂L/∂aˡ⁻¹ⱼ = Σᵢ Wˡᵢⱼ·δˡᵢ   (chain rule through z = W·a + b)");
            if (plan.Ops.Any(o => o.Spec is Model.ConvolutionSpec or Model.PoolSpec))
            {
                w.WriteLine("//   zˡ = Wˡ ⊛ aˡ⁻¹ + bˡ   a convolution: the same kernel Wˡ [filters, channels, k, k] at every position (weight");
                w.WriteLine("//              sharing); its backward pass is the same product's: ∂L/∂Wˡ sums δˡ·patch over the positions, and");
                w.WriteLine("//              ∂L/∂aˡ⁻¹ adds each patch's δˡ·Wˡ back where the patch was read (cacheˡ keeps the patches)");
                w.WriteLine("//   pˡ         a pooled image: the max (arg-max kept in cacheˡ, where the gradient goes) or mean of each window");
            }
            if (plan.Ops.Any(o => o.Spec is Model.RbfSpec))
            {
                w.WriteLine("//   aˡᵢ = exp(−βˡᵢ·rˡᵢ)   a radial-basis layer: a Gaussian of the squared distance rˡᵢ = ‖aˡ⁻¹ − Cˡᵢ‖² to centre Cˡᵢ (row i");
                w.WriteLine("//              of Cˡ), βˡᵢ = 1/(2σᵢ²) its precision; eˡᵢⱼ = aˡ⁻¹ⱼ − Cˡᵢⱼ. With gˡᵢ = ∂L/∂aˡᵢ·aˡᵢ and sˡᵢ = 2βˡᵢ·gˡᵢ:");
                w.WriteLine("//              ∂L/∂βˡᵢ = −gˡᵢ·rˡᵢ,  ∂L/∂Cˡᵢⱼ = sˡᵢ·eˡᵢⱼ,  ∂L/∂aˡ⁻¹ⱼ = −Σᵢ sˡᵢ·eˡᵢⱼ");
            }
            w.WriteLine("//");
            w.WriteLine("// Code shape: " + plan.ShapeReason);
            foreach (var op in plan.Ops.Where(o => o.Spec is Model.ConvolutionSpec or Model.PoolSpec))
                w.WriteLine($"//   layer {op.Layer}: {op.Kind.Title(op)}, " + (op.Spec is Model.ConvolutionSpec
                    ? $"{Literals.Grouped(op.Block(Roles.Weight).Length)} shared weights: im2col and register-tiled products (NetGen.ConvolutionKernels)"
                    : "loops over the windows (NetGen.PoolingKernels)"));
            foreach (var op in plan.Ops.Where(o => o.Spec is Model.RbfSpec))
                w.WriteLine($"//   layer {op.Layer}: {op.Output.Size} centres × {op.Input.Size} inputs = {Literals.Grouped((long)op.Output.Size * op.Input.Size)} coordinates, " +
                            (op.Kind.CodeLabel(plan, op) == "unrolled" ? "unrolled into straight-line code" : "SIMD loops over the inputs (NetGen.RbfKernels)"));
            foreach (var op in plan.Ops.Where(o => o.Spec is Model.DenseSpec or Model.RecurrentSpec))
            {
                if (op.Spec is Model.RecurrentSpec)
                {
                    w.WriteLine($"//   layer {op.Layer}: {op.Kind.Title(op)}, " + (op.Unrolled
                        ? $"unrolled: a region per time step in its forward and backward methods (a batch steps through NetGen.RecurrentKernels)"
                        : $"loops over the {op.Input.Shape.Steps} steps (NetGen.RecurrentKernels)"));
                    continue;
                }
                var weights = op.Block(Roles.Weight);
                w.WriteLine($"//   layer {op.Layer}: {weights.Rows}×{weights.Columns} = {Literals.Grouped(weights.Length)} weights, " +
                            (Ops.DenseOp.PerStep(op) ? $"applied at each of the {op.Input.Shape.Steps} steps as one tiled product (NetGen.DenseBatchKernels)"
                            : op.Unrolled ? "unrolled into straight-line code" : "fixed-trip-count SIMD loops (NetGen.DenseKernels)"));
            }
        }
    }
}
