using NetGen.Generator.Emission;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// Max or average pooling of each channel of an image [C × H × W], <c>size</c>² windows every <c>stride</c> pixels, no
/// padding (PyTorch's <c>MaxPool2d</c> / <c>AvgPool2d</c>). No parameters. Max pooling keeps each window's arg-max in the
/// layer's cache and routes the gradient there. The code calls <c>NetGen.PoolingKernels</c> with every size a literal.
/// </summary>
internal sealed class PoolOp : OpKind
{
    public PoolOp(string runtimeKind) => RuntimeKind = runtimeKind;

    public override string RuntimeKind { get; }

    public override bool GradientInPlace => false;

    public override bool HasScalarForm => false;

    public override string CacheContents => "each window's arg-max";

    public override string NoScalarFormReason => "pooling runs in methods of its own (NetGen.PoolingKernels)";

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "p";

    /// <summary>The attribute's name, for messages: MaxPool2D or AvgPool2D.</summary>
    public static string Name(PoolSpec p) => p.Max ? "MaxPool2D" : "AvgPool2D";

    public override bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        var p = (PoolSpec)spec;
        output = input;
        if (!input.IsImage)
        {
            problem = $"{Name(p)} pools an image [channels × height × width], but its input is {input}; set InputShape = new[] {{ channels, height, width }} on [Network] and put it after a [Conv2D] or the input";
            return false;
        }
        if (p.Size > input.Height || p.Size > input.Columns)
        {
            problem = $"its {p.Size}×{p.Size} window is larger than its input {input} ({input.Height}×{input.Columns}); use a window of at most {System.Math.Min(input.Height, input.Columns)}";
            return false;
        }
        problem = "";
        output = Shape.Image(input.Channels, (input.Height - p.Size) / p.Stride + 1, (input.Columns - p.Size) / p.Stride + 1);
        return true;
    }

    /// <summary>Max pooling keeps one arg-max per output.</summary>
    public override int CacheLength(OpSpec spec, Shape input, Shape output) => ((PoolSpec)spec).Max ? (int)output.Size : 0;

    public override bool? Unroll(OpSpec spec, Shape input, Shape output, UnrollingKind unrolling) => false;

    public override string Title(OpPlan op)
    {
        var p = op.As<PoolSpec>();
        return $"{Name(p)} {op.Input.Shape} → {op.Output.Shape} ({p.Size}×{p.Size} windows, stride {p.Stride})";
    }

    public override string? SummaryName(NetworkPlan plan, OpPlan op)
    {
        var p = op.As<PoolSpec>();
        return $"{Name(p)} {op.Layer} ({p.Size}×{p.Size}{(p.Stride == p.Size ? "" : $", stride {p.Stride}")})";
    }

    public override string HeaderLabel(NetworkPlan plan, OpPlan op)
    {
        var p = op.As<PoolSpec>();
        return $"{Name(p)}({p.Size}{(p.Stride == p.Size ? "" : $", stride {p.Stride}")})";
    }

    public override string ArchitectureTerm(OpSpec spec)
    {
        var p = (PoolSpec)spec;
        string I(int v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{(p.Max ? "maxpool2d" : "avgpool2d")}({I(p.Size)},s{I(p.Stride)}";
    }

    public override string RuntimeSettings(OpSpec spec)
    {
        var p = (PoolSpec)spec;
        return $"Kernel = {p.Size}, Stride = {p.Stride}";
    }

    // ── Code ──

    public override void ScalarForward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("Pooling has no straight-line form (HasScalarForm is false).");

    public override void ScalarBackward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("Pooling has no straight-line form (HasScalarForm is false).");

    private static string Sizes(OpPlan op)
    {
        var p = op.As<PoolSpec>();
        var x = op.Input.Shape;
        return $"channels: {x.Channels}, height: {x.Height}, width: {x.Columns}, size: {p.Size}, stride: {p.Stride}";
    }

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        var p = op.As<PoolSpec>();
        string x = c.Span(op.Input), y = c.Span(op.Output);
        if (p.Max)
        {
            c.W.WriteLine($"// {op.Output.Math}[c, i, j] = max over u, v < {p.Size} of {x}[c, {p.Stride}·i + u, {p.Stride}·j + v]; each window's arg-max into the cache for the backward pass");
            c.W.WriteLine($"global::NetGen.PoolingKernels.MaxForward({x}, {y}, {c.Cache(op)}, {Sizes(op)});");
        }
        else
        {
            c.W.WriteLine($"// {op.Output.Math}[c, i, j] = (1/{p.Size * p.Size}) Σ over u, v < {p.Size} of {x}[c, {p.Stride}·i + u, {p.Stride}·j + v]");
            c.W.WriteLine($"global::NetGen.PoolingKernels.AverageForward({x}, {y}, {Sizes(op)});");
        }
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        if (!op.Input.HasGradient) return; // pooling has no parameters: nothing to do without ∂L/∂x
        var p = op.As<PoolSpec>();
        string dy = c.Gradient(op.Output), dx = c.Gradient(op.Input);
        if (p.Max)
        {
            c.W.WriteLine($"// ∂L/∂{c.Span(op.Input)} = 0 except at each window's arg-max, which gets the window's ∂L/∂{op.Output.Math} (max'(·) is 1 there, 0 elsewhere)");
            c.W.WriteLine($"global::NetGen.PoolingKernels.MaxBackward({dy}, {c.Cache(op)}, {dx});");
        }
        else
        {
            c.W.WriteLine($"// ∂L/∂{c.Span(op.Input)}[c, y, x] = Σ over the windows containing (y, x) of ∂L/∂{op.Output.Math}[c, i, j] / {p.Size * p.Size}");
            c.W.WriteLine($"global::NetGen.PoolingKernels.AverageBackward({dy}, {dx}, {Sizes(op)});");
        }
    }
}
