using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Helpers;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>
/// The layered shape: every layer gets a forward and a backward method over spans, each operation's code in turn
/// (unrolled or with SIMD kernels), so no method outgrows the JIT's budget however many layers there are. The public
/// kernels keep every value and gradient slot in one scratch buffer laid out by <c>NetGenScratch</c>, and call the
/// layer methods in order, then in reverse. Training-only operations (dropout) sit between the calls, in the kernel.
/// </summary>
internal static class LayeredDriver
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    /// <summary>The operations inside layer <paramref name="layer"/>'s methods (training-only ones run in the kernel).</summary>
    private static List<OpPlan> MethodOps(NetworkPlan plan, int layer) => plan.OpsOf(layer).Where(o => !o.Kind.TrainingOnly).ToList();

    /// <summary>The constants of the scratch layout: one per value, gradient slot, mask and batch statistic.</summary>
    public static void WriteLayout(SourceWriter w, NetworkPlan plan)
    {
        w.WriteLine("/// <summary>Where each value lives in the scratch of one sample (and in each sample's block of the batch buffer).</summary>");
        using (w.OpenBlock($"private static class {Layout.Class}"))
        {
            w.WriteLine($"/// <summary>Floats per sample: values, then gradient slots, then dropout's values and masks.</summary>");
            w.WriteLine($"public const int Stride = {plan.TrainingScratchLength};");
            foreach (var op in plan.Ops)
                w.WriteLine($"public const int {Layout.ValueName(op.Output)} = {op.Output.Offset}; // {op.Output.Math}, {op.Output.Size} floats");
            foreach (var op in plan.Ops.Where(o => !o.Kind.GradientInPlace))
                w.WriteLine($"public const int {Layout.GradientName(op.Output)} = {op.Output.GradientOffset}; // ∂L/∂{op.Output.Math} and, in place, the gradients of the values after it");
            foreach (var op in plan.Ops.Where(o => o.CacheOffset >= 0))
                w.WriteLine($"public const int {Layout.CacheName(op)} = {op.CacheOffset}; // layer {op.Layer}'s cache for its backward pass ({op.CacheLength} floats: {op.Kind.CacheContents})");
            foreach (var op in plan.Ops.Where(o => o.MaskOffset >= 0))
                w.WriteLine($"public const int {Layout.MaskName(op)} = {op.MaskOffset}; // the dropout mask m{Catalog.Literals.Superscript(op.Layer)}");
            foreach (var op in plan.Ops.Where(o => o.StatisticsOffset >= 0))
            {
                w.WriteLine($"public const int BatchMean{op.Layer} = {op.StatisticsOffset}; // the batch's μ of layer {op.Layer}, after the samples' blocks");
                w.WriteLine($"public const int BatchInverseStd{op.Layer} = {op.StatisticsOffset + op.Kind.StatisticsUnits(op.Output.Shape)}; // and its 1/√(σ² + ε)");
            }
            w.WriteLine($"/// <summary>Floats of batch statistics after the samples' blocks.</summary>");
            w.WriteLine($"public const int Statistics = {plan.BatchStatisticsLength};");
        }
        w.WriteLine();
    }

    /// <summary>The body of a public kernel: scratch, forward through the layers, loss, backward through them.</summary>
    public static void WriteKernelBody(SourceWriter w, NetworkPlan plan, Pass pass, bool training)
    {
        bool train = pass == Pass.Train;
        int length = training ? plan.TrainingScratchLength : train ? plan.ScratchLength : plan.ForwardScratchLength;
        w.WriteLine(training
            ? $"// Scratch: every value, then every gradient slot, then each dropout's values and mask: {length} floats."
            : train
            ? $"// Scratch: every value, then every gradient slot: {length} floats."
            : $"// Scratch: every value: {length} floats.");
        w.WriteLine(plan.ScratchOnStack
            ? $"{Span} scratch = stackalloc float[{length}];"
            : $"{Span} scratch = t_netGenScratch ??= new float[{Layout.Stride}];");

        ValuePlan Resolve(ValuePlan v)
        {
            while (!training && !v.IsInput && plan.Ops.First(o => o.Output == v).Kind.TrainingOnly)
                v = plan.Ops.First(o => o.Output == v).Input;
            return v;
        }
        string Name(ValuePlan v)
        {
            v = Resolve(v);
            return v.IsInput ? "input" : pass == Pass.Predict && v == plan.Output ? "output" : v.Name;
        }
        string Gradient(ValuePlan v) => "delta" + v.GradientLayer;
        var c = new SpanCode(w, plan, pass, training, unrolled: false, Name, Gradient, op => "mask" + op.Layer);

        foreach (var op in plan.Ops)
        {
            if (op.Kind.TrainingOnly && !training || pass == Pass.Predict && op.Output == plan.Output) continue;
            string line = $"{Span} {op.Output.Name} = {Layout.Slice("scratch", op.Output)};";
            if (op.MaskOffset >= 0) line = line.TrimEnd(';') + $", mask{op.Layer} = {Layout.MaskSlice("scratch", op)};";
            w.WriteLine(line);
        }
        foreach (var op in plan.Ops.Where(o => o.CacheOffset >= 0))
            w.WriteLine($"{Span} cache{op.Layer} = {Layout.CacheSlice("scratch", op)};");
        if (train)
            foreach (var op in plan.Ops.Where(o => !o.Kind.GradientInPlace))
                w.WriteLine($"{Span} {Gradient(op.Output)} = {Layout.GradientSlice("scratch", op.Output)};");
        w.WriteLine();

        w.WriteLine("// Forward, layer by layer");
        foreach (int layer in plan.LayerNumbers)
        {
            if (training)
                foreach (var op in plan.OpsOf(layer).Where(o => o.Kind.TrainingOnly))
                    op.Kind.SpanForward(c, op);
            var ops = MethodOps(plan, layer);
            w.WriteLine($"ForwardLayer{layer}(parameters, {Name(ops[0].Input)}, {string.Join(", ", ops.Select(o => Name(o.Output)))}{CacheArguments(ops)});");
        }
        if (pass == Pass.Predict)
            return;
        w.WriteLine();
        LossEmitter.WriteSpans(w, plan.Spec.Loss, plan.OutputSize, Name(plan.Logits), Name(plan.Output), train ? Gradient(plan.Output) : null);
        if (train)
        {
            w.WriteLine();
            w.WriteLine("// Backward, output to input: each call turns the gradient of its layer's output into the gradients of its");
            w.WriteLine("// parameters and of its input");
            foreach (int layer in plan.LayerNumbers.Reverse())
            {
                var ops = MethodOps(plan, layer);
                var x = ops[0].Input;
                string dx = x.HasGradient ? ", " + Gradient(x) : "";
                w.WriteLine($"BackwardLayer{layer}(parameters, {Name(x)}, {string.Join(", ", ops.Select(o => Name(o.Output)))}, {Gradient(ops[ops.Count - 1].Output)}, gradients{dx}{CacheArguments(ops)});");
                if (training)
                    foreach (var op in plan.OpsOf(layer).Where(o => o.Kind.TrainingOnly).Reverse())
                        op.Kind.SpanBackward(c, op);
            }
        }
        w.WriteLine("return loss;");
    }

    /// <summary>The caches of a layer's operations as trailing arguments of its methods (one per layer at most).</summary>
    private static string CacheArguments(List<OpPlan> ops) => string.Concat(ops.Where(o => o.CacheOffset >= 0).Select(o => $", cache{o.Layer}"));

    /// <summary>Each layer's forward and backward methods.</summary>
    public static void WriteLayerMethods(SourceWriter w, NetworkPlan plan)
    {
        foreach (int layer in plan.LayerNumbers)
        {
            var ops = MethodOps(plan, layer);
            var x = ops[0].Input;
            bool unrolled = ops.Any(o => o.Unrolled);
            string Local(ValuePlan v) => v == x ? "x" : v.Role;
            string LocalGradient(ValuePlan v) => v.GradientOffset == x.GradientOffset ? "dx" : "delta";
            string values = string.Join(", ", ops.Select(o => $"{{0}} {o.Output.Role}"));

            w.WriteLine($"/// <summary>{KernelText.Xml(KernelText.LayerTitle(plan, layer))}, forward: {KernelText.Xml(string.Join(", then ", ops.Select(o => o.Output.Role + " = " + o.Kind.Title(o))))}.</summary>");
            string cache = ops.Any(o => o.CacheOffset >= 0) ? $", {Span} cache" : "";
            using (w.OpenBlock($"private static void ForwardLayer{layer}({ReadOnlySpan} parameters, {ReadOnlySpan} x, {string.Format(values, Span)}{cache})"))
            {
                var c = new SpanCode(w, plan, Pass.Predict, training: false, unrolled, Local, LocalGradient, _ => "") { CacheName = _ => "cache" };
                foreach (var op in ops)
                    op.Kind.SpanForward(c, op);
            }
            w.WriteLine();

            bool fused = plan.LossGivesDelta && ops.Contains(plan.OutputOp);
            w.WriteLine("/// <summary>");
            w.WriteLine($"/// {KernelText.Xml(KernelText.LayerTitle(plan, layer))}, backward. On entry <paramref name=\"delta\"/> holds " +
                        (fused ? "δ = ∂L/∂z from the fused loss." : $"∂L/∂{ops[ops.Count - 1].Output.Role}; it is turned into the gradient of each value before it, in place."));
            w.WriteLine($"/// Adds the layer's parameter gradients into <paramref name=\"gradients\"/>" +
                        (x.HasGradient ? " and writes ∂L/∂x into <paramref name=\"dx\"/>." : " (the first layer needs no ∂L/∂x)."));
            w.WriteLine("/// </summary>");
            string dxParameter = x.HasGradient ? $", {Span} dx" : "";
            using (w.OpenBlock($"private static void BackwardLayer{layer}({ReadOnlySpan} parameters, {ReadOnlySpan} x, {string.Format(values, ReadOnlySpan)}, {Span} delta, {Span} gradients{dxParameter}{cache})"))
            {
                var c = new SpanCode(w, plan, Pass.Train, training: false, unrolled, Local, LocalGradient, _ => "") { CacheName = _ => "cache" };
                for (int k = ops.Count - 1; k >= 0; k--)
                    if (!c.LossAppliedDerivative(ops[k]))
                        ops[k].Kind.SpanBackward(c, ops[k]);
            }
            w.WriteLine();
        }
    }
}
