using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>z = W·x + b, W of shape [units, inputs] row-major (PyTorch's <c>Linear.weight</c>), then b.</summary>
internal sealed class DenseOp : OpKind
{
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Span = "global::System.Span<float>";

    public override string RuntimeKind => "Dense";

    public override bool GradientInPlace => false;

    public override bool BatchWide => true;

    public override bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        // A dense layer reads a vector (any other shape but a sequence flattened) and writes [units]; on a sequence
        // [steps × width] it applies at every step with the same W and b (as Keras and PyTorch do on the last axis).
        int units = ((DenseSpec)spec).Units;
        output = PerStep(spec, input) ? Shape.Sequence(input.Steps, units) : Shape.Features(units);
        problem = "";
        return true;
    }

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "z";

    public override IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer)
    {
        int l = spec.Layer, m = output.Width, n = PerStep(spec, input) ? input.Width : (int)input.Size;
        string name = ActivationCatalog.Name(layer.Activation, layer.NegativeSlope);
        var weights = ActivationCatalog.UsesHeInitialization(layer.Activation)
            ? new BlockPlan($"W{l}", $"W{Sup(l)}", Roles.Weight, offset, m, n, true, InitRule.HeUniform, FanIn: n,
                InitSlope: ActivationCatalog.InitializationSlope(layer.Activation, layer.NegativeSlope), InitReason: $"He uniform for {name}, fan-in {n}")
            : new BlockPlan($"W{l}", $"W{Sup(l)}", Roles.Weight, offset, m, n, true, InitRule.GlorotUniform, FanIn: n, FanOut: m,
                InitReason: $"Glorot uniform for {name}, fan-in {n}, fan-out {m}");
        yield return weights;
        yield return new BlockPlan($"b{l}", $"b{Sup(l)}", Roles.Bias, offset + weights.Length, m, 1, true, InitRule.Constant, 0f, InitReason: "0");
    }

    /// <summary>
    /// True when the layer applies at every step of a sequence (shared W and b); false when it reads its input as one
    /// vector — a vector, an image (flattened in memory order, as PyTorch's flatten of NCHW), or a sequence after [Flatten].
    /// </summary>
    public static bool PerStep(OpSpec spec, Shape input) => input.IsSequence && !((DenseSpec)spec).Flatten;

    public static bool PerStep(OpPlan op) => PerStep(op.Spec, op.Input.Shape);

    /// <summary>Inputs per step (the whole input for a vector), outputs per step, and steps (1 for a vector).</summary>
    private static (int Cols, int Rows, int Steps) Dims(OpPlan op) =>
        PerStep(op) ? (op.Input.Shape.Width, op.Output.Shape.Width, op.Input.Shape.Steps) : (op.Input.Size, op.Output.Size, 1);

    public override long ForwardFlops(OpPlan op)
    {
        var (n, m, t) = Dims(op);
        return Saturating.Multiply(t, Saturating.Add(Saturating.Multiply(2L * n, m), m));
    }

    /// <summary>∂L/∂W (2 per weight), ∂L/∂b, and ∂L/∂x unless the input needs no gradient.</summary>
    public override long BackwardFlops(OpPlan op)
    {
        var (n, m, t) = Dims(op);
        return Saturating.Add(ForwardFlops(op), op.Input.HasGradient ? Saturating.Multiply(t, Saturating.Multiply(2L * n, m)) : 0);
    }

    public override long UnrolledMultiplyAdds(OpPlan op) =>
        Saturating.Add((long)op.Input.Size * op.Output.Size, CodeShape.BackwardMultiplyAdds(!op.Input.HasGradient, op.Input.Size, op.Output.Size));

    /// <summary>A layer applied at every step of a sequence always runs as loops over the steps.</summary>
    public override bool? Unroll(OpSpec spec, Shape input, Shape output, UnrollingKind unrolling) =>
        !PerStep(spec, input) && Planner.IsUnrolled(unrolling, (int)input.Size, (int)output.Size);

    public override string Title(OpPlan op) =>
        PerStep(op) ? $"Dense {op.Input.Shape.Width} → {op.Output.Shape.Width} at each of {op.Input.Shape.Steps} steps" : $"Dense {op.Input.Size} → {op.Output.Size}";

    public override string? SummaryName(NetworkPlan plan, OpPlan op)
    {
        var layer = Architecture.Layers(plan).First(l => l.Layer == op.Layer);
        return $"Dense {op.Layer} ({ActivationCatalog.Name(layer.Activation, layer.NegativeSlope)}{(layer.Residual ? ", residual" : "")})";
    }

    public override string ArchitectureTerm(OpSpec spec) =>
        "dense(" + ((DenseSpec)spec).Units.ToString(System.Globalization.CultureInfo.InvariantCulture) + (((DenseSpec)spec).Flatten ? ",flatten" : "");

    public override int ArchitectureOrder => 0;

    private static BlockPlan W(OpPlan op) => op.Block(Roles.Weight);
    private static BlockPlan B(OpPlan op) => op.Block(Roles.Bias);

    // ── Straight-line ──

    public override void ScalarForward(ScalarCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size, l = op.Layer;
        var (w, b) = (W(op), B(op));
        string x = c.Math(op.Input), z = op.Output.Math;
        string index = n == 1 ? "i" : $"{n}·i + j";
        c.W.WriteLine($"// {w.Math} = parameters[{w.At}..{w.At + w.Count}) as {m}×{n} (W{l}[{index}] = {w.Math}ᵢⱼ), {b.Math} = parameters[{b.At}..{b.At + m})");
        c.W.WriteLine($"{ReadOnlySpan} W{l} = {w.Slice("parameters")}, b{l} = {b.Slice("parameters")};");
        c.W.WriteLine($"// {z} = {w.Math}·{x} + {b.Math}:  {z}ᵢ = {b.Math}ᵢ + Σⱼ {w.Math}ᵢⱼ·{x}ⱼ");
        for (int i = 0; i < m; i++)
        {
            var terms = new[] { $"b{l}[{i}]" }.Concat(Text.Range(n, j => $"W{l}[{i * n + j}] * {c.Value(op.Input, j)}")).ToArray();
            c.W.WriteLine($"float {op.Output.Local(i)} = " + Text.Wrap(terms, " + ", Text.TermsPerLine, "    ") + ";");
        }
    }

    public override void ScalarBackward(ScalarCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size, l = op.Layer;
        var (w, b) = (W(op), B(op));
        string x = c.Math(op.Input), delta = "δ" + Sup(l);
        c.W.WriteLine($"{Span} gW{l} = {w.Slice("gradients")}, gb{l} = {b.Slice("gradients")};");
        c.W.WriteLine($"// ∂L/∂{b.Math}ᵢ += {delta}ᵢ");
        c.W.WriteLine(Text.Wrap(Text.Range(m, i => $"gb{l}[{i}] += {c.Gradient(op.Output, i)};"), " ", 4, ""));
        c.W.WriteLine($"// ∂L/∂{w.Math}ᵢⱼ += {delta}ᵢ·{x}ⱼ");
        for (int i = 0; i < m; i++)
            c.W.WriteLine(Text.Wrap(Text.Range(n, j => $"gW{l}[{i * n + j}] += {c.Gradient(op.Output, i)} * {c.Value(op.Input, j)};"), " ", 4, ""));
        if (!c.WantsGradient(op.Input))
            return;
        var pending = c.Pending(op.Input);
        c.W.WriteLine(pending is null
            ? $"// ∂L/∂{x} = ({w.Math})ᵀ·{delta}:  ∂L/∂{x}ⱼ = Σᵢ {w.Math}ᵢⱼ·{delta}ᵢ"
            : $"// ∂L/∂{x} = (the skip path's ∂L/∂a{Sup(l)}) + ({w.Math})ᵀ·{delta}");
        var names = c.NewGradient(op.Input);
        for (int j = 0; j < n; j++)
        {
            var terms = Text.Range(m, i => $"W{l}[{i * n + j}] * {c.Gradient(op.Output, i)}");
            if (pending is not null) terms = new[] { pending[j] }.Concat(terms).ToArray();
            c.W.WriteLine($"float {names[j]} = " + Text.Wrap(terms, " + ", Text.TermsPerLine, "    ") + ";");
        }
    }

    // ── One sample over spans ──

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size;
        var (w, b) = (W(op), B(op));
        string x = c.Span(op.Input), z = c.Span(op.Output);
        if (PerStep(op))
        {
            var (cols, rows, steps) = Dims(op);
            c.W.WriteLine($"// {z}ₜ = W·{x}ₜ + b at each of the {steps} steps, with the same W [{rows}×{cols}] and b: the steps are the rows of one product");
            c.W.WriteLine($"global::NetGen.DenseBatchKernels.Forward({w.Slice("parameters")}, {b.Slice("parameters")}, {x}, {cols}, {z}, {rows}, count: {steps}, rows: {rows}, cols: {cols});");
            return;
        }
        c.W.WriteLine($"// {w.Math} = parameters[{w.At}..{w.At + w.Count}) as {m}×{n}, row-major; {b.Math} = parameters[{b.At}..{b.At + m})");
        c.W.WriteLine($"{ReadOnlySpan} W = {w.Slice("parameters")}, b = {b.Slice("parameters")};");
        if (c.Unrolled)
        {
            c.W.WriteLine($"// {z} = W·{x} + b:  {z}ᵢ = bᵢ + Σⱼ Wᵢⱼ·{x}ⱼ, with Wᵢⱼ = W[{(n == 1 ? "i" : $"{n}·i + j")}]");
            c.W.WriteLine("float " + Text.Wrap(Text.Range(n, j => $"x{j} = {x}[{j}]"), ", ", 8, "      ") + ";");
            for (int i = 0; i < m; i++)
            {
                var terms = new[] { $"b[{i}]" }.Concat(Text.Range(n, j => $"W[{i * n + j}] * x{j}")).ToArray();
                c.W.WriteLine($"{z}[{i}] = " + Text.Wrap(terms, " + ", Text.TermsPerLine, "    ") + ";");
            }
        }
        else
        {
            c.W.WriteLine($"// {z} = W·{x} + b: {m} dot products of length {n}");
            c.W.WriteLine($"global::NetGen.DenseKernels.Forward(W, b, {x}, {z}, rows: {m}, cols: {n});");
        }
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size;
        var (w, b) = (W(op), B(op));
        string x = c.Span(op.Input), delta = c.Gradient(op.Output);
        bool dx = op.Input.HasGradient, accumulate = dx && c.Accumulates(op.Input);
        string dxSpan = dx ? c.Gradient(op.Input) : "";
        if (PerStep(op))
        {
            var (cols, rows, steps) = Dims(op);
            c.W.WriteLine($"// Summed over the {steps} steps: ∂L/∂W += Σₜ δₜ·xₜᵀ, ∂L/∂b += Σₜ δₜ" + (dx ? $"; ∂L/∂xₜ {(accumulate ? "+=" : "=")} Wᵀ·δₜ at each step" : ""));
            c.W.WriteLine($"global::NetGen.DenseBatchKernels.Backward({w.Slice("parameters")}, {x}, {cols}, {delta}, {rows}, {w.Slice("gradients")}, {b.Slice("gradients")},");
            c.W.WriteLine($"    {(dx ? dxSpan : $"{Span}.Empty")}, {cols}, count: {steps}, rows: {rows}, cols: {cols}{(accumulate ? ", accumulateInputGradients: true" : "")});");
            return;
        }
        if (dx || !c.Unrolled)
            c.W.WriteLine($"{ReadOnlySpan} W = {w.Slice("parameters")};");
        c.W.WriteLine($"{Span} gW = {w.Slice("gradients")}, gb = {b.Slice("gradients")};");
        if (c.Unrolled)
        {
            c.W.WriteLine("float " + Text.Wrap(Text.Range(m, i => $"d{i} = {delta}[{i}]"), ", ", 8, "      ") + ";");
            c.W.WriteLine("float " + Text.Wrap(Text.Range(n, j => $"x{j} = {x}[{j}]"), ", ", 8, "      ") + ";");
            c.W.WriteLine("// ∂L/∂bᵢ += δᵢ");
            c.W.WriteLine(Text.Wrap(Text.Range(m, i => $"gb[{i}] += d{i};"), " ", 4, ""));
            c.W.WriteLine("// ∂L/∂Wᵢⱼ += δᵢ·xⱼ");
            for (int i = 0; i < m; i++)
                c.W.WriteLine(Text.Wrap(Text.Range(n, j => $"gW[{i * n + j}] += d{i} * x{j};"), " ", 4, ""));
            if (dx)
            {
                c.W.WriteLine(accumulate ? $"// ∂L/∂x += Wᵀ·δ:  ∂L/∂xⱼ = (the skip path's ∂L/∂a, already in {dxSpan}) + Σᵢ Wᵢⱼ·δᵢ" : "// ∂L/∂x = Wᵀ·δ:  ∂L/∂xⱼ = Σᵢ Wᵢⱼ·δᵢ");
                for (int j = 0; j < n; j++)
                {
                    var terms = Text.Range(m, i => $"W[{i * n + j}] * d{i}");
                    if (accumulate) terms = new[] { $"{dxSpan}[{j}]" }.Concat(terms).ToArray();
                    c.W.WriteLine($"{dxSpan}[{j}] = " + Text.Wrap(terms, " + ", Text.TermsPerLine, "    ") + ";");
                }
            }
        }
        else
        {
            c.W.WriteLine(dx
                ? $"// ∂L/∂W += δ·xᵀ (∂L/∂Wᵢⱼ += δᵢ·xⱼ), ∂L/∂b += δ and ∂L/∂x {(accumulate ? "+=" : "=")} Wᵀ·δ (∂L/∂xⱼ = Σᵢ Wᵢⱼ·δᵢ)"
                : "// ∂L/∂W += δ·xᵀ (∂L/∂Wᵢⱼ += δᵢ·xⱼ) and ∂L/∂b += δ");
            c.W.WriteLine($"global::NetGen.DenseKernels.Backward(W, {x}, {delta}, gW, gb, {(dx ? dxSpan : $"{Span}.Empty")}, rows: {m}, cols: {n}{(accumulate ? ", accumulateInputGradients: true" : "")});");
        }
    }

    // ── The whole batch ──

    /// <summary>Sample b's rows of a value in the batch buffer (or of the batch's inputs).</summary>
    private static string SampleRows(ValuePlan v) =>
        v.IsInput ? "inputs.Slice(b * InputSize, InputSize)" : $"batch.Slice(b * {Layout.Stride} + {Layout.Value(v)}, {v.Size})";

    private static string SampleGradientRows(ValuePlan v) =>
        v.HasGradient ? $"batch.Slice(b * {Layout.Stride} + {Layout.Gradient(v)}, {v.Size})" : $"{Span}.Empty";

    public override void BatchForward(BatchCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size;
        if (PerStep(op))
        {
            var (cols, rows, steps) = Dims(op);
            c.W.WriteLine($"// Each sample's {steps} steps as the rows of one product Z = X·Wᵀ + b, in register tiles");
            c.W.WriteLine($"for (int b = 0; b < count; b++)");
            c.W.WriteLine($"    global::NetGen.DenseBatchKernels.Forward({W(op).Slice("parameters")}, {B(op).Slice("parameters")}, {SampleRows(op.Input)}, {cols}, {SampleRows(op.Output)}, {rows}, count: {steps}, rows: {rows}, cols: {cols});");
            return;
        }
        c.W.WriteLine($"// Z = X·Wᵀ + b for the whole batch: z_b,i = b_i + Σ_k W_i,k·x_b,k, in 4-sample × 4-row register tiles");
        c.W.WriteLine($"global::NetGen.DenseBatchKernels.Forward({W(op).Slice("parameters")}, {B(op).Slice("parameters")}, {c.Strided(op.Input)}, {c.Strided(op.Output)}, count, rows: {m}, cols: {n});");
    }

    public override void BatchBackward(BatchCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size;
        bool dx = op.Input.HasGradient, accumulate = dx && c.Plan.Ops.Any(o => o.SkipSource == op.Input && o.Layer == op.Layer);
        if (PerStep(op))
        {
            var (cols, rows, steps) = Dims(op);
            c.W.WriteLine($"// Each sample's {steps} steps: ∂L/∂W += Σₜ δₜ·xₜᵀ, ∂L/∂b += Σₜ δₜ" + (dx ? $", ∂L/∂xₜ {(accumulate ? "+=" : "=")} Wᵀ·δₜ" : ""));
            c.W.WriteLine($"for (int b = 0; b < count; b++)");
            c.W.WriteLine($"    global::NetGen.DenseBatchKernels.Backward({W(op).Slice("parameters")}, {SampleRows(op.Input)}, {cols}, {SampleGradientRows(op.Output)}, {rows},");
            c.W.WriteLine($"        {W(op).Slice("gradients")}, {B(op).Slice("gradients")}, {SampleGradientRows(op.Input)}, {cols}, count: {steps}, rows: {rows}, cols: {cols}{(accumulate ? ", accumulateInputGradients: true" : "")});");
            return;
        }
        c.W.WriteLine(dx
            ? $"// ∂L/∂W += Σ_b δ_b·x_bᵀ, ∂L/∂b += Σ_b δ_b and ∂L/∂x_b {(accumulate ? "+=" : "=")} Wᵀ·δ_b over the batch, in register tiles"
            : "// ∂L/∂W += Σ_b δ_b·x_bᵀ and ∂L/∂b += Σ_b δ_b over the batch, in register tiles");
        c.W.WriteLine($"global::NetGen.DenseBatchKernels.Backward({W(op).Slice("parameters")}, {c.Strided(op.Input)}, {c.GradientStrided(op.Output)},");
        c.W.WriteLine($"    {W(op).Slice("gradients")}, {B(op).Slice("gradients")}, {c.GradientStrided(op.Input)}, count, rows: {m}, cols: {n}{(accumulate ? ", accumulateInputGradients: true" : "")});");
    }
}
