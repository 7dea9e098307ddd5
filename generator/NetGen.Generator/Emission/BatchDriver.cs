using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Helpers;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>
/// Training mode over a mini-batch, one operation at a time: the whole batch goes through each operation before the
/// next, so dense products run as register-tiled batch kernels (DenseBatchKernels: 4 × 4 tiles, ∂L/∂W touched once per
/// batch) and a normalized layer has the batch's mean and variance of every unit. Consecutive per-sample operations
/// (activations, residual adds, dropout) share one loop over the samples. Each sample has its own block of the batch
/// buffer, laid out by <c>NetGenScratch</c>.
/// </summary>
internal static class BatchDriver
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    public const string Signature =
        "public static float TrainingBatch(global::System.Span<float> parameters, global::System.ReadOnlySpan<float> inputs, global::System.ReadOnlySpan<float> targets, int count, global::System.Span<float> gradients, ref global::NetGen.SeededRandom random)";

    public static void Write(SourceWriter w, NetworkPlan plan)
    {
        w.WriteLine("// Training mode over a mini-batch: one block of the batch buffer per sample" + (plan.NeedsWholeBatch ? ", then each normalized layer's batch μ and 1/√(σ² + ε)." : "."));
        w.WriteLine("[global::System.ThreadStatic]");
        w.WriteLine("private static float[]? t_netGenBatch;");
        w.WriteLine();
        w.WriteLine("/// <summary>");
        if (plan.NeedsWholeBatch)
        {
            w.WriteLine("/// Training mode over a mini-batch of <paramref name=\"count\"/> ≥ 2 samples stored row after row: returns the sum of their");
            w.WriteLine("/// losses and <b>adds</b> the gradient of that sum into <paramref name=\"gradients\"/>, through the batch statistics of every");
            w.WriteLine("/// batch normalization, whose running averages it updates in <paramref name=\"parameters\"/> (their gradients stay 0).");
        }
        else
        {
            w.WriteLine("/// Training mode over a mini-batch of <paramref name=\"count\"/> samples stored row after row: returns the sum of their");
            w.WriteLine("/// losses and <b>adds</b> the gradient of that sum into <paramref name=\"gradients\"/>, the whole batch one operation at a time.");
        }
        w.WriteLine("/// Dropout masks are drawn from <paramref name=\"random\"/> layer by layer, sample by sample, value by value" +
            (plan.Ops.Any(o => o.Spec is Model.DropoutSpec { PerChannel: true }) ? " (channel by channel where dropout drops whole channels)." : "."));
        w.WriteLine("/// </summary>");
        using (w.OpenBlock(Signature))
        {
            w.WriteLine($"global::NetGen.ThrowHelper.CheckBatch(\"{plan.Spec.TypeName.TrimStart('@')}\", count, inputs.Length, targets.Length, parameters.Length, gradients.Length, InputSize, OutputSize, ParameterCount);");
            w.WriteLine($"int needed = global::NetGen.ThrowHelper.BatchBufferLength(\"{plan.Spec.TypeName.TrimStart('@')}\", count, {Layout.Stride}, {Layout.Class}.Statistics);");
            w.WriteLine("float[] buffer = t_netGenBatch is { } existing && existing.Length >= needed ? existing : (t_netGenBatch = new float[needed]);");
            w.WriteLine($"{Span} batch = buffer" + (plan.NeedsWholeBatch ? $", stats = batch.Slice(count * {Layout.Stride}, {Layout.Class}.Statistics);" : ";"));
            w.WriteLine("float loss = 0f;");
            w.WriteLine();

            var batchCode = new BatchCode(w, plan);
            // Inside a per-sample loop the sample's values are spans named as in the math (z1, a1, delta1, mask2).
            var sample = new SpanCode(w, plan, Pass.Train, training: true, unrolled: false,
                v => v.Name, v => "delta" + v.GradientLayer, op => "mask" + op.Layer);

            w.WriteLine("// Forward, one operation at a time over the whole batch");
            foreach (var group in Groups(plan.Ops))
            {
                if (group[0].Kind.BatchWide)
                {
                    w.WriteLine($"// {KernelText.OpTitle(group[0])}");
                    group[0].Kind.BatchForward(batchCode, group[0]);
                    continue;
                }
                w.WriteLine($"// {string.Join("; ", group.Select(o => KernelText.OpTitle(o)))}: sample by sample");
                using (SampleLoop(w, plan, group, gradients: false))
                    foreach (var op in group)
                        op.Kind.SpanForward(sample, op);
            }
            w.WriteLine();
            w.WriteLine("// Each sample's loss and the gradient that starts its backward pass");
            using (SampleLoop(w, plan, new List<OpPlan>(), gradients: false))
                w.WriteLine($"loss += SampleLoss({Layout.Slice("sample", plan.Logits)}, {Layout.Slice("sample", plan.Output)}, targets.Slice(b * OutputSize, OutputSize), {Layout.GradientSlice("sample", plan.Output)});");
            w.WriteLine();
            w.WriteLine("// Backward, output to input, one operation at a time over the whole batch");
            var backward = plan.Ops.Reverse().Where(o => !(plan.LossGivesDelta && o == plan.OutputOp)).ToList();
            foreach (var group in Groups(backward))
            {
                if (group[0].Kind.BatchWide)
                {
                    w.WriteLine($"// {KernelText.OpTitle(group[0])}, backward");
                    group[0].Kind.BatchBackward(batchCode, group[0]);
                    continue;
                }
                var active = group.Where(o => !(o.Kind.TrainingOnly && !o.Input.HasGradient)).ToList();
                if (active.All(o => o.Kind is Ops.ResidualOp && !o.SkipSource!.HasGradient))
                    continue; // nothing to do sample by sample (a residual first layer passes ∂L/∂a through in place)
                w.WriteLine($"// {string.Join("; ", active.Select(o => KernelText.OpTitle(o)))}, backward: sample by sample");
                using (SampleLoop(w, plan, active, gradients: true))
                    foreach (var op in active)
                        op.Kind.SpanBackward(sample, op);
            }
            w.WriteLine("return loss;");
        }
        w.WriteLine();

        w.WriteLine("/// <summary>The loss of one sample from its output layer's values, and the gradient that starts its backward pass into the last argument.</summary>");
        using (w.OpenBlock($"private static float SampleLoss({ReadOnlySpan} logits, {ReadOnlySpan} a, {ReadOnlySpan} target, {Span} delta)"))
        {
            LossEmitter.WriteSpans(w, plan.Spec.Loss, plan.OutputSize, "logits", "a", "delta");
            w.WriteLine("return loss;");
        }
        w.WriteLine();
    }

    /// <summary>Opens the loop over the samples and names the spans the operations of <paramref name="group"/> read and write.</summary>
    private static SourceWriter.Block SampleLoop(SourceWriter w, NetworkPlan plan, List<OpPlan> group, bool gradients)
    {
        var block = w.OpenBlock("for (int b = 0; b < count; b++)");
        w.WriteLine($"{Span} sample = batch.Slice(b * {Layout.Stride}, {Layout.Stride});");
        var values = new List<ValuePlan>();
        void Add(ValuePlan? v) { if (v is not null && !values.Contains(v)) values.Add(v); }
        foreach (var op in group) { Add(op.Input); Add(op.SkipSource); Add(op.Output); }
        var declarations = new List<string>();
        foreach (var v in values)
            declarations.Add(v.IsInput ? $"input = inputs.Slice(b * InputSize, InputSize)" : $"{v.Name} = {Layout.Slice("sample", v)}");
        foreach (var op in group.Where(o => o.MaskOffset >= 0))
            declarations.Add($"mask{op.Layer} = {Layout.MaskSlice("sample", op)}");
        foreach (var op in group.Where(o => o.CacheOffset >= 0))
            declarations.Add($"cache{op.Layer} = {Layout.CacheSlice("sample", op)}");
        if (gradients)
            foreach (var v in values.Where(v => v.HasGradient).GroupBy(v => v.GradientLayer).Select(g => g.First()))
                declarations.Add($"delta{v.GradientLayer} = {Layout.GradientSlice("sample", v)}");
        var inputs = declarations.Where(d => d.StartsWith("input ", System.StringComparison.Ordinal)).ToList();
        foreach (var d in inputs)
            w.WriteLine($"{ReadOnlySpan} {d};");
        var spans = declarations.Except(inputs).ToList();
        if (spans.Count > 0)
            w.WriteLine($"{Span} " + Text.Wrap(spans.ToArray(), ", ", 3, "    ") + ";");
        return block;
    }

    /// <summary>Batch-wide operations one by one; runs of per-sample operations together.</summary>
    private static IEnumerable<List<OpPlan>> Groups(IEnumerable<OpPlan> ops)
    {
        var run = new List<OpPlan>();
        foreach (var op in ops)
        {
            if (op.Kind.BatchWide)
            {
                if (run.Count > 0) { yield return run; run = new List<OpPlan>(); }
                yield return new List<OpPlan> { op };
            }
            else run.Add(op);
        }
        if (run.Count > 0) yield return run;
    }
}
